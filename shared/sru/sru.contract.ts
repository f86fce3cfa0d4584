/** The official SRU inventory: requests and responses (server/modules/sru). */
import { z } from 'zod';
import { horodatage, ouvert, resultatImportCommun } from '../contract.js';
import { codeInsee } from '../identifiants.js';

export const sruCommuneParams = z.object({ code: codeInsee });
export const sruImportQuery = z.object({
  dry_run: z.enum(['true', 'false'], 'dry_run : true ou false.').default('false'),
  millesime: z.coerce.number('Millésime : une année est attendue.').int('Millésime : une année est attendue.').min(2000, 'Millésime : 2000 au plus tôt.').max(2100, 'Millésime : 2100 au plus tard.').optional(),
});

/** One vintage of a commune's official SRU facts. */
export const millesimeSruSchema = z.object({
  millesime: z.number().int(),
  population: z.number().int().nullable(),
  taux_sru: z.number().nullable(),
  taux_cible: z.number().nullable(),
  deficitaire: z.boolean().nullable(),
  carencee: z.boolean().nullable(),
  exemptee: z.boolean().nullable(),
  nb_lls: z.number().int().nullable(),
  prelevement: z.number().nullable(),
  fichier: z.string().nullable(),
  importe_le: horodatage,
});

export const sruCommuneSchema = z.object({ code_insee: z.string(), nom: z.string(), millesimes: z.array(millesimeSruSchema) });

/** The summary of an import (or of its dry run). */
export const rapportSruSchema = ouvert({
  ...resultatImportCommun,
  millesime: z.number().int(),
  importees: z.number().int(),
  hors_territoire: z.number().int(),
});

export type MillesimeSru = z.infer<typeof millesimeSruSchema>;
export type SruCommune = z.infer<typeof sruCommuneSchema>;
export type RapportSru = z.infer<typeof rapportSruSchema>;
