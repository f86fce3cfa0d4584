/**
 * Project reviews per EPCI (seed 000, AXE 1, solution 1): the DDTM schedules and chairs; the agenda
 * is built from the EPCI's operations in difficulty and those with open actions; the EPCI adds
 * operations; each item gets a record (situation, decisions, actions with owner and due date) and
 * may be escalated to an arbitration by the préfet.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { epci, operations, revueActions, revueParticipants, revuePoints, revues } from '../../../db/schema.js';
import { can } from '../../../shared/roles.js';
import type { Config } from '../../config.js';
import { rows, textArray, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { Doublon, HttpError, notFound, ReferenceInconnue, RegleMetier, TransitionInterdite } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { epciRevuePolicy, revuePolicy } from './revues.policy.js';
import { enqueueEmail } from '../mail/outbox.js';
import { EN_DIFFICULTE_SQL } from '../operations/operations.repository.js';
import { addEvent } from '../operations/operations.service.js';

type RevueRow = typeof revues.$inferSelect;
type PointRow = typeof revuePoints.$inferSelect;
type ActionRow = typeof revueActions.$inferSelect;

const userActor = (p: Principal): Actor => ({ kind: 'user', principal: p });
/** The review if the principal may read it (revues.policy.ts); otherwise 404. */
export async function loadRevue(db: Executor, p: Principal, configured: string[], id: string): Promise<RevueRow> {
  const [r] = await rows<{ id: string; epci_siren: string; departement: string; date: string | Date; lieu: string | null; statut: string; created_at: string | Date; communes_operations: string[]; bailleurs_operations: string[] }>(
    db,
    sql`SELECT r.id, r.epci_siren, r.departement, r.date, r.lieu, r.statut, r.created_at, ${revuePolicy.columns} FROM revues r WHERE r.id = ${id}::uuid`,
  );
  const v = revuePolicy.visibleOr404(r, p, configured);
  return { id: v.id, epciSiren: v.epci_siren, departement: v.departement, date: new Date(v.date), lieu: v.lieu, statut: v.statut, createdAt: new Date(v.created_at) };
}

async function loadPoint(db: Executor, revue: RevueRow, pointId: string): Promise<PointRow> {
  const [pt] = await db.select().from(revuePoints).where(and(eq(revuePoints.id, pointId), eq(revuePoints.revueId, revue.id)));
  if (!pt) throw notFound('Point de l’ordre du jour introuvable.');
  return pt;
}


/** Operations of the EPCI in difficulty or with open actions, not yet on the agenda. */
async function agendaCandidates(db: Executor, revue: RevueRow): Promise<{ id: string; origine: string }[]> {
  return rows<{ id: string; origine: string }>(
    db,
    sql`SELECT o.id, CASE WHEN ${EN_DIFFICULTE_SQL} THEN 'en_difficulte' ELSE 'actions_en_cours' END AS origine
        FROM operations o
        WHERE o.epci_siren = ${revue.epciSiren}
          AND (${EN_DIFFICULTE_SQL} OR EXISTS (SELECT 1 FROM revue_actions a WHERE a.operation_id = o.id AND a.statut = 'ouverte'))
          AND NOT EXISTS (SELECT 1 FROM revue_points rp WHERE rp.revue_id = ${revue.id}::uuid AND rp.operation_id = o.id)
        ORDER BY o.commune_insee, o.nom`,
  );
}

async function appendPoints(db: Executor, revue: RevueRow, items: { id: string; origine: string }[]) {
  if (items.length === 0) return 0;
  const [{ max } = { max: 0 }] = await rows<{ max: number }>(db, sql`SELECT COALESCE(max(ordre), 0)::int AS max FROM revue_points WHERE revue_id = ${revue.id}::uuid`);
  await db.insert(revuePoints).values(items.map((it, i) => ({ revueId: revue.id, operationId: it.id, origine: it.origine, ordre: max + i + 1 })));
  return items.length;
}

export function invitationIcs(revue: RevueRow, epciNom: string, config: Config): string {
  const cal = ical({ name: 'Atelier — revues de projet', prodId: { company: 'Atelier', product: 'revues-de-projet', language: 'FR' } });
  cal.method(ICalCalendarMethod.REQUEST);
  cal.createEvent({
    id: `revue-${revue.id}@atelier`,
    start: revue.date,
    end: new Date(revue.date.getTime() + 2 * 3600_000),
    summary: `Revue de projet logement social — ${epciNom}`,
    description: `Ordre du jour et compte rendu : ${config.publicUrl}/revues/${revue.id}`,
    location: revue.lieu ?? undefined,
    url: `${config.publicUrl}/revues/${revue.id}`,
  });
  return cal.toString();
}

