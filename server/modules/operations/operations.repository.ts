/**
 * SQL of the operations register (every statement of the module but its documents' and
 * consultations'). Listing is one query (filters + scope + page) and one for the open blockers of
 * the page.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { blocages, communes, operationEvenements, operations, organisations } from '../../../db/schema.js';
import { ETAPE_PAR_CODE, ETAPES } from '../../../shared/operations/etapes.js';
import { TYPES_BLOCAGE, TYPES_OPERATION, type TypeBlocage, type TypeOperation } from '../../../shared/operations/referentiel.js';
import { rows, textArray, type Executor } from '../../db/client.js';
import { operationPolicy } from './operations.policy.js';

/** "En difficulté": an open blocker, or a planned milestone passed without its actual date. */
export const EN_DIFFICULTE_SQL = sql`(o.nb_blocages_ouverts > 0 OR (o.etape NOT IN ('livree', 'abandonnee') AND (
  (o.date_agrement IS NULL AND COALESCE(o.date_agrement_prevue < current_date, false)) OR
  (o.date_ordre_service IS NULL AND COALESCE(o.date_ordre_service_prevue < current_date, false)) OR
  (o.date_livraison IS NULL AND COALESCE(o.date_livraison_prevue < current_date, false)))))`;

/** Milestones whose planned date has passed without the actual one, as a text[] (the "retards"). */
export const RETARDS_SQL = sql`(CASE WHEN o.etape IN ('livree', 'abandonnee') THEN ARRAY[]::text[] ELSE array_remove(ARRAY[
  CASE WHEN o.date_agrement IS NULL AND o.date_agrement_prevue < current_date THEN 'agrement' END,
  CASE WHEN o.date_ordre_service IS NULL AND o.date_ordre_service_prevue < current_date THEN 'ordre_service' END,
  CASE WHEN o.date_livraison IS NULL AND o.date_livraison_prevue < current_date THEN 'livraison' END], NULL) END)`;

/** A CASE mapping a code column to its label, built from the shared reference data (the one source). */
function libelleSql(column: string, labels: Iterable<[string, string]>): SQL {
  const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;
  const whens = [...labels].map(([code, label]) => `WHEN ${quote(code)} THEN ${quote(label)}`).join(' ');
  return sql.raw(`(CASE ${column} ${whens} ELSE ${column} END)`);
}
const TYPE_LIBELLE_SQL = libelleSql('o.type', Object.entries(TYPES_OPERATION));
const ETAPE_LIBELLE_SQL = libelleSql('o.etape', ETAPES.map((e) => [e.code, e.libelle] as [string, string]));
const TYPE_BLOCAGE_LIBELLE_SQL = libelleSql('bl.type', Object.entries(TYPES_BLOCAGE));

export interface OperationFilters {
  epci?: string;
  commune?: string;
  /** SIREN or organisation id. */
  bailleur?: string;
  etape?: string;
  enDifficulte?: boolean;
  annee?: number;
  q?: string;
}

export function filtersSql(f: OperationFilters): SQL[] {
  const parSiren = f.bailleur !== undefined && /^\d{9}$/.test(f.bailleur);
  const where: SQL[] = operationPolicy.filters({ epci: f.epci, commune: f.commune, organisation: parSiren ? undefined : f.bailleur });
  if (parSiren) where.push(sql`o.bailleur_id IN (SELECT id FROM organisations WHERE siren = ${f.bailleur})`);
  if (f.etape) where.push(sql`o.etape = ${f.etape}`);
  if (f.annee) where.push(sql`o.annee_programmation = ${f.annee}`);
  if (f.enDifficulte !== undefined) where.push(f.enDifficulte ? EN_DIFFICULTE_SQL : sql`NOT ${EN_DIFFICULTE_SQL}`);
  if (f.q) where.push(sql`(unaccent(lower(o.nom)) LIKE '%' || unaccent(lower(${f.q})) || '%' OR o.numero_siap = ${f.q})`);
  return where;
}

/** The caller's scope (the policy's SQL) and the list's filters, as one condition. */
export const filteredScope = (scope: SQL, f: OperationFilters): SQL => sql.join([scope, ...filtersSql(f)], sql` AND `);

