/**
 * Personal responses are never stored: every /api response that has not chosen its own caching
 * gets `Cache-Control: no-store`, so a shared proxy, the browser's disk cache or the back button
 * on a shared computer cannot hand one member's account, sessions, notifications or drafts to the
 * next person. Nearly every API answer depends on who is signed in, so this is the default rather
 * than a per-route header; a route whose answer may be kept (reference lists: `private,
 * max-age=300`) sets its own. Registered inside the /api scope only: the web client's assets keep
 * their long-lived caching (plugins/web.ts).
 */
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    app.addHook('onSend', async (_request, reply, payload) => {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
  },
  { name: 'no-store', fastify: '5.x' },
);
