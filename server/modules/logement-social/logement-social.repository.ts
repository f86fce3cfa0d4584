/**
 * Reads of the public housing page: the commune with its EPCI, and the latest imported vintage of
 * the official SRU inventory (table communes_sru, filled by server/modules/sru).
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';

export interface CommunePublique {
  code_insee: string;
  nom: string;
  departement: string;
  departement_nom: string | null;
  epci_siren: string | null;
  epci_nom: string | null;
}

export async function findCommunePublique(db: Executor, code: string): Promise<CommunePublique | undefined> {
  const [c] = await rows<CommunePublique>(
    db,
    sql`SELECT c.code_insee, c.nom, c.departement, d.nom AS departement_nom, e.siren AS epci_siren, e.nom AS epci_nom
        FROM communes c
        LEFT JOIN departements d ON d.code = c.departement
        LEFT JOIN epci e ON e.siren = c.epci_siren
        WHERE c.code_insee = ${code}`,
  );
  return c;
}

export interface SruMillesime {
  millesime: number;
  population: number | null;
  taux_sru: number | null;
  taux_cible: number | null;
  deficitaire: boolean | null;
  carencee: boolean | null;
  exemptee: boolean | null;
  nb_lls: number | null;
  fichier: string;
  importe_le: string;
}

/** The most recent vintage imported for the commune, if any. */
export async function latestSru(db: Executor, code: string): Promise<SruMillesime | undefined> {
  const [s] = await rows<SruMillesime>(
    db,
    sql`SELECT millesime, population, taux_sru::float8 AS taux_sru, taux_cible::float8 AS taux_cible, deficitaire, carencee, exemptee,
               nb_lls, fichier, to_char(importe_le AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS importe_le
        FROM communes_sru WHERE code_insee = ${code} ORDER BY millesime DESC LIMIT 1`,
  );
  return s;
}