async function invite(db: Executor, revue: RevueRow, epciNom: string, config: Config, participants: { email: string; nom?: string; organisation?: string }[]) {
  const ics = invitationIcs(revue, epciNom, config);
  const quand = revue.date.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });
  for (const pt of participants) {
    await db
      .insert(revueParticipants)
      .values({ revueId: revue.id, email: pt.email, nom: pt.nom ?? null, organisation: pt.organisation ?? null, inviteLe: new Date() })
      .onConflictDoUpdate({ target: [revueParticipants.revueId, revueParticipants.email], set: { inviteLe: new Date() } });
    await enqueueEmail(db, {
      destinataire: pt.email,
      sujet: `Invitation : revue de projet logement social — ${epciNom}, ${quand}`,
      texte:
        `Bonjour${pt.nom ? ` ${pt.nom}` : ''},\n\nVous êtes invité(e) à la revue de projet des opérations de logement social de ${epciNom}, ` +
        `le ${quand}${revue.lieu ? `, ${revue.lieu}` : ''}.\n\nL’ordre du jour est consultable dans Atelier : ${config.publicUrl}/revues/${revue.id}\n\n` +
        `— Atelier, la plateforme des acteurs du logement social`,
      ics,
    });
  }
}

type Participant = { email: string; nom?: string; organisation?: string };

export async function scheduleRevue(tx: Executor, config: Config, p: Principal, input: { epci_siren: string; date: string; lieu?: string; participants: Participant[] }, requestId?: string) {
  const [revue] = await scheduleCycle(tx, config, p, { ...input, dates: [input.date] }, requestId);
  return revue!;
}

/**
 * Plans one or several reviews of an EPCI in one step (the roadmap's rhythm is three a year), in
 * one transaction: the earliest gets its agenda now, the later ones when they are refreshed closer
 * to their date (so that they carry what is in difficulty then); participants get an invitation
 * to each.
 */
export async function scheduleCycle(tx: Executor, config: Config, p: Principal, input: { epci_siren: string; dates: string[]; lieu?: string; participants: Participant[] }, requestId?: string) {
  const dates = input.dates.map((d) => new Date(d)).sort((a, b) => a.getTime() - b.getTime());
  dates.forEach((d, i) => {
    if (i > 0 && d.getTime() === dates[i - 1]!.getTime()) throw new RegleMetier(`dates : la date ${input.dates[i]} est donnée deux fois.`, { champ: 'dates' });
  });
  const [e] = await rows<{ siren: string; nom: string; departement: string }>(
    tx,
    sql`SELECT e.siren, e.nom, min(c.departement) AS departement FROM epci e JOIN communes c ON c.epci_siren = e.siren
        WHERE e.siren = ${input.epci_siren} AND ${epciRevuePolicy.where('plan', p, config.departements)}
        GROUP BY e.siren, e.nom`,
  );
  if (!e) throw new ReferenceInconnue(`epci_siren : aucun EPCI « ${input.epci_siren} » dans votre périmètre.`, { champ: 'epci_siren' });
  const created: RevueRow[] = [];
  for (const [i, date] of dates.entries()) {
    const [revue] = await tx.insert(revues).values({ epciSiren: e.siren, departement: e.departement, date, lieu: input.lieu ?? null }).returning();
    const added = i === 0 ? await appendPoints(tx, revue!, await agendaCandidates(tx, revue!)) : [];
    await invite(tx, revue!, e.nom, config, input.participants);
    await recordAudit(tx, userActor(p), { action: 'creation', entityType: 'revue', entityId: revue!.id, departement: e.departement, after: { ...revue, points: added, participants: input.participants.map((x) => x.email) } }, requestId);
    created.push(revue!);
  }
  return created;
}

export async function refreshAgenda(tx: Executor, p: Principal, revue: RevueRow, requestId?: string) {
  if (revue.statut !== 'planifiee') throw new TransitionInterdite('Cette revue n’est plus planifiée : son ordre du jour est figé.');
  const added = await appendPoints(tx, revue, await agendaCandidates(tx, revue));
  if (added) await recordAudit(tx, userActor(p), { action: 'actualisation_ordre_du_jour', entityType: 'revue', entityId: revue.id, departement: revue.departement, after: { points_ajoutes: added } }, requestId);
  return added;
}

