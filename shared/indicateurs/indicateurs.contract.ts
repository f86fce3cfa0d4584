/** The roadmap's indicators: query and response (server/modules/indicateurs). */
import { z } from 'zod';
import { siren } from '../identifiants.js';

export const indicateursQuery = z.object({ annee: z.coerce.number().int().min(2000).max(2100), epci: siren.optional() });

const entier = z.number().int();

export const indicateursSchema = z.object({
  annee: entier,
  projets_qui_aboutissent: z.object({
    agrements: entier,
    logements_agrees: entier,
    ordres_service: entier,
    livraisons: entier,
    logements_livres: entier,
    par_epci: z.array(
      z.object({
        epci_siren: z.string().nullable(),
        epci_nom: z.string().nullable(),
        operations: entier,
        agrements: entier,
        logements_agrees: entier,
        ordres_service: entier,
        livraisons: entier,
        logements_livres: entier,
        en_difficulte: entier,
      }),
    ),
  }),
  blocages: z.array(
    z.object({ type: z.string(), type_libelle: z.string(), ouverts_annee: entier, leves_annee: entier, encore_ouverts: entier, duree_mediane_jours: z.number().nullable() }),
  ),
  revues: z.object({ tenues: entier, planifiees: entier, escalades: entier, arbitrages: entier }),
  actions: z.object({ echeance_annee: entier, closes_a_temps: entier, closes_en_retard: entier, ouvertes_en_retard: entier, taux_a_temps: z.number().nullable() }),
  concertation: z.object({
    riverains_rencontres: entier,
    par_commune: z.array(z.object({ code_insee: z.string(), nom: z.string(), riverains_rencontres: entier, actions: entier })),
  }),
});

export type Indicateurs = z.infer<typeof indicateursSchema>;
