// `node scripts/audit.mjs` (run by .ci/run): fails on a known high or critical vulnerability of a
// production dependency (`npm audit --omit=dev`) that .ci/audit-allow.json does not accept with a
// reason and a date. When the registry's audit service cannot be reached, says so and does not fail:
// a network outage is not a vulnerability (docs/decisions/0011-backups-and-outages.md).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-needed.mjs';
import { checkAllowList, decide, readReport } from './lib/audit.mjs';

const allowFile = join(root, '.ci', 'audit-allow.json');
let allowList;
try {
  allowList = JSON.parse(readFileSync(allowFile, 'utf8')).avis;
} catch (err) {
  console.error(`Audit des dépendances : ${allowFile} illisible (${err.message}).`);
  process.exit(1);
}
const errors = checkAllowList(allowList);
if (errors.length) {
  console.error(`Audit des dépendances : liste d’acceptation invalide (${allowFile}) :\n${errors.map((e) => `- ${e}`).join('\n')}`);
  process.exit(1);
}

const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
const result = r.error ? { unavailable: `npm audit n’a pas abouti (${r.error.code ?? r.error.message})` } : readReport(r.stdout);
if (result.unavailable) {
  console.log(`Audit des dépendances : NON VÉRIFIÉ — le service d’audit du registre est injoignable depuis cette machine (${result.unavailable}).`);
  console.log('Étape non bloquante dans ce cas : relancez `node scripts/audit.mjs` sur une machine qui l’atteint.');
  process.exit(0);
}
const { blocking, stale } = decide(result.advisories, allowList);
for (const e of stale) console.log(`Audit des dépendances : l’acceptation de l’avis ${e.id} (${e.date}) ne sert plus, retirez-la de .ci/audit-allow.json.`);
if (blocking.length) {
  console.error(`Audit des dépendances : ${blocking.length} vulnérabilité(s) élevée(s) ou critique(s) dans les dépendances de production :`);
  for (const a of blocking) console.error(`- ${a.paquet} : ${a.title} (${a.severity}, avis ${a.id}${a.ghsa ? `, ${a.ghsa}` : ''})`);
  console.error('Mettez la dépendance à jour, ou acceptez l’avis dans .ci/audit-allow.json avec sa raison et la date.');
  process.exit(1);
}
console.log(`Audit des dépendances : aucune vulnérabilité élevée ou critique non acceptée (${result.advisories.length} acceptée(s)).`);
