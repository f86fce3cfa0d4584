/**
 * Building blocks of the API contracts (`shared/<module>/*.contract.ts`): the zod schemas the
 * routes declare as `schema.response`, from which the OpenAPI document is generated and the web
 * client's types are inferred (`Reponse<typeof schema>`), so no server type is copied by hand.
 *
 * Response schemas are validated by the serializer (fastify-type-provider-zod): a field missing
 * from a schema would be dropped and a wrong type would answer 500. Open payloads (rows whose
 * columns grow, aides-territoires objects) are `z.looseObject`: the listed fields are documented
 * and checked, the others pass through untouched.
 */
import { z } from 'zod';

/**
 * An open object: the fields listed are documented and checked, any other field passes through
 * (`z.looseObject` at run time). Typed as the listed fields only, so that the server's interfaces
 * (which have no index signature) satisfy it and the client's types stay exact.
 */
export const ouvert = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape) as unknown as z.ZodObject<T>;

/** An instant: the server may hold a `Date`; JSON carries ISO 8601 text. */
export const horodatage = z.union([z.string(), z.date()]).describe('Horodatage ISO 8601');
/** A calendar day, `AAAA-MM-JJ`. */
export const jour = z.string().describe('Date AAAA-MM-JJ');
export const uuid = z.string().describe('Identifiant (UUID)');

/** One error of an import (server/lib/import): where (row, column), the value found and why, in French. */
export const erreurImportCommune = {
  ligne: z.number().int().describe('Ligne du tableur, n° de l’élément JSON ou de l’entité GeoJSON (0 = le fichier)'),
  colonne: z.string().describe('En-tête de la colonne ou chemin du champ'),
  valeur: z.unknown().describe('La valeur trouvée'),
  message: z.string().describe('Pourquoi, en français'),
};

/** The result every importer shares (server/lib/import/runner.ts); importers add their published fields. */
export const resultatImportCommun = {
  fichier: z.string(),
  dry_run: z.boolean(),
  lignes: z.number().int().describe('Enregistrements lus'),
  creees: z.number().int(),
  mises_a_jour: z.number().int(),
  erreurs: z.array(z.looseObject(erreurImportCommune)).describe('Vide quand l’import est passé ; sinon rien n’a été écrit'),
};

/** The body of every error answer (server/app.ts). */
export const erreurSchema = ouvert({
  error: z.string().describe('Code stable de l’erreur'),
  message: z.string().describe('Message en français pour l’utilisateur'),
  regle: z.string().optional().describe('Règle métier enfreinte (erreurs de domaine)'),
  details: z.unknown().optional(),
});

/** `{ count, results }`, the shape of every plain listing. */
export const listeDe = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), results: z.array(item) });
/** `{ results }` without a count. */
export const resultatsDe = <T extends z.ZodType>(item: T) => z.object({ results: z.array(item) });

/** A `{ message }` acknowledgement. */
export const messageSchema = z.object({ message: z.string() });

/** An empty answer (204). */
export const vide = z.undefined().describe('Pas de contenu');

/**
 * A response that is a file or text already serialised by the route (PDF, DOCX, xlsx, csv,
 * GeoJSON, pre-rendered JSON): documented by its media types; Fastify sends buffers and strings
 * as they are, so the schema never filters them.
 */
export function fichier(description: string, types: readonly string[], schema: z.ZodType = z.string().meta({ format: 'binary' })) {
  return { description, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
}

export const MIME = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  html: 'text/html',
  geojson: 'application/geo+json',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
} as const;

/** What a value becomes once sent as JSON: dates are ISO text. */
export type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** The type the client receives for a response schema. */
export type Reponse<S extends z.ZodType> = Json<z.output<S>>;
