import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { CONTRAINTES, OUTILS, PROPRIETAIRES, STATUT_PAR_CODE, STATUTS, USAGES, VISIBILITES } from '../../../shared/foncier/referentiel';
import type { ListResponse, OperationPage, Organisation } from '../api';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { FORM_INVALID, useFieldErrors } from '../useSubmission';
import { gisementProprietesSchema } from '../../../shared/foncier/gisement.schema';
import { libelleAvecUnite } from '../../../shared/champs';
import { CHAMPS_GISEMENT as C } from '../../../shared/foncier/champs';
import type { Gisement } from './types';

/** The editable fields of a gisement (the geometry is drawn on the map). */
export type GisementChamps = {
  nom: string;
  capacite_logements: number | null;
  capacite_lls: number | null;
  usage_actuel: string | null;
  proprietaire: string | null;
  outils: string[];
  taux_sms: number | null;
  contraintes: string[];
  statut: string;
  visibilite: string;
  references_cadastrales: string[];
  commentaire: string | null;
  /** The operation of the register built on the gisement. */
  operation_id: string | null;
  /** Landlords associated with the gisement: they may read it. */
  organisations: string[];
};

const entier = (v: string) => (v.trim() === '' ? null : Number(v));

export function champsDe(g?: Gisement): GisementChamps {
  return {
    nom: g?.nom ?? '',
    capacite_logements: g?.capacite_logements ?? null,
    capacite_lls: g?.capacite_lls ?? null,
    usage_actuel: g?.usage_actuel ?? null,
    proprietaire: g?.proprietaire ?? null,
    outils: g?.outils ?? [],
    taux_sms: g?.taux_sms ?? null,
    contraintes: g?.contraintes ?? [],
    statut: g?.statut ?? 'identifie',
    visibilite: g?.visibilite ?? 'prive',
    references_cadastrales: g?.references_cadastrales ?? [],
    commentaire: g?.commentaire ?? null,
    operation_id: g?.operation?.id ?? null,
    organisations: g?.organisations ?? [],
  };
}

/** The operations the user may link (those of the register they read) and the landlords to associate. */
function useChoix() {
  const { can } = useSession();
  const [operations] = useApi<OperationPage>(can('operations:read') ? '/api/v1/operations?limit=500' : null);
  const [bailleurs] = useApi<ListResponse<Organisation>>('/api/v1/organisations?type=bailleur');
  return {
    operations: operations.status === 'ready' ? operations.data.results : [],
    bailleurs: bailleurs.status === 'ready' ? bailleurs.data.results : [],
  };
}

