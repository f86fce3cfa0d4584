/**
 * The personal calendar feed (issue 14): one secret, revocable address per user that Outlook,
 * Thunderbird and phone calendars subscribe to, answering RFC 5545 without a session. It carries
 * the CALEOL sittings the user sees (policy `read`: a commune those concerning it, an EPCI its
 * communes', the State its département, a landlord its own), cancelled ones as STATUS:CANCELLED,
 * and the project reviews the user is invited to (by e-mail address).
 *
 * The token is HMAC-SHA256(server secret, user id + nonce); the table keeps the nonce and the
 * token's SHA-256, never the token: the address can be shown again to its owner (recomputed), a copy
 * of the database alone does not give it, and renewing draws a new nonce so the old one answers 404.
 */
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { calendrierAbonnements, users } from '../../../db/schema.js';
import type { Config } from '../../config.js';
import { rows, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { notFound } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { principalOf } from '../auth/sessions.repository.js';
import { seancePolicy } from './attributions.policy.js';
import { seancesOu } from './caleol.repository.js';
import { calendrier, type Evenement } from './icalendar.js';

const jetonDe = (config: Config, userId: string, nonce: string) => createHmac('sha256', config.sessionSecret).update(`calendrier:${userId}:${nonce}`).digest('base64url');

export const adresseFlux = (config: Config, jeton: string) => {
  const url = `${config.publicUrl}/api/v1/calendriers/${jeton}.ics`;
  return { url, webcal: url.replace(/^https?:/, 'webcal:') };
};

/** The caller's feed address, created on first request. */
export async function monCalendrier(tx: Executor, config: Config, p: Principal, requestId?: string) {
  const [existant] = await tx.select().from(calendrierAbonnements).where(eq(calendrierAbonnements.userId, p.userId));
  if (existant) return adresseFlux(config, jetonDe(config, p.userId, existant.nonce));
  return renouveler(tx, config, p, requestId, 'creation');
}

/** Draws a new address; the previous one answers 404 from now on. */
export async function renouveler(tx: Executor, config: Config, p: Principal, requestId?: string, action: 'creation' | 'renouvellement' = 'renouvellement') {
  const nonce = randomToken(16);
  const jeton = jetonDe(config, p.userId, nonce);
  await tx
    .insert(calendrierAbonnements)
    .values({ userId: p.userId, nonce, jetonHash: sha256(jeton) })
    .onConflictDoUpdate({ target: calendrierAbonnements.userId, set: { nonce, jetonHash: sha256(jeton), createdAt: new Date(), dernierAcces: null } });
  await recordAudit(tx, { kind: 'user', principal: p }, { action: `calendrier_${action}`, entityType: 'calendrier_abonnement', entityId: p.userId }, requestId);
  return adresseFlux(config, jeton);
}

interface RevueInvitee {
  id: string;
  date: string | Date;
  lieu: string | null;
  statut: string;
  epci_nom: string;
  created_at: string | Date;
  sequence: number;
  modifie_le: string | Date;
}

/** The feed of the token's owner (404 for an unknown or renewed token, or an inactive account). */
export async function flux(db: Executor, config: Config, jeton: string): Promise<string> {
  if (!/^[\w-]{20,100}$/.test(jeton)) throw notFound('Calendrier introuvable.');
  const [u] = await db
    .select({ user: users })
    .from(calendrierAbonnements)
    .innerJoin(users, eq(users.id, calendrierAbonnements.userId))
    .where(sql`${calendrierAbonnements.jetonHash} = ${sha256(jeton)} AND ${users.actif}`);
  if (!u) throw notFound('Calendrier introuvable.');
  const p = principalOf(u.user, 'token');
  await db.update(calendrierAbonnements).set({ dernierAcces: new Date() }).where(eq(calendrierAbonnements.userId, p.userId));

  const evenements: Evenement[] = [];
  // Sittings seen by the owner, from a year back (cancelled ones included, so calendars remove them).
  const seances = await seancesOu(db, sql`${seancePolicy.where('read', p, config.departements)} AND s.fin >= now() - interval '1 year'`, 20_000);
  for (const s of seances) {
    const communes = s.communes_noms.map((c) => c.nom).join(', ');
    evenements.push({
      uid: `caleol-${s.id}@atelier`,
      debut: new Date(s.debut),
      fin: new Date(s.fin),
      resume: `CALEOL ${s.bailleur_nom} — ${communes}`,
      description: [
        `Commission d’attribution (${s.commission}) de ${s.bailleur_nom}.`,
        `Communes concernées : ${communes}.`,
        s.lien_visio ? `Visioconférence : ${s.lien_visio}` : '',
        s.ordre_du_jour ? `Ordre du jour : ${s.ordre_du_jour}` : '',
        s.statut === 'annulee' ? `Séance annulée${s.motif_annulation ? ` : ${s.motif_annulation}` : '.'}` : '',
        `Dans Atelier : ${config.publicUrl}/attributions/calendrier`,
      ]
        .filter(Boolean)
        .join('\n'),
      lieu: s.lieu ?? s.lien_visio,
      url: `${config.publicUrl}/attributions/calendrier`,
      sequence: s.sequence,
      annule: s.statut === 'annulee',
      creeLe: new Date(s.created_at),
      modifieLe: new Date(s.updated_at),
    });
  }
  // Project reviews the owner is invited to; a change of the review counts in SEQUENCE (its audit entries).
  const revues = await rows<RevueInvitee>(
    db,
    sql`SELECT r.id, r.date, r.lieu, r.statut, e.nom AS epci_nom, r.created_at,
               m.sequence, COALESCE(m.le, r.created_at) AS modifie_le
        FROM revues r JOIN revue_participants rp ON rp.revue_id = r.id JOIN epci e ON e.siren = r.epci_siren
        CROSS JOIN LATERAL (SELECT count(*)::int AS sequence, max(a.at) AS le FROM audit_log a
                            WHERE a.entity_type = 'revue' AND a.entity_id = r.id::text AND a.action = 'modification') m
        WHERE lower(rp.email) = lower(${p.email}) AND r.date >= now() - interval '1 year'
        ORDER BY r.date`,
  );
  for (const r of revues) {
    const debut = new Date(r.date);
    evenements.push({
      uid: `revue-${r.id}@atelier`,
      debut,
      fin: new Date(debut.getTime() + 2 * 3600_000),
      resume: `Revue de projet logement social — ${r.epci_nom}`,
      description: `Ordre du jour et compte rendu : ${config.publicUrl}/revues/${r.id}`,
      lieu: r.lieu,
      url: `${config.publicUrl}/revues/${r.id}`,
      sequence: r.sequence,
      annule: r.statut === 'annulee',
      creeLe: new Date(r.created_at),
      modifieLe: new Date(r.modifie_le),
    });
  }
  evenements.sort((a, b) => a.debut.getTime() - b.debut.getTime());
  return calendrier(`Atelier — ${p.nom}`, evenements);
}
