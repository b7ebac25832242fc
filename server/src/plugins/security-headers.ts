/**
 * The security headers of every response (CSP, HSTS on https, Referrer-Policy, nosniff, frame and
 * cross-origin policies), chosen by helmet and computed ONCE at start: `@fastify/helmet` builds a
 * new helmet middleware and re-parses the CSP on every request (7% of a small read's CPU), while
 * our policy is the same for every route. helmet runs once against a recording response; each
 * request then copies the recorded headers. One route narrows them: an attachment's download sets
 * its own sandboxing CSP (modules/attachments/attachments.routes.ts) over the copied one.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What helmet would set, as one header object. */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

export default fp(
  async (app: FastifyInstance, options: { helmet: HelmetOptions }) => {
    const headers = helmetHeaders(options.helmet);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
