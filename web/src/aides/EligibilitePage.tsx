import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, errorMessage } from '../api';
import { usePageTitle } from '../usePageTitle';
import { PRODUITS, type Aide } from './types';

type Correspondance = { aide: Aide; eligible: boolean; raisons: string[]; manques: string[]; a_verifier: string[] };
type Reponse = { eligibles: Correspondance[]; partielles: Correspondance[] };

const TYPES: Record<string, string> = {
  construction_neuve: 'Construction neuve',
  vefa: 'VEFA',
  acquisition_amelioration: 'Acquisition-amélioration',
  demolition_reconstruction: 'Démolition-reconstruction',
  residence_specifique: 'Résidence spécifique',
};

/** From a short description of a project, the aids it is eligible for, with why and what is missing. */
export function EligibilitePage() {
  usePageTitle('Les aides de mon projet');
  const [form, setForm] = useState({ commune: '', type_operation: 'construction_neuve', produits: [] as string[], stade: 'realisation' });
  const [res, setRes] = useState<Reponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      setError(null);
      setRes(await api.post<Reponse>('/api/v1/aides/eligibilite', form));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const liste = (titre: string, items: Correspondance[]) => (
    <section aria-label={titre}>
      <h2>
        {titre} ({items.length})
      </h2>
      <ul>
        {items.map((c) => (
          <li key={c.aide.slug} className={fr.cx('fr-mb-2w')}>
            <Link to={`/aides/${c.aide.slug}`}>{c.aide.name}</Link>
            <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>Pourquoi : {c.raisons.join(' ; ')}</p>
            {c.manques.length > 0 && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>Ce qui manque : {c.manques.join(' ; ')}</p>}
            {c.a_verifier.length > 0 && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>À vérifier : {c.a_verifier.join(' ; ')}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
  return (
    <>
      <h1>Les aides de mon projet</h1>
      <form onSubmit={submit} className={fr.cx('fr-mb-4w')}>
        <Input label="Commune (code INSEE)" hintText="Par exemple 30189 pour Nîmes" nativeInputProps={{ name: 'commune', required: true, value: form.commune, onChange: (e) => setForm({ ...form, commune: e.target.value }) }} />
        <Select label="Type d’opération" nativeSelectProps={{ name: 'type_operation', value: form.type_operation, onChange: (e) => setForm({ ...form, type_operation: e.target.value }) }}>
          {Object.entries(TYPES).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </Select>
        <Checkbox
          legend="Produits"
          orientation="horizontal"
          options={PRODUITS.map((p) => ({
            label: p,
            nativeInputProps: { name: 'produits', value: p, checked: form.produits.includes(p), onChange: () => setForm({ ...form, produits: form.produits.includes(p) ? form.produits.filter((x) => x !== p) : [...form.produits, p] }) },
          }))}
        />
        <Select label="Stade du projet" nativeSelectProps={{ name: 'stade', value: form.stade, onChange: (e) => setForm({ ...form, stade: e.target.value }) }}>
          <option value="conception">Réflexion / conception</option>
          <option value="realisation">Mise en œuvre / réalisation</option>
          <option value="usage">Usage / valorisation</option>
        </Select>
        <Button type="submit">Trouver les aides</Button>
      </form>
      {error && <Alert severity="error" small description={error} />}
      {res && (
        <>
          {liste('Aides auxquelles le projet est éligible', res.eligibles)}
          {liste('Aides partiellement adaptées', res.partielles)}
        </>
      )}
    </>
  );
}
