// Baseline for `npm run bench`: a bare Fastify 5 server (no plugin, no hook, no schema, no logger)
// that answers the benchmarked routes with the exact bytes the real server sent. The gap between
// it and Atelier is what the product's stack (helmet, cookies, auth hook, zod, cache, logging…)
// costs on the same machine, in the same run.
//
// Environment: PORT, BODY_FILE (the body fetched from the real server), CONTENT_TYPE, HEALTHZ_BODY.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.PORT);
// The real handler sends a cached JavaScript string; so does the baseline (same serialisation path).
const body = readFileSync(process.env.BODY_FILE, 'utf8');
const contentType = process.env.CONTENT_TYPE || 'application/json; charset=utf-8';
const healthz = process.env.HEALTHZ_BODY || '{"status":"ok"}';

const app = Fastify({ logger: false });
app.get('/api/v1/communes', (_req, reply) => {
  reply.header('content-type', contentType).send(body);
});
app.get('/healthz', (_req, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(healthz);
});

const stop = async () => {
  try {
    await app.close();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

await app.listen({ port, host: '127.0.0.1' });
