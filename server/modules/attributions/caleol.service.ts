/**
 * CALEOL calendars (seed 000, AXE 5, solution 11: « une bonne communication des calendriers des
 * CALEOL par les bailleurs faciliterait la participation effective des communes ou de leurs
 * référents »; phasing: « dès maintenant »). A landlord declares its sittings; each change is kept
 * (SEQUENCE and a list of changes) and a cancellation stays, marked cancelled, so that the subscribed
 * calendars update; the communes' referents are told by e-mail of a new or moved sitting; a commune
 * records who attended.
 */
import { sql } from 'drizzle-orm';
import { caleolPresences, caleolSeances } from '../../../db/schema.js';
import type { Reponse } from '../../../shared/contract.js';
import type { seanceSchema } from '../../../shared/attributions/caleol.contract.js';
import { PRESENCES, type Presence } from '../../../shared/attributions/referentiel.js';
import type { Config } from '../../config.js';
import { rows, textArray, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { forbidden, ReferenceInconnue, RegleMetier, TransitionInterdite } from '../../lib/errors.js';
import { principalDepartements } from '../../lib/policy.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { enqueueEmail } from '../mail/outbox.js';
import { seancePolicy } from './attributions.policy.js';
import { communesParCode, referentsDesCommunes, seanceParId, seancesOu, type SeanceRow } from './caleol.repository.js';

const userActor = (p: Principal): Actor => ({ kind: 'user', principal: p });
const DEUX_HEURES = 2 * 3600_000;

/** The sitting if the principal may read it (404 otherwise). */
export async function loadSeance(db: Executor, p: Principal, served: string[], id: string): Promise<SeanceRow> {
  return seancePolicy.visibleOr404(await seanceParId(db, id), p, served);
}

/** The sitting if the principal may edit it: its landlord (404 for anyone who does not see it). */
export async function loadSeanceModifiable(db: Executor, p: Principal, served: string[], id: string): Promise<SeanceRow> {
  const s = await loadSeance(db, p, served, id);
  if (!seancePolicy.allows('edit', p, s, served)) throw forbidden('Seul le bailleur qui tient cette commission modifie ses séances.');
  return s;
}

export function presenterSeance(s: SeanceRow, p: Principal, served: string[]): Reponse<typeof seanceSchema> {
  return {
    id: s.id,
    bailleur: { id: s.bailleur_id, nom: s.bailleur_nom },
    commission: s.commission,
    debut: new Date(s.debut).toISOString(),
    fin: new Date(s.fin).toISOString(),
    lieu: s.lieu,
    lien_visio: s.lien_visio,
    ordre_du_jour: s.ordre_du_jour,
    communes: s.communes_noms,
    statut: s.statut,
    motif_annulation: s.motif_annulation,
    sequence: s.sequence,
    modifications: s.modifications,
    presences: s.presences,
    policies: {
      modifier: s.statut !== 'annulee' && seancePolicy.allows('edit', p, s, served),
      presence: s.statut !== 'annulee' && seancePolicy.allows('presence', p, s, served),
    },
  };
}

/**
 * The départements where the principal declares: an administrator, every served one; a landlord,
 * its own (a landlord of the Gard does not publish sittings for the Hérault's communes).
 */
export function departementsDeclarables(p: Principal, served: string[]): string[] {
  const siens = principalDepartements(p);
  return p.role === 'admin' || siens.length === 0 ? served : served.filter((d) => siens.includes(d));
}

/** Communes of the served départements, with their EPCI and département (unknown codes refused, named). */
async function placer(db: Executor, served: string[], codes: string[]) {
  const uniques = [...new Set(codes)];
  const trouvees = await communesParCode(db, uniques);
  const connues = new Map(trouvees.filter((c) => served.includes(c.departement)).map((c) => [c.code_insee, c]));
  const inconnues = uniques.filter((c) => !connues.has(c));
  if (inconnues.length) throw new ReferenceInconnue(`communes : ${inconnues.map((c) => `« ${c} »`).join(', ')} ne ${inconnues.length > 1 ? 'sont' : 'est'} pas une commune de votre territoire.`, { champ: 'communes' });
  const list = uniques.map((c) => connues.get(c)!);
  return {
    communes: uniques,
    noms: list.map((c) => c.nom),
    epcis: [...new Set(list.map((c) => c.epci_siren).filter((e): e is string => e !== null))],
    departements: [...new Set(list.map((c) => c.departement))],
  };
}

/** The landlord organisation acting: the caller's own; an administrator names it. */
async function bailleurDe(db: Executor, p: Principal, bailleurId: string | undefined): Promise<string> {
  if (p.role === 'bailleur') {
    if (!p.organisationId) throw new RegleMetier('Votre compte n’est rattaché à aucun bailleur : demandez à un administrateur de le rattacher.');
    return p.organisationId;
  }
  if (!bailleurId) throw new RegleMetier('bailleur_id : indiquez le bailleur qui tient la commission.', { champ: 'bailleur_id' });
  const [o] = await rows<{ id: string }>(db, sql`SELECT id::text FROM organisations WHERE id = ${bailleurId}::uuid AND type = 'bailleur'`);
  if (!o) throw new ReferenceInconnue(`bailleur_id : aucun bailleur « ${bailleurId} ».`, { champ: 'bailleur_id' });
  return o.id;
}

const quand = (d: Date) => d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });

