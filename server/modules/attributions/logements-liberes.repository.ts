/** SQL of the vacated dwellings: the listing in scope with its filters, one row presented per dwelling. */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import { logementLiberePolicy } from './attributions.policy.js';

export interface LogementRow {
  id: string;
  bailleur_id: string;
  bailleur_nom: string;
  commune_insee: string;
  commune_nom: string;
  epci_siren: string | null;
  departement: string;
  reference: string | null;
  residence: string | null;
  adresse: string | null;
  typologie: string;
  produit: string;
  surface_m2: number | string | null;
  loyer_mensuel: number | string | null;
  disponible_le: string;
  reservataire: string;
  accessible: boolean | null;
  seance_id: string | null;
  seance_debut: string | Date | null;
  seance_statut: string | null;
  statut: string;
  attribue_le: string | null;
  created_at: string | Date;
}

const SELECT = sql`
  SELECT l.id, l.bailleur_id::text AS bailleur_id, b.nom AS bailleur_nom, l.commune_insee, c.nom AS commune_nom, l.epci_siren, l.departement,
         l.reference, l.residence, l.adresse, l.typologie, l.produit, l.surface_m2, l.loyer_mensuel, to_char(l.disponible_le, 'YYYY-MM-DD') AS disponible_le,
         l.reservataire, l.accessible, l.seance_id::text AS seance_id, s.debut AS seance_debut, s.statut AS seance_statut, l.statut,
         to_char(l.attribue_le, 'YYYY-MM-DD') AS attribue_le, l.created_at
  FROM logements_liberes l
  JOIN organisations b ON b.id = l.bailleur_id
  JOIN communes c ON c.code_insee = l.commune_insee
  LEFT JOIN caleol_seances s ON s.id = l.seance_id`;

export interface FiltresLogements {
  commune?: string;
  epci?: string;
  statut?: string;
  typologie?: string;
  reservataire?: string;
  du?: string;
  au?: string;
}

export function whereLogements(p: Principal, served: string[], f: FiltresLogements): SQL {
  const where = [logementLiberePolicy.where('read', p, served), ...logementLiberePolicy.filters({ commune: f.commune, epci: f.epci })];
  if (f.statut) where.push(sql`l.statut = ${f.statut}`);
  if (f.typologie) where.push(sql`l.typologie = ${f.typologie}`);
  if (f.reservataire) where.push(sql`l.reservataire = ${f.reservataire}`);
  if (f.du) where.push(sql`l.disponible_le >= ${f.du}::date`);
  if (f.au) where.push(sql`l.disponible_le <= ${f.au}::date`);
  return sql.join(where, sql` AND `);
}

export async function logementParId(db: Executor, id: string): Promise<LogementRow | undefined> {
  const [r] = await rows<LogementRow>(db, sql`${SELECT} WHERE l.id = ${id}::uuid`);
  return r;
}

/** A page of the listing (the latest availability first) and the count of the whole scope. */
export async function pageLogements(db: Executor, where: SQL, limit: number, offset: number): Promise<{ count: number; rows: LogementRow[] }> {
  const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM logements_liberes l WHERE ${where}`);
  const page = await rows<LogementRow>(db, sql`${SELECT} WHERE ${where} ORDER BY l.disponible_le DESC, l.id LIMIT ${limit} OFFSET ${offset}`);
  return { count: n?.n ?? 0, rows: page };
}

export async function tousLogements(db: Executor, where: SQL, max: number): Promise<LogementRow[]> {
  return rows<LogementRow>(db, sql`${SELECT} WHERE ${where} ORDER BY l.commune_insee, l.disponible_le, l.id LIMIT ${max}`);
}
