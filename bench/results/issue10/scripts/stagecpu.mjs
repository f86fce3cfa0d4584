// CPU seconds (process.cpuUsage: this process only, not wall time) of each start-up stage of one
// tree's server on the prepared PG database: module loading, prepareDatabase (existing database),
// buildApp, app.ready(). Usage: node stagecpu.mjs <tree> -> one JSON line.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const tree = process.argv[2];
const imp = (p) => import(pathToFileURL(join(tree, 'dist/server/server', p)).href);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/atelier_bench_inj10', SESSION_SECRET: 'x'.repeat(48), ATELIER_DEMO: '1', LOG_LEVEL: 'warn' };
const s = {}; let c = cpu(); s.nodeBoot = c;
const mark = (k) => { const n = cpu(); s[k] = +(n - c).toFixed(3); c = n; };
const { loadConfig } = await imp('config.js');
await imp('db/client.js');
const { prepareDatabase, openDatabase } = await imp('platform.js');
mark('load: config, db, platform');
const { buildApp } = await imp('app.js');
mark('load: app and every module');
const config = loadConfig(env);
const database = await openDatabase(config);
await prepareDatabase(database, config);
mark('prepareDatabase (existing database)');
const app = await buildApp(database, config, {});
mark('buildApp (plugins, routes)');
await app.ready();
mark('app.ready()');
await app.listen({ port: 0, host: '127.0.0.1' });
mark('listen');
s.total = +cpu().toFixed(3);
console.log(JSON.stringify({ tree, ...s }));
await app.close(); await database.close();
process.exit(0);