/** Tells the referents of these communes (outbox, sent after the commit by any instance). */
async function prevenir(db: Executor, config: Config, s: SeanceRow, communes: string[], objet: 'nouvelle' | 'deplacee' | 'annulee', avant?: Date) {
  const referents = await referentsDesCommunes(db, communes);
  const nomsParCode = new Map(s.communes_noms.map((c) => [c.code_insee, c.nom]));
  const debut = new Date(s.debut);
  const titre = { nouvelle: 'Nouvelle séance', deplacee: 'Séance modifiée', annulee: 'Séance annulée' }[objet];
  for (const r of referents) {
    const commune = nomsParCode.get(r.commune_insee) ?? r.commune_insee;
    await enqueueEmail(db, {
      destinataire: r.email,
      sujet: `${titre} de CALEOL — ${s.bailleur_nom}, ${quand(debut)}`,
      texte:
        `Bonjour,\n\n` +
        (objet === 'nouvelle'
          ? `${s.bailleur_nom} a programmé une séance de sa commission d’attribution (${s.commission}) qui concerne ${commune} :\n`
          : objet === 'deplacee'
            ? `${s.bailleur_nom} a modifié une séance de sa commission d’attribution (${s.commission}) qui concerne ${commune}${avant && avant.getTime() !== debut.getTime() ? ` (elle était prévue le ${quand(avant)})` : ''} :\n`
            : `${s.bailleur_nom} a annulé la séance de sa commission d’attribution (${s.commission}) qui concernait ${commune}${s.motif_annulation ? ` (motif : ${s.motif_annulation})` : ''} :\n`) +
        `\n  le ${quand(debut)}${s.lieu ? `\n  lieu : ${s.lieu}` : ''}${s.lien_visio ? `\n  visioconférence : ${s.lien_visio}` : ''}\n\n` +
        `Le calendrier des CALEOL de votre commune : ${config.publicUrl}/attributions/calendrier\n` +
        `(abonnez votre agenda à votre flux personnel pour recevoir les mises à jour automatiquement).\n\n` +
        `— Atelier, la plateforme des acteurs du logement social`,
    });
  }
  return referents.length;
}

export interface SeanceCreate {
  debut: string;
  fin?: string;
  commission?: string;
  lieu?: string;
  lien_visio?: string;
  communes: string[];
  ordre_du_jour?: string;
  bailleur_id?: string;
}

function verifierHoraires(debut: Date, fin: Date) {
  if (fin.getTime() <= debut.getTime()) throw new RegleMetier('fin : la séance doit finir après son début.', { champ: 'fin' });
  if (fin.getTime() - debut.getTime() > 24 * 3600_000) throw new RegleMetier('fin : une séance dure moins de 24 heures.', { champ: 'fin' });
}

