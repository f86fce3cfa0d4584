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

/** Sends what is due; returns how many messages were sent. */
export async function deliverDueEmails(db: Db, config: Config, batch = 20): Promise<number> {
  if (!config.mail.smtpUrl) return 0;
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
      try {
        await transport.sendMail({
          from: config.mail.from,
          to: m.destinataire,
          subject: m.sujet,
          text: m.texte,
          ...(m.ics && { icalEvent: { method: 'REQUEST', content: m.ics, filename: 'invitation.ics' } }),
        });
        await db.execute(sql`UPDATE emails_sortants SET statut = 'envoye', envoye_le = now(), derniere_erreur = NULL WHERE id = ${m.id}`);
        sent++;
      } catch (err) {
        const failed = m.tentatives >= MAX_TENTATIVES;
        await db.execute(sql`UPDATE emails_sortants SET statut = ${failed ? 'echec' : 'a_envoyer'}, derniere_erreur = ${String((err as Error).message).slice(0, 1000)},
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
