/**
 * SQL of the CALEOL sittings: a sitting presented with its landlord, communes' names and attendance,
 * built as JSON-ready rows in one statement.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';

export interface SeanceRow {
  id: string;
  bailleur_id: string;
  bailleur_nom: string;
  commission: string;
  debut: string | Date;
  fin: string | Date;
  lieu: string | null;
  lien_visio: string | null;
  ordre_du_jour: string | null;
  communes: string[];
  epcis: string[];
  departements: string[];
  communes_noms: { code_insee: string; nom: string }[];
  statut: string;
  motif_annulation: string | null;
  sequence: number;
  modifications: { le: string; champs: Record<string, { avant: unknown; apres: unknown }> }[];
  presences: { commune: string; presence: string }[];
  created_at: string | Date;
  updated_at: string | Date;
}

const SELECT = sql`
  SELECT s.id, s.bailleur_id::text AS bailleur_id, b.nom AS bailleur_nom, s.commission, s.debut, s.fin, s.lieu, s.lien_visio, s.ordre_du_jour,
         s.communes, s.epcis, s.departements, s.statut, s.motif_annulation, s.sequence, s.modifications, s.created_at, s.updated_at,
         COALESCE((SELECT json_agg(json_build_object('code_insee', c.code_insee, 'nom', c.nom) ORDER BY c.nom) FROM communes c WHERE c.code_insee = ANY(s.communes)), '[]'::json) AS communes_noms,
         COALESCE((SELECT json_agg(json_build_object('commune', pr.commune_insee, 'presence', pr.presence) ORDER BY pr.commune_insee) FROM caleol_presences pr WHERE pr.seance_id = s.id), '[]'::json) AS presences
  FROM caleol_seances s JOIN organisations b ON b.id = s.bailleur_id`;

export async function seanceParId(db: Executor, id: string): Promise<SeanceRow | undefined> {
  const [r] = await rows<SeanceRow>(db, sql`${SELECT} WHERE s.id = ${id}::uuid`);
  return r;
}

export async function seancesOu(db: Executor, where: SQL, limit = 2000): Promise<SeanceRow[]> {
  return rows<SeanceRow>(db, sql`${SELECT} WHERE ${where} ORDER BY s.debut, s.id LIMIT ${limit}`);
}

export interface CommunePlacee {
  code_insee: string;
  nom: string;
  epci_siren: string | null;
  departement: string;
}

/** The communes of these codes (unknown codes are absent from the answer). */
export async function communesParCode(db: Executor, codes: string[]): Promise<CommunePlacee[]> {
  if (codes.length === 0) return [];
  return rows<CommunePlacee>(db, sql`SELECT code_insee, nom, epci_siren, departement FROM communes WHERE code_insee = ANY(${textArray(codes)})`);
}

/** The active accounts of these communes (their referents), to be told by e-mail. */
export async function referentsDesCommunes(db: Executor, codes: string[]): Promise<{ email: string; nom: string; commune_insee: string }[]> {
  if (codes.length === 0) return [];
  return rows(db, sql`SELECT email, nom, commune_insee FROM users WHERE role = 'commune' AND actif AND commune_insee = ANY(${textArray(codes)}) ORDER BY email`);
}
