/**
 * The aides-territoires sync (server/modules/aides/aides.sync.ts, docs/decisions/0017): its state
 * for the admin page and the record of each run.
 */
import { z } from 'zod';
import { ouvert } from '../contract.js';

const entier = z.number().int();

/** One run: when, how it ended, what it changed. */
export const synchronisationSchema = ouvert({
  id: entier,
  debut: z.string(),
  fin: z.string().nullable(),
  statut: z.enum(['en_cours', 'reussie', 'echouee']),
  /** `complete`: every listed aid written; `incrementale`: only those whose upstream date_updated moved. */
  mode: z.enum(['complete', 'incrementale']),
  /** planificateur, ligne de commande, or the e-mail of the user who asked. */
  declencheur: z.string(),
  /** API pages read. */
  pages: entier,
  /** Distinct aids listed upstream for the served territory. */
  lues: entier,
  creees: entier,
  mises_a_jour: entier,
  /** Aids the sync had written that are no longer listed upstream. */
  retirees: entier,
  inchangees: entier,
  /** Upstream aids left out (no audience Atelier knows, an invalid field, a slug taken). */
  ignorees: entier,
  details: z.array(ouvert({ at_id: z.string(), slug: z.string(), raison: z.string() })),
  /** Why the run failed (French); nothing was written then. */
  erreur: z.string().nullable(),
});

/** The sync's state: configured or not (and why not, in French), its last runs. */
export const etatSynchronisationSchema = ouvert({
  configuree: z.boolean(),
  message: z.string().nullable(),
  url: z.string(),
  intervalle_heures: z.number(),
  publics: z.array(z.string()),
  departements: z.array(z.string()),
  aides_synchronisees: entier,
  aides_retirees: entier,
  derniere_reussie: z.string().nullable(),
  derniere: synchronisationSchema.nullable(),
  historique: z.array(synchronisationSchema),
});

/** `POST …/synchronisation`: `complete` writes every listed aid again. */
export const lancerSynchronisationSchema = z.object({ complete: z.boolean().default(false) });
