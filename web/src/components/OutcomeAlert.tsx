import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Outcome } from '../useSubmission';

/**
 * The small alert that reports a form's or an action's outcome (a string is an error). With
 * `live`, it sits in a live region that exists before the message, so screen readers announce it.
 */
export function OutcomeAlert({
  outcome,
  live,
  spacing = 'fr-mb-3w',
}: {
  outcome: Outcome | string | null;
  live?: 'polite' | 'assertive';
  spacing?: 'fr-mb-2w' | 'fr-mb-3w';
}) {
  const o = typeof outcome === 'string' ? { severity: 'error' as const, text: outcome } : outcome;
  const alert = o && <Alert className={fr.cx(spacing)} severity={o.severity} small description={o.text} />;
  return live ? <div aria-live={live}>{alert}</div> : alert;
}
