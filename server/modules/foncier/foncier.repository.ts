/**
 * SQL of the land observatory (scope: gisements.policy.ts): the row read model and its presentation, the map's
 * bbox query (GeoJSON assembled from the stored 6-decimal text, GiST index through ST_Intersects).
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { gisements } from '../../../db/schema.js';
import { CONTRAINTES, OUTILS, PROPRIETAIRES, STATUT_PAR_CODE, USAGES, VISIBILITES } from '../../../shared/foncier/referentiel.js';
import { rows, textArray, type Executor } from '../../db/client.js';
import type { Placement } from './geometrie.js';
import { gisementPolicy } from './gisements.policy.js';

export interface GisementFilters {
  bbox?: [number, number, number, number];
  commune?: string;
  epci?: string;
  statut?: string;
  outil?: string;
}

export function filtersSql(f: GisementFilters): SQL[] {
  const out: SQL[] = gisementPolicy.filters({ commune: f.commune, epci: f.epci });
  if (f.bbox) out.push(sql`ST_Intersects(g.geom, ST_MakeEnvelope(${f.bbox[0]}::float8, ${f.bbox[1]}::float8, ${f.bbox[2]}::float8, ${f.bbox[3]}::float8, 4326))`);
  if (f.statut) out.push(sql`g.statut = ${f.statut}`);
  if (f.outil) out.push(sql`g.outils @> ARRAY[${f.outil}]::text[]`);
  return out;
}

export interface GisementRow {
  id: string;
  identifiant: string | null;
  nom: string;
  geojson: string;
  surface_m2: number;
  commune_insee: string;
  commune_nom: string;
  epci_siren: string | null;
  epci_nom: string | null;
  departement: string;
  references_cadastrales: string[];
  usage_actuel: string | null;
  proprietaire: string | null;
  capacite_logements: number | null;
  capacite_lls: number | null;
  outils: string[];
  taux_sms: string | null;
  contraintes: string[];
  epf_convention: string | null;
  epf_date_acquisition: string | null;
  epf_date_revente_prevue: string | null;
  epf_prix: string | null;
  statut: string;
  operation_id: string | null;
  operation_nom: string | null;
  visibilite: string;
  organisations: string[];
  source: string | null;
  commentaire: string | null;
  demo: boolean;
  created_at: string;
  updated_at: string;
}

export const GISEMENT_SELECT = sql`
  SELECT g.id, g.identifiant, g.nom, g.geojson, g.surface_m2, g.commune_insee, c.nom AS commune_nom, g.epci_siren, e.nom AS epci_nom,
         g.departement, g.references_cadastrales, g.usage_actuel, g.proprietaire, g.capacite_logements, g.capacite_lls, g.outils,
         g.taux_sms::text AS taux_sms, g.contraintes, g.epf_convention, to_char(g.epf_date_acquisition, 'YYYY-MM-DD') AS epf_date_acquisition,
         to_char(g.epf_date_revente_prevue, 'YYYY-MM-DD') AS epf_date_revente_prevue, g.epf_prix::text AS epf_prix, g.statut, g.operation_id,
         o.nom AS operation_nom, g.visibilite, g.organisations::text[] AS organisations, g.source, g.commentaire, g.demo,
         to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
         to_char(g.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
  FROM gisements g JOIN communes c ON c.code_insee = g.commune_insee LEFT JOIN epci e ON e.siren = g.epci_siren
  LEFT JOIN operations o ON o.id = g.operation_id`;

export async function loadRow(db: Executor, id: string): Promise<GisementRow | undefined> {
  const [r] = await rows<GisementRow>(db, sql`${GISEMENT_SELECT} WHERE g.id = ${id}::uuid`);
  return r;
}

/** The gisements matching `where` (scope and filters), in the list's order. */
export function listRows(db: Executor, where: SQL, limit: number): Promise<GisementRow[]> {
  return rows<GisementRow>(db, sql`${GISEMENT_SELECT} WHERE ${where} ORDER BY g.commune_insee, g.nom, g.id LIMIT ${limit}`);
}

export type GisementColumns = Partial<typeof gisements.$inferInsert>;

/** The geometry columns of a placement (the stored GeoJSON text is PostGIS's, 6 decimals). */
export const geomColumns = (pl: Placement): GisementColumns => ({
  geom: sql`ST_GeomFromEWKB(decode(${pl.ewkb}, 'hex'))` as unknown as string,
  geojson: sql`ST_AsGeoJSON(ST_GeomFromEWKB(decode(${pl.ewkb}, 'hex')), 6)` as unknown as string,
  surfaceM2: pl.surfaceM2,
  communeInsee: pl.communeInsee,
  epciSiren: pl.epciSiren,
  departement: pl.departement,
});

export async function insertGisement(tx: Executor, values: typeof gisements.$inferInsert): Promise<string> {
  const [row] = await tx.insert(gisements).values(values).returning({ id: gisements.id });
  return row!.id;
}

