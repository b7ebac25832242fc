/** The part of autocannon's API the bench uses (the package ships no types). */
declare module 'autocannon' {
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    /** Stop after this many requests in all (the duration is then ignored). */
    amount?: number;
    headers?: Record<string, string>;
    method?: string;
    /** Run the load in this many worker threads (off the caller's event loop). */
    workers?: number;
    body?: string;
    /** Requests each connection sends in turn (paths relative to `url`), instead of `url` alone. */
    requests?: Request[];
  }
  export interface Request {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before each send of this request: returns the request to send (e.g. another path or body). */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    /** Called with each answer to this request (autocannon then keeps the body). */
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }
  export interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  /** A running load: a promise of its result that also reports each response (time in ms). */
  interface Instance extends PromiseLike<Result> {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): this;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
}
