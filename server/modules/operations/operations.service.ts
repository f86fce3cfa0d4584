/**
 * Rules of the operations register: placement (commune → EPCI, département), scope, stages as data
 * (shared/operations/etapes.ts), blockers, timeline and audit.
 */
import type { operations } from '../../../db/schema.js';
import { etape, ETAPE_PAR_CODE, transitionAutorisee, type ChampOperation } from '../../../shared/operations/etapes.js';
import type { OperationCreate, OperationUpdate } from '../../../shared/operations/operation.schema.js';
import { PRODUIT_KEYS, TYPES_BLOCAGE, type TypeBlocage } from '../../../shared/operations/referentiel.js';
import type { Executor } from '../../db/client.js';
import { recordAudit, recordAuditMany } from '../../lib/audit.js';
import { ChampVerrouille, forbidden, notFound, ReferenceInconnue, RegleMetier, TransitionInterdite } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { operationPolicy } from './operations.policy.js';
import type { CoalescedRead } from '../../lib/coalesced-read.js';
import type { VersionedCache } from '../../lib/versioned-cache.js';
import { gisementPolicy } from '../foncier/gisements.policy.js';
import { STATUT_PAR_CODE } from '../../../shared/foncier/referentiel.js';
import {
  blocagesOf,
  evenementsOf,
  filteredScope,
  findBlocage,
  findCommune,
  findOperation,
  gisementsOfOperation,
  insertBlocage,
  insertEvenements,
  insertOperationRows,
  operationsWhere,
  organisationType,
  pointSql,
  presentBlocage,
  presentOperation,
  summaryPage,
  updateBlocageRow,
  updateOperationRow,
  type OperationFilters,
  type OperationRow,
} from './operations.repository.js';

export { registreVersion } from './operations.repository.js';

type OpInsert = typeof operations.$inferInsert;

export const actorLabel = (actor: Actor) => (actor.kind === 'user' ? actor.principal.email : actor.label);

const policiesFor = (p: Principal, configured: string[], o: OperationRow) => ({
  modifier: operationPolicy.allows('edit', p, o, configured),
});

/** What the listing may reuse: answers by version, and a coalesced read of the current version. */
export interface ListingCache {
  answers: VersionedCache;
  version: CoalescedRead<string>;
}

/**
 * One page of operation summaries, as the JSON text of `{count, page, limit, results}` (see
 * `summaryPageSql`: the database builds it, the route sends it as is). With a cache, an answer is
 * reused while the register's version and the date are those it was read with (see
 * VersionedCache); the version is read in the same statement as the page, so they always agree.
 */
export async function listOperationsJson(
  db: Executor,
  p: Principal,
  configured: string[],
  f: OperationFilters,
  page: number,
  limit: number,
  cache?: ListingCache,
): Promise<string> {
  const compute = async () => {
    const where = filteredScope(operationPolicy.where('read', p, configured), f);
    const r = await summaryPage(db, where, limit, (page - 1) * limit);
    return { version: r?.version ?? '', body: `{"count":${r?.count ?? 0},"page":${page},"limit":${limit},"results":${r?.results ?? '[]'}}` };
  };
  if (!cache?.answers.enabled) return (await compute()).body;
  const key = JSON.stringify([p.role, p.departement, p.epciSiren, p.communeInsee, p.organisationId, p.role === 'admin' ? configured : null, f, page, limit]);
  return cache.answers.getOrCompute(key, await cache.version.get(), compute);
}

/** Every operation matching the filters in scope (exports). */
export async function allOperations(db: Executor, p: Principal, configured: string[], f: OperationFilters) {
  const r = await operationsWhere(db, filteredScope(operationPolicy.where('read', p, configured), f));
  const open = await blocagesOf(db, r.map((o) => o.id), true);
  return r.map((o) => presentOperation(o, open.get(o.id) ?? [], policiesFor(p, configured, o)));
}

/** The operation if it is in the principal's scope; otherwise it does not exist for them (404). */
export async function loadVisible(db: Executor, p: Principal, configured: string[], id: string): Promise<OperationRow> {
  return operationPolicy.visibleOr404(await findOperation(db, id), p, configured);
}

/** The operation if the principal may edit it (its scope and the write permission). */
export async function loadEditable(db: Executor, p: Principal, configured: string[], id: string): Promise<OperationRow> {
  const o = await loadVisible(db, p, configured, id);
  if (!operationPolicy.allows('edit', p, o, configured)) throw forbidden('Vous ne pouvez pas modifier cette opération.');
  return o;
}

