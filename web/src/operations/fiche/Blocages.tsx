import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { blocageCreateSchema } from '../../../../shared/operations/operation.schema';
import { TYPES_BLOCAGE } from '../../../../shared/operations/referentiel';
import { api, type Blocage, type Operation } from '../../api';
import { StatutBlocageBadge } from '../../components/badges';
import { OutcomeAlert } from '../../components/OutcomeAlert';
import { formatDate, today } from '../../format';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../../useSubmission';

/** The operation's blockers; those who may edit it lift them or declare new ones. */
export function Blocages({ operation, onChanged }: { operation: Operation; onChanged: (text: string) => Promise<void> }) {
  const { outcome, submit } = useSubmission();
  const modifier = operation.policies.modifier;

  function lever(b: Blocage, statut: 'leve' | 'en_cours' = 'leve') {
    return submit(async () => {
      await api.patch<Blocage>(`/api/v1/operations/${operation.id}/blocages/${b.id}`, { statut });
      await onChanged(statut === 'leve' ? `Le blocage « ${b.type_libelle} » a été levé.` : `Le blocage « ${b.type_libelle} » est passé en cours de traitement.`);
    });
  }

  const headers = ['Type', 'Description', 'Depuis', 'Acteur attendu', 'Statut'];
  if (modifier) headers.push('Action');
  return (
    <>
      <OutcomeAlert live="polite" outcome={outcome} />
      {operation.blocages.length === 0 ? (
        <p>Aucun blocage déclaré.</p>
      ) : (
        <Table
          noCaption
          caption={`Blocages (${operation.blocages.length})`}
          headers={headers}
          data={operation.blocages.map((b) => {
            const row = [
              b.type_libelle,
              b.description,
              formatDate(b.depuis),
              b.acteur_attendu ?? '—',
              <StatutBlocageBadge key="s" statut={b.statut} leveLe={b.leve_le} />,
            ];
            if (modifier)
              row.push(
                b.statut === 'leve' ? (
                  '—'
                ) : (
                  <div key="l" className="atelier-actions">
                    <Button type="button" size="small" priority="secondary" onClick={() => void lever(b)}>
                      Lever<span className={fr.cx('fr-sr-only')}> le blocage « {b.type_libelle} »</span>
                    </Button>
                    {b.statut !== 'en_cours' && (
                      <Button type="button" size="small" priority="tertiary" className={fr.cx('fr-ml-1w')} onClick={() => void lever(b, 'en_cours')}>
                        Passer en cours<span className={fr.cx('fr-sr-only')}> le blocage « {b.type_libelle} »</span>
                      </Button>
                    )}
                  </div>
                ),
              );
            return row;
          })}
        />
      )}
      {modifier && <DeclarerBlocageForm operation={operation} onDeclared={onChanged} />}
    </>
  );
}

function DeclarerBlocageForm({ operation, onDeclared }: { operation: Operation; onDeclared: (text: string) => Promise<void> }) {
  const empty = { type: '', description: '', depuis: today(), acteur_attendu: '' };
  const [form, setForm] = useState(empty);
  const { field, validate } = useFieldErrors<'type' | 'description' | 'depuis' | 'acteur_attendu'>();
  const { failure, setFailure, busy, submit } = useSubmission();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: Record<string, string> = { type: form.type, description: form.description.trim() };
    if (form.depuis) body.depuis = form.depuis;
    if (form.acteur_attendu.trim()) body.acteur_attendu = form.acteur_attendu.trim();
    // The API's own schema (shared/operations) checks the body and words the errors.
    if (!validate(blocageCreateSchema, body)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const b = await api.post<Blocage>(`/api/v1/operations/${operation.id}/blocages`, body);
      setForm(empty);
      await onDeclared(`Le blocage « ${b.type_libelle} » a été déclaré.`);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="blocage-titre" className={fr.cx('fr-mt-3w')}>
      <h3 id="blocage-titre" className={fr.cx('fr-h5')}>
        Déclarer un blocage
      </h3>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label="Type de blocage" {...field('type')} nativeSelectProps={{ name: 'type', value: form.type, onChange: set('type') }}>
            <option value="">— Choisir un type —</option>
            {Object.entries(TYPES_BLOCAGE).map(([code, libelle]) => (
              <option key={code} value={code}>
                {libelle}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Bloquée depuis le" {...field('depuis')} nativeInputProps={{ name: 'depuis', type: 'date', max: today(), value: form.depuis, onChange: set('depuis') }} />
        </div>
        <div className={fr.cx('fr-col-12')}>
          <Input label="Description du blocage" textArea {...field('description')} nativeTextAreaProps={{ name: 'description', value: form.description, onChange: set('description') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input
            label="Acteur attendu (facultatif)"
            hintText="Qui doit agir pour lever le blocage"
            {...field('acteur_attendu')}
            nativeInputProps={{ name: 'acteur_attendu', autoComplete: 'off', value: form.acteur_attendu, onChange: set('acteur_attendu') }}
          />
        </div>
      </div>
      <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
        Déclarer le blocage
      </Button>
    </form>
  );
}
