/**
 * Periodic work on the catalogue, run by any instance (an advisory lock keeps it to one at a time):
 * expire aids whose deadline has passed, remind financers of aids not confirmed for six months or
 * past their deadline, send the saved-search digests. Every e-mail goes through the outbox.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { TRANSITIONS_AIDE } from '../../../shared/aides/statuts.js';
import { rows, textArray, type Db, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound, tooManyRequests } from '../../lib/errors.js';
import { hitCounter } from '../../lib/rate-limit.js';
import { systemActor } from '../../lib/principal.js';
import { enqueueEmail } from '../mail/outbox.js';
import { rechercher, type Filtres } from './aides.search.js';
import { filtresDeRecherche, loadBySlugs } from './aides.service.js';
import { startPeriodic } from '../../lib/periodic.js';

const JOB_LOCK = 7_302_044;
const hash = (t: string) => createHash('sha256').update(t).digest('hex');

export interface AlerteRecherche {
  q?: string;
  filtres: Filtres;
  /** The filters as the user gave them, to show in the e-mails. */
  libelle: string;
}

/** Saves a search and sends the double opt-in e-mail; nothing is sent until the link is followed. */
export async function creerAlerte(tx: Executor, config: Config, email: string, recherche: AlerteRecherche, frequence: 'quotidienne' | 'hebdomadaire'): Promise<void> {
  const jeton = randomBytes(24).toString('base64url');
  await tx.execute(sql`INSERT INTO aides_alertes (email, recherche, frequence, jeton_hash) VALUES (${email.toLowerCase()}, ${JSON.stringify(recherche)}::jsonb, ${frequence}, ${hash(jeton)})`);
  await enqueueEmail(tx, {
    destinataire: email,
    sujet: 'Atelier — confirmez votre alerte sur les aides au logement social',
    texte:
      `Bonjour,\n\nQuelqu’un (vous, sans doute) a demandé à recevoir par courriel les nouvelles aides correspondant à : ${recherche.libelle} ` +
      `(envoi ${frequence}).\n\nPour confirmer, ouvrez ce lien :\n${config.publicUrl}/aides/alertes/confirmer?jeton=${jeton}\n\n` +
      `Sans confirmation, rien ne vous sera envoyé. Pour vous désabonner à tout moment :\n${config.publicUrl}/aides/alertes/desabonner?jeton=${jeton}\n`,
  });
}

/** A request for an alert, as typed on the search page. */
export interface DemandeAlerte {
  email: string;
  q?: string;
  audience?: string[];
  perimetre?: string;
  frequence: 'quotidienne' | 'hebdomadaire';
}

/** Alert requests per address and per client address in an hour. */
const ALERTES_PAR_ADRESSE = 3;
const ALERTES_PAR_CLIENT = 20;
const HEURE = 3_600_000;

/**
 * Someone asks for an alert: the confirmation goes to any address typed, so requests are bounded
 * per address and per client (429 past it), then the search is saved and the e-mail queued.
 */
export async function demanderAlerte(tx: Executor, config: Config, d: DemandeAlerte, client: string): Promise<void> {
  if ((await hitCounter(tx, `aides-alerte:${d.email.toLowerCase()}`, HEURE)) > ALERTES_PAR_ADRESSE || (await hitCounter(tx, `aides-alerte-ip:${client}`, HEURE)) > ALERTES_PAR_CLIENT) {
    throw tooManyRequests('Trop de demandes d’alerte : réessayez dans une heure.');
  }
  const filtres = await filtresDeRecherche(tx, { audiences: d.audience, perimetre: d.perimetre });
  const libelle = [d.q ? `« ${d.q} »` : 'toutes les aides', d.audience?.length ? `publics : ${d.audience.join(', ')}` : null, d.perimetre ? `périmètre ${d.perimetre}` : null].filter(Boolean).join(', ');
  await creerAlerte(tx, config, d.email, { q: d.q, filtres, libelle }, d.frequence);
}

