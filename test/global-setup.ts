/**
 * Prepares the database once for the whole run (migrations, the Gard, demo accounts); each test file
 * then gets its own copy: a PGlite data-dir dump on the embedded database, a `CREATE DATABASE …
 * TEMPLATE` on the server PostgreSQL (when DATABASE_URL is set).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../server/config.js';
import { openEmbedded, openPostgres } from '../server/db/client.js';
import { prepareDatabase } from '../server/platform.js';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedDump: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  const config = loadConfig({ ...process.env, ATELIER_DEMO: '1', SESSION_SECRET: 'x'.repeat(40) });
  if (url) {
    const template = `atelier_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const database = await openPostgres(u.href);
    await prepareDatabase(database, config);
    await database.close();
    project.provide('templateDatabase', template);
    project.provide('embeddedDump', '');
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
      const r = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'atelier_t_${process.pid}_%'`);
      for (const row of r.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const database = await openEmbedded('memory://');
  await prepareDatabase(database, config);
  const dump = await database.pglite!.dumpDataDir('none');
  await database.close();
  const dir = mkdtempSync(join(tmpdir(), 'atelier-test-'));
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('embeddedDump', file);
  project.provide('templateDatabase', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
