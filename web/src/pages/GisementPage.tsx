import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorMessage } from '../api';
import { Loading } from '../components/Loading';
import { champsDe, GisementForm, type GisementChamps } from '../foncier/GisementForm';
import { INVALIDE_GISEMENT, type Gisement } from '../foncier/types';
import { formatDate, formatDateTime, formatInteger } from '../format';
import { useApi, useInvalidate } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { NotFoundPage } from './NotFoundPage';
import { libelleAvecUnite } from '../../../shared/champs';
import { CHAMPS_GISEMENT as C, type CleChampGisement } from '../../../shared/foncier/champs';
import { portageSchema } from '../../../shared/foncier/gisement.schema';
import { nombreOuNull, texteOuNull } from '../saisie';
import { FORM_INVALID, useFieldErrors } from '../useSubmission';

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

function Portage({ g, onSaved }: { g: Gisement; onSaved: (message: string) => void }) {
  const [v, setV] = useState({ convention: g.epf_convention ?? '', acquisition: g.epf_date_acquisition ?? '', revente: g.epf_date_revente_prevue ?? '', prix: g.epf_prix == null ? '' : String(g.epf_prix) });
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const { field, validate } = useFieldErrors<CleChampGisement>();
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setMsg(null);
    const body = {
      epf_convention: texteOuNull(v.convention),
      epf_date_acquisition: v.acquisition || null,
      epf_date_revente_prevue: v.revente || null,
      epf_prix: nombreOuNull(v.prix),
    };
    // The API's own schema (shared/foncier): what it would refuse is said next to the field.
    if (!validate(portageSchema, body)) {
      setMsg({ ok: false, text: FORM_INVALID });
      return;
    }
    try {
      await api.patch(`/api/v1/foncier/gisements/${g.id}`, body);
      onSaved('Données de portage enregistrées.');
    } catch (err) {
      setMsg({ ok: false, text: errorMessage(err) });
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="portage-titre">
      <h2 id="portage-titre" className={fr.cx('fr-h4')}>Portage par l’EPF</h2>
      <Input label={C.epf_convention.libelle} {...field('epf_convention')} nativeInputProps={{ name: 'epf_convention', value: v.convention, onChange: (e) => setV({ ...v, convention: e.target.value }) }} />
      <Input label={C.epf_date_acquisition.libelle} {...field('epf_date_acquisition')} nativeInputProps={{ name: 'epf_date_acquisition', type: 'date', value: v.acquisition, onChange: (e) => setV({ ...v, acquisition: e.target.value }) }} />
      <Input label={C.epf_date_revente_prevue.libelle} {...field('epf_date_revente_prevue')} nativeInputProps={{ name: 'epf_date_revente_prevue', type: 'date', value: v.revente, onChange: (e) => setV({ ...v, revente: e.target.value }) }} />
      <Input label={libelleAvecUnite(C.epf_prix)} {...field('epf_prix')} nativeInputProps={{ name: 'epf_prix', inputMode: 'decimal', value: v.prix, onChange: (e) => setV({ ...v, prix: e.target.value }) }} />
      <Button type="submit">Enregistrer le portage</Button>
      <div aria-live="polite">{msg && <Alert className={fr.cx('fr-mt-2w')} small severity={msg.ok ? 'success' : 'error'} description={msg.text} />}</div>
    </form>
  );
}