export async function getOperation(db: Executor, p: Principal, id: string, configured: string[]) {
  const o = await loadVisible(db, p, configured, id);
  const all = await blocagesOf(db, [o.id], false);
  // The land it stands on (the land observatory), as far as the principal may see the gisements.
  const gisements = await gisementsOfOperation(db, o.id, gisementPolicy.where('read', p, configured));
  return {
    ...presentOperation(o, all.get(o.id) ?? [], policiesFor(p, configured, o)),
    gisements: gisements.map((g) => ({ ...g, statut_libelle: STATUT_PAR_CODE.get(g.statut)?.libelle ?? g.statut })),
  };
}

/** Lookups an import repeats for every row: kept for the duration of one write context. */
export interface LookupCache {
  communes: Map<string, { communeInsee: string; epciSiren: string | null; departement: string }>;
  bailleurs: Set<string>;
}
export const newLookupCache = (): LookupCache => ({ communes: new Map(), bailleurs: new Set() });

/** Derives the EPCI and département from the commune; the commune must be served here. */
async function placeCommune(db: Executor, configured: string[], code: string, cache?: LookupCache) {
  const hit = cache?.communes.get(code);
  if (hit) return hit;
  const c = await findCommune(db, code);
  if (!c || !configured.includes(c.departement)) {
    throw new ReferenceInconnue(`commune_insee : aucune commune de code « ${code} » dans les départements servis.`, { champ: 'commune_insee' });
  }
  const place = { communeInsee: c.codeInsee, epciSiren: c.epciSiren, departement: c.departement };
  cache?.communes.set(code, place);
  return place;
}

async function checkBailleur(db: Executor, id: string, cache?: LookupCache) {
  if (cache?.bailleurs.has(id)) return;
  if ((await organisationType(db, id)) !== 'bailleur') throw new ReferenceInconnue(`bailleur_id : aucun bailleur « ${id} ».`, { champ: 'bailleur_id' });
  cache?.bailleurs.add(id);
}