export interface OperationRow {
  id: string;
  nom: string;
  commune_insee: string;
  commune_nom: string;
  epci_siren: string | null;
  epci_nom: string | null;
  departement: string;
  adresse: string | null;
  lon: number | null;
  lat: number | null;
  bailleur_id: string;
  bailleur_nom: string;
  bailleur_siren: string | null;
  numero_siap: string | null;
  type: string;
  plai: number;
  plai_adapte: number;
  plus: number;
  pls: number;
  psla: number;
  brs: number;
  annee_programmation: number | null;
  etape: string;
  motif_abandon: string | null;
  date_foncier_maitrise: string | null;
  date_depot_permis: string | null;
  date_obtention_permis: string | null;
  date_recours: string | null;
  date_agrement: string | null;
  date_appel_offres: string | null;
  date_ordre_service: string | null;
  date_livraison: string | null;
  date_agrement_prevue: string | null;
  date_ordre_service_prevue: string | null;
  date_livraison_prevue: string | null;
  cout_total: string | number | null;
  plan_financement: unknown;
  contact_riverains: string | null;
  nb_blocages_ouverts: number;
  en_difficulte: boolean;
  retards: string[];
  created_at: string | Date;
  updated_at: string | Date;
}

const d = (col: string) => sql.raw(`to_char(o.${col}, 'YYYY-MM-DD') AS ${col}`);

/**
 * The operation's columns and names. `source` is the operations table, or a subquery that already
 * filtered, sorted and paged it (joins then run on one page only, not on the whole scope).
 */
export const operationSelect = (source: SQL = sql`operations`) => sql`
  SELECT o.id, o.nom, o.commune_insee, c.nom AS commune_nom, o.epci_siren, e.nom AS epci_nom, o.departement,
         o.adresse, ST_X(o.localisation) AS lon, ST_Y(o.localisation) AS lat,
         o.bailleur_id, b.nom AS bailleur_nom, b.siren AS bailleur_siren, o.numero_siap, o.type,
         o.plai, o.plai_adapte, o.plus, o.pls, o.psla, o.brs, o.annee_programmation, o.etape, o.motif_abandon,
         ${d('date_foncier_maitrise')}, ${d('date_depot_permis')}, ${d('date_obtention_permis')}, ${d('date_recours')},
         ${d('date_agrement')}, ${d('date_appel_offres')}, ${d('date_ordre_service')}, ${d('date_livraison')},
         ${d('date_agrement_prevue')}, ${d('date_ordre_service_prevue')}, ${d('date_livraison_prevue')},
         o.cout_total, o.plan_financement, o.contact_riverains, o.nb_blocages_ouverts, ${EN_DIFFICULTE_SQL} AS en_difficulte,
         ${RETARDS_SQL} AS retards, o.created_at, o.updated_at
  FROM ${source} o
  JOIN communes c ON c.code_insee = o.commune_insee
  LEFT JOIN epci e ON e.siren = o.epci_siren
  JOIN organisations b ON b.id = o.bailleur_id`;

export const OPERATION_SELECT = operationSelect();

export interface BlocageRow {
  id: string;
  operation_id: string;
  type: string;
  description: string;
  depuis: string;
  acteur_attendu: string | null;
  statut: string;
  leve_le: string | null;
}

export const presentBlocage = (b: BlocageRow) => ({
  id: b.id,
  type: b.type,
  type_libelle: TYPES_BLOCAGE[b.type as TypeBlocage] ?? b.type,
  description: b.description,
  depuis: b.depuis,
  acteur_attendu: b.acteur_attendu,
  statut: b.statut,
  leve_le: b.leve_le,
});

export async function blocagesOf(db: Executor, operationIds: string[], ouvertsSeulement: boolean): Promise<Map<string, BlocageRow[]>> {
  const out = new Map<string, BlocageRow[]>();
  if (operationIds.length === 0) return out;
  const r = await rows<BlocageRow>(
    db,
    sql`SELECT id, operation_id, type, description, to_char(depuis, 'YYYY-MM-DD') AS depuis, acteur_attendu, statut,
               to_char(leve_le, 'YYYY-MM-DD') AS leve_le
        FROM blocages WHERE operation_id = ANY(${textArray(operationIds)}::uuid[])
        ${ouvertsSeulement ? sql`AND statut <> 'leve'` : sql``}
        ORDER BY depuis, created_at`,
  );
  for (const b of r) out.set(b.operation_id, [...(out.get(b.operation_id) ?? []), b]);
  return out;
}