export function GisementForm({
  initial,
  statutActuel,
  onSubmit,
  onCancel,
  submitLabel,
  busy,
}: {
  initial: GisementChamps;
  /** When editing: only the allowed next statuses are offered. */
  statutActuel?: string;
  onSubmit: (v: GisementChamps) => void;
  onCancel?: () => void;
  submitLabel: string;
  busy: boolean;
}) {
  const [v, setV] = useState(initial);
  const choix = useChoix();
  const [refs, setRefs] = useState(initial.references_cadastrales.join(', '));
  const { errors, field, validate } = useFieldErrors();
  const set = <K extends keyof GisementChamps>(k: K, value: GisementChamps[K]) => setV((old) => ({ ...old, [k]: value }));
  const toggle = (k: 'outils' | 'contraintes' | 'organisations', code: string, on: boolean) =>
    setV((old) => ({ ...old, [k]: on ? [...old[k], code] : old[k].filter((c) => c !== code), ...(k === 'outils' && code === 'sms' && !on ? { taux_sms: null } : {}) }));
  const statuts = statutActuel ? [statutActuel, ...(STATUT_PAR_CODE.get(statutActuel)?.suivants ?? [])] : STATUTS.map((s) => s.code);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = { ...v, references_cadastrales: refs.split(/[\s,;]+/).map((r) => r.trim()).filter(Boolean) };
    // The API's own schema (shared/foncier): what it would refuse is said next to the field.
    if (!validate(gisementProprietesSchema, { ...values, taux_sms: values.outils.includes('sms') ? values.taux_sms : null })) return;
    onSubmit(values);
  }

  return (
    <form onSubmit={submit} noValidate>
      <OutcomeAlert live="assertive" outcome={Object.keys(errors).length > 0 ? FORM_INVALID : null} />
      <Input label={C.nom.libelle} {...field('nom')} nativeInputProps={{ name: 'nom', required: true, value: v.nom, onChange: (e) => set('nom', e.target.value) }} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label={libelleAvecUnite(C.capacite_logements)} {...field('capacite_logements')} nativeInputProps={{ name: 'capacite_logements', type: 'number', min: 0, inputMode: 'numeric', value: v.capacite_logements ?? '', onChange: (e) => set('capacite_logements', entier(e.target.value)) }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label={C.capacite_lls.libelle} {...field('capacite_lls')} nativeInputProps={{ name: 'capacite_lls', type: 'number', min: 0, inputMode: 'numeric', value: v.capacite_lls ?? '', onChange: (e) => set('capacite_lls', entier(e.target.value)) }} />
        </div>
      </div>
      <Select label={C.usage_actuel.libelle} {...field('usage_actuel')} nativeSelectProps={{ name: 'usage_actuel', value: v.usage_actuel ?? '', onChange: (e) => set('usage_actuel', e.target.value || null) }}>
        <option value="">— Non renseigné —</option>
        {Object.entries(USAGES).map(([code, libelle]) => <option key={code} value={code}>{libelle}</option>)}
      </Select>
      <Select label={C.proprietaire.libelle} {...field('proprietaire')} nativeSelectProps={{ name: 'proprietaire', value: v.proprietaire ?? '', onChange: (e) => set('proprietaire', e.target.value || null) }}>
        <option value="">— Non renseigné —</option>
        {Object.entries(PROPRIETAIRES).map(([code, libelle]) => <option key={code} value={code}>{libelle}</option>)}
      </Select>
      <Checkbox
        legend={C.outils.libelle}
        options={Object.entries(OUTILS).map(([code, o]) => ({ label: o.libelle, nativeInputProps: { name: 'outils', value: code, checked: v.outils.includes(code), onChange: (e) => toggle('outils', code, e.target.checked) } }))}
      />
      {v.outils.includes('sms') && (
        <Input label={libelleAvecUnite(C.taux_sms)} {...field('taux_sms')} nativeInputProps={{ name: 'taux_sms', type: 'number', min: 0, max: 100, value: v.taux_sms ?? '', onChange: (e) => set('taux_sms', entier(e.target.value)) }} />
      )}
      <Checkbox
        legend={C.contraintes.libelle}
        options={Object.entries(CONTRAINTES).map(([code, libelle]) => ({ label: libelle, nativeInputProps: { name: 'contraintes', value: code, checked: v.contraintes.includes(code), onChange: (e) => toggle('contraintes', code, e.target.checked) } }))}
      />
      <Select label={C.statut.libelle} {...field('statut')} nativeSelectProps={{ name: 'statut', value: v.statut, onChange: (e) => set('statut', e.target.value) }}>
        {statuts.map((code) => <option key={code} value={code}>{STATUT_PAR_CODE.get(code)?.libelle ?? code}</option>)}
      </Select>
      <Select label={C.visibilite.libelle} {...field('visibilite')} nativeSelectProps={{ name: 'visibilite', value: v.visibilite, onChange: (e) => set('visibilite', e.target.value) }}>
        {Object.entries(VISIBILITES).map(([code, libelle]) => <option key={code} value={code}>{libelle}</option>)}
      </Select>
      <Select
        label={C.operation_id.libelle}
        hint={C.operation_id.aide}
        {...field('operation_id')}
        nativeSelectProps={{ name: 'operation_id', value: v.operation_id ?? '', onChange: (e) => set('operation_id', e.target.value || null) }}
      >
        <option value="">— Aucune —</option>
        {v.operation_id && !choix.operations.some((o) => o.id === v.operation_id) && <option value={v.operation_id}>Opération actuelle</option>}
        {choix.operations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.nom} — {o.commune.nom}
          </option>
        ))}
      </Select>
      {choix.bailleurs.length > 0 && (
        <Checkbox
          legend={C.organisations.libelle}
          hintText={C.organisations.aide}
          options={choix.bailleurs.map((b) => ({ label: b.nom, nativeInputProps: { name: 'organisations', value: b.id, checked: v.organisations.includes(b.id), onChange: (e) => toggle('organisations', b.id, e.target.checked) } }))}
        />
      )}
      <Input label={C.references_cadastrales.libelle} {...field('references_cadastrales')} hintText={C.references_cadastrales.aide} nativeInputProps={{ name: 'references_cadastrales', value: refs, onChange: (e) => setRefs(e.target.value) }} />
      <Input label={C.commentaire.libelle} textArea {...field('commentaire')} nativeTextAreaProps={{ name: 'commentaire', value: v.commentaire ?? '', onChange: (e) => set('commentaire', e.target.value || null) }} />
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
        <li>
          <Button type="submit" disabled={busy}>{submitLabel}</Button>
        </li>
        {onCancel && (
          <li>
            <Button type="button" priority="secondary" onClick={onCancel}>Annuler</Button>
          </li>
        )}
      </ul>
    </form>
  );
}
