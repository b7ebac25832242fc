/**
 * API responses over 1 KiB go out compressed when the client accepts it (Brotli, else gzip), at
 * low settings, so a big read stays cheap: a 280 KB page of 200 posts takes about 2 ms to compress
 * at Brotli quality 4 or gzip level 5 (to 33 KB), against 270 ms at Brotli's maximum (to 22 KB). Only /api routes: the web client's files are compressed once at build time and sent as
 * they are (plugins/web.ts), and the WebSocket upgrade is never touched.
 */
import fastifyCompress from '@fastify/compress';
import fp from 'fastify-plugin';
import { constants } from 'node:zlib';

export default fp(
  async (app) => {
    // Runs before @fastify/compress's own onRoute hook (registered next), so the routes it must
    // leave alone carry `compress: false` by the time it looks.
    app.addHook('onRoute', (route) => {
      if (route.websocket || !route.url?.startsWith('/api')) route.compress ??= false;
      // Responses only: request bodies are small JSON, and a compressed one is refused as before
      // rather than inflated.
      route.decompress ??= false;
    });
    // A request another site made the browser send (a top-level link carries the Lax session
    // cookie) is answered uncompressed: a compressed answer mixing a reader's private text with
    // text the requester chose would let a network observer guess the private part from its size
    // (BREACH). Our own client's requests are same-origin.
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.headers['sec-fetch-site'] === 'cross-site') delete request.headers['accept-encoding'];
      done();
    });
    await app.register(fastifyCompress, {
      global: true,
      threshold: 1024,
      encodings: ['br', 'gzip'],
      brotliOptions: {
        params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
      },
      zlibOptions: { level: 5 },
    });
  },
  { name: 'compress', fastify: '5.x' },
);
