import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { MODALITES_CONCERTATION, concertationCreateSchema } from '../../../../shared/operations/operation.schema';
import { api, type Concertations, type Operation } from '../../api';
import { Loading } from '../../components/Loading';
import { OutcomeAlert } from '../../components/OutcomeAlert';
import { formatDate, formatInteger, today } from '../../format';
import { nombre } from '../../saisie';
import { useApi } from '../../useApi';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../../useSubmission';

/**
 * The API's schema (shared/operations), and one rule of the form: a consultation already took place,
 * so its date is not after today in the person's time zone (the server, in UTC, cannot tell).
 */
const saisieConcertation = () =>
  concertationCreateSchema.refine((c) => c.date <= today(), { path: ['date'], message: 'La date ne peut pas être dans le futur.' });

/** The residents' consultations held for the operation, and the form to record one. */
export function Concertation({ operation }: { operation: Operation }) {
  const [state] = useApi<Concertations>(`/api/v1/operations/${operation.id}/concertations`);
  const empty = { modalite: '', date: today(), riverains_rencontres: '', preoccupations: '', reponses: '' };
  const [form, setForm] = useState(empty);
  const { field, validate } = useFieldErrors<keyof typeof empty>();
  // The sheet, its consultations and its history all change.
  const { outcome, setFailure, busy, submit } = useSubmission(null, { invalidates: [`/api/v1/operations/${operation.id}`] });
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: Record<string, unknown> = { modalite: form.modalite, date: form.date, riverains_rencontres: nombre(form.riverains_rencontres, { requis: true }) };
    if (form.preoccupations.trim()) body.preoccupations = form.preoccupations.trim();
    if (form.reponses.trim()) body.reponses = form.reponses.trim();
    if (!validate(saisieConcertation(), body)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      await api.post(`/api/v1/operations/${operation.id}/concertations`, body);
      setForm(empty);
      return 'La concertation a été enregistrée.';
    });
  }

  return (
    <>
      {state.status === 'loading' && <Loading label="Chargement des concertations…" />}
      {state.status === 'error' && <Alert severity="error" small description={state.message} />}
      {state.status === 'ready' && (
        <>
          <p>
            Contact pour les riverains : {state.data.contact_riverains ?? 'non renseigné'}
            <br />
            <strong data-testid="total-riverains">Total des riverains rencontrés : {formatInteger(state.data.total_riverains)}</strong>
          </p>
          {state.data.results.length === 0 ? (
            <p>Aucune concertation enregistrée.</p>
          ) : (
            <Table
              noCaption
              caption={`Concertations (${state.data.results.length})`}
              headers={['Date', 'Modalité', 'Riverains rencontrés', 'Préoccupations', 'Réponses apportées']}
              data={state.data.results.map((c) => [formatDate(c.date), c.modalite_libelle, formatInteger(c.riverains_rencontres), c.preoccupations ?? '—', c.reponses ?? '—'])}
            />
          )}
        </>
      )}
      {operation.policies.modifier && (
        <form onSubmit={onSubmit} noValidate aria-labelledby="concertation-titre" className={fr.cx('fr-mt-3w')}>
          <h3 id="concertation-titre" className={fr.cx('fr-h5')}>
            Enregistrer une concertation
          </h3>
          <OutcomeAlert live="polite" outcome={outcome} />
          <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
            <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Select label="Modalité" {...field('modalite')} nativeSelectProps={{ name: 'modalite', value: form.modalite, onChange: set('modalite') }}>
                <option value="">— Choisir une modalité —</option>
                {Object.entries(MODALITES_CONCERTATION).map(([code, libelle]) => (
                  <option key={code} value={code}>
                    {libelle}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Input label="Date de la concertation" {...field('date')} nativeInputProps={{ name: 'date', type: 'date', max: today(), value: form.date, onChange: set('date') }} />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Input
                label="Riverains rencontrés"
                {...field('riverains_rencontres')}
                nativeInputProps={{ name: 'riverains_rencontres', type: 'number', min: 0, inputMode: 'numeric', value: form.riverains_rencontres, onChange: set('riverains_rencontres') }}
              />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Input label="Préoccupations exprimées (facultatif)" textArea {...field('preoccupations')} nativeTextAreaProps={{ name: 'preoccupations', rows: 3, value: form.preoccupations, onChange: set('preoccupations') }} />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Input label="Réponses apportées (facultatif)" textArea {...field('reponses')} nativeTextAreaProps={{ name: 'reponses', rows: 3, value: form.reponses, onChange: set('reponses') }} />
            </div>
          </div>
          <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
            Enregistrer la concertation
          </Button>
        </form>
      )}
    </>
  );
}