export async function creerSeance(tx: Executor, config: Config, p: Principal, input: SeanceCreate, requestId?: string): Promise<SeanceRow> {
  const bailleurId = await bailleurDe(tx, p, input.bailleur_id);
  const lieu = await placer(tx, departementsDeclarables(p, config.departements), input.communes);
  const debut = new Date(input.debut);
  const fin = input.fin ? new Date(input.fin) : new Date(debut.getTime() + DEUX_HEURES);
  verifierHoraires(debut, fin);
  const [cree] = await tx
    .insert(caleolSeances)
    .values({
      bailleurId,
      commission: input.commission ?? 'CALEOL',
      debut,
      fin,
      lieu: input.lieu ?? null,
      lienVisio: input.lien_visio ?? null,
      ordreDuJour: input.ordre_du_jour ?? null,
      communes: lieu.communes,
      epcis: lieu.epcis,
      departements: lieu.departements,
    })
    .returning({ id: caleolSeances.id });
  const s = (await seanceParId(tx, cree!.id))!;
  await recordAudit(tx, userActor(p), { action: 'creation', entityType: 'caleol_seance', entityId: s.id, departement: lieu.departements[0], after: s }, requestId);
  await prevenir(tx, config, s, s.communes, 'nouvelle');
  return s;
}

export interface SeanceUpdate {
  debut?: string;
  fin?: string;
  commission?: string;
  lieu?: string | null;
  lien_visio?: string | null;
  communes?: string[];
  ordre_du_jour?: string | null;
}

const iso = (d: string | Date) => new Date(d).toISOString();

/** Applies a change; every changed field is kept in `modifications`, and SEQUENCE moves on. */
export async function modifierSeance(tx: Executor, config: Config, p: Principal, avant: SeanceRow, input: SeanceUpdate, requestId?: string): Promise<SeanceRow> {
  if (avant.statut === 'annulee') throw new TransitionInterdite('Cette séance est annulée : elle ne peut plus être modifiée.');
  const debut = input.debut ? new Date(input.debut) : new Date(avant.debut);
  // A moved start moves the end with it unless a new end is given.
  const fin = input.fin ? new Date(input.fin) : input.debut ? new Date(debut.getTime() + (new Date(avant.fin).getTime() - new Date(avant.debut).getTime())) : new Date(avant.fin);
  verifierHoraires(debut, fin);
  const lieu = input.communes ? await placer(tx, departementsDeclarables(p, config.departements), input.communes) : undefined;
  const champs: Record<string, { avant: unknown; apres: unknown }> = {};
  const noter = (k: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) champs[k] = { avant: a ?? null, apres: b ?? null };
  };
  noter('debut', iso(avant.debut), debut.toISOString());
  noter('fin', iso(avant.fin), fin.toISOString());
  if (input.commission !== undefined) noter('commission', avant.commission, input.commission);
  if (input.lieu !== undefined) noter('lieu', avant.lieu, input.lieu);
  if (input.lien_visio !== undefined) noter('lien_visio', avant.lien_visio, input.lien_visio);
  if (input.ordre_du_jour !== undefined) noter('ordre_du_jour', avant.ordre_du_jour, input.ordre_du_jour);
  if (lieu) noter('communes', [...avant.communes].sort(), [...lieu.communes].sort());
  if (Object.keys(champs).length === 0) return avant;
  const modification = { le: new Date().toISOString(), champs };
  await tx.execute(sql`
    UPDATE caleol_seances SET
      debut = ${debut.toISOString()}::timestamptz, fin = ${fin.toISOString()}::timestamptz,
      commission = ${input.commission ?? avant.commission},
      lieu = ${input.lieu !== undefined ? input.lieu : avant.lieu},
      lien_visio = ${input.lien_visio !== undefined ? input.lien_visio : avant.lien_visio},
      ordre_du_jour = ${input.ordre_du_jour !== undefined ? input.ordre_du_jour : avant.ordre_du_jour},
      communes = ${lieu ? textArray(lieu.communes) : sql`communes`},
      epcis = ${lieu ? textArray(lieu.epcis) : sql`epcis`},
      departements = ${lieu ? textArray(lieu.departements) : sql`departements`},
      sequence = sequence + 1,
      modifications = modifications || ${JSON.stringify([modification])}::jsonb,
      updated_at = now()
    WHERE id = ${avant.id}::uuid`);
  const apres = (await seanceParId(tx, avant.id))!;
  await recordAudit(tx, userActor(p), { action: 'modification', entityType: 'caleol_seance', entityId: avant.id, departement: apres.departements[0], before: avant, after: apres }, requestId);
  // Moved (date, place, communes): every commune concerned before or after is told.
  if (champs.debut || champs.fin || champs.lieu || champs.lien_visio || champs.communes) {
    await prevenir(tx, config, apres, [...new Set([...avant.communes, ...apres.communes])], 'deplacee', new Date(avant.debut));
  }
  return apres;
}

