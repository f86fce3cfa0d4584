import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { operationUpdateSchema } from '../../../../shared/operations/operation.schema';
import { api, type Operation, type Referentiel } from '../../api';
import { OutcomeAlert } from '../../components/OutcomeAlert';
import { formatDate } from '../../format';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../../useSubmission';
import { libelleChampOperation } from '../../../../shared/operations/champs';
import { CHAMPS_ETAPE, dateEtape, dateOf } from '../referentiel';
import { nombre } from '../../saisie';

/** The stages of the register, the current one highlighted, with the date each was reached. */
export function Timeline({ operation, referentiel }: { operation: Operation; referentiel: Referentiel }) {
  const etapes = referentiel.etapes.filter((e) => !e.finale || e.code === operation.etape || !e.suivantes.length);
  return (
    <ol className="atelier-etapes">
      {etapes.map((e) => {
        const current = e.code === operation.etape;
        const champ = dateEtape(e);
        const date = champ ? dateOf(operation, champ) : null;
        return (
          <li key={e.code} aria-current={current ? 'step' : undefined} className={current ? 'atelier-etapes__actuelle' : undefined}>
            <span className={current ? fr.cx('fr-text--bold') : undefined}>{e.libelle}</span>
            {date && <span className={fr.cx('fr-text--sm')}> — {formatDate(date)}</span>}
            {current && (
              <>
                {' '}
                <Badge as="span" small noIcon severity="info">
                  Étape actuelle
                </Badge>
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The fields a target stage requires that the form asks for (dates, year, reason for abandon). */
function champsDemandes(referentiel: Referentiel, cible: string): string[] {
  const etape = referentiel.etapes.find((e) => e.code === cible);
  return etape ? etape.requis.filter((c) => CHAMPS_ETAPE.includes(c)) : [];
}

/** Moves the operation to one of the stages its current stage allows, asking for what it requires. */
export function ChangerEtapeForm({
  operation,
  referentiel,
  onChanged,
}: {
  operation: Operation;
  referentiel: Referentiel;
  onChanged: (text: string) => Promise<void>;
}) {
  const suivantes = referentiel.etapes.find((e) => e.code === operation.etape)?.suivantes ?? [];
  const [cible, setCible] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const { field, validate } = useFieldErrors();
  const { failure, setFailure, busy, submit } = useSubmission();
  if (suivantes.length === 0) return <p>Cette étape est finale : l’opération ne peut plus changer d’étape.</p>;
  const champs = cible ? champsDemandes(referentiel, cible) : [];
  const valueOf = (c: string) =>
    values[c] ?? (c === 'annee_programmation' ? String(operation.annee_programmation ?? '') : c === 'motif_abandon' ? (operation.motif_abandon ?? '') : (dateOf(operation, c) ?? ''));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!cible) {
      setFailure('Choisissez la nouvelle étape.');
      return;
    }
    const body: Record<string, unknown> = { etape: cible };
    for (const c of champs) {
      const v = valueOf(c).trim();
      if (!v) continue;
      body[c] = c === 'annee_programmation' ? nombre(v) : v;
    }
    if (!validate(operationUpdateSchema, body)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const updated = await api.patch<Operation>(`/api/v1/operations/${operation.id}`, body);
      setCible('');
      setValues({});
      await onChanged(`L’opération est passée à l’étape « ${updated.etape_libelle} ».`);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="etape-titre" className={fr.cx('fr-mt-3w')}>
      <h3 id="etape-titre" className={fr.cx('fr-h5')}>
        Changer d’étape
      </h3>
      <OutcomeAlert live="assertive" outcome={failure} />
      <Select label="Nouvelle étape" nativeSelectProps={{ name: 'etape', value: cible, onChange: (e) => setCible(e.target.value) }}>
        <option value="">— Choisir une étape —</option>
        {suivantes.map((code) => (
          <option key={code} value={code}>
            {referentiel.etapes.find((e) => e.code === code)?.libelle ?? code}
          </option>
        ))}
      </Select>
      {champs.map((c) =>
        c === 'motif_abandon' ? (
          <Input
            key={c}
            label={libelleChampOperation(c)}
            textArea
            {...field(c)}
            nativeTextAreaProps={{ name: c, value: valueOf(c), onChange: (e) => setValues((v) => ({ ...v, [c]: e.target.value })) }}
          />
        ) : (
          <Input
            key={c}
            label={libelleChampOperation(c)}
            {...field(c)}
            nativeInputProps={{
              name: c,
              type: c === 'annee_programmation' ? 'number' : 'date',
              value: valueOf(c),
              onChange: (e) => setValues((v) => ({ ...v, [c]: e.target.value })),
            }}
          />
        ),
      )}
      <Button type="submit" disabled={busy}>
        Changer d’étape
      </Button>
    </form>
  );
}
