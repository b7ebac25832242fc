/** The extraction pool's worker: Piscina calls the default export with each job (see extract-pool.ts). */
import { runExtractJob } from './extract.js';

export default runExtractJob;