export function presentOperation(o: OperationRow, blocages: BlocageRow[], policies: { modifier: boolean }) {
  const logements = { plai: o.plai, plai_adapte: o.plai_adapte, plus: o.plus, pls: o.pls, psla: o.psla, brs: o.brs };
  return {
    id: o.id,
    nom: o.nom,
    commune: { code_insee: o.commune_insee, nom: o.commune_nom },
    epci: o.epci_siren ? { siren: o.epci_siren, nom: o.epci_nom } : null,
    departement: o.departement,
    adresse: o.adresse,
    localisation: o.lon === null || o.lat === null ? null : { lon: Number(o.lon), lat: Number(o.lat) },
    bailleur: { id: o.bailleur_id, nom: o.bailleur_nom, siren: o.bailleur_siren },
    numero_siap: o.numero_siap,
    type: o.type,
    type_libelle: TYPES_OPERATION[o.type as TypeOperation] ?? o.type,
    logements: { ...logements, total: Object.values(logements).reduce((a, b) => a + b, 0) },
    annee_programmation: o.annee_programmation,
    etape: o.etape,
    etape_libelle: ETAPE_PAR_CODE.get(o.etape)?.libelle ?? o.etape,
    motif_abandon: o.motif_abandon,
    date_foncier_maitrise: o.date_foncier_maitrise,
    date_depot_permis: o.date_depot_permis,
    date_obtention_permis: o.date_obtention_permis,
    date_recours: o.date_recours,
    date_agrement: o.date_agrement,
    date_appel_offres: o.date_appel_offres,
    date_ordre_service: o.date_ordre_service,
    date_livraison: o.date_livraison,
    date_agrement_prevue: o.date_agrement_prevue,
    date_ordre_service_prevue: o.date_ordre_service_prevue,
    date_livraison_prevue: o.date_livraison_prevue,
    cout_total: o.cout_total === null ? null : Number(o.cout_total),
    plan_financement: o.plan_financement,
    contact_riverains: o.contact_riverains,
    en_difficulte: o.en_difficulte,
    retards: o.retards,
    blocages: blocages.map(presentBlocage),
    created_at: new Date(o.created_at).toISOString(),
    updated_at: new Date(o.updated_at).toISOString(),
    policies,
  };
}
export type OperationDto = ReturnType<typeof presentOperation>;

/**
 * One page of the register as summaries, built as JSON text by the database in one statement
 * (total count, page and open blockers together) and sent to the client as is: the listing is the
 * register's hottest read, and neither more round trips nor a parse-and-serialise in Node are
 * worth paying for it. Summaries carry what a list shows; `GET /operations/{id}` has the rest.
 * The page walks the (scope column, updated_at DESC NULLS LAST, id) indexes: keep ORDER BY equal.
 * `version` is selected in the same snapshot as the page (for the listing cache).
 */
