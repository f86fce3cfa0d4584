import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { logementLibereCreateSchema } from '../../../shared/attributions/logements-liberes.contract';
import { PRODUITS_LOGEMENT, RESERVATAIRES, TYPOLOGIES } from '../../../shared/attributions/referentiel';
import { api } from '../api';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';
import { INVALIDE_LOGEMENTS, type LogementLibere } from './attributions';

type Champs = { commune: string; reference: string; residence: string; adresse: string; typologie: string; produit: string; surface_m2: string; loyer_mensuel: string; disponible_le: string; reservataire: string; accessible: string };
const VIDE: Champs = { commune: '', reference: '', residence: '', adresse: '', typologie: 'T3', produit: 'PLUS', surface_m2: '', loyer_mensuel: '', disponible_le: '', reservataire: 'commune', accessible: '' };
const nombre = (s: string) => (s.trim() === '' ? undefined : Number(s.replace(',', '.').replace(/\s/g, '')));

/** A landlord declares a freed dwelling: the dwelling only, never its former or next occupant. */
export function LogementForm() {
  const [form, setForm] = useState<Champs>(VIDE);
  const { field, validate, fromApi } = useFieldErrors<keyof Champs>();
  const { outcome, setFailure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_LOGEMENTS });
  const set = (k: keyof Champs) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = {
      commune: form.commune.trim(),
      typologie: form.typologie,
      produit: form.produit,
      disponible_le: form.disponible_le,
      reservataire: form.reservataire,
      ...(form.reference.trim() && { reference: form.reference.trim() }),
      ...(form.residence.trim() && { residence: form.residence.trim() }),
      ...(form.adresse.trim() && { adresse: form.adresse.trim() }),
      ...(nombre(form.surface_m2) !== undefined && { surface_m2: nombre(form.surface_m2) }),
      ...(nombre(form.loyer_mensuel) !== undefined && { loyer_mensuel: nombre(form.loyer_mensuel) }),
      ...(form.accessible && { accessible: form.accessible === 'oui' }),
    };
    if (!validate(logementLibereCreateSchema, body)) return setFailure(FORM_INVALID);
    await submit(
      async () => {
        const l = await api.post<LogementLibere>('/api/v1/logements-liberes', body);
        setForm(VIDE);
        return `Logement déclaré à ${l.commune.nom} : la commune est prévenue par courriel.`;
      },
      (e) => fromApi(e, ['commune', 'reference']),
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="logement-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="logement-titre">Déclarer un logement libéré</h2>
      <p>Le logement seulement : Atelier ne garde aucune donnée sur les demandeurs ni sur les locataires (RGPD).</p>
      <OutcomeAlert live="assertive" outcome={outcome} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Commune (code INSEE)" hintText="Par exemple 30189" {...field('commune')} nativeInputProps={{ name: 'commune', value: form.commune, onChange: set('commune') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Référence du logement (facultatif)" hintText="Votre référence interne" {...field('reference')} nativeInputProps={{ name: 'reference', value: form.reference, onChange: set('reference') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Disponible le" {...field('disponible_le')} nativeInputProps={{ type: 'date', name: 'disponible_le', value: form.disponible_le, onChange: set('disponible_le') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Résidence (facultatif)" {...field('residence')} nativeInputProps={{ name: 'residence', value: form.residence, onChange: set('residence') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label="Adresse (facultatif)" {...field('adresse')} nativeInputProps={{ name: 'adresse', value: form.adresse, onChange: set('adresse') }} />
        </div>
        <div className={fr.cx('fr-col-6', 'fr-col-md-3')}>
          <Select label="Typologie" {...field('typologie')} nativeSelectProps={{ name: 'typologie', value: form.typologie, onChange: set('typologie') }}>
            {TYPOLOGIES.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-6', 'fr-col-md-3')}>
          <Select label="Produit" {...field('produit')} nativeSelectProps={{ name: 'produit', value: form.produit, onChange: set('produit') }}>
            {PRODUITS_LOGEMENT.map((p) => <option key={p} value={p}>{p}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-6', 'fr-col-md-3')}>
          <Input label="Surface (m²)" {...field('surface_m2')} nativeInputProps={{ inputMode: 'decimal', name: 'surface_m2', value: form.surface_m2, onChange: set('surface_m2') }} />
        </div>
        <div className={fr.cx('fr-col-6', 'fr-col-md-3')}>
          <Input label="Loyer mensuel (€)" {...field('loyer_mensuel')} nativeInputProps={{ inputMode: 'decimal', name: 'loyer_mensuel', value: form.loyer_mensuel, onChange: set('loyer_mensuel') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label="Contingent (réservataire)" {...field('reservataire')} nativeSelectProps={{ name: 'reservataire', value: form.reservataire, onChange: set('reservataire') }}>
            {Object.entries(RESERVATAIRES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label="Accessible (PMR)" {...field('accessible')} nativeSelectProps={{ name: 'accessible', value: form.accessible, onChange: set('accessible') }}>
            <option value="">Non renseigné</option>
            <option value="oui">Oui</option>
            <option value="non">Non</option>
          </Select>
        </div>
      </div>
      <Button type="submit" disabled={busy}>
        Déclarer le logement
      </Button>
    </form>
  );
}