export async function addPoint(tx: Executor, p: Principal, revue: RevueRow, operationId: string, requestId?: string) {
  if (revue.statut !== 'planifiee') throw new TransitionInterdite('Cette revue n’est plus planifiée : son ordre du jour est figé.');
  const [o] = await tx.select({ id: operations.id, epciSiren: operations.epciSiren, nom: operations.nom }).from(operations).where(eq(operations.id, operationId));
  if (!o || o.epciSiren !== revue.epciSiren) throw new ReferenceInconnue(`operation_id : aucune opération « ${operationId} » sur le territoire de cet EPCI.`, { champ: 'operation_id' });
  const [exists] = await tx.select({ id: revuePoints.id }).from(revuePoints).where(and(eq(revuePoints.revueId, revue.id), eq(revuePoints.operationId, o.id)));
  if (exists) throw new Doublon(`L’opération « ${o.nom} » est déjà à l’ordre du jour.`);
  await appendPoints(tx, revue, [{ id: o.id, origine: 'ajout' }]);
  await addEvent(tx, o.id, userActor(p), 'revue', `Inscrite à l’ordre du jour de la revue de projet du ${revue.date.toISOString().slice(0, 10)}`, { revue_id: revue.id });
  await recordAudit(tx, userActor(p), { action: 'ajout_ordre_du_jour', entityType: 'revue', entityId: revue.id, departement: revue.departement, after: { operation_id: o.id } }, requestId);
}

export async function updateRevue(tx: Executor, p: Principal, before: RevueRow, input: { date?: string; lieu?: string | null; statut?: string }, requestId?: string) {
  const [after] = await tx
    .update(revues)
    .set({ ...(input.date && { date: new Date(input.date) }), ...(input.lieu !== undefined && { lieu: input.lieu }), ...(input.statut && { statut: input.statut }) })
    .where(eq(revues.id, before.id))
    .returning();
  await recordAudit(tx, userActor(p), { action: 'modification', entityType: 'revue', entityId: before.id, departement: before.departement, before, after }, requestId);
  return after!;
}

export async function recordPoint(tx: Executor, p: Principal, revue: RevueRow, pointId: string, input: { situation?: string | null; decisions?: string | null }, requestId?: string) {
  const before = await loadPoint(tx, revue, pointId);
  const [after] = await tx
    .update(revuePoints)
    .set({ ...(input.situation !== undefined && { situation: input.situation }), ...(input.decisions !== undefined && { decisions: input.decisions }), updatedAt: new Date() })
    .where(eq(revuePoints.id, before.id))
    .returning();
  if (input.decisions && input.decisions !== before.decisions) {
    await addEvent(tx, before.operationId, userActor(p), 'revue_decision', `Décision en revue de projet : ${input.decisions.slice(0, 200)}`, { revue_id: revue.id });
  }
  await recordAudit(tx, userActor(p), { action: 'compte_rendu', entityType: 'revue_point', entityId: before.id, departement: revue.departement, before, after }, requestId);
}

export async function addAction(tx: Executor, p: Principal, revue: RevueRow, pointId: string, input: { libelle: string; responsable: string; echeance: string }, requestId?: string) {
  const point = await loadPoint(tx, revue, pointId);
  const [a] = await tx.insert(revueActions).values({ pointId: point.id, operationId: point.operationId, ...input }).returning();
  await addEvent(tx, point.operationId, userActor(p), 'revue_action', `Action décidée : ${input.libelle} (${input.responsable}, échéance ${input.echeance})`, { action_id: a!.id });
  await recordAudit(tx, userActor(p), { action: 'creation', entityType: 'revue_action', entityId: a!.id, departement: revue.departement, after: a }, requestId);
  return presentAction(a!);
}

type ActionFound = { action: ActionRow; revue: RevueRow };

/** An action with its review, through the review's scope (404 outside). */
export async function loadAction(db: Executor, p: Principal, configured: string[], actionId: string): Promise<ActionFound> {
  const [found] = await db
    .select({ action: revueActions, revueId: revuePoints.revueId })
    .from(revueActions)
    .innerJoin(revuePoints, eq(revuePoints.id, revueActions.pointId))
    .where(eq(revueActions.id, actionId));
  if (!found) throw notFound('Action introuvable.');
  // An action follows its review: outside the review's scope, it does not exist either.
  const revue = await loadRevue(db, p, configured, found.revueId).catch((err: unknown) => {
    throw err instanceof HttpError && err.statusCode === 404 ? notFound('Action introuvable.') : err;
  });
  return { action: found.action, revue };
}