export function summaryPageSql(where: SQL, limit: number, offset: number, version: SQL = sql`NULL`): SQL {
  return sql`
  WITH page AS (
    SELECT o.* FROM operations o WHERE ${where}
    ORDER BY o.updated_at DESC NULLS LAST, o.id LIMIT ${limit} OFFSET ${offset})
  SELECT (SELECT count(*) FROM operations o WHERE ${where})::int AS count, ${version} AS version, COALESCE(json_agg(json_build_object(
      'id', o.id, 'nom', o.nom,
      'commune', json_build_object('code_insee', o.commune_insee, 'nom', c.nom),
      'epci', CASE WHEN o.epci_siren IS NULL THEN NULL ELSE json_build_object('siren', o.epci_siren, 'nom', e.nom) END,
      'departement', o.departement,
      'bailleur', json_build_object('id', o.bailleur_id, 'nom', b.nom, 'siren', b.siren),
      'numero_siap', o.numero_siap, 'type', o.type, 'type_libelle', ${TYPE_LIBELLE_SQL},
      'logements', json_build_object('plai', o.plai, 'plai_adapte', o.plai_adapte, 'plus', o.plus, 'pls', o.pls, 'psla', o.psla,
                                     'brs', o.brs, 'total', o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs),
      'annee_programmation', o.annee_programmation, 'etape', o.etape, 'etape_libelle', ${ETAPE_LIBELLE_SQL},
      'en_difficulte', ${EN_DIFFICULTE_SQL}, 'retards', ${RETARDS_SQL},
      'blocages', (SELECT COALESCE(json_agg(json_build_object(
                      'id', bl.id, 'type', bl.type, 'type_libelle', ${TYPE_BLOCAGE_LIBELLE_SQL}, 'depuis', to_char(bl.depuis, 'YYYY-MM-DD'),
                      'acteur_attendu', bl.acteur_attendu, 'statut', bl.statut) ORDER BY bl.depuis, bl.created_at), '[]'::json)
                   FROM blocages bl WHERE bl.operation_id = o.id AND bl.statut <> 'leve'),
      'updated_at', to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    ORDER BY o.updated_at DESC NULLS LAST, o.id), '[]'::json)::text AS results
  FROM page o
  JOIN organisations b ON b.id = o.bailleur_id
  JOIN communes c ON c.code_insee = o.commune_insee
  LEFT JOIN epci e ON e.siren = o.epci_siren`;
}

// ——— Reads and writes of one operation and its blockers and timeline (the service's SQL) ———

/** The register's version and today's date: together, what a listing answer depends on besides its query. */
export const REGISTRE_VERSION_SQL = sql`(SELECT version::text || ':' || current_date::text FROM registre_version WHERE id = 1)`;
const VERSION_QUERY = sql`SELECT ${REGISTRE_VERSION_SQL} AS version`;

/** The register's current version (see `registre_version`), read through the given executor. */
export async function registreVersion(db: Executor): Promise<string> {
  const [v] = await rows<{ version: string }>(db, VERSION_QUERY);
  return v?.version ?? '';
}

/** One page of summaries as JSON text, with the total and the register's version of the same snapshot. */
export async function summaryPage(db: Executor, where: SQL, limit: number, offset: number): Promise<{ count: number; results: string; version: string } | undefined> {
  const [r] = await rows<{ count: number; results: string; version: string }>(db, summaryPageSql(where, limit, offset, REGISTRE_VERSION_SQL));
  return r;
}

/** Every operation matching `where`, by commune and name (exports). */
export async function operationsWhere(db: Executor, where: SQL): Promise<OperationRow[]> {
  return rows<OperationRow>(db, sql`${OPERATION_SELECT} WHERE ${where} ORDER BY o.commune_insee, o.nom`);
}

export async function findOperation(db: Executor, id: string): Promise<OperationRow | undefined> {
  const [r] = await rows<OperationRow>(db, sql`${OPERATION_SELECT} WHERE o.id = ${id}::uuid`);
  return r;
}

/** Operations that a file's rows may update: by SIAP number, or in the file's communes. */
export async function operationsBySiapOrCommune(db: Executor, siaps: string[], communesInsee: string[]): Promise<OperationRow[]> {
  return rows<OperationRow>(db, sql`${OPERATION_SELECT} WHERE o.numero_siap = ANY(${textArray(siaps)}) OR o.commune_insee = ANY(${textArray(communesInsee)})`);
}

/** The gisements an operation stands on, among those `visible` (the land policy's SQL) lets through. */
export async function gisementsOfOperation(db: Executor, operationId: string, visible: SQL) {
  return rows<{ id: string; nom: string; statut: string }>(
    db,
    sql`SELECT g.id, g.nom, g.statut FROM gisements g WHERE g.operation_id = ${operationId}::uuid AND ${visible} ORDER BY g.nom`,
  );
}

export async function findCommune(db: Executor, code: string) {
  const [c] = await db.select({ codeInsee: communes.codeInsee, epciSiren: communes.epciSiren, departement: communes.departement }).from(communes).where(eq(communes.codeInsee, code));
  return c;
}

