/**
 * The mail outbox through a database outage (issue 11): a message handed to the SMTP server whose
 * "sent" mark cannot be written is never sent a second time once the database is back, even after
 * its lease and retry delays have passed; the messages not sent yet are sent once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/client.js';
import { deliverDueEmails, enqueueEmail } from '../server/modules/mail/outbox.js';
import { createTestApp, type TestContext } from './helpers.js';
import { startSmtpSink } from './smtp-sink.js';

let t: TestContext;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url });
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

/** The database as the outbox sees it, with an outage switched on and off by the test. */
function avecPanne(db: Db) {
  const etat = { panne: 'aucune' as 'aucune' | 'apres-envoi' | 'totale' };
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return (q: Parameters<Db['execute']>[0]) => {
          if (etat.panne === 'totale') return Promise.reject(new Error('Connection terminated unexpectedly'));
          // The outage starts right after the first message left: its "sent" mark is lost.
          let texte = "";
          try {
            texte = JSON.stringify(q);
          } catch {
            /* not a plain statement */
          }
          if (etat.panne === 'apres-envoi' && texte.includes("statut = 'envoye'")) {
            etat.panne = 'totale';
            return Promise.reject(new Error('Connection terminated unexpectedly'));
          }
          return target.execute(q);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { db: proxy, etat };
}

describe('mail outbox through a database outage', () => {
  it('a message sent just before the outage is not sent again; the others are sent once', async () => {
    const destinataires = ['panne-1@exemple.fr', 'panne-2@exemple.fr', 'panne-3@exemple.fr'];
    for (const d of destinataires) await enqueueEmail(t.database.db, { destinataire: d, sujet: `Test panne ${d}`, texte: 'Message de test.' });
    const { db, etat } = avecPanne(t.database.db);

    etat.panne = 'apres-envoi';
    await expect(deliverDueEmails(db, t.config)).rejects.toThrow(/Connection terminated/);
    const recus = () => sink.messages.filter((m) => m.to.some((x) => destinataires.includes(x))).flatMap((m) => m.to);
    expect(recus()).toEqual(['panne-1@exemple.fr']);

    // Still down: nothing claimed, nothing sent.
    await expect(deliverDueEmails(db, t.config)).rejects.toThrow(/Connection terminated/);
    expect(recus()).toHaveLength(1);

    // Back, after the lease and every retry delay have passed.
    etat.panne = 'aucune';
    await t.database.db.execute(sql`UPDATE emails_sortants SET prochain_essai = now() - interval '1 second' WHERE statut = 'a_envoyer'`);
    await deliverDueEmails(db, t.config);
    await deliverDueEmails(db, t.config);
    expect(recus().sort()).toEqual(destinataires);
    const statuts = await t.database.db.execute(sql`SELECT destinataire, statut FROM emails_sortants WHERE destinataire LIKE 'panne-%' ORDER BY destinataire`);
    expect((statuts as unknown as { rows: unknown[] }).rows).toEqual(destinataires.map((d) => ({ destinataire: d, statut: 'envoye' })));
  });
});
