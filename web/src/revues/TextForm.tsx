import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useFieldErrors, useSubmission } from '../useSubmission';
import { INVALIDE_REVUE } from './revues';

/**
 * A small form of required text or date fields (escalation, arbitration). `onSubmit` runs the
 * write; the review is refreshed before `onDone` reports the success.
 */
export function TextForm({
  id,
  title,
  fields,
  submit,
  onSubmit,
  onDone,
}: {
  id: string;
  title: string;
  fields: { name: string; label: string; type?: 'date'; initial?: string; required: string }[];
  submit: string;
  onSubmit: (values: Record<string, string>) => Promise<void>;
  onDone: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ''])));
  const { field, check } = useFieldErrors();
  const { failure, busy, submit: run } = useSubmission(null, { invalidates: INVALIDE_REVUE });

  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const f of fields) if (!values[f.name]?.trim()) found[f.name] = f.required;
    if (!check(found)) return;
    if (await run(() => onSubmit(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]))))) onDone();
  }

  return (
    <form onSubmit={handle} noValidate aria-labelledby={id} className={fr.cx('fr-mt-3w')}>
      <h4 id={id} className={fr.cx('fr-h6')}>
        {title}
      </h4>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      {fields.map((f) => (
        <Input
          key={f.name}
          label={f.label}
          {...field(f.name)}
          {...(f.type === 'date'
            ? { nativeInputProps: { name: f.name, type: 'date', value: values[f.name] ?? '', onChange: (e) => setValues((v) => ({ ...v, [f.name]: e.target.value })) } }
            : {
                textArea: true as const,
                nativeTextAreaProps: { name: f.name, rows: 3, value: values[f.name] ?? '', onChange: (e) => setValues((v) => ({ ...v, [f.name]: e.target.value })) },
              })}
        />
      ))}
      <Button type="submit" size="small" priority="secondary" disabled={busy}>
        {submit}
      </Button>
    </form>
  );
}
