// Builds the compiled server and the UI bundle when they are missing or older than their sources,
// so that `npm start` is the only command a newcomer types.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      if (p.endsWith('node_modules') || p.endsWith(`${join('web', 'public', 'dsfr')}`)) return;
      for (const entry of readdirSync(p)) visit(join(p, entry));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

function stale(output, sources) {
  const out = join(root, output);
  if (!existsSync(out)) return true;
  return newestMtime(sources) > statSync(out).mtimeMs;
}

function run(script) {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`La construction a échoué (npm run ${script}).`);
    process.exit(r.status ?? 1);
  }
}

export function buildIfNeeded({ quiet = false } = {}) {
  const tasks = [
    ['build:server', 'dist/server/server/main.js', ['server', 'db', 'shared', 'tsconfig.server.json', 'tsconfig.base.json']],
    ['build:web', 'dist/web/index.html', ['web', 'shared']],
  ];
  for (const [script, output, sources] of tasks) {
    if (stale(output, sources)) {
      if (!quiet) console.log(`Construction : npm run ${script}…`);
      run(script);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded();
