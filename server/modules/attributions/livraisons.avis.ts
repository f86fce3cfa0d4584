/**
 * The delivery notice (issue 14): N months before an operation's planned delivery (configuration
 * `AVIS_LIVRAISON_MOIS`, default 9), the commune's accounts (the mayor) and the réservataires with
 * a contingent on it that have accounts (the EPCI's agents, the State's agents of the département)
 * are told — once per operation, and again if the planned date moves (`livraisons_avis` keeps the
 * date announced). One instance at a time (advisory lock), in one transaction with the outbox.
 */
import { sql } from 'drizzle-orm';
import { RESERVATAIRES, type Reservataire } from '../../../shared/attributions/referentiel.js';
import type { Config } from '../../config.js';
import { rows, type Db } from '../../db/client.js';
import { startPeriodic } from '../../lib/periodic.js';
import { enqueueEmail } from '../mail/outbox.js';

/** "Atelier delivery notices". */
const VERROU = 7_302_014;

interface Due {
  id: string;
  nom: string;
  commune_insee: string;
  commune_nom: string;
  epci_siren: string | null;
  departement: string;
  bailleur_nom: string;
  date_livraison_prevue: string;
  date_annoncee: string | null;
  logements: number;
  contingents: { reservataire: string; logements: number }[];
}

const jourFr = (d: string) => d.split('-').reverse().join('/');

/** Sends the notices due today; returns how many operations were announced. */
export async function envoyerAvisLivraisons(db: Db, config: Config, aujourdhui = new Date()): Promise<number> {
  const jour = aujourdhui.toISOString().slice(0, 10);
  return db.transaction(async (tx) => {
    const [{ ok } = { ok: false }] = await rows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${VERROU}) AS ok`);
    if (!ok) return 0;
    const dues = await rows<Due>(
      tx,
      sql`SELECT o.id, o.nom, o.commune_insee, c.nom AS commune_nom, o.epci_siren, o.departement, b.nom AS bailleur_nom,
                 to_char(o.date_livraison_prevue, 'YYYY-MM-DD') AS date_livraison_prevue, to_char(a.date_livraison_prevue, 'YYYY-MM-DD') AS date_annoncee,
                 (o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs)::int AS logements,
                 COALESCE((SELECT json_agg(json_build_object('reservataire', oc.reservataire, 'logements', oc.logements) ORDER BY oc.reservataire)
                           FROM operation_contingents oc WHERE oc.operation_id = o.id), '[]'::json) AS contingents
          FROM operations o
          JOIN communes c ON c.code_insee = o.commune_insee
          JOIN organisations b ON b.id = o.bailleur_id
          LEFT JOIN livraisons_avis a ON a.operation_id = o.id
          WHERE o.etape NOT IN ('livree', 'abandonnee')
            AND o.departement = ANY(${`{${config.departements.join(',')}}`}::text[])
            AND o.date_livraison_prevue >= ${jour}::date
            AND o.date_livraison_prevue <= ${jour}::date + make_interval(months => ${config.avisLivraisonMois})
            AND (a.operation_id IS NULL OR a.date_livraison_prevue <> o.date_livraison_prevue)
          ORDER BY o.date_livraison_prevue
          LIMIT 1000`,
    );
    for (const o of dues) {
      const reservataires = new Set(o.contingents.map((c) => c.reservataire));
      const destinataires = await rows<{ email: string }>(
        tx,
        sql`SELECT DISTINCT email FROM users WHERE actif AND (
              (role = 'commune' AND commune_insee = ${o.commune_insee})
              OR (${reservataires.has('epci')} AND role = 'agent_epci' AND epci_siren = ${o.epci_siren})
              OR (${reservataires.has('etat')} AND role = 'agent_etat' AND departement = ${o.departement}))
            ORDER BY email`,
      );
      const contingents = o.contingents.length
        ? o.contingents.map((c) => `  - ${RESERVATAIRES[c.reservataire as Reservataire] ?? c.reservataire} : ${c.logements} logement${c.logements > 1 ? 's' : ''}`).join('\n')
        : '  (pas encore renseignés par le bailleur)';
      for (const d of destinataires) {
        await enqueueEmail(tx, {
          destinataire: d.email,
          sujet: `${o.date_annoncee ? 'Livraison déplacée' : 'Livraison prochaine'} : ${o.nom} à ${o.commune_nom}, ${jourFr(o.date_livraison_prevue)}`,
          texte:
            `Bonjour,\n\nLe programme « ${o.nom} » de ${o.bailleur_nom} à ${o.commune_nom} (${o.logements} logements sociaux) ` +
            (o.date_annoncee ? `n’est plus prévu le ${jourFr(o.date_annoncee)} mais le ${jourFr(o.date_livraison_prevue)}.` : `doit être livré le ${jourFr(o.date_livraison_prevue)}.`) +
            `\n\nContingents de réservation :\n${contingents}\n\nC’est le moment de préparer les premières attributions avec les réservataires ` +
            `(par exemple en groupement inter-réservataires).\nLes livraisons à venir de votre territoire : ${config.publicUrl}/attributions/livraisons\n\n` +
            `— Atelier, la plateforme des acteurs du logement social`,
        });
      }
      await tx.execute(sql`INSERT INTO livraisons_avis (operation_id, date_livraison_prevue) VALUES (${o.id}::uuid, ${o.date_livraison_prevue}::date)
                           ON CONFLICT (operation_id) DO UPDATE SET date_livraison_prevue = EXCLUDED.date_livraison_prevue, envoye_le = now()`);
    }
    return dues.length;
  });
}

/** Runs the delivery notices every six hours (and once shortly after start) in this instance. */
export function startAvisLivraisons(db: Db, config: Config, log: { warn(o: object, msg: string): void }, everyMs = 6 * 3_600_000): () => Promise<void> {
  return startPeriodic({ name: 'avis_livraisons', failure: 'delivery notices failed', firstAfterMs: 90_000, everyMs, log, run: () => envoyerAvisLivraisons(db, config) });
}
