// `npm test`: every tier of tests — pure logic and API tests (vitest), then the browser tests
// (Playwright in Debian's Chromium). On the embedded database by default; on a server PostgreSQL when
// DATABASE_URL is set. Ends with one summary line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.mjs';

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';
const out = mkdtempSync(join(tmpdir(), 'atelier-test-report-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) exitCode = r.status ?? 1;
  return r.status;
}

const mode = process.env.DATABASE_URL ? 'PostgreSQL serveur (DATABASE_URL)' : 'base embarquée (PGlite)';
console.log(`\n=== Tests sur ${mode} ===\n`);

if (only !== 'e2e') {
  // Types first: a type error is a failed test.
  if (run('npm', ['run', '--silent', 'typecheck']) !== 0) totals.failed += 1;
  const report = join(out, 'vitest.json');
  run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + (r.numFailedTestSuites ?? 0);
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  } else totals.failed += 1;
}

if (only !== 'unit') {
  buildIfNeeded();
  const report = join(out, 'playwright.json');
  run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  if (existsSync(report)) {
    const s = JSON.parse(readFileSync(report, 'utf8')).stats;
    totals.passed += s.expected;
    totals.failed += s.unexpected + (s.flaky ?? 0);
    totals.skipped += s.skipped;
  } else totals.failed += 1;
}

rmSync(out, { recursive: true, force: true });
if (totals.passed === 0) exitCode ||= 1;
console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
