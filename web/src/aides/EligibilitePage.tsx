import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../api';
import { usePageTitle } from '../usePageTitle';
import { ListeCorrespondances } from './Correspondances';
import { TYPES_OPERATION } from '../../../shared/operations/referentiel';
import { PRODUITS, type Correspondances as Reponse } from './types';



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
  return (
    <>
      <h1>Les aides de mon projet</h1>
      <form onSubmit={submit} className={fr.cx('fr-mb-4w')}>
        <Input label="Commune (code INSEE)" hintText="Par exemple 30189 pour Nîmes" nativeInputProps={{ name: 'commune', required: true, value: form.commune, onChange: (e) => setForm({ ...form, commune: e.target.value }) }} />
        <Select label="Type d’opération" nativeSelectProps={{ name: 'type_operation', value: form.type_operation, onChange: (e) => setForm({ ...form, type_operation: e.target.value }) }}>
          {Object.entries(TYPES_OPERATION).map(([k, v]) => (
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
          <ListeCorrespondances titre="Aides auxquelles le projet est éligible" items={res.eligibles} />
          <ListeCorrespondances titre="Aides partiellement adaptées" items={res.partielles} />
        </>
      )}
    </>
  );
}