export function GisementPage() {
  const { id = '' } = useParams();
  const [state] = useApi<Gisement>(`/api/v1/foncier/gisements/${id}`);
  const invalidate = useInvalidate();
  const [edition, setEdition] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const navigate = useNavigate();
  usePageTitle(state.status === 'ready' ? `${state.data.nom} — gisement foncier` : 'Gisement foncier');
  if (state.status === 'loading') return <Loading label="Chargement du gisement…" />;
  if (state.status === 'error') return state.httpStatus === 404 ? <NotFoundPage /> : <Alert severity="error" description={state.message} small />;
  const g = state.data;

  async function enregistrer(v: GisementChamps) {
    setBusy(true);
    setMsg(null);
    try {
      await api.patch(`/api/v1/foncier/gisements/${g.id}`, { ...v, taux_sms: v.outils.includes('sms') ? v.taux_sms : null });
      await invalidate(...INVALIDE_GISEMENT);
      setEdition(false);
      setMsg({ ok: true, text: 'Gisement enregistré.' });
    } catch (e) {
      setMsg({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  async function supprimer() {
    if (!window.confirm(`Supprimer le gisement « ${g.nom} » ?`)) return;
    try {
      await api.delete(`/api/v1/foncier/gisements/${g.id}`);
      navigate('/foncier');
      void invalidate(...INVALIDE_GISEMENT);
    } catch (e) {
      setMsg({ ok: false, text: errorMessage(e) });
    }
  }

  return (
    <>
      <Breadcrumb currentPageLabel={g.nom} homeLinkProps={{ to: '/' }} segments={[{ label: 'Foncier', linkProps: { to: '/foncier' } }]} />
      <h1>{g.nom}</h1>
      {g.demo && <Alert className={fr.cx('fr-mb-2w')} small severity="warning" description="Donnée de démonstration : ce gisement est fictif." />}
      <div aria-live="polite">{msg && <Alert className={fr.cx('fr-mb-2w')} small severity={msg.ok ? 'success' : 'error'} description={msg.text} />}</div>
      {edition ? (
        <section aria-labelledby="edition-titre">
          <h2 id="edition-titre" className={fr.cx('fr-h4')}>Modifier le gisement</h2>
          <GisementForm initial={champsDe(g)} statutActuel={g.statut} onSubmit={enregistrer} onCancel={() => setEdition(false)} submitLabel="Enregistrer" busy={busy} />
        </section>
      ) : (
        <>
          <dl className="atelier-dl">
            <dt>{C.commune.libelle}</dt>
            <dd><Link to={`/communes/${g.commune.code_insee}`}>{g.commune.nom}</Link> ({g.commune.code_insee}){g.epci ? ` — ${g.epci.nom}` : ''}</dd>
            <dt>{C.statut.libelle}</dt>
            <dd>{g.statut_libelle}</dd>
            <dt>{C.surface_m2.libelle}</dt>
            <dd>{formatInteger(g.surface_m2)} {C.surface_m2.unite}</dd>
            <dt>{C.capacite_logements.libelle}</dt>
            <dd>{formatInteger(g.capacite_logements)} logements, dont {formatInteger(g.capacite_lls)} logements sociaux</dd>
            <dt>{C.usage_actuel.libelle}</dt>
            <dd>{g.usage_actuel_libelle ?? '—'}</dd>
            <dt>{C.proprietaire.libelle}</dt>
            <dd>{g.proprietaire_libelle ?? '—'}</dd>
            <dt>{C.outils.libelle}</dt>
            <dd>{g.outils_libelles.join(' ; ') || '—'}{g.taux_sms != null ? ` (SMS : ${g.taux_sms} % de logements sociaux)` : ''}</dd>
            <dt>{C.contraintes.libelle}</dt>
            <dd>{g.contraintes_libelles.join(' ; ') || '—'}</dd>
            <dt>{C.references_cadastrales.libelle}</dt>
            <dd>{g.references_cadastrales.join(', ') || '—'}</dd>
            <dt>{C.operation_id.libelle}</dt>
            <dd>{g.operation ? <Link to={`/operations/${g.operation.id}`}>{g.operation.nom}</Link> : '—'}</dd>
            <dt>{C.visibilite.libelle}</dt>
            <dd>{g.visibilite_libelle}</dd>
            <dt>Portage EPF</dt>
            <dd>
              {g.epf_convention || g.epf_date_acquisition || g.epf_prix != null
                ? [
                    g.epf_convention ?? 'Convention non renseignée',
                    g.epf_date_acquisition && `acquis le ${formatDate(g.epf_date_acquisition)}`,
                    g.epf_date_revente_prevue && `revente prévue le ${formatDate(g.epf_date_revente_prevue)}`,
                    g.epf_prix != null && euros.format(g.epf_prix),
                  ].filter(Boolean).join(', ')
                : '—'}
            </dd>
            <dt>{C.source.libelle}</dt>
            <dd>{g.source ?? '—'}</dd>
            <dt>Mis à jour</dt>
            <dd>{formatDateTime(g.updated_at)}</dd>
          </dl>
          {g.commentaire && <p>{g.commentaire}</p>}
          {g.policies.modifier && (
            <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
              <li><Button onClick={() => setEdition(true)}>Modifier</Button></li>
              <li><Button priority="secondary" onClick={() => void supprimer()}>Supprimer</Button></li>
            </ul>
          )}
        </>
      )}
      {g.policies.portage && !edition && <Portage key={g.updated_at} g={g} onSaved={(text) => void invalidate(...INVALIDE_GISEMENT).then(() => setMsg({ ok: true, text }))} />}
      <p className={fr.cx('fr-mt-3w')}><Link to={`/foncier?gisement=${g.id}`}>Voir sur la carte</Link></p>
    </>
  );
}