/** Cancels a sitting: kept, marked cancelled (the calendars show it as such), the communes told. */
export async function annulerSeance(tx: Executor, config: Config, p: Principal, avant: SeanceRow, motif: string | undefined, requestId?: string): Promise<SeanceRow> {
  if (avant.statut === 'annulee') throw new TransitionInterdite('Cette séance est déjà annulée.');
  const modification = { le: new Date().toISOString(), champs: { statut: { avant: avant.statut, apres: 'annulee' } } };
  await tx.execute(sql`
    UPDATE caleol_seances SET statut = 'annulee', motif_annulation = ${motif ?? null}, sequence = sequence + 1,
      modifications = modifications || ${JSON.stringify([modification])}::jsonb, updated_at = now()
    WHERE id = ${avant.id}::uuid`);
  const apres = (await seanceParId(tx, avant.id))!;
  await recordAudit(tx, userActor(p), { action: 'annulation', entityType: 'caleol_seance', entityId: avant.id, departement: apres.departements[0], before: avant, after: apres }, requestId);
  await prevenir(tx, config, apres, apres.communes, 'annulee');
  return apres;
}

/** Records who attended for a commune (a commune user: its own commune; an administrator names it). */
export async function enregistrerPresence(tx: Executor, config: Config, p: Principal, s: SeanceRow, input: { presence: Presence; commune?: string }, requestId?: string): Promise<SeanceRow> {
  if (!seancePolicy.allows('presence', p, s, config.departements)) throw new TransitionInterdite('Seule une commune concernée par la séance enregistre sa présence.');
  if (s.statut === 'annulee') throw new TransitionInterdite('Cette séance est annulée : aucune présence à enregistrer.');
  if (new Date(s.debut).getTime() > Date.now()) throw new RegleMetier('La séance n’a pas encore eu lieu : la présence s’enregistre à partir de son début.');
  const commune = p.role === 'commune' ? p.communeInsee! : input.commune;
  if (!commune || !s.communes.includes(commune)) throw new ReferenceInconnue(`commune : la séance ne concerne pas la commune « ${commune ?? ''} ».`, { champ: 'commune' });
  await tx
    .insert(caleolPresences)
    .values({ seanceId: s.id, communeInsee: commune, presence: input.presence })
    .onConflictDoUpdate({ target: [caleolPresences.seanceId, caleolPresences.communeInsee], set: { presence: input.presence, enregistreLe: new Date() } });
  await recordAudit(tx, userActor(p), { action: 'presence', entityType: 'caleol_seance', entityId: s.id, departement: s.departements[0], after: { commune, presence: input.presence, libelle: PRESENCES[input.presence] } }, requestId);
  return (await seanceParId(tx, s.id))!;
}

export async function listerSeances(db: Executor, p: Principal, served: string[], q: { commune?: string; depuis?: string; annulees?: 'true' | 'false' }) {
  const where = [seancePolicy.where('read', p, served), ...seancePolicy.filters({ commune: q.commune })];
  if (q.depuis) where.push(sql`s.fin >= ${q.depuis}::date`);
  if (q.annulees === 'false') where.push(sql`s.statut <> 'annulee'`);
  return seancesOu(db, sql.join(where, sql` AND `));
}
