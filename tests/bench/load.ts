/**
 * One autocannon run against a server process: requests/s, p50/p99 latency and the server's CPU
 * per request read from /proc before and after. Every case of `pnpm bench` and H itself are
 * measured by this one function, so their figures compare.
 */
import autocannon, { type Options } from 'autocannon';
import { processUsage } from './report.js';

export interface Load {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Server CPU (user + system) per request, in µs. */
  cpuUs: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
}

export async function runLoad(pid: number, options: Options): Promise<Load> {
  const before = processUsage(pid);
  const result = await autocannon(options);
  const after = processUsage(pid);
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: requests > 0 ? ((after.cpuMs - before.cpuMs) * 1000) / requests : Number.NaN,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
