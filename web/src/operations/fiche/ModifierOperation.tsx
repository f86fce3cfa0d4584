import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { operationUpdateSchema } from '../../../../shared/operations/operation.schema';
import { CHAMPS_OPERATION as CHAMPS } from '../../../../shared/operations/champs';
import { libelleAvecUnite } from '../../../../shared/champs';
import { PRODUIT_KEYS } from '../../../../shared/operations/referentiel';
import { api, type Operation } from '../../api';
import { OutcomeAlert } from '../../components/OutcomeAlert';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../../useSubmission';
import { dateOf } from '../referentiel';
import { nombre, nombreOuNull, texteOuNull } from '../../saisie';

const DATES_PREVUES = ['date_agrement_prevue', 'date_ordre_service_prevue', 'date_livraison_prevue'] as const;

/** The editable fields of an operation, as strings for the form. */
function valeursOf(operation: Operation): Record<string, string> {
  const out: Record<string, string> = {
    nom: operation.nom,
    adresse: operation.adresse ?? '',
    numero_siap: operation.numero_siap ?? '',
    annee_programmation: operation.annee_programmation === null ? '' : String(operation.annee_programmation),
    cout_total: operation.cout_total === null ? '' : String(operation.cout_total),
    contact_riverains: operation.contact_riverains ?? '',
  };
  for (const p of PRODUIT_KEYS) out[p] = String(operation.logements[p] ?? 0);
  for (const d of DATES_PREVUES) out[d] = dateOf(operation, d) ?? '';
  return out;
}

/**
 * Edits the operation's fields; only what changed is sent. The page gives it the record's version
 * as its key, so that it starts again from the saved values after every write.
 */
export function ModifierOperationForm({ operation, onChanged }: { operation: Operation; onChanged: (text: string) => Promise<void> }) {
  const initial = valeursOf(operation);
  const [values, setValues] = useState<Record<string, string>>(initial);
  const { field, validate } = useFieldErrors();
  const { failure, setFailure, busy, submit } = useSubmission();
  const set = (key: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Only what changed is sent; the API's own schema (shared/operations) checks it and words the errors.
    const changed = (key: string) => values[key]!.trim() !== initial[key];
    const body: Record<string, unknown> = {};
    // The name cannot be cleared: an empty name is sent for the schema to refuse.
    if (changed('nom')) body.nom = values.nom!.trim();
    for (const key of ['adresse', 'numero_siap', 'contact_riverains', ...DATES_PREVUES]) if (changed(key)) body[key] = texteOuNull(values[key]!);
    for (const key of ['annee_programmation', 'cout_total']) if (changed(key)) body[key] = nombreOuNull(values[key]!);
    const logements: Record<string, number | undefined> = {};
    for (const p of PRODUIT_KEYS) if (changed(p)) logements[p] = nombre(values[p]!, { requis: true });
    if (Object.keys(logements).length > 0) body.logements = logements;
    if (Object.keys(body).length === 0) {
      setFailure('Aucune modification à enregistrer.');
      return;
    }
    if (!validate(operationUpdateSchema, body)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      await api.patch<Operation>(`/api/v1/operations/${operation.id}`, body);
      await onChanged('L’opération a été modifiée.');
    });
  }

  const text = (key: string, label: string, extra: Record<string, unknown> = {}) => (
    <Input label={label} {...field(key)} nativeInputProps={{ name: key, autoComplete: 'off', value: values[key] ?? '', onChange: set(key), ...extra }} />
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="modifier-titre">
      <h2 id="modifier-titre">Modifier l’opération</h2>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>{text('nom', CHAMPS.nom.libelle)}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>{text('adresse', CHAMPS.adresse.libelle)}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>{text('numero_siap', CHAMPS.numero_siap.libelle)}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>{text('annee_programmation', CHAMPS.annee_programmation.libelle, { type: 'number', inputMode: 'numeric' })}</div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>{text('cout_total', libelleAvecUnite(CHAMPS.cout_total), { type: 'number', min: 0, inputMode: 'numeric' })}</div>
      </div>
      <fieldset className={fr.cx('fr-fieldset', 'fr-mt-2w')}>
        <legend className={fr.cx('fr-fieldset__legend')}>{CHAMPS.logements.libelle}</legend>
        {PRODUIT_KEYS.map((p) => (
          <div key={p} className={fr.cx('fr-fieldset__element', 'fr-fieldset__element--inline')}>
            {text(p, CHAMPS[p].libelle, { type: 'number', min: 0, inputMode: 'numeric' })}
          </div>
        ))}
      </fieldset>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {DATES_PREVUES.map((d) => (
          <div key={d} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            {text(d, CHAMPS[d].libelle, { type: 'date' })}
          </div>
        ))}
        <div className={fr.cx('fr-col-12')}>
          <Input
            label={CHAMPS.contact_riverains.libelle}
            hintText={CHAMPS.contact_riverains.aide}
            {...field('contact_riverains')}
            nativeTextAreaProps={{ name: 'contact_riverains', rows: 2, value: values.contact_riverains ?? '', onChange: set('contact_riverains') }}
            textArea
          />
        </div>
      </div>
      <Button type="submit" disabled={busy}>
        Enregistrer les modifications
      </Button>
    </form>
  );
}
