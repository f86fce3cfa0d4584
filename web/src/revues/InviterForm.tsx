import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { api, type Revue } from '../api';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useFieldErrors, useSubmission } from '../useSubmission';
import { INVALIDE_REVUE } from './revues';

/** Invites participants by e-mail address, one per line. */
export function InviterForm({ revue, onInvited }: { revue: Revue; onInvited: (n: number) => void }) {
  const [emails, setEmails] = useState('');
  const { field, setErrors } = useFieldErrors<'participants'>();
  const { failure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_REVUE });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const list = emails
      .split(/\r?\n/)
      .map((e) => e.trim())
      .filter(Boolean);
    const invalid = list.find((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
    if (list.length === 0) setErrors({ participants: 'Saisissez au moins une adresse électronique.' });
    else if (invalid) setErrors({ participants: `Adresse électronique invalide : ${invalid}` });
    else setErrors({});
    if (list.length === 0 || invalid) return;
    const ok = await submit(async () => {
      await api.post(`/api/v1/revues/${revue.id}/participants`, { participants: list.map((email) => ({ email })) });
      setEmails('');
    });
    if (ok) onInvited(list.length);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="inviter-titre" className={fr.cx('fr-mt-3w')}>
      <h2 id="inviter-titre" className={fr.cx('fr-h4')}>
        Inviter des participants
      </h2>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      <Input
        label="Adresses électroniques à inviter"
        hintText="Une adresse par ligne"
        textArea
        {...field('participants')}
        nativeTextAreaProps={{ name: 'participants', rows: 3, value: emails, onChange: (e) => setEmails(e.target.value) }}
      />
      <Button type="submit" priority="secondary" disabled={busy}>
        Inviter
      </Button>
    </form>
  );
}