export async function confirmerAlerte(db: Executor, jeton: string): Promise<void> {
  const r = await rows<{ id: string }>(db, sql`UPDATE aides_alertes SET confirmee_le = coalesce(confirmee_le, now()) WHERE jeton_hash = ${hash(jeton)} RETURNING id`);
  if (!r.length) throw notFound('Lien de confirmation inconnu ou alerte supprimée.');
}

export async function supprimerAlerte(db: Executor, jeton: string): Promise<void> {
  const r = await rows<{ id: string }>(db, sql`DELETE FROM aides_alertes WHERE jeton_hash = ${hash(jeton)} RETURNING id`);
  if (!r.length) throw notFound('Lien de désabonnement inconnu ou alerte déjà supprimée.');
}

async function expirer(tx: Executor): Promise<number> {
  const { depuis, vers } = TRANSITIONS_AIDE.expirer;
  const r = await rows<{ id: string; slug: string }>(
    tx,
    sql`UPDATE aides SET statut = ${vers}, updated_at = now() WHERE statut = ANY(${textArray(depuis)}) AND submission_deadline < current_date RETURNING id, slug`,
  );
  for (const a of r) await recordAudit(tx, systemActor('expiration des aides'), { action: `statut:${vers}`, entityType: 'aide', entityId: a.id, after: { statut: vers, motif: 'date limite de dépôt dépassée' } });
  return r.length;
}

/** Reminds each financer organisation, at most once a month per aid, of aids to confirm or update. */
async function relancer(tx: Executor, config: Config, now: Date): Promise<number> {
  const due = await rows<{ id: string; slug: string; name: string; organisation_id: string; motif: string }>(
    tx,
    sql`SELECT id, slug, name, organisation_id,
        CASE WHEN statut = 'expiree' THEN 'sa date limite de dépôt est dépassée' ELSE 'elle n’a pas été confirmée depuis six mois' END AS motif
      FROM aides WHERE organisation_id IS NOT NULL AND (
        (statut = 'publiee' AND coalesce(confirmee_le, publiee_le, created_at) < ${now.toISOString()}::timestamptz - interval '6 months'
          AND (derniere_relance IS NULL OR derniere_relance < ${now.toISOString()}::timestamptz - interval '30 days'))
        -- Expired: one reminder per expiry.
        OR (statut = 'expiree' AND (derniere_relance IS NULL OR derniere_relance < submission_deadline)))`,
  );
  for (const a of due) {
    const dest = await rows<{ email: string }>(tx, sql`SELECT email FROM users WHERE organisation_id = ${a.organisation_id}::uuid AND role = 'financeur' AND actif`);
    for (const d of dest) {
      await enqueueEmail(tx, {
        destinataire: d.email,
        sujet: `Atelier — votre aide « ${a.name} » est-elle à jour ?`,
        texte: `Bonjour,\n\nL’aide « ${a.name} » publiée dans Atelier doit être revue : ${a.motif}.\n` +
          `Confirmez-la ou mettez-la à jour dans votre espace financeur :\n${config.publicUrl}/aides/espace\n\nUne aide expirée ne figure plus dans les résultats de recherche.\n`,
      });
    }
    await tx.execute(sql`UPDATE aides SET derniere_relance = ${now.toISOString()}::timestamptz WHERE id = ${a.id}::uuid`);
    await recordAudit(tx, systemActor('relance des financeurs'), { action: 'relance', entityType: 'aide', entityId: a.id, after: { motif: a.motif, destinataires: dest.length } });
  }
  return due.length;
}

const ECHUES = (now: Date) => sql`confirmee_le IS NOT NULL
  AND (dernier_envoi IS NULL OR dernier_envoi <= ${now.toISOString()}::timestamptz -
       CASE WHEN frequence = 'quotidienne' THEN interval '1 day' ELSE interval '7 days' END + interval '5 minutes')`;