/** API fields → columns, for the fields present in the input. */
function columnsOf(input: OperationUpdate): Partial<OpInsert> {
  const out: Partial<OpInsert> = {};
  const set = <K extends keyof OpInsert>(k: K, v: OpInsert[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('nom', input.nom);
  set('adresse', input.adresse);
  set('numeroSiap', input.numero_siap);
  set('type', input.type);
  set('anneeProgrammation', input.annee_programmation);
  set('motifAbandon', input.motif_abandon);
  set('coutTotal', input.cout_total);
  set('planFinancement', input.plan_financement);
  set('contactRiverains', input.contact_riverains);
  set('dateFoncierMaitrise', input.date_foncier_maitrise);
  set('dateDepotPermis', input.date_depot_permis);
  set('dateObtentionPermis', input.date_obtention_permis);
  set('dateRecours', input.date_recours);
  set('dateAgrement', input.date_agrement);
  set('dateAppelOffres', input.date_appel_offres);
  set('dateOrdreService', input.date_ordre_service);
  set('dateLivraison', input.date_livraison);
  set('dateAgrementPrevue', input.date_agrement_prevue);
  set('dateOrdreServicePrevue', input.date_ordre_service_prevue);
  set('dateLivraisonPrevue', input.date_livraison_prevue);
  if (input.logements) {
    set('plai', input.logements.plai);
    set('plaiAdapte', input.logements.plai_adapte);
    set('plus', input.logements.plus);
    set('pls', input.logements.pls);
    set('psla', input.logements.psla);
    set('brs', input.logements.brs);
  }
  return out;
}

/** The operation's fields as stage rules name them, from a row merged with an input. */
function champsDe(o: Partial<OperationRow>, input: OperationUpdate): Record<ChampOperation, unknown> {
  const merged: Record<string, unknown> = { ...o };
  for (const [k, v] of Object.entries(input)) if (v !== undefined && k !== 'logements') merged[k] = v;
  const logements = PRODUIT_KEYS.reduce((sum, k) => sum + Number(input.logements?.[k] ?? o[k] ?? 0), 0);
  return {
    ...(merged as Record<ChampOperation, unknown>),
    commune_insee: input.commune_insee ?? o.commune_insee,
    bailleur_id: input.bailleur_id ?? o.bailleur_id,
    logements: logements > 0 ? logements : null,
    localisation: input.localisation !== undefined ? input.localisation : o.lon != null ? { lon: o.lon, lat: o.lat } : null,
  };
}

const LIBELLES_CHAMPS: Partial<Record<ChampOperation, string>> = {
  nom: 'nom',
  commune_insee: 'commune',
  bailleur_id: 'bailleur',
  type: 'type',
  logements: 'nombre de logements (au moins un)',
  annee_programmation: 'année de programmation',
  motif_abandon: 'motif d’abandon',
};
const libelleChamp = (c: ChampOperation) => LIBELLES_CHAMPS[c] ?? c;

/**
 * Checks a change against the stage table: allowed transition (`TransitionInterdite`), fields
 * required by the target stage (`RegleMetier`), fields locked by the current one
 * (`ChampVerrouille`); each names the stage and the fields.
 */
export function verifierEtape(before: OperationRow | undefined, input: OperationUpdate, opts: { transitionLibre?: boolean } = {}) {
  const cible = input.etape ?? before?.etape ?? 'projet';
  if (before && !opts.transitionLibre && !transitionAutorisee(before.etape, cible)) {
    const possibles = etape(before.etape).suivantes.map((c) => `« ${ETAPE_PAR_CODE.get(c)!.libelle} »`);
    throw new TransitionInterdite(
      `etape : passage de « ${etape(before.etape).libelle} » à « ${etape(cible).libelle} » non autorisé. ` +
        (possibles.length ? `Étapes possibles : ${possibles.join(', ')}.` : 'Cette étape est finale.'),
      { champ: 'etape' },
    );
  }
  const champs = champsDe(before ?? {}, input);
  const manquants = etape(cible).requis.filter((c) => champs[c] === null || champs[c] === undefined || champs[c] === '');
  if (manquants.length) {
    throw new RegleMetier(`etape « ${etape(cible).libelle} » : renseignez ${manquants.map(libelleChamp).join(', ')}.`, { champ: 'etape', manquants });
  }
  if (before) {
    const avant = champsDe(before, {});
    const verrouilles = etape(before.etape).verrouilles.filter((c) => {
      if (c === 'logements') return input.logements !== undefined && PRODUIT_KEYS.some((k) => input.logements?.[k] !== undefined && input.logements[k] !== before[k]);
      const v = (input as Record<string, unknown>)[c];
      return v !== undefined && String(v ?? '') !== String(avant[c] ?? '');
    });
    if (verrouilles.length) {
      throw new ChampVerrouille(
        `Champs verrouillés à l’étape « ${etape(before.etape).libelle} » : ${verrouilles.map(libelleChamp).join(', ')}.`,
        { champ: verrouilles[0], verrouilles },
      );
    }
  }
  return cible;
}

/** Appends to an operation's timeline (every module that changes an operation goes through here). */
export async function addEvent(db: Executor, operationId: string, actor: Actor, kind: string, resume: string, details?: unknown) {
  await insertEvenements(db, [{ operationId, actorLabel: actorLabel(actor), kind, resume, details: details ?? null }]);
}

export interface WriteContext {
  actor: Actor;
  principal?: Principal;
  configured: string[];
  requestId?: string;
  /** Imports may set any stage whose required fields are met (the SIAP knows better). */
  transitionLibre?: boolean;
  cache?: LookupCache;
}

/** Creates an operation in the caller's scope; returns its id and département. */
export async function createOperation(tx: Executor, ctx: WriteContext, input: OperationCreate): Promise<{ id: string; departement: string }> {
  const [created] = await insertOperations(tx, ctx, [await prepareCreation(tx, ctx, input)]);
  return created!;
}

/** An operation checked for creation (landlord, commune, scope, stage rules), ready to insert. */
export type PreparedCreation = OpInsert;

/** Checks an operation to create against the caller's scope and the stage rules (throws domain errors naming the field). */
export async function prepareCreation(tx: Executor, ctx: WriteContext, input: OperationCreate): Promise<PreparedCreation> {
  const p = ctx.principal;
  let bailleurId = input.bailleur_id;
  if (p?.role === 'bailleur') {
    if (bailleurId && bailleurId !== p.organisationId) {
      throw new ReferenceInconnue('bailleur_id : un bailleur ne déclare que ses propres opérations.', { champ: 'bailleur_id' });
    }
    bailleurId = p.organisationId ?? undefined;
  }
  if (!bailleurId) throw new RegleMetier('bailleur_id : indiquez le bailleur de l’opération.', { champ: 'bailleur_id' });
  await checkBailleur(tx, bailleurId, ctx.cache);
  const place = await placeCommune(tx, ctx.configured, input.commune_insee, ctx.cache);
  if (p && !operationPolicy.allows('edit', p, { departement: place.departement, epci_siren: place.epciSiren, commune_insee: place.communeInsee, bailleur_id: bailleurId }, ctx.configured)) {
    throw new ReferenceInconnue(`commune_insee : la commune ${input.commune_insee} est hors de votre périmètre.`, { champ: 'commune_insee' });
  }
  const cible = verifierEtape(undefined, { ...input, bailleur_id: bailleurId });
  return {
    ...columnsOf(input),
    nom: input.nom,
    type: input.type,
    ...place,
    bailleurId,
    etape: cible,
    localisation: input.localisation ? pointSql(input.localisation) : null,
  } as OpInsert;
}

/**
 * Inserts prepared operations in one statement, with their "creation" timeline events and audit
 * entries (one per operation) in one statement each: imports create thousands at a time.
 */
export async function insertOperations(tx: Executor, ctx: WriteContext, prepared: PreparedCreation[]): Promise<{ id: string; departement: string }[]> {
  if (prepared.length === 0) return [];
  const created = await insertOperationRows(tx, prepared);
  await insertEvenements(
    tx,
    created.map((c) => ({ operationId: c.id, actorLabel: actorLabel(ctx.actor), kind: 'creation', resume: `Opération créée à l’étape « ${etape(c.etape).libelle} »`, details: null })),
  );
  await recordAuditMany(
    tx,
    ctx.actor,
    created.map((c) => ({ action: 'creation', entityType: 'operation', entityId: c.id, departement: c.departement, after: c })),
    ctx.requestId,
  );
  return created.map((c) => ({ id: c.id, departement: c.departement }));
}

/** Updates an operation in scope, applying the stage rules. */
export async function updateOperation(tx: Executor, ctx: WriteContext, before: OperationRow, input: OperationUpdate) {
  const p = ctx.principal;
  const changes: Partial<OpInsert> = columnsOf(input);
  if (input.commune_insee && input.commune_insee !== before.commune_insee) {
    Object.assign(changes, await placeCommune(tx, ctx.configured, input.commune_insee, ctx.cache));
  }
  const changementBailleur = Boolean(input.bailleur_id && input.bailleur_id !== before.bailleur_id);
  if (changementBailleur) {
    if (p?.role === 'bailleur') throw new ChampVerrouille('bailleur_id : un bailleur ne transfère pas ses opérations.', { champ: 'bailleur_id' });
    // Handing an operation to another landlord moves its documents, financing plan and consultation
    // to that landlord: a decision of the State (issue 19). A field-level rule on a record the caller
    // may otherwise edit, hence a locked field naming it (422, like the landlord's rule above, and so
    // that an import reports it on its row and column) rather than a 403 on the whole request.
    if (p && p.role !== 'agent_etat' && p.role !== 'admin') {
      throw new ChampVerrouille('bailleur_id : seuls l’État et un administrateur peuvent confier l’opération à un autre bailleur.', { champ: 'bailleur_id' });
    }
    await checkBailleur(tx, input.bailleur_id!, ctx.cache);
    changes.bailleurId = input.bailleur_id;
  }
  const placement = { departement: changes.departement ?? before.departement, epci_siren: changes.epciSiren ?? before.epci_siren, commune_insee: changes.communeInsee ?? before.commune_insee, bailleur_id: changes.bailleurId ?? before.bailleur_id };
  if (p && !operationPolicy.allows('edit', p, placement, ctx.configured)) {
    throw new ReferenceInconnue('commune_insee : ce changement placerait l’opération hors de votre périmètre.', { champ: 'commune_insee' });
  }
  const cible = verifierEtape(before, input, { transitionLibre: ctx.transitionLibre });
  changes.etape = cible;
  if (before.etape === 'abandonnee' && cible !== 'abandonnee') changes.motifAbandon = null;
  if (input.localisation !== undefined) {
    (changes as Record<string, unknown>).localisation = input.localisation
      ? pointSql(input.localisation)
      : null;
  }
  const avant = champsDe(before, {}) as Record<string, unknown>;
  const modifies = Object.entries(input)
    .filter(([k, v]) => {
      if (v === undefined) return false;
      if (k === 'logements') return PRODUIT_KEYS.some((p) => (v as Record<string, number | undefined>)[p] !== undefined && (v as Record<string, number>)[p] !== before[p]);
      if (k === 'localisation' || k === 'plan_financement') return JSON.stringify(v) !== JSON.stringify(avant[k] ?? null);
      if (typeof v === 'number') return avant[k] === null || avant[k] === undefined || Number(avant[k]) !== v;
      return v !== undefined && String(v ?? '') !== String(avant[k] ?? '');
    })
    .map(([k]) => k);
  // Nothing changes (a re-import of the same file): nothing is written, nothing to record.
  if (modifies.length === 0 && cible === before.etape) return { id: before.id, departement: before.departement };
  const after = await updateOperationRow(tx, before.id, changes);

  if (cible !== before.etape) {
    await addEvent(tx, before.id, ctx.actor, 'etape', `Étape : « ${etape(before.etape).libelle} » → « ${etape(cible).libelle} »`, { de: before.etape, vers: cible, motif: input.motif_abandon });
  }
  const autres = modifies.filter((k) => k !== 'etape');
  if (autres.length) await addEvent(tx, before.id, ctx.actor, 'modification', `Modifié : ${autres.join(', ')}`, { champs: autres });
  await recordAudit(tx, ctx.actor, { action: 'modification', entityType: 'operation', entityId: before.id, departement: after.departement, before, after }, ctx.requestId);
  if (changementBailleur) {
    await recordAudit(tx, ctx.actor, { action: 'changement_bailleur', entityType: 'operation', entityId: before.id, departement: after.departement, before: { bailleur_id: before.bailleur_id }, after: { bailleur_id: after.bailleurId } }, ctx.requestId);
  }
  return { id: after.id, departement: after.departement };
}

const today = () => new Date().toISOString().slice(0, 10);

/** Declares a blocker on an operation the caller sees (loaded through the policy). */
export async function declareBlocage(
  tx: Executor,
  ctx: WriteContext,
  o: OperationRow,
  input: { type: string; description: string; depuis?: string; acteur_attendu?: string | null },
) {
  const depuis = input.depuis ?? today();
  if (depuis > today()) throw new RegleMetier(`depuis : la date ${depuis} est dans le futur.`, { champ: 'depuis' });
  const b = await insertBlocage(tx, { operationId: o.id, type: input.type, description: input.description, depuis, acteurAttendu: input.acteur_attendu ?? null, statut: 'ouvert' });
  await addEvent(tx, o.id, ctx.actor, 'blocage_ouvert', `Blocage déclaré : ${TYPES_BLOCAGE[input.type as TypeBlocage]}`, { blocage_id: b.row.id });
  await recordAudit(tx, ctx.actor, { action: 'creation', entityType: 'blocage', entityId: b.row.id, departement: o.departement, after: b.stored }, ctx.requestId);
  return presentBlocage(b.row);
}

/** Updates or lifts a blocker of an operation the caller sees. */
export async function updateBlocage(
  tx: Executor,
  ctx: WriteContext,
  o: OperationRow,
  blocageId: string,
  input: { description?: string; acteur_attendu?: string | null; statut?: string; leve_le?: string },
) {
  const before = await findBlocage(tx, o.id, blocageId);
  if (!before) throw notFound('Blocage introuvable.');
  const leve = input.statut === 'leve';
  const leveLe = leve ? (input.leve_le ?? today()) : input.statut ? null : before.leveLe;
  if (leveLe && leveLe < before.depuis) throw new RegleMetier(`leve_le : le ${leveLe} précède le début du blocage (${before.depuis}).`, { champ: 'leve_le' });
  const after = await updateBlocageRow(tx, before, {
    ...(input.description !== undefined && { description: input.description }),
    ...(input.acteur_attendu !== undefined && { acteurAttendu: input.acteur_attendu }),
    ...(input.statut !== undefined && { statut: input.statut }),
    leveLe,
  });
  const kind = leve && before.statut !== 'leve' ? 'blocage_leve' : 'blocage_modifie';
  await addEvent(tx, o.id, ctx.actor, kind, `${kind === 'blocage_leve' ? 'Blocage levé' : 'Blocage mis à jour'} : ${TYPES_BLOCAGE[before.type as TypeBlocage]}`, { blocage_id: before.id });
  await recordAudit(tx, ctx.actor, { action: 'modification', entityType: 'blocage', entityId: before.id, departement: o.departement, before, after: after.stored }, ctx.requestId);
  return presentBlocage(after.row);
}

/** The operation's timeline, newest first. */
export async function timeline(db: Executor, o: OperationRow) {
  const r = await evenementsOf(db, o.id);
  return r.map((e) => ({ id: e.id, at: e.at.toISOString(), auteur: e.actorLabel, type: e.kind, resume: e.resume, details: e.details }));
}
