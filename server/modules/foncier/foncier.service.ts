/**
 * Rules of the land observatory: who reads and edits which gisement, status transitions, placement
 * from the geometry, links to operations and organisations, audit of every change. Works on the
 * transaction (or database handle) it is given; SQL in foncier.repository.ts; a broken rule throws a
 * named domain error (server/lib/errors.ts), a change outside the caller's rights a 403.
 */
import { sql } from 'drizzle-orm';
import type { gisements } from '../../../db/schema.js';
import type { GisementCreate, GisementUpdate } from '../../../shared/foncier/gisement.schema.js';
import { CHAMPS_PORTAGE, STATUT_INITIAL, STATUT_PAR_CODE, transitionAutorisee } from '../../../shared/foncier/referentiel.js';
import type { Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { Conflit, forbidden, ReferenceInconnue, RegleMetier, TransitionInterdite } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { gisementPolicy } from './gisements.policy.js';
import { analyser, fromGeoJson, SRID_WGS84, type Placement } from './geometrie.js';
import {
  deleteGisementRow,
  featureCollection,
  filtersSql,
  geomColumns,
  identifiantPris,
  insertGisement,
  listRows,
  loadRow,
  operationDepartement,
  organisationsConnues,
  presentGisement,
  updateGisementRow,
  type GisementFilters,
  type GisementRow,
} from './foncier.repository.js';

type Insert = typeof gisements.$inferInsert;

export interface Ctx {
  actor: Actor;
  /** Undefined for the CLI's system identity (anywhere in the served départements). */
  principal?: Principal;
  configured: string[];
  requestId?: string;
  /** Imports mirror their source: any status may follow any other. */
  transitionLibre?: boolean;
}

/** The context of a signed-in user's request. */
export const contexte = (p: Principal, configured: string[], requestId?: string): Ctx => ({ actor: { kind: 'user', principal: p }, principal: p, configured, requestId });

/** Reads the gisement (gisements.policy.ts). */
export const visible = (p: Principal | undefined, configured: string[], g: GisementRow): boolean => gisementPolicy.allows('read', p, g, configured);

/** Edits everything on it: communes and EPCI on their territory, the State on its département. */
export const modifiable = (p: Principal | undefined, configured: string[], g: Partial<GisementRow>): boolean => gisementPolicy.allows('edit', p, g, configured);

const portageModifiable = (p: Principal | undefined, configured: string[], g: GisementRow) => gisementPolicy.allows('portage', p, g, configured);

export const policiesFor = (p: Principal | undefined, configured: string[], g: GisementRow) => ({
  modifier: modifiable(p, configured, g),
  portage: portageModifiable(p, configured, g),
  supprimer: modifiable(p, configured, g),
});

export async function loadVisible(db: Executor, p: Principal | undefined, configured: string[], id: string): Promise<GisementRow> {
  return gisementPolicy.visibleOr404(await loadRow(db, id), p, configured);
}

export async function getGisement(db: Executor, p: Principal | undefined, configured: string[], id: string) {
  const g = await loadVisible(db, p, configured, id);
  return presentGisement(g, policiesFor(p, configured, g));
}

export function mapFeatures(db: Executor, p: Principal | undefined, configured: string[], f: GisementFilters, limit: number) {
  return featureCollection(db, gisementPolicy.where('read', p, configured), f, limit);
}

/** Every gisement in scope matching the filters (list view, exports). */
export async function listGisements(db: Executor, p: Principal | undefined, configured: string[], f: GisementFilters, limit = 100_000) {
  const where = sql.join([gisementPolicy.where('read', p, configured), ...filtersSql(f)], sql` AND `);
  const r = await listRows(db, where, limit);
  return r.map((g) => presentGisement(g, policiesFor(p, configured, g)));
}

/**
 * Checks and places the geometry. A PostGIS parse error aborts the transaction it runs in: a
 * request's write answers the refusal at once (nothing else runs in that transaction); the importer,
 * which goes on after a bad feature, checks outside its transaction (geometrie.ts).
 */
export async function placer(db: Executor, configured: string[], geometrie: unknown, commune?: string, srid = SRID_WGS84): Promise<Placement> {
  const a = await analyser(db, fromGeoJson(geometrie, srid), configured, commune);
  if (!a.ok) throw new RegleMetier(`geometrie : ${a.message}`, { champ: 'geometrie' });
  return a.placement;
}

/** The new placement of a gisement whose geometry or commune a change gives (else none: it stays). */
export async function replacer(db: Executor, configured: string[], before: GisementRow, input: GisementUpdate): Promise<Placement | undefined> {
  if (!input.geometrie && !input.commune) return undefined;
  return placer(db, configured, input.geometrie ?? JSON.parse(before.geojson), input.commune);
}

function columnsOf(input: GisementUpdate): Partial<Insert> {
  const out: Partial<Insert> = {};
  const set = <K extends keyof Insert>(k: K, v: Insert[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('nom', input.nom);
  set('identifiant', input.identifiant);
  set('referencesCadastrales', input.references_cadastrales);
  set('usageActuel', input.usage_actuel);
  set('proprietaire', input.proprietaire);
  set('capaciteLogements', input.capacite_logements);
  set('capaciteLls', input.capacite_lls);
  set('outils', input.outils ? [...new Set(input.outils)] : undefined);
  set('tauxSms', input.taux_sms);
  set('contraintes', input.contraintes ? [...new Set(input.contraintes)] : undefined);
  set('epfConvention', input.epf_convention);
  set('epfDateAcquisition', input.epf_date_acquisition);
  set('epfDateReventePrevue', input.epf_date_revente_prevue);
  set('epfPrix', input.epf_prix);
  set('statut', input.statut);
  set('operationId', input.operation_id);
  set('visibilite', input.visibilite);
  set('organisations', input.organisations ? [...new Set(input.organisations)] : undefined);
  set('source', input.source);
  set('commentaire', input.commentaire);
  return out;
}

async function checkLinks(db: Executor, input: GisementUpdate, departement: string) {
  if (input.operation_id && (await operationDepartement(db, input.operation_id)) !== departement) {
    throw new ReferenceInconnue(`operation_id : aucune opération « ${input.operation_id} » dans ce département.`, { champ: 'operation_id' });
  }
  if (input.organisations?.length) {
    const known = await organisationsConnues(db, input.organisations);
    const missing = input.organisations.filter((o) => !known.has(o));
    if (missing.length) throw new ReferenceInconnue(`organisations : organisation inconnue (${missing.join(', ')}).`, { champ: 'organisations' });
  }
  if (input.identifiant && (await identifiantPris(db, input.identifiant))) {
    throw new Conflit(`identifiant : « ${input.identifiant} » est déjà celui d’un autre gisement.`, { champ: 'identifiant' });
  }
}

function checkTerritoire(ctx: Ctx, pl: Placement) {
  if (ctx.principal && !modifiable(ctx.principal, ctx.configured, { departement: pl.departement, epci_siren: pl.epciSiren, commune_insee: pl.communeInsee })) {
    throw new RegleMetier(`geometrie : le gisement est sur la commune ${pl.communeInsee}, hors de votre territoire.`, { champ: 'geometrie' });
  }
}

export async function createGisement(tx: Executor, ctx: Ctx, input: GisementCreate, pl: Placement, opts: { demo?: boolean } = {}): Promise<string> {
  checkTerritoire(ctx, pl);
  await checkLinks(tx, input, pl.departement);
  const statut = input.statut ?? STATUT_INITIAL;
  const id = await insertGisement(tx, { nom: input.nom, statut, ...columnsOf(input), ...geomColumns(pl), demo: opts.demo ?? false } as Insert);
  const after = await loadRow(tx, id);
  await recordAudit(tx, ctx.actor, { action: 'create', entityType: 'gisement', entityId: id, departement: pl.departement, after: { ...after, geojson: undefined } }, ctx.requestId);
  return id;
}

export async function updateGisement(tx: Executor, ctx: Ctx, before: GisementRow, input: GisementUpdate, pl?: Placement): Promise<void> {
  const p = ctx.principal;
  const keys = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  if (p && !modifiable(p, ctx.configured, before)) {
    if (!portageModifiable(p, ctx.configured, before)) throw forbidden('Vous ne pouvez pas modifier ce gisement.');
    const autres = keys.filter((k) => !(CHAMPS_PORTAGE as readonly string[]).includes(k));
    if (autres.length) throw forbidden(`L’EPF ne modifie que les données de portage (${CHAMPS_PORTAGE.join(', ')}) ; champs refusés : ${autres.join(', ')}.`);
  }
  if (pl) checkTerritoire(ctx, pl);
  if (input.statut && !ctx.transitionLibre && !transitionAutorisee(before.statut, input.statut)) {
    const de = STATUT_PAR_CODE.get(before.statut);
    const possibles = de?.suivants.map((s) => `« ${STATUT_PAR_CODE.get(s)?.libelle} »`).join(', ') || 'aucun (statut final)';
    throw new TransitionInterdite(`statut : passage de « ${de?.libelle ?? before.statut} » à « ${STATUT_PAR_CODE.get(input.statut)?.libelle} » non autorisé ; statuts possibles : ${possibles}.`, { champ: 'statut' });
  }
  const capTotal = input.capacite_logements !== undefined ? input.capacite_logements : before.capacite_logements;
  const capLls = input.capacite_lls !== undefined ? input.capacite_lls : before.capacite_lls;
  if (capTotal != null && capLls != null && capLls > capTotal) throw new RegleMetier('capacite_lls : la capacité en logements sociaux dépasse la capacité totale.', { champ: 'capacite_lls' });
  await checkLinks(tx, { ...input, identifiant: input.identifiant && input.identifiant !== before.identifiant ? input.identifiant : undefined }, pl?.departement ?? before.departement);
  const cols = { ...columnsOf(input), ...(pl ? geomColumns(pl) : {}) };
  if (Object.keys(cols).length === 0) return;
  await updateGisementRow(tx, before.id, cols);
  const after = await loadRow(tx, before.id);
  await recordAudit(tx, ctx.actor, { action: 'update', entityType: 'gisement', entityId: before.id, departement: after!.departement, before: { ...before, geojson: undefined }, after: { ...after, geojson: undefined } }, ctx.requestId);
}

export async function deleteGisement(tx: Executor, ctx: Ctx, before: GisementRow): Promise<void> {
  if (ctx.principal && !modifiable(ctx.principal, ctx.configured, before)) throw forbidden('Vous ne pouvez pas supprimer ce gisement.');
  await deleteGisementRow(tx, before.id);
  await recordAudit(tx, ctx.actor, { action: 'delete', entityType: 'gisement', entityId: before.id, departement: before.departement, before: { ...before, geojson: before.geojson } }, ctx.requestId);
}