const verrou = async (tx: Executor) => (await rows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${JOB_LOCK}) AS ok`))[0]?.ok === true;

/**
 * Sends each confirmed alert that is due the aids published since its last digest. The searches
 * run first, on the committed catalogue (the search index follows commits; on the embedded
 * database a transaction would also hold its only connection); the sending then runs in one
 * transaction under the jobs' lock, each alert checked again, so that two instances never send the
 * same digest twice.
 */
async function envoyerAlertes(db: Db, config: Config, now: Date): Promise<number> {
  const due = await rows<{ id: string; email: string; recherche: AlerteRecherche; frequence: string; depuis: string }>(
    db,
    sql`SELECT id, email, recherche, frequence, coalesce(dernier_envoi, confirmee_le)::text AS depuis FROM aides_alertes WHERE ${ECHUES(now)}`,
  );
  const digests: { a: (typeof due)[number]; count: number; lignes: string[] }[] = [];
  for (const a of due) {
    const r = await rechercher(db, { q: a.recherche.q, filtres: { ...a.recherche.filtres, statuts: ['publiee'], publieesApres: a.depuis }, offset: 0, limit: 20 });
    const aides = r.count > 0 ? await loadBySlugs(db, r.results.map((x) => x.slug)) : [];
    const lignes = r.results.map((x) => aides.find((y) => y.slug === x.slug)).filter(Boolean).map((y) => `- ${y!.name}\n  ${config.publicUrl}/aides/${y!.slug}`);
    digests.push({ a, count: r.count, lignes });
  }
  return db.transaction(async (tx) => {
    if (!(await verrou(tx))) return 0;
    let sent = 0;
    for (const { a, count, lignes } of digests) {
      const encore = await rows<{ id: string }>(tx, sql`SELECT id FROM aides_alertes WHERE id = ${a.id}::uuid AND ${ECHUES(now)} FOR UPDATE`);
      if (!encore.length) continue;
      if (count > 0) {
        await enqueueEmail(tx, {
          destinataire: a.email,
          sujet: `Atelier — ${count} nouvelle(s) aide(s) : ${a.recherche.libelle}`.slice(0, 200),
          texte: `Bonjour,\n\nNouvelles aides correspondant à votre alerte « ${a.recherche.libelle} » :\n\n${lignes.join('\n')}\n\n` +
            `Pour ne plus recevoir cette alerte, suivez le lien de désabonnement reçu lors de votre inscription.\n`,
        });
        sent++;
      }
      await tx.execute(sql`UPDATE aides_alertes SET dernier_envoi = ${now.toISOString()}::timestamptz WHERE id = ${a.id}::uuid`);
    }
    return sent;
  });
}

export async function runAidesJobs(db: Db, config: Config, now = new Date()): Promise<{ expirees: number; relances: number; alertes: number }> {
  const premier = await db.transaction(async (tx) => {
    if (!(await verrou(tx))) return null;
    const expirees = await expirer(tx);
    const relances = await relancer(tx, config, now);
    // Changes older than a day no longer serve the search indexes (an instance that late rebuilds).
    await tx.execute(sql`WITH d AS (DELETE FROM aides_changements WHERE le < now() - interval '1 day' RETURNING version)
      UPDATE aides_index_version SET purge = greatest(purge, (SELECT max(version) FROM d)) WHERE id = 1 AND EXISTS (SELECT 1 FROM d)`);
    return { expirees, relances };
  });
  if (!premier) return { expirees: 0, relances: 0, alertes: 0 };
  return { ...premier, alertes: await envoyerAlertes(db, config, now) };
}

/** Runs the catalogue jobs every hour (and once shortly after start) in this instance. */
export function startAidesWorker(db: Db, config: Config, log: { warn(o: object, msg: string): void }, everyMs = 3_600_000): () => Promise<void> {
  return startPeriodic({ name: 'aides', failure: 'aids jobs failed', firstAfterMs: 60_000, everyMs, log, run: () => runAidesJobs(db, config) });
}
