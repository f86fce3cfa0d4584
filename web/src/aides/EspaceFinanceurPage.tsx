import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { Loading } from '../components/Loading';
import { nomRegion, useTerritoire, type Departement } from '../territoire';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useSubmission } from '../useSubmission';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { CHAMPS_AIDE as C } from '../../../shared/aides/champs';
import { AUDIENCES, PRODUITS, STATUTS, TYPES_AIDE, TYPES_OPERATION, type MonAide } from './types';

type Perimetre = MonAide['perimeter'];

/**
 * The territories an aid may cover: each département the instance serves, their regions, France.
 * The first served département is the default.
 */
function perimetresOf(departements: Departement[]): Perimetre[] {
  const regions = [...new Set(departements.map((d) => d.region))];
  return [
    ...departements.map((d) => ({ scale: 'Département', code: d.code, name: d.nom })),
    ...regions.map((code) => ({ scale: 'Région', code, name: nomRegion(code) })),
    { scale: 'Pays', code: 'FRA', name: 'France' },
  ];
}

const vide = { name: '', description: '', eligibility: '', aid_type: 'Subvention', perimetre: '', audiences: ['social-landlord'], operations: [] as string[], produits: [] as string[], deadline: '' };

/** The financer's workspace: its aids, their status, views and clicks; create, edit, submit, confirm. */
export function EspaceFinanceurPage() {
  usePageTitle('Mes aides');
  const [mine] = useApi<{ results: MonAide[] }>('/api/v1/aides/espace/mes-aides');
  const { departements } = useTerritoire();
  const perimetres = perimetresOf(departements);
  const [form, setForm] = useState(vide);
  // Until the user picks one, the territory is the first served département.
  const perimetre = form.perimetre || (perimetres[0]?.code ?? '');
  const [editing, setEditing] = useState<string | null>(null);
  // The workspace's list, the catalogue and the DDTM's review queue all show the financer's aids.
  const { outcome, submit: run } = useSubmission(null, { invalidates: ['/api/v1/aides'] });

  const toggle = (k: 'audiences' | 'operations' | 'produits', v: string) =>
    setForm((f) => ({ ...f, [k]: f[k].includes(v) ? f[k].filter((x) => x !== v) : [...f[k], v] }));

  /** Runs a write, then refreshes the aids shown and reports `ok` (or the French error). */
  const act = (fn: () => Promise<unknown>, ok: string) =>
    run(async () => {
      await fn();
      return ok;
    });

  function edit(a: MonAide) {
    setEditing(a.slug);
    setForm({
      name: a.name,
      description: a.description,
      eligibility: a.eligibility,
      aid_type: a.aid_types[0] ?? 'Subvention',
      perimetre: perimetres.some((p) => p.code === a.perimeter.code) ? a.perimeter.code : '',
      audiences: a.targeted_audiences,
      operations: a.logement_social?.operation_types ?? [],
      produits: a.logement_social?.produits ?? [],
      deadline: a.submission_deadline ?? '',
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      name: form.name,
      description: form.description,
      eligibility: form.eligibility,
      aid_types: [form.aid_type],
      targeted_audiences: form.audiences,
      perimeter: perimetres.find((p) => p.code === perimetre),
      submission_deadline: form.deadline || null,
      logement_social: { operation_types: form.operations, produits: form.produits },
    };
    await act(async () => {
      if (editing) await api.patch(`/api/v1/aides/${editing}`, body);
      else await api.post('/api/v1/aides', body);
      setForm(vide);
      setEditing(null);
    }, editing ? 'Aide modifiée : elle est redevenue un brouillon.' : 'Brouillon créé.');
  }

  return (
    <>
      <h1>Mes aides</h1>
      <p>Vos aides, leur statut, leurs vues et clics. Une aide est publiée après la revue de la DDTM ; toute modification la renvoie en brouillon.</p>
      <OutcomeAlert outcome={outcome} live="polite" spacing="fr-mb-2w" />
      {mine.status === 'loading' && <Loading />}
      {mine.status === 'error' && <Alert severity="error" small description={mine.message} />}
      {mine.status === 'ready' &&
        (mine.data.results.length === 0 ? (
          <p>Vous n’avez encore aucune aide.</p>
        ) : (
          <Table
            caption="Aides de mon organisation"
            headers={['Aide', 'Statut', 'Vues', 'Clics', 'Actions']}
            data={mine.data.results.map((a) => [
              <>
                <Link to={`/aides/${a.slug}`}>{a.name}</Link>
                {a.motif_renvoi && <p className={fr.cx('fr-text--xs', 'fr-mb-0')}>Renvoyée : {a.motif_renvoi}</p>}
              </>,
              <Badge key="s" small severity={STATUTS[a.statut]?.severity}>
                {STATUTS[a.statut]?.libelle ?? a.statut}
              </Badge>,
              String(a.vues),
              String(a.clics),
              <div key="a" className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
                {a.statut !== 'en_revue' && (
                  <Button size="small" priority="tertiary" onClick={() => edit(a)} nativeButtonProps={{ 'aria-label': `Modifier ${a.name}` }}>
                    Modifier
                  </Button>
                )}
                {a.statut === 'brouillon' && (
                  <Button size="small" onClick={() => act(() => api.post(`/api/v1/aides/${a.slug}/soumettre`), 'Aide soumise à la revue de la DDTM.')} nativeButtonProps={{ 'aria-label': `Soumettre ${a.name} à la revue` }}>
                    Soumettre
                  </Button>
                )}
                {a.statut === 'publiee' && (
                  <Button size="small" priority="secondary" onClick={() => act(() => api.post(`/api/v1/aides/${a.slug}/confirmer`), 'Aide confirmée à jour.')} nativeButtonProps={{ 'aria-label': `Confirmer que ${a.name} est à jour` }}>
                    Confirmer à jour
                  </Button>
                )}
              </div>,
            ])}
          />
        ))}
      <form onSubmit={submit} aria-labelledby="form-aide" className={fr.cx('fr-mt-4w')}>
        <h2 id="form-aide">{editing ? 'Modifier l’aide' : 'Nouvelle aide'}</h2>
        <Input label={C.name.libelle} nativeInputProps={{ name: 'name', required: true, value: form.name, onChange: (e) => setForm({ ...form, name: e.target.value }) }} />
        <Input label={C.description.libelle} textArea nativeTextAreaProps={{ name: 'description', rows: 4, value: form.description, onChange: (e) => setForm({ ...form, description: e.target.value }) }} />
        <Input label={C.eligibility.libelle} textArea nativeTextAreaProps={{ name: 'eligibility', rows: 3, value: form.eligibility, onChange: (e) => setForm({ ...form, eligibility: e.target.value }) }} />
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Select label={C.aid_types.libelle} nativeSelectProps={{ name: 'aid_type', value: form.aid_type, onChange: (e) => setForm({ ...form, aid_type: e.target.value }) }}>
              {TYPES_AIDE.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </Select>
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Select label={C.perimeter.libelle} nativeSelectProps={{ name: 'perimetre', value: perimetre, onChange: (e) => setForm({ ...form, perimetre: e.target.value }) }}>
              {perimetres.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Input label={C.submission_deadline.libelle} hintText={C.submission_deadline.aide} nativeInputProps={{ type: 'date', name: 'deadline', value: form.deadline, onChange: (e) => setForm({ ...form, deadline: e.target.value }) }} />
          </div>
        </div>
        <Checkbox legend={C.targeted_audiences.libelle} orientation="horizontal" options={AUDIENCES.map((a) => ({ label: a.libelle, nativeInputProps: { name: 'audiences', value: a.slug, checked: form.audiences.includes(a.slug), onChange: () => toggle('audiences', a.slug) } }))} />
        <Checkbox legend={C['logement_social.operation_types'].libelle} orientation="horizontal" options={TYPES_OPERATION.map((t) => ({ label: t, nativeInputProps: { name: 'operations', value: t, checked: form.operations.includes(t), onChange: () => toggle('operations', t) } }))} />
        <Checkbox legend={C['logement_social.produits'].libelle} orientation="horizontal" options={PRODUITS.map((t) => ({ label: t, nativeInputProps: { name: 'produits', value: t, checked: form.produits.includes(t), onChange: () => toggle('produits', t) } }))} />
        <Button type="submit">{editing ? 'Enregistrer les modifications' : 'Créer le brouillon'}</Button>
        {editing && (
          <Button type="button" priority="tertiary" className={fr.cx('fr-ml-2w')} onClick={() => (setEditing(null), setForm(vide))}>
            Annuler
          </Button>
        )}
      </form>
    </>
  );
}
