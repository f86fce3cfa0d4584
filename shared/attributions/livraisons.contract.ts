/**
 * Deliveries ahead (issue 14): the operations of the register in scope to be delivered within a
 * horizon, with their dwellings by product and the reservation contingents the landlord recorded.
 */
import { z } from 'zod';
import { jour, uuid } from '../contract.js';
import { RESERVATAIRE_CODES } from './referentiel.js';

export const livraisonsQuery = z.object({
  /** Months ahead (default 12). */
  horizon_mois: z.coerce.number('horizon_mois : nombre de mois attendu.').int('horizon_mois : nombre entier de mois.').min(1, 'horizon_mois : au moins 1.').max(60, 'horizon_mois : 60 mois au plus.').default(12),
});

export const contingentsSchema = z.object({
  contingents: z
    .array(z.object({ reservataire: z.enum(RESERVATAIRE_CODES, `reservataire : ${RESERVATAIRE_CODES.join(', ')}.`), logements: z.number('logements : nombre attendu.').int().min(0).max(10_000) }))
    .max(RESERVATAIRE_CODES.length),
});
export const operationParams = z.object({ id: z.uuid('Identifiant d’opération invalide.') });

export const livraisonSchema = z.object({
  operation_id: uuid,
  nom: z.string(),
  commune: z.object({ code_insee: z.string(), nom: z.string() }),
  epci: z.object({ siren: z.string().nullable(), nom: z.string().nullable() }),
  bailleur: z.object({ id: uuid, nom: z.string() }),
  etape: z.string(),
  date_livraison_prevue: jour,
  /** Dwellings by financing product. */
  logements: z.object({ total: z.number().int(), plai: z.number().int(), plai_adapte: z.number().int(), plus: z.number().int(), pls: z.number().int(), psla: z.number().int(), brs: z.number().int() }),
  contingents: z.array(z.object({ reservataire: z.string(), logements: z.number().int() })),
});

export const livraisonsSchema = z.object({ horizon_mois: z.number().int(), jusqu_au: jour, count: z.number().int(), results: z.array(livraisonSchema) });
export const contingentsReponseSchema = contingentsSchema.extend({ operation_id: uuid });
