/**
 * Reading aides-territoires-shaped JSON (the shipped catalogue, or an export of the national
 * platform): every item is checked, every error listed in French (row, field, value, reason), and
 * nothing is returned when one item is wrong.
 */
import { z } from 'zod';
import { erreurTexte as texteErreur, type ErreurImport } from '../../lib/import/erreur.js';
import {
  AUDIENCE_SLUGS,
  audienceSlug,
  CONDITION_CODES,
  PRODUITS_AIDE,
  TYPES_OPERATION_AIDE,
} from '../../../shared/aides/referentiel.js';

export interface AideInput {
  slug: string;
  sourceId: string | null;
  name: string;
  shortTitle: string | null;
  financers: string[];
  instructors: string[];
  programs: string[];
  aidTypes: string[];
  targetedAudiences: string[];
  perimeterScale: string;
  perimeterCode: string;
  perimeterName: string;
  categories: string[];
  description: string;
  eligibility: string;
  mobilizationSteps: string[];
  recurrence: string | null;
  isCallForProject: boolean;
  startDate: string | null;
  submissionDeadline: string | null;
  subventionRateLowerBound: number | null;
  subventionRateUpperBound: number | null;
  loanAmount: number | null;
  originUrl: string | null;
  applicationUrl: string | null;
  logementSocial: boolean;
  operationTypes: string[];
  produits: string[];
  conditionsTerritoriales: string[];
  confidence: string | null;
}

/** The common import error (`ligne` = the aid's number in the file, `colonne` = the field's path), with the aids' published name `champ`. */
export type ImportErreur = ErreurImport & { champ: string };

const erreur = (ligne: number, champ: string, valeur: unknown, message: string): ImportErreur => ({ ligne, champ, colonne: champ, valeur, message });

const strList = z.array(z.string().trim().min(1)).default([]);
/** aides-territoires sends some lists as objects ({name}) or as plain strings. */
const nameList = z
  .array(z.union([z.string(), z.object({ name: z.string() }).loose()]))
  .default([])
  .transform((l) => l.map((x) => (typeof x === 'string' ? x : x.name).trim()).filter(Boolean));
const isoDate = z.iso.date().nullable().default(null);
const num = z.number().nullable().default(null);
/** A web address (http or https only: a `javascript:` or `data:` address would run in the reader's browser). */
const url = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'adresse web attendue (http:// ou https://)')
  .nullable()
  .default(null)
  .or(z.literal('').transform(() => null));

export const aideItemSchema = z
  .object({
    id: z.union([z.string(), z.number()]).nullable().optional(),
    slug: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug : minuscules, chiffres et tirets seulement').max(200),
    name: z.string().trim().min(3, 'nom trop court').max(300),
    short_title: z.string().trim().nullable().optional(),
    financers: nameList,
    instructors: nameList,
    programs: nameList,
    aid_types: nameList,
    targeted_audiences: z
      .array(z.string())
      .min(1, 'au moins un public visé')
      .superRefine((list, ctx) =>
        list.forEach((label, i) => {
          if (!audienceSlug(label)) ctx.addIssue({ code: 'custom', path: [i], message: `public visé inconnu (attendus : ${AUDIENCE_SLUGS.join(', ')} ou leurs libellés)` });
        }),
      ),
    perimeter: z.union(
      [z.object({ scale: z.string().trim().min(1), code: z.string().trim().min(1), name: z.string().trim().min(1) }), z.string().trim().min(1)],
      'périmètre attendu : {scale, code, name} ou un nom (France, Occitanie, Gard)',
    ),
    categories: nameList,
    description: z.string().default(''),
    eligibility: z.string().nullable().default(''),
    mobilization_steps: nameList,
    recurrence: z.string().nullable().optional(),
    is_call_for_project: z.boolean().nullable().default(false),
    start_date: isoDate,
    submission_deadline: isoDate,
    subvention_rate_lower_bound: num,
    subvention_rate_upper_bound: num,
    loan_amount: num,
    origin_url: url,
    application_url: url,
    logement_social: z
      .object({
        operation_types: z.array(z.enum(TYPES_OPERATION_AIDE, `type d’opération inconnu (attendus : ${TYPES_OPERATION_AIDE.join(', ')})`)).default([]),
        produits: z.array(z.enum(PRODUITS_AIDE, `produit inconnu (attendus : ${PRODUITS_AIDE.join(', ')})`)).default([]),
        conditions: z.array(z.enum(CONDITION_CODES, `condition territoriale inconnue (attendues : ${CONDITION_CODES.join(', ')})`)).default([]),
      })
      .nullable()
      .default(null),
    confidence: z.enum(['high', 'medium', 'low']).nullable().optional(),
  })
  .loose();

type Item = z.infer<typeof aideItemSchema>;

const PERIMETRE_TEXTE: Record<string, { scale: string; code: string }> = {
  france: { scale: 'Pays', code: 'FRA' },
  occitanie: { scale: 'Région', code: '76' },
  gard: { scale: 'Département', code: '30' },
};

