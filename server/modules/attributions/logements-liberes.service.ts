/**
 * Vacated dwellings (seed 000, AXE 5, solution 11: « Les maires souhaitent avoir une meilleure
 * connaissance des logements libérés […] sur leur territoire »; for re-allocations « les bailleurs
 * […] informent les communes et les autres réservataires sur les libérations de logement »). A
 * landlord declares the dwelling — never its former or next occupant — and follows it: déclaré →
 * proposé en CALEOL → attribué (the date only). The commune's users are told by e-mail.
 */
import { and, eq, sql } from 'drizzle-orm';
import { logementsLiberes } from '../../../db/schema.js';
import type { Reponse } from '../../../shared/contract.js';
import type { logementLibereSchema } from '../../../shared/attributions/logements-liberes.contract.js';
import { RESERVATAIRES, STATUTS_LOGEMENT_LIBERE, transitionPermise, type Reservataire, type StatutLogementLibere } from '../../../shared/attributions/referentiel.js';
import type { Config } from '../../config.js';
import { rows, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { forbidden, ReferenceInconnue, RegleMetier, TransitionInterdite } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { enqueueEmail } from '../mail/outbox.js';
import { logementLiberePolicy } from './attributions.policy.js';
import { communesParCode, referentsDesCommunes, seanceParId } from './caleol.repository.js';
import { departementsDeclarables } from './caleol.service.js';
import { logementParId, type LogementRow } from './logements-liberes.repository.js';

const num = (v: number | string | null) => (v === null ? null : Number(v));

export function presenterLogement(l: LogementRow, p: Principal, served: string[]): Reponse<typeof logementLibereSchema> {
  return {
    id: l.id,
    bailleur: { id: l.bailleur_id, nom: l.bailleur_nom },
    commune: { code_insee: l.commune_insee, nom: l.commune_nom },
    epci_siren: l.epci_siren,
    departement: l.departement,
    reference: l.reference,
    residence: l.residence,
    adresse: l.adresse,
    typologie: l.typologie,
    produit: l.produit,
    surface_m2: num(l.surface_m2),
    loyer_mensuel: num(l.loyer_mensuel),
    disponible_le: l.disponible_le,
    reservataire: l.reservataire,
    accessible: l.accessible,
    seance: l.seance_id ? { id: l.seance_id, debut: new Date(l.seance_debut!).toISOString(), statut: l.seance_statut! } : null,
    statut: l.statut,
    attribue_le: l.attribue_le,
    created_at: new Date(l.created_at).toISOString(),
    policies: { modifier: logementLiberePolicy.allows('edit', p, l, served) },
  };
}

export async function loadLogement(db: Executor, p: Principal, served: string[], id: string): Promise<LogementRow> {
  return logementLiberePolicy.visibleOr404(await logementParId(db, id), p, served);
}

export async function loadLogementModifiable(db: Executor, p: Principal, served: string[], id: string): Promise<LogementRow> {
  const l = await loadLogement(db, p, served, id);
  if (!logementLiberePolicy.allows('edit', p, l, served)) throw forbidden('Seul le bailleur du logement le modifie.');
  return l;
}

/** The landlord organisation acting: the caller's own; an administrator names it. */
export async function bailleurDeclarant(db: Executor, p: Principal, bailleurId: string | undefined): Promise<string> {
  if (p.role === 'bailleur') {
    if (!p.organisationId) throw new RegleMetier('Votre compte n’est rattaché à aucun bailleur : demandez à un administrateur de le rattacher.');
    return p.organisationId;
  }
  if (!bailleurId) throw new RegleMetier('bailleur_id : indiquez le bailleur du logement.', { champ: 'bailleur_id' });
  const [o] = await rows<{ id: string }>(db, sql`SELECT id::text FROM organisations WHERE id = ${bailleurId}::uuid AND type = 'bailleur'`);
  if (!o) throw new ReferenceInconnue(`bailleur_id : aucun bailleur « ${bailleurId} ».`, { champ: 'bailleur_id' });
  return o.id;
}

/** A sitting the landlord may name for its dwelling: its own, not cancelled, concerning the commune. */
async function seanceDuBailleur(db: Executor, served: string[], bailleurId: string, seanceId: string, commune: string) {
  const s = await seanceParId(db, seanceId);
  if (!s || s.bailleur_id !== bailleurId || !s.departements.some((d) => served.includes(d))) throw new ReferenceInconnue(`seance_id : aucune séance « ${seanceId} » de votre commission.`, { champ: 'seance_id' });
  if (s.statut === 'annulee') throw new RegleMetier('seance_id : cette séance est annulée.', { champ: 'seance_id' });
  if (!s.communes.includes(commune)) throw new RegleMetier(`seance_id : cette séance ne concerne pas la commune ${commune}.`, { champ: 'seance_id' });
  return s;
}

export interface LogementCreate {
  commune: string;
  reference?: string;
  residence?: string;
  adresse?: string;
  typologie: string;
  produit: string;
  surface_m2?: number;
  loyer_mensuel?: number;
  disponible_le: string;
  reservataire: string;
  accessible?: boolean;
  seance_id?: string;
  bailleur_id?: string;
}

export interface CommuneServie {
  code_insee: string;
  nom: string;
  epci_siren: string | null;
  departement: string;
}

export async function communeServie(db: Executor, served: string[], code: string): Promise<CommuneServie> {
  const [c] = await communesParCode(db, [code]);
  if (!c || !served.includes(c.departement)) throw new ReferenceInconnue(`commune : « ${code} » n’est pas une commune de votre territoire.`, { champ: 'commune' });
  return c;
}

/** The row to insert (checked): shared by the form and the import. */
export function ligneLogement(bailleurId: string, c: CommuneServie, input: LogementCreate): typeof logementsLiberes.$inferInsert {
  return {
    bailleurId,
    communeInsee: c.code_insee,
    epciSiren: c.epci_siren,
    departement: c.departement,
    reference: input.reference ?? null,
    residence: input.residence ?? null,
    adresse: input.adresse ?? null,
    typologie: input.typologie,
    produit: input.produit,
    surfaceM2: input.surface_m2 ?? null,
    loyerMensuel: input.loyer_mensuel ?? null,
    disponibleLe: input.disponible_le,
    reservataire: input.reservataire,
    accessible: input.accessible ?? null,
    seanceId: input.seance_id ?? null,
    statut: input.seance_id ? 'propose_caleol' : 'declare',
  };
}

/** Tells the commune's users of freed dwellings (one message per commune and declaration). */
export async function prevenirCommune(db: Executor, config: Config, commune: CommuneServie, bailleurNom: string, logements: { typologie: string; produit: string; disponible_le: string; reservataire: string; residence?: string | null }[]) {
  const referents = await referentsDesCommunes(db, [commune.code_insee]);
  const lignes = logements
    .map((l) => `  - ${l.typologie} ${l.produit}${l.residence ? `, ${l.residence}` : ''}, disponible le ${l.disponible_le.split('-').reverse().join('/')} (contingent : ${RESERVATAIRES[l.reservataire as Reservataire] ?? l.reservataire})`)
    .join('\n');
  for (const r of referents) {
    await enqueueEmail(db, {
      destinataire: r.email,
      sujet: `${logements.length > 1 ? `${logements.length} logements libérés` : 'Logement libéré'} à ${commune.nom} — ${bailleurNom}`,
      texte:
        `Bonjour,\n\n${bailleurNom} déclare ${logements.length > 1 ? `${logements.length} logements libérés` : 'un logement libéré'} à ${commune.nom} :\n${lignes}\n\n` +
        `La liste des logements libérés de votre commune : ${config.publicUrl}/attributions/logements-liberes\n\n— Atelier, la plateforme des acteurs du logement social`,
    });
  }
}

export async function declarerLogement(tx: Executor, config: Config, p: Principal, input: LogementCreate, requestId?: string): Promise<LogementRow> {
  const bailleurId = await bailleurDeclarant(tx, p, input.bailleur_id);
  const c = await communeServie(tx, departementsDeclarables(p, config.departements), input.commune);
  if (input.seance_id) await seanceDuBailleur(tx, config.departements, bailleurId, input.seance_id, c.code_insee);
  if (input.reference) {
    const [dup] = await tx.select({ id: logementsLiberes.id }).from(logementsLiberes).where(and(eq(logementsLiberes.bailleurId, bailleurId), eq(logementsLiberes.reference, input.reference)));
    if (dup) throw new RegleMetier(`reference : un logement de référence « ${input.reference} » est déjà déclaré.`, { champ: 'reference' });
  }
  const [cree] = await tx.insert(logementsLiberes).values(ligneLogement(bailleurId, c, input)).returning({ id: logementsLiberes.id });
  const l = (await logementParId(tx, cree!.id))!;
  await recordAudit(tx, { kind: 'user', principal: p } as Actor, { action: 'creation', entityType: 'logement_libere', entityId: l.id, departement: l.departement, after: l }, requestId);
  await prevenirCommune(tx, config, c, l.bailleur_nom, [l]);
  return l;
}

export interface LogementUpdate {
  statut?: StatutLogementLibere;
  attribue_le?: string;
  seance_id?: string | null;
  disponible_le?: string;
}

/** Follows a dwelling through its statuses (table in shared/attributions/referentiel.ts). */
export async function suivreLogement(tx: Executor, config: Config, p: Principal, avant: LogementRow, input: LogementUpdate, requestId?: string): Promise<LogementRow> {
  const statut = input.statut ?? (avant.statut as StatutLogementLibere);
  if (input.statut && input.statut !== avant.statut && !transitionPermise(avant.statut as StatutLogementLibere, input.statut)) {
    throw new TransitionInterdite(`Un logement « ${STATUTS_LOGEMENT_LIBERE[avant.statut as StatutLogementLibere].libelle} » ne peut pas passer à « ${STATUTS_LOGEMENT_LIBERE[input.statut].libelle} ».`);
  }
  if (avant.statut === 'attribue' && (input.seance_id !== undefined || input.disponible_le)) throw new TransitionInterdite('Ce logement est attribué : il n’est plus modifiable.');
  const seanceId = input.seance_id !== undefined ? input.seance_id : avant.seance_id;
  if (input.seance_id) await seanceDuBailleur(tx, config.departements, avant.bailleur_id, input.seance_id, avant.commune_insee);
  if (statut === 'propose_caleol' && !seanceId) throw new RegleMetier('seance_id : indiquez la séance de CALEOL où le logement est proposé.', { champ: 'seance_id' });
  const attribueLe = statut === 'attribue' ? (input.attribue_le ?? avant.attribue_le) : null;
  if (statut === 'attribue' && !attribueLe) throw new RegleMetier('attribue_le : indiquez la date de l’attribution (la date seulement).', { champ: 'attribue_le' });
  if (attribueLe && attribueLe > new Date().toISOString().slice(0, 10)) throw new RegleMetier('attribue_le : une attribution ne peut pas être datée dans le futur.', { champ: 'attribue_le' });
  await tx
    .update(logementsLiberes)
    .set({ statut, attribueLe, seanceId, ...(input.disponible_le && { disponibleLe: input.disponible_le }), updatedAt: new Date() })
    .where(eq(logementsLiberes.id, avant.id));
  const apres = (await logementParId(tx, avant.id))!;
  await recordAudit(tx, { kind: 'user', principal: p }, { action: input.statut && input.statut !== avant.statut ? `statut_${input.statut}` : 'modification', entityType: 'logement_libere', entityId: avant.id, departement: avant.departement, before: avant, after: apres }, requestId);
  return apres;
}

