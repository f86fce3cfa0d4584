// `npm run bench`: Atelier's benchmark suites, each in its own file of bench/, on the harness of
// bench/lib/harness.mjs (processes, load, readings, results writer). BENCH_SUITES picks the suites
// (default: all of them, in this order); see bench/README.md for what each measures and its knobs.
import { cleanup, int, runSuite } from '../bench/lib/harness.mjs';

const suites = {
  /** Cold start, memory, communes and healthz under load beside a bare baseline (bench/foundation.mjs). */
  async foundation() {
    const { runFoundationBench } = await import('../bench/foundation.mjs');
    await runFoundationBench();
    await cleanup();
  },
  /** The operations register: 100,000 operations, listing and import (bench/operations.mjs). */
  async operations() {
    const { runOperationsBench, operationsMarkdown } = await import('../bench/operations.mjs');
    await runSuite('operations', (o) => runOperationsBench(o), operationsMarkdown);
  },
  /** The aids search: 50,000 aids, embedded and server PostgreSQL, BM25 baseline (bench/aides.mjs). */
  async aides() {
    const { runAidesBench, aidesMarkdown } = await import('../bench/aides.mjs');
    await runSuite('aides', (o) => runAidesBench({ ...o, n: int('BENCH_AIDES', 50_000), rounds: int('BENCH_AIDES_ROUNDS', 30) }), aidesMarkdown);
  },
  /** The aides-territoires sync: 5,000 upstream aids from a local server speaking the API contract, then 50 changes (bench/aides-sync.mjs). */
  async 'aides-sync'() {
    const { runAidesSyncBench, aidesSyncMarkdown } = await import('../bench/aides-sync.mjs');
    await runSuite('aides-sync', (o) => runAidesSyncBench({ ...o, n: int('BENCH_SYNC_N', 5_000), changes: int('BENCH_SYNC_CHANGES', 50) }), aidesSyncMarkdown);
  },
  /** The land observatory: 1,000,000 generated plots, bbox and synthesis (bench/foncier.mjs). */
  async foncier() {
    const { runFoncierBench, foncierMarkdown } = await import('../bench/foncier.mjs');
    const sizes = process.env.BENCH_FONCIER_EMBEDDED_N ? { embedded: Number(process.env.BENCH_FONCIER_EMBEDDED_N) } : {};
    await runSuite('foncier', (o) => runFoncierBench({ ...o, n: Number(process.env.BENCH_FONCIER_N ?? 1_000_000), sizes }), foncierMarkdown);
  },
};

const chosen = (process.env.BENCH_SUITES ?? Object.keys(suites).join(',')).split(',');
const unknown = chosen.filter((s) => !(s in suites));
if (unknown.length) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}.`);
  process.exit(2);
}
try {
  for (const name of chosen) await suites[name]();
} catch (err) {
  console.error(`\nBenchmark failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