export async function updateAction(tx: Executor, p: Principal, found: ActionFound, input: { statut?: string; close_le?: string; echeance?: string; responsable?: string }, requestId?: string) {
  const before = found.action;
  const closing = input.statut === 'close' && before.statut !== 'close';
  const closeLe = input.statut === 'close' ? (input.close_le ?? new Date().toISOString().slice(0, 10)) : input.statut === 'ouverte' ? null : before.closeLe;
  const [after] = await tx
    .update(revueActions)
    .set({ ...(input.statut && { statut: input.statut }), closeLe, ...(input.echeance && { echeance: input.echeance }), ...(input.responsable && { responsable: input.responsable }) })
    .where(eq(revueActions.id, before.id))
    .returning();
  if (closing) await addEvent(tx, before.operationId, userActor(p), 'revue_action_close', `Action close : ${before.libelle}`, { action_id: before.id });
  await recordAudit(tx, userActor(p), { action: 'modification', entityType: 'revue_action', entityId: before.id, departement: found.revue.departement, before, after }, requestId);
  return presentAction(after!);
}

export async function escalate(tx: Executor, p: Principal, revue: RevueRow, pointId: string, motif: string, requestId?: string) {
  const before = await loadPoint(tx, revue, pointId);
  if (before.escalade) throw new TransitionInterdite('Ce point est déjà soumis à l’arbitrage du préfet.');
  const [after] = await tx.update(revuePoints).set({ escalade: true, escaladeMotif: motif, escaladeLe: new Date(), updatedAt: new Date() }).where(eq(revuePoints.id, before.id)).returning();
  await addEvent(tx, before.operationId, userActor(p), 'escalade', `Soumis à l’arbitrage du préfet : ${motif.slice(0, 200)}`, { revue_id: revue.id });
  await recordAudit(tx, userActor(p), { action: 'escalade', entityType: 'revue_point', entityId: before.id, departement: revue.departement, before, after }, requestId);
}

export async function recordArbitrage(tx: Executor, p: Principal, revue: RevueRow, pointId: string, input: { decision: string; date: string }, requestId?: string) {
  const before = await loadPoint(tx, revue, pointId);
  if (!before.escalade) throw new TransitionInterdite('Ce point n’a pas été soumis à l’arbitrage du préfet.');
  const [after] = await tx.update(revuePoints).set({ arbitrage: input.decision, arbitrageLe: input.date, updatedAt: new Date() }).where(eq(revuePoints.id, before.id)).returning();
  await addEvent(tx, before.operationId, userActor(p), 'arbitrage', `Arbitrage du préfet (${input.date}) : ${input.decision.slice(0, 200)}`, { revue_id: revue.id });
  await recordAudit(tx, userActor(p), { action: 'arbitrage', entityType: 'revue_point', entityId: before.id, departement: revue.departement, before, after }, requestId);
}

export async function inviteParticipants(tx: Executor, config: Config, p: Principal, revue: RevueRow, participants: { email: string; nom?: string; organisation?: string }[], requestId?: string) {
  const [e] = await tx.select({ nom: epci.nom }).from(epci).where(eq(epci.siren, revue.epciSiren));
  await invite(tx, revue, e!.nom, config, participants);
  await recordAudit(tx, userActor(p), { action: 'invitation', entityType: 'revue', entityId: revue.id, departement: revue.departement, after: { participants: participants.map((x) => x.email) } }, requestId);
}

const presentAction = (a: ActionRow) => ({
  id: a.id,
  operation_id: a.operationId,
  libelle: a.libelle,
  responsable: a.responsable,
  echeance: a.echeance,
  statut: a.statut,
  close_le: a.closeLe,
  en_retard: a.statut === 'ouverte' && a.echeance < new Date().toISOString().slice(0, 10),
});