function toInput(item: Item, erreurs: ImportErreur[], ligne: number): AideInput | null {
  const audiences: string[] = [];
  for (const label of item.targeted_audiences) {
    const slug = audienceSlug(label)!;
    if (!audiences.includes(slug)) audiences.push(slug);
  }
  let perimeter: { scale: string; code: string; name: string };
  if (typeof item.perimeter === 'string') {
    const known = PERIMETRE_TEXTE[item.perimeter.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()];
    if (!known) {
      erreurs.push(erreur(ligne, 'perimeter', item.perimeter, 'périmètre non reconnu : donnez {scale, code, name}'));
      return null;
    }
    perimeter = { ...known, name: item.perimeter };
  } else perimeter = item.perimeter;
  if (
    item.subvention_rate_lower_bound != null &&
    item.subvention_rate_upper_bound != null &&
    item.subvention_rate_lower_bound > item.subvention_rate_upper_bound
  ) {
    erreurs.push(erreur(ligne, 'subvention_rate_lower_bound', item.subvention_rate_lower_bound, 'taux minimum supérieur au taux maximum'));
  }
  const ls = item.logement_social;
  return {
    slug: item.slug,
    sourceId: item.id == null ? null : String(item.id),
    name: item.name,
    shortTitle: item.short_title ?? null,
    financers: item.financers,
    instructors: item.instructors,
    programs: item.programs,
    aidTypes: item.aid_types,
    targetedAudiences: audiences,
    perimeterScale: perimeter.scale,
    perimeterCode: perimeter.code,
    perimeterName: perimeter.name,
    categories: item.categories,
    description: item.description,
    eligibility: item.eligibility ?? '',
    mobilizationSteps: item.mobilization_steps,
    recurrence: item.recurrence ?? null,
    isCallForProject: item.is_call_for_project ?? false,
    startDate: item.start_date,
    submissionDeadline: item.submission_deadline,
    subventionRateLowerBound: item.subvention_rate_lower_bound,
    subventionRateUpperBound: item.subvention_rate_upper_bound,
    loanAmount: item.loan_amount,
    originUrl: item.origin_url,
    applicationUrl: item.application_url,
    logementSocial: ls != null && (ls.operation_types.length > 0 || ls.produits.length > 0),
    operationTypes: ls?.operation_types ?? [],
    produits: ls?.produits ?? [],
    conditionsTerritoriales: ls?.conditions ?? [],
    confidence: item.confidence ?? null,
  };
}

const TYPES_FR: Record<string, string> = { array: 'liste', string: 'texte', number: 'nombre', boolean: 'booléen', object: 'objet', null: 'null', undefined: 'rien' };

const typeDe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * A type error said the same way whatever zod's locale (the app sets French messages globally):
 * from the issue's code and the value found, not from zod's wording. Other issues carry our own
 * French messages, or zod's French ones.
 */
function messageErreur(issue: { code: string; message: string; expected?: unknown }, valeur: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (valeur === undefined) return 'champ obligatoire manquant';
  const attendu = String(issue.expected ?? '');
  return `type invalide (attendu : ${TYPES_FR[attendu] ?? attendu}, reçu : ${TYPES_FR[typeDe(valeur)] ?? typeDe(valeur)})`;
}

/** Parses a file's JSON: `{results: [...]}` (aides-territoires envelope) or a bare array. */
export function parseCatalogue(json: unknown): { aides: AideInput[]; erreurs: ImportErreur[] } {
  const erreurs: ImportErreur[] = [];
  const items = Array.isArray(json) ? json : json && typeof json === 'object' && Array.isArray((json as { results?: unknown }).results) ? (json as { results: unknown[] }).results : null;
  if (!items) {
    return { aides: [], erreurs: [erreur(0, 'results', null, 'fichier attendu : un tableau d’aides ou un objet {results: [...]} (format aides-territoires)')] };
  }
  const aides: AideInput[] = [];
  const seen = new Map<string, number>();
  items.forEach((raw, i) => {
    const ligne = i + 1;
    const parsed = aideItemSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const champ = issue.path.join('.') || '(aide)';
        const valeur = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), raw);
        erreurs.push(erreur(ligne, champ, valeur ?? null, messageErreur(issue, valeur)));
      }
      return;
    }
    const prev = seen.get(parsed.data.slug);
    if (prev) erreurs.push(erreur(ligne, 'slug', parsed.data.slug, `slug déjà utilisé par l’aide n° ${prev} du fichier`));
    seen.set(parsed.data.slug, ligne);
    const input = toInput(parsed.data, erreurs, ligne);
    if (input) aides.push(input);
  });
  return { aides: erreurs.length ? [] : aides, erreurs };
}

/** How an aid's error is located in messages. */
export const LIBELLES_AIDE = { ligne: 'Aide n°', colonne: 'champ', json: true };

/** One error as a French sentence. */
export const erreurTexte = (e: ImportErreur) => texteErreur(e, LIBELLES_AIDE);