export async function updateGisementRow(tx: Executor, id: string, cols: GisementColumns): Promise<void> {
  await tx.update(gisements).set({ ...cols, updatedAt: sql`now()` as unknown as Date }).where(eq(gisements.id, id));
}

export async function deleteGisementRow(tx: Executor, id: string): Promise<void> {
  await tx.delete(gisements).where(eq(gisements.id, id));
}

/** The département of an operation of the register (undefined: no such operation). */
export async function operationDepartement(db: Executor, id: string): Promise<string | undefined> {
  const r = await rows<{ departement: string }>(db, sql`SELECT departement FROM operations WHERE id = ${id}::uuid`);
  return r[0]?.departement;
}

/** The ids among `ids` that are organisations. */
export async function organisationsConnues(db: Executor, ids: string[]): Promise<Set<string>> {
  const r = await rows<{ id: string }>(db, sql`SELECT id::text FROM organisations WHERE id = ANY(${textArray(ids)}::uuid[])`);
  return new Set(r.map((o) => o.id));
}

/** Whether a gisement already has this identifiant. */
export async function identifiantPris(db: Executor, identifiant: string): Promise<boolean> {
  const r = await rows<{ id: string }>(db, sql`SELECT id FROM gisements WHERE identifiant = ${identifiant}`);
  return r.length > 0;
}

const num = (v: string | null) => (v == null ? null : Number(v));

export function presentGisement(g: GisementRow, policies: { modifier: boolean; portage: boolean; supprimer: boolean }) {
  return {
    id: g.id,
    identifiant: g.identifiant,
    nom: g.nom,
    geometrie: JSON.parse(g.geojson) as unknown,
    surface_m2: Math.round(Number(g.surface_m2)),
    commune: { code_insee: g.commune_insee, nom: g.commune_nom },
    epci: g.epci_siren ? { siren: g.epci_siren, nom: g.epci_nom } : null,
    departement: g.departement,
    references_cadastrales: g.references_cadastrales,
    usage_actuel: g.usage_actuel,
    usage_actuel_libelle: g.usage_actuel ? (USAGES[g.usage_actuel] ?? g.usage_actuel) : null,
    proprietaire: g.proprietaire,
    proprietaire_libelle: g.proprietaire ? (PROPRIETAIRES[g.proprietaire] ?? g.proprietaire) : null,
    capacite_logements: g.capacite_logements,
    capacite_lls: g.capacite_lls,
    outils: g.outils,
    outils_libelles: g.outils.map((o) => OUTILS[o]?.libelle ?? o),
    taux_sms: num(g.taux_sms),
    contraintes: g.contraintes,
    contraintes_libelles: g.contraintes.map((c) => CONTRAINTES[c] ?? c),
    epf_convention: g.epf_convention,
    epf_date_acquisition: g.epf_date_acquisition,
    epf_date_revente_prevue: g.epf_date_revente_prevue,
    epf_prix: num(g.epf_prix),
    statut: g.statut,
    statut_libelle: STATUT_PAR_CODE.get(g.statut)?.libelle ?? g.statut,
    statuts_suivants: STATUT_PAR_CODE.get(g.statut)?.suivants ?? [],
    operation: g.operation_id ? { id: g.operation_id, nom: g.operation_nom } : null,
    visibilite: g.visibilite,
    visibilite_libelle: VISIBILITES[g.visibilite] ?? g.visibilite,
    organisations: g.organisations,
    source: g.source,
    commentaire: g.commentaire,
    demo: g.demo,
    created_at: g.created_at,
    updated_at: g.updated_at,
    policies,
  };
}
export type GisementDto = ReturnType<typeof presentGisement>;

/**
 * The map's query: a GeoJSON FeatureCollection text concatenated by the database from the Feature
 * text stored with each gisement (kept by the trigger `gisements_feature_maj`; no JSON built per request). At most `limit` features; the foreign
 * member `tronque` says when there were more (the map then asks to zoom in).
 */
export async function featureCollection(db: Executor, scope: SQL, f: GisementFilters, limit: number): Promise<string> {
  const where = sql.join([scope, ...filtersSql(f)], sql` AND `);
  const [r] = await rows<{ fc: string; n: number }>(
    db,
    sql`WITH sel AS (SELECT g.feature FROM gisements g WHERE ${where} LIMIT ${limit + 1}),
             lim AS (SELECT feature FROM sel LIMIT ${limit})
        SELECT (SELECT count(*)::int FROM sel) AS n,
               '{"type":"FeatureCollection","features":[' || COALESCE(string_agg(feature, ','), '') || ']' AS fc
        FROM lim`,
  );
  const tronque = (r?.n ?? 0) > limit;
  return `${r?.fc ?? '{"type":"FeatureCollection","features":[]'}${tronque ? `,"tronque":true,"limite":${limit}}` : '}'}`;
}
