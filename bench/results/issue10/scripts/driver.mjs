// Runs one suite of a given tree (bench/<suite>.mjs of that tree, hence its dist/) with fixed sizes and
// writes the raw JSON. Usage: node --expose-gc driver.mjs <tree> <suite> <out.json>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
const [tree, suite, out] = process.argv.slice(2);
const mod = await import(pathToFileURL(join(tree, 'bench', `${suite}.mjs`)).href);
const log = (m) => console.log(m);
const dbs = (process.env.BENCH_DATABASES ?? 'embedded,postgres').split(',');
const load0 = os.loadavg();
const t0 = Date.now();
let results;
if (suite === 'operations') results = await mod.runOperationsBench({ n: Number(process.env.BENCH_OPERATIONS), importRows: Number(process.env.BENCH_IMPORT_ROWS), databases: dbs, log });
else if (suite === 'aides') results = await mod.runAidesBench({ n: Number(process.env.BENCH_AIDES), rounds: Number(process.env.BENCH_AIDES_ROUNDS), databases: dbs, log });
else if (suite === 'foncier') results = await mod.runFoncierBench({ n: Number(process.env.BENCH_FONCIER_N), sizes: {}, databases: dbs, log });
writeFileSync(out, JSON.stringify({ tree, suite, loadavgStart: load0, loadavgEnd: os.loadavg(), seconds: (Date.now() - t0) / 1000, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_'))), results }, null, 2));
console.log(`written ${out} in ${(Date.now() - t0) / 1000} s`);
process.exit(0);
