/**
 * From what a person typed to a request body, without judging it: the API's own zod schema
 * (shared/<module>/*.schema.ts) then checks the body and words each error next to its field
 * (`useFieldErrors().validate`). A form converts, the schema decides — no rule is written twice.
 */

/** The text, trimmed; null when empty (a field being cleared). */
export function texteOuNull(saisie: string): string | null {
  const t = saisie.trim();
  return t === '' ? null : t;
}

/**
 * A number typed in French (« 1 200 », « 250000,50 », « 12 € »): undefined when empty (or NaN with
 * `requis`), NaN when it is not a number, so that the schema says what it expects.
 */
export function nombre(saisie: string, options: { requis?: boolean } = {}): number | undefined {
  const t = saisie.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (t === '') return options.requis ? Number.NaN : undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** A number for a field that may be cleared: null when empty. */
export function nombreOuNull(saisie: string): number | null {
  return saisie.trim() === '' ? null : (nombre(saisie) ?? null);
}
