/** The cooking pool's worker: Piscina calls the default export with each job (see cook-pool.ts). */
import { runCookJob } from './cook.js';

export default runCookJob;
