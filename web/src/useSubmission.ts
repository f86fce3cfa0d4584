import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { ApiError, errorMessage } from './api';
import { useInvalidate, type Invalidation } from './useApi';

/** What a form or an action reports after a write: a success or a French error message. */
export type Outcome = { severity: 'success' | 'error'; text: string };

/** The message shown above a form whose fields have errors (each field says what is wrong). */
export const FORM_INVALID = 'Le formulaire contient des erreurs : corrigez les champs signalés.';

/**
 * The state of a form's submission: `busy` while the write runs, and its outcome.
 * `submit(action)` clears the previous outcome, sets `busy`, runs the action and clears `busy`;
 * an error becomes the French message of `errorMessage` in `failure` (after `onError`, which can
 * e.g. put the message next to the field the API names); a string the action returns becomes the
 * success message. Resolves to true when the action succeeded. `succeed(text)` reports a success
 * that happened elsewhere (e.g. in a child form).
 *
 * `invalidates` names the resources the writes change (paths of the API or query keys, see
 * `useApi.ts`): after a successful action they are marked stale, and those on screen are fetched
 * again before the success is reported, so the page never shows a success next to stale data.
 */
export function useSubmission(initial: Outcome | null = null, options: { invalidates?: Invalidation[] } = {}) {
  const [outcome, setOutcome] = useState<Outcome | null>(initial);
  const [busy, setBusy] = useState(false);
  const invalidate = useInvalidate();
  const invalidates = options.invalidates ?? [];
  // The list is rebuilt on every render; its content is what counts.
  const invalidatesKey = JSON.stringify(invalidates);

  const setFailure = useCallback((text: string | null) => setOutcome(text === null ? null : { severity: 'error', text }), []);
  const succeed = useCallback((text: string) => setOutcome({ severity: 'success', text }), []);

  const submit = useCallback(async (action: () => Promise<string | void>, onError?: (error: unknown) => void): Promise<boolean> => {
    setOutcome(null);
    setBusy(true);
    try {
      const success = await action();
      await invalidate(...(JSON.parse(invalidatesKey) as Invalidation[]));
      if (typeof success === 'string') setOutcome({ severity: 'success', text: success });
      return true;
    } catch (error) {
      onError?.(error);
      setOutcome({ severity: 'error', text: errorMessage(error) });
      return false;
    } finally {
      setBusy(false);
    }
  }, [invalidate, invalidatesKey]);

  const failure = outcome?.severity === 'error' ? outcome.text : null;
  return { outcome, failure, setFailure, succeed, busy, submit };
}

/** The field the API names in a 422's details (`{ champ }`), if any. */
export function champEnErreur(error: unknown): string | undefined {
  const champ = error instanceof ApiError ? (error.details as { champ?: unknown } | null | undefined)?.champ : undefined;
  return typeof champ === 'string' ? champ : undefined;
}

/**
 * The first message of each field of a zod error, by field name: the last segment of the issue's
 * path (`logements.plai` gives `plai`), so that nested request fields map to the form's inputs.
 */
export function erreursParChamp(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = [...issue.path].reverse().find((p) => typeof p === 'string');
    if (typeof key === 'string' && !(key in out)) out[key] = issue.message;
  }
  return out;
}

/**
 * A form's errors by field, and `field(key)`: the DSFR `state` / `stateRelatedMessage` props of
 * that field's input. `check(found)` shows the errors found and tells whether there were none;
 * `fromApi(error, keys)` shows the API's message next to the field it names, when it is one of `keys`.
 * `validate(schema, body)` checks a request body with the API's own zod schema (from `shared/`):
 * true when valid, else the messages are shown next to the fields they name.
 */
export function useFieldErrors<K extends string = string>() {
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const field = (key: K) => ({ state: errors[key] ? 'error' : 'default', stateRelatedMessage: errors[key] }) as const;
  const check = (found: Partial<Record<K, string>>): boolean => {
    setErrors(found);
    return Object.keys(found).length === 0;
  };
  const fromApi = (error: unknown, keys: readonly string[]) => {
    const champ = champEnErreur(error);
    if (champ !== undefined && keys.includes(champ)) setErrors({ [champ]: errorMessage(error) } as Partial<Record<K, string>>);
  };
  const validate = (schema: z.ZodType, body: unknown): boolean => {
    const result = schema.safeParse(body);
    setErrors(result.success ? {} : (erreursParChamp(result.error) as Partial<Record<K, string>>));
    return result.success;
  };
  return { errors, setErrors, field, check, fromApi, validate };
}
