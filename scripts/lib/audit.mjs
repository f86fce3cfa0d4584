// The dependency audit's decision, apart from running npm: which high or critical advisories of the
// production dependencies are not accepted in the allow-list (.ci/audit-allow.json).

const BLOCKING = new Set(['high', 'critical']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks the allow-list (the `avis` of .ci/audit-allow.json): an array of { id, paquet, raison, date } (id: the advisory number or its
 * GHSA identifier; raison: why it is accepted; date: when it was, YYYY-MM-DD). Returns error lines.
 */
export function checkAllowList(list) {
  if (!Array.isArray(list)) return ['« avis » doit être un tableau JSON'];
  const errors = [];
  list.forEach((e, i) => {
    if (!e || (typeof e.id !== 'number' && typeof e.id !== 'string')) errors.push(`entrée ${i + 1} : « id » (numéro ou GHSA de l’avis) manquant`);
    if (!e || typeof e.raison !== 'string' || e.raison.trim().length < 10) errors.push(`entrée ${i + 1} : « raison » manquante ou trop courte`);
    if (!e || typeof e.date !== 'string' || !DATE.test(e.date)) errors.push(`entrée ${i + 1} : « date » attendue au format AAAA-MM-JJ`);
  });
  return errors;
}

/**
 * Reads `npm audit --json` output. Returns { unavailable: reason } when the registry's audit service
 * did not answer (no report), else { advisories: [{ id, ghsa, paquet, severity, title, url }] } with
 * the high and critical ones.
 */
export function readReport(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { unavailable: 'réponse illisible de npm audit' };
  }
  if (!report || typeof report !== 'object' || !report.vulnerabilities) {
    const why = report?.message ?? report?.error?.summary ?? 'pas de rapport';
    return { unavailable: String(why).replace(/https?:\/\/\S+/g, '<service d’audit>') };
  }
  const seen = new Map();
  for (const v of Object.values(report.vulnerabilities)) {
    for (const via of v.via ?? []) {
      if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue;
      const ghsa = /GHSA-[\w-]+/.exec(via.url ?? '')?.[0];
      seen.set(via.source, { id: via.source, ghsa, paquet: via.name ?? v.name, severity: via.severity, title: via.title, url: via.url });
    }
  }
  return { advisories: [...seen.values()] };
}

/** The advisories not accepted by the list, and the list's entries that match nothing any more. */
export function decide(advisories, allowList) {
  const accepted = (a) => allowList.some((e) => String(e.id) === String(a.id) || (a.ghsa && String(e.id) === a.ghsa));
  const blocking = advisories.filter((a) => !accepted(a));
  const stale = allowList.filter((e) => !advisories.some((a) => String(e.id) === String(a.id) || (a.ghsa && String(e.id) === a.ghsa)));
  return { blocking, stale };
}