export async function listRevues(db: Executor, p: Principal, configured: string[], f: { epci?: string; annee?: number }) {
  const scope = revuePolicy.where('read', p, configured);
  const r = await rows<{ id: string; epci_siren: string; epci_nom: string; date: string | Date; lieu: string | null; statut: string; points: number; escalades: number }>(
    db,
    sql`SELECT r.id, r.epci_siren, e.nom AS epci_nom, r.date, r.lieu, r.statut,
               (SELECT count(*)::int FROM revue_points rp WHERE rp.revue_id = r.id) AS points,
               (SELECT count(*)::int FROM revue_points rp WHERE rp.revue_id = r.id AND rp.escalade) AS escalades
        FROM revues r JOIN epci e ON e.siren = r.epci_siren
        WHERE ${sql.join([scope, ...revuePolicy.filters({ epci: f.epci })], sql` AND `)}
              ${f.annee ? sql`AND extract(year FROM r.date AT TIME ZONE 'Europe/Paris') = ${f.annee}` : sql``}
        ORDER BY r.date DESC`,
  );
  return r.map((x) => ({ ...x, date: new Date(x.date).toISOString() }));
}

/** The review with its agenda: each operation, its open blockers, the record, the actions. */
export async function getRevue(db: Executor, p: Principal, configured: string[], id: string) {
  const revue = await loadRevue(db, p, configured, id);
  const [e] = await db.select({ nom: epci.nom }).from(epci).where(eq(epci.siren, revue.epciSiren));
  const points = await rows<{
    id: string; operation_id: string; origine: string; ordre: number; situation: string | null; decisions: string | null;
    escalade: boolean; escalade_motif: string | null; escalade_le: string | Date | null; arbitrage: string | null; arbitrage_le: string | null;
    operation_nom: string; commune_nom: string; bailleur_nom: string; etape: string; blocages: { type: string; description: string; depuis: string }[] | null;
  }>(
    db,
    sql`SELECT rp.id, rp.operation_id, rp.origine, rp.ordre, rp.situation, rp.decisions, rp.escalade, rp.escalade_motif, rp.escalade_le,
               rp.arbitrage, to_char(rp.arbitrage_le, 'YYYY-MM-DD') AS arbitrage_le,
               o.nom AS operation_nom, c.nom AS commune_nom, b.nom AS bailleur_nom, o.etape,
               (SELECT json_agg(json_build_object('type', bl.type, 'description', bl.description, 'depuis', to_char(bl.depuis, 'YYYY-MM-DD')) ORDER BY bl.depuis)
                  FROM blocages bl WHERE bl.operation_id = o.id AND bl.statut <> 'leve') AS blocages
        FROM revue_points rp JOIN operations o ON o.id = rp.operation_id
        JOIN communes c ON c.code_insee = o.commune_insee JOIN organisations b ON b.id = o.bailleur_id
        WHERE rp.revue_id = ${revue.id}::uuid ORDER BY rp.ordre`,
  );
  const operationIds = points.map((pt) => pt.operation_id);
  const actions = operationIds.length
    ? await db.select().from(revueActions).where(inArray(revueActions.operationId, operationIds)).orderBy(asc(revueActions.echeance))
    : [];
  const participants = await db.select().from(revueParticipants).where(eq(revueParticipants.revueId, revue.id)).orderBy(asc(revueParticipants.email));
  return {
    id: revue.id,
    epci: { siren: revue.epciSiren, nom: e?.nom ?? null },
    departement: revue.departement,
    date: revue.date.toISOString(),
    lieu: revue.lieu,
    statut: revue.statut,
    participants: participants.map((x) => ({ email: x.email, nom: x.nom, organisation: x.organisation, invite_le: x.inviteLe?.toISOString() ?? null })),
    points: points.map((pt) => ({
      id: pt.id,
      ordre: pt.ordre,
      origine: pt.origine,
      operation: { id: pt.operation_id, nom: pt.operation_nom, commune: pt.commune_nom, bailleur: pt.bailleur_nom, etape: pt.etape },
      blocages_ouverts: pt.blocages ?? [],
      situation: pt.situation,
      decisions: pt.decisions,
      escalade: pt.escalade ? { motif: pt.escalade_motif, le: pt.escalade_le ? new Date(pt.escalade_le).toISOString() : null, arbitrage: pt.arbitrage, arbitrage_le: pt.arbitrage_le } : null,
      // Actions on this operation: those decided at this review, and those still open from earlier ones.
      actions: actions.filter((a) => a.operationId === pt.operation_id && (a.pointId === pt.id || a.statut === 'ouverte')).map(presentAction),
    })),
    policies: {
      gerer: can(p.role, 'revues:manage'),
      contribuer: can(p.role, 'revues:contribute'),
    },
  };
}
