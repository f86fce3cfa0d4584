// One tree's app (buildApp) on the prepared PG database, 3,000 GET /healthz through inject: run under
// node --cpu-prof to see where a health check's time goes. Usage: node --cpu-prof healthprof.mjs <tree>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const tree = process.argv[2];
const imp = (p) => import(pathToFileURL(join(tree, 'dist/server/server', p)).href);
const { loadConfig } = await imp('config.js');
const { openPostgres } = await imp('db/client.js');
const { buildApp } = await imp('app.js');
const url = 'postgres://postgres@127.0.0.1:5432/atelier_bench_inj10';
const database = await openPostgres(url);
const app = await buildApp(database, loadConfig({ DATABASE_URL: url, SESSION_SECRET: 'x'.repeat(48), LOG_LEVEL: 'warn' }), { webRoot: null });
await app.ready();
const c0 = process.cpuUsage();
for (let i = 0; i < 3000; i++) await app.inject({ url: '/healthz' });
const c = process.cpuUsage(c0);
console.log(`${tree}: ${Math.round((c.user + c.system) / 3000)} µs CPU per /healthz`);
await app.close(); await database.close();
process.exit(0);
