/**
 * Outgoing mail goes through a queue in the database (`emails_sortants`): written in the same
 * transaction as the change that causes it, then sent by whichever instance claims it first. A
 * claim is a lease (the row is pushed five minutes ahead), so a message claimed by an instance that
 * died is sent by another one later; failures are retried with a growing delay.
 */
import nodemailer from 'nodemailer';
import { sql } from 'drizzle-orm';
import { emailsSortants } from '../../../db/schema.js';
import type { Config } from '../../config.js';
import { rows, type Db, type Executor } from '../../db/client.js';
import { recordJobRun } from '../../lib/metrics.js';

export interface Email {
  destinataire: string;
  sujet: string;
  texte: string;
  ics?: string;
}

export async function enqueueEmail(db: Executor, email: Email): Promise<void> {
  await db.insert(emailsSortants).values({ destinataire: email.destinataire, sujet: email.sujet, texte: email.texte, ics: email.ics ?? null });
}

const MAX_TENTATIVES = 8;

interface Claimed {
  id: number;
  destinataire: string;
  sujet: string;
  texte: string;
  ics: string | null;
  tentatives: number;
}

/**
 * Messages handed to the SMTP server whose "sent" mark could not be written (the database was
 * unreachable right after the send), per database. They are marked before anything else is
 * claimed, while their lease still holds them, so that a database outage never makes the queue
 * send a message twice. Only a process that dies during the outage, or an outage longer than the
 * lease, can still send one twice (at least once, never lost).
 */
const envoyesNonNotes = new WeakMap<Db, Set<number>>();

/** Sends what is due; returns how many messages were sent. */
export async function deliverDueEmails(db: Db, config: Config, batch = 20): Promise<number> {
  if (!config.mail.smtpUrl) return 0;
  let enAttente = envoyesNonNotes.get(db);
  if (!enAttente) envoyesNonNotes.set(db, (enAttente = new Set()));
  if (enAttente.size > 0) {
    const ids = [...enAttente];
    // Throws while the database is still unreachable: then nothing is claimed or sent either.
    await db.execute(sql`UPDATE emails_sortants SET statut = 'envoye', envoye_le = coalesce(envoye_le, now()), derniere_erreur = NULL
                         WHERE id = ANY(string_to_array(${ids.join(',')}, ',')::bigint[])`);
    for (const id of ids) enAttente.delete(id);
  }
  const claimed = await rows<Claimed>(
    db,
    sql`UPDATE emails_sortants SET prochain_essai = now() + interval '5 minutes', tentatives = tentatives + 1
        WHERE id IN (SELECT id FROM emails_sortants WHERE statut = 'a_envoyer' AND prochain_essai <= now()
                     ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
        RETURNING id, destinataire, sujet, texte, ics, tentatives`,
  );
  if (claimed.length === 0) return 0;
  const transport = nodemailer.createTransport(config.mail.smtpUrl);
  let sent = 0;
  try {
    for (const m of claimed) {
      let erreurEnvoi: unknown;
      try {
        await transport.sendMail({
          from: config.mail.from,
          to: m.destinataire,
          subject: m.sujet,
          text: m.texte,
          ...(m.ics && { icalEvent: { method: 'REQUEST', content: m.ics, filename: 'invitation.ics' } }),
        });
      } catch (err) {
        erreurEnvoi = err;
      }
      if (erreurEnvoi === undefined) {
        sent++;
        try {
          await db.execute(sql`UPDATE emails_sortants SET statut = 'envoye', envoye_le = now(), derniere_erreur = NULL WHERE id = ${m.id}`);
        } catch (err) {
          // Sent, but the database is gone: remember it, and leave the rest of the batch to its
          // lease (not sent, so sent later).
          enAttente.add(m.id);
          throw err;
        }
      } else {
        // Not sent: retried later with a growing delay (a failure to write this throws, and the
        // lease retries the message in five minutes).
        const failed = m.tentatives >= MAX_TENTATIVES;
        await db.execute(sql`UPDATE emails_sortants SET statut = ${failed ? 'echec' : 'a_envoyer'}, derniere_erreur = ${String((erreurEnvoi as Error).message).slice(0, 1000)},
                             prochain_essai = now() + make_interval(mins => ${2 ** m.tentatives}) WHERE id = ${m.id}`);
      }
    }
  } finally {
    transport.close();
  }
  return sent;
}

/** Polls the queue every few seconds; returns the function that stops it. */
export function startMailWorker(db: Db, config: Config, log: { warn(o: object, msg: string): void }, everyMs = 5_000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running
      .then(() => (stopped ? undefined : deliverDueEmails(db, config).then(() => recordJobRun('courriels', 'ok'))))
      .catch((err: unknown) => {
        recordJobRun('courriels', 'echec');
        log.warn({ err }, 'mail delivery failed');
      });
  }, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
