/** The SQL of the SRU inventory's reading side. */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';

export async function communeNom(db: Executor, code: string): Promise<string | undefined> {
  const [c] = await rows<{ nom: string }>(db, sql`SELECT nom FROM communes WHERE code_insee = ${code}`);
  return c?.nom;
}

/** Every imported vintage of a commune, newest first. */
export async function millesimesSru(db: Executor, code: string) {
  return rows<{
    millesime: number; population: number | null; taux_sru: number | null; taux_cible: number | null; deficitaire: boolean | null; carencee: boolean | null;
    exemptee: boolean | null; nb_lls: number | null; prelevement: number | null; fichier: string | null; importe_le: Date | string;
  }>(
    db,
    sql`SELECT millesime, population, taux_sru::float8 AS taux_sru, taux_cible::float8 AS taux_cible, deficitaire, carencee, exemptee, nb_lls,
          prelevement::float8 AS prelevement, fichier, importe_le FROM communes_sru WHERE code_insee = ${code} ORDER BY millesime DESC`,
  );
}
