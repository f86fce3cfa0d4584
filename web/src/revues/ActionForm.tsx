import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { api, type Revue, type RevueAction, type RevuePoint } from '../api';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useFieldErrors, useSubmission } from '../useSubmission';
import { INVALIDE_REVUE } from './revues';

/** Adds an action decided on an agenda item: what, who, by when. */
export function ActionForm({ revue, point, onAdded }: { revue: Revue; point: RevuePoint; onAdded: (text: string) => void }) {
  const empty = { libelle: '', responsable: '', echeance: '' };
  const [form, setForm] = useState(empty);
  const { field, check } = useFieldErrors<keyof typeof empty>();
  const { failure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_REVUE });
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<typeof empty> = {};
    if (!form.libelle.trim()) found.libelle = 'Décrivez l’action.';
    if (!form.responsable.trim()) found.responsable = 'Indiquez le responsable.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.echeance)) found.echeance = 'Indiquez l’échéance.';
    if (!check(found)) return;
    const libelle = form.libelle.trim();
    const ok = await submit(async () => {
      await api.post<RevueAction>(`/api/v1/revues/${revue.id}/points/${point.id}/actions`, {
        libelle,
        responsable: form.responsable.trim(),
        echeance: form.echeance,
      });
      setForm(empty);
    });
    if (ok) onAdded(`L’action « ${libelle} » a été ajoutée.`);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`action-${point.id}`} className={fr.cx('fr-mt-2w')}>
      <h5 id={`action-${point.id}`} className={fr.cx('fr-text--md', 'fr-text--bold', 'fr-mb-1w')}>
        Ajouter une action
      </h5>
      <OutcomeAlert outcome={failure} spacing="fr-mb-2w" />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
          <Input label="Libellé de l’action" {...field('libelle')} nativeInputProps={{ name: 'libelle', autoComplete: 'off', value: form.libelle, onChange: set('libelle') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Responsable" {...field('responsable')} nativeInputProps={{ name: 'responsable', autoComplete: 'off', value: form.responsable, onChange: set('responsable') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
          <Input label="Échéance" {...field('echeance')} nativeInputProps={{ name: 'echeance', type: 'date', value: form.echeance, onChange: set('echeance') }} />
        </div>
      </div>
      <Button type="submit" size="small" priority="secondary" disabled={busy} className={fr.cx('fr-mt-2w')}>
        Ajouter l’action
      </Button>
    </form>
  );
}
