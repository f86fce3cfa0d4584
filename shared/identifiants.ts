/**
 * French identifiers as validating value types: an invalid code never passes the edge.
 */
import { z } from 'zod';

/** INSEE commune code: 2 digits or 2A/2B, then 3 digits (COG). */
export const codeInsee = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{2}|2A|2B)\d{3}$/, 'Code INSEE invalide : 5 caractères attendus, par exemple 30189.');

/** SIREN: 9 digits (spaces tolerated on input). */
export const siren = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{9}$/, 'SIREN invalide : 9 chiffres attendus.'));

/** Département code: 2 digits, 2A/2B, or 3 digits for overseas. */
export const codeDepartement = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{2}|2A|2B|97\d)$/, 'Code de département invalide, par exemple 30.');

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Adresse électronique invalide.'));
