import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { api, type OperationPage, type Revue } from '../api';
import { useApi } from '../useApi';
import { useSubmission } from '../useSubmission';
import { INVALIDE_REVUE } from './revues';

/** Adds one of the EPCI's operations to the agenda of a planned review. */
export function AjouterOperation({ revue, onAdded }: { revue: Revue; onAdded: (nom: string) => void }) {
  const [operations] = useApi<OperationPage>(`/api/v1/operations?epci=${revue.epci.siren}&limit=500`);
  const [choice, setChoice] = useState('');
  const { failure, setFailure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_REVUE });
  const onAgenda = new Set(revue.points.map((p) => p.operation.id));
  const offered = operations.status === 'ready' ? operations.data.results.filter((o) => !onAgenda.has(o.id)) : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!choice) {
      setFailure('Choisissez une opération.');
      return;
    }
    const nom = offered.find((o) => o.id === choice)?.nom ?? '';
    const ok = await submit(async () => {
      await api.post<Revue>(`/api/v1/revues/${revue.id}/points`, { operation_id: choice });
      setChoice('');
    });
    if (ok) onAdded(nom);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="ajouter-titre" className={fr.cx('fr-mt-4w')}>
      <h2 id="ajouter-titre" className={fr.cx('fr-h4')}>
        Ajouter une opération
      </h2>
      {operations.status === 'error' && <Alert severity="error" small description={operations.message} />}
      <Select
        label="Opération de l’EPCI"
        state={failure ? 'error' : 'default'}
        stateRelatedMessage={failure ?? undefined}
        nativeSelectProps={{ name: 'operation_id', value: choice, onChange: (e) => setChoice(e.target.value) }}
      >
        <option value="">— Choisir une opération —</option>
        {offered.map((o) => (
          <option key={o.id} value={o.id}>
            {o.nom} ({o.commune.nom})
          </option>
        ))}
      </Select>
      <Button type="submit" disabled={busy}>
        Ajouter à l’ordre du jour
      </Button>
    </form>
  );
}
