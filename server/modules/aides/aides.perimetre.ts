/**
 * Perimeter filter: a commune (INSEE), an EPCI (SIREN) or a département is covered by the aids of
 * its own perimeter and of every larger one (EPCI, département, region, the nation).
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { notFound, unprocessable } from '../../lib/errors.js';

export async function perimetreCodes(db: Executor, code: string): Promise<string[]> {
  const c = code.trim();
  if (/^(FRA|france)$/i.test(c)) return ['FRA'];
  if (/^\d[\dAB]\d{3}$/.test(c)) {
    const r = await rows<{ code_insee: string; epci_siren: string | null; departement: string; region: string }>(
      db,
      sql`SELECT c.code_insee, c.epci_siren, c.departement, d.region FROM communes c JOIN departements d ON d.code = c.departement WHERE c.code_insee = ${c}`,
    );
    const x = r[0];
    if (!x) throw notFound(`Commune inconnue : ${c}.`);
    return ['FRA', x.region, x.departement, ...(x.epci_siren ? [x.epci_siren] : []), x.code_insee];
  }
  if (/^\d{9}$/.test(c)) {
    const r = await rows<{ departement: string; region: string; code_insee: string }>(
      db,
      sql`SELECT c.departement, d.region, c.code_insee FROM communes c JOIN departements d ON d.code = c.departement WHERE c.epci_siren = ${c}`,
    );
    if (!r.length) throw notFound(`EPCI inconnu : ${c}.`);
    return ['FRA', ...new Set(r.map((x) => x.region)), ...new Set(r.map((x) => x.departement)), c, ...r.map((x) => x.code_insee)];
  }
  if (/^(\d{2,3}|2A|2B)$/i.test(c)) {
    const r = await rows<{ region: string }>(db, sql`SELECT region FROM departements WHERE code = ${c.toUpperCase()}`);
    if (!r[0]) throw notFound(`Département inconnu : ${c}.`);
    return ['FRA', r[0].region, c.toUpperCase()];
  }
  throw unprocessable(`Périmètre « ${c} » : code INSEE de commune (5 caractères), SIREN d’EPCI (9 chiffres) ou code de département attendu.`);
}