/** The communes of the served départements (the import's lookups by code and name). */
export async function communesOf(db: Executor, departements: string[]) {
  return rows<{ code_insee: string; nom: string }>(db, sql`SELECT code_insee, nom FROM communes WHERE departement = ANY(${textArray(departements)})`);
}

/** Every landlord organisation (the import's lookups by SIREN and name). */
export async function bailleurs(db: Executor) {
  return rows<{ id: string; nom: string; siren: string | null }>(db, sql`SELECT id, nom, siren FROM organisations WHERE type = 'bailleur'`);
}

export async function organisationType(db: Executor, id: string): Promise<string | undefined> {
  const [b] = await db.select({ type: organisations.type }).from(organisations).where(eq(organisations.id, id));
  return b?.type;
}

type OpInsert = typeof operations.$inferInsert;

/** A location as the `localisation` column stores it (WGS84 point). */
export const pointSql = (l: { lon: number; lat: number }): SQL => sql`ST_SetSRID(ST_MakePoint(${l.lon}, ${l.lat}), 4326)`;
type OpSelect = typeof operations.$inferSelect;

export async function insertOperationRows(tx: Executor, values: OpInsert[]): Promise<OpSelect[]> {
  return tx.insert(operations).values(values).returning();
}

export async function updateOperationRow(tx: Executor, id: string, changes: Partial<OpInsert>): Promise<OpSelect> {
  const [after] = await tx.update(operations).set({ ...changes, updatedAt: new Date() }).where(eq(operations.id, id)).returning();
  return after!;
}

export interface EvenementInsert {
  operationId: string;
  actorLabel: string;
  kind: string;
  resume: string;
  details: unknown;
}

export async function insertEvenements(tx: Executor, events: EvenementInsert[]): Promise<void> {
  if (events.length) await tx.insert(operationEvenements).values(events);
}

/** The timeline, newest first. */
export async function evenementsOf(db: Executor, operationId: string) {
  return db
    .select()
    .from(operationEvenements)
    .where(eq(operationEvenements.operationId, operationId))
    .orderBy(sql`${operationEvenements.at} DESC, ${operationEvenements.id} DESC`);
}

type BlocageSelect = typeof blocages.$inferSelect;

const blocageRowOf = (b: BlocageSelect): BlocageRow => ({
  id: b.id,
  operation_id: b.operationId,
  type: b.type,
  description: b.description,
  depuis: b.depuis,
  acteur_attendu: b.acteurAttendu,
  statut: b.statut,
  leve_le: b.leveLe,
});

/** Keeps `nb_blocages_ouverts` (read by the listing and the "en difficulté" rule) equal to the open blockers. */
async function recountBlocages(tx: Executor, operationId: string) {
  await tx.execute(sql`UPDATE operations SET nb_blocages_ouverts = (SELECT count(*) FROM blocages WHERE operation_id = ${operationId}::uuid AND statut <> 'leve'), updated_at = now() WHERE id = ${operationId}::uuid`);
}

export async function insertBlocage(tx: Executor, values: typeof blocages.$inferInsert): Promise<{ row: BlocageRow; stored: BlocageSelect }> {
  const [b] = await tx.insert(blocages).values(values).returning();
  await recountBlocages(tx, values.operationId);
  return { row: blocageRowOf(b!), stored: b! };
}

export async function findBlocage(db: Executor, operationId: string, blocageId: string): Promise<BlocageSelect | undefined> {
  const [b] = await db.select().from(blocages).where(and(eq(blocages.id, blocageId), eq(blocages.operationId, operationId)));
  return b;
}

export async function updateBlocageRow(tx: Executor, before: BlocageSelect, changes: Partial<typeof blocages.$inferInsert>): Promise<{ row: BlocageRow; stored: BlocageSelect }> {
  const [after] = await tx.update(blocages).set({ ...changes, updatedAt: new Date() }).where(eq(blocages.id, before.id)).returning();
  await recountBlocages(tx, before.operationId);
  return { row: blocageRowOf(after!), stored: after! };
}
