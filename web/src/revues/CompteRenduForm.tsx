import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { api, type Revue, type RevuePoint } from '../api';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useSubmission } from '../useSubmission';
import { INVALIDE_REVUE } from './revues';

/** The record of one agenda item: the situation and the decisions taken. */
export function CompteRenduForm({ revue, point, onSaved }: { revue: Revue; point: RevuePoint; onSaved: (text: string) => void }) {
  const [situation, setSituation] = useState(point.situation ?? '');
  const [decisions, setDecisions] = useState(point.decisions ?? '');
  const { failure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_REVUE });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const ok = await submit(async () => {
      await api.patch<Revue>(`/api/v1/revues/${revue.id}/points/${point.id}`, {
        situation: situation.trim() || null,
        decisions: decisions.trim() || null,
      });
    });
    if (ok) onSaved('Le compte rendu a été enregistré.');
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`cr-${point.id}`}>
      <h4 id={`cr-${point.id}`} className={fr.cx('fr-h6')}>
        Compte rendu
      </h4>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      <Input label="Situation" textArea nativeTextAreaProps={{ name: 'situation', rows: 3, value: situation, onChange: (e) => setSituation(e.target.value) }} />
      <Input label="Décisions" textArea nativeTextAreaProps={{ name: 'decisions', rows: 3, value: decisions, onChange: (e) => setDecisions(e.target.value) }} />
      <Button type="submit" size="small" disabled={busy}>
        Enregistrer le compte rendu
      </Button>
    </form>
  );
}
