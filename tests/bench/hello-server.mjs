// H, the bench's yardstick: a hello-world Fastify with one route returning { hello: 'world' }, as
// its own node process. The bench passes the Fastify the server itself uses (FASTIFY_ENTRY) and
// the port; it prints `listening <port>` once it listens. See hello.ts.
import { pathToFileURL } from 'node:url';

const { default: Fastify } = await import(pathToFileURL(process.env.FASTIFY_ENTRY).href);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${app.server.address().port}\n`);
