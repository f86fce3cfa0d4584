import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, errorMessage } from '../api';
import { Loading } from '../components/Loading';
import { useTerritoire } from '../territoire';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { AUDIENCES, PRODUITS, TYPES_AIDE, TYPES_OPERATION, type RechercheReponse } from './types';

const CHAMPS = ['q', 'audience', 'perimetre', 'type_aide', 'type_operation', 'produit'] as const;
type Form = Record<(typeof CHAMPS)[number], string>;

/** Public search of the aids catalogue: free text, filters, highlighted snippets (no login). */
export function AidesPage() {
  usePageTitle('Rechercher une aide');
  const [params, setParams] = useSearchParams();
  const territoire = useTerritoire();
  const initial = Object.fromEntries(CHAMPS.map((c) => [c, params.get(c) ?? ''])) as Form;
  const [form, setForm] = useState<Form>(initial);
  const page = Number(params.get('page') ?? '1');
  const query = new URLSearchParams();
  for (const c of CHAMPS) if (params.get(c)) query.set(c, params.get(c)!);
  query.set('page', String(page));
  query.set('limit', '10');
  query.set('journal', 'ui');
  const searched = CHAMPS.some((c) => params.get(c));
  const [res] = useApi<RechercheReponse>(searched ? `/api/v1/aides?${query}` : null);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const c of CHAMPS) if (form[c].trim()) next.set(c, form[c].trim());
    setParams(next);
  }

  function clic(slug: string) {
    if (res.status === 'ready' && res.data.recherche_id) void api.post(`/api/v1/aides/${slug}/clic`, { recherche_id: res.data.recherche_id }).catch(() => {});
  }

  return (
    <>
      <h1>Rechercher une aide au logement social</h1>
      <p>
        Les aides des financeurs pour produire, réhabiliter et acquérir du logement social {territoire.ready ? `dans le territoire ${territoire.du}` : 'dans le territoire'}. Les sigles usuels (LLS, PLAI, VEFA,
        QPV…) sont compris, les accents et les fautes de frappe tolérés.
      </p>
      <form onSubmit={submit} role="search" aria-label="Recherche d’aides" className={fr.cx('fr-mb-4w')}>
        <Input label="Que cherchez-vous ?" hintText="Par exemple : prêt PLAI, portage foncier EPF, réhabilitation énergétique" nativeInputProps={{ name: 'q', type: 'search', value: form.q, onChange: set('q') }} />
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Select label="Vous êtes" nativeSelectProps={{ name: 'audience', value: form.audience, onChange: set('audience') }}>
              <option value="">Tous les publics</option>
              {AUDIENCES.map((a) => (
                <option key={a.slug} value={a.slug}>
                  {a.libelle}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Input label="Territoire" hintText="Code INSEE de commune ou SIREN d’EPCI" nativeInputProps={{ name: 'perimetre', value: form.perimetre, onChange: set('perimetre') }} />
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Select label="Type d’aide" nativeSelectProps={{ name: 'type_aide', value: form.type_aide, onChange: set('type_aide') }}>
              <option value="">Tous les types</option>
              {TYPES_AIDE.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </Select>
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Select label="Type d’opération" nativeSelectProps={{ name: 'type_operation', value: form.type_operation, onChange: set('type_operation') }}>
              <option value="">Toutes les opérations</option>
              {TYPES_OPERATION.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </Select>
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Select label="Produit" nativeSelectProps={{ name: 'produit', value: form.produit, onChange: set('produit') }}>
              <option value="">Tous les produits</option>
              {PRODUITS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </Select>
          </div>
        </div>
        <Button type="submit" iconId="fr-icon-search-line" className={fr.cx('fr-mt-2w')}>
          Rechercher
        </Button>
      </form>
      {searched && res.status === 'loading' && <Loading label="Recherche en cours…" />}
      {res.status === 'error' && searched && <Alert severity="error" small description={res.message} />}
      {searched && res.status === 'ready' && (
        <section aria-labelledby="resultats">
          <div role="status">
            <h2 id="resultats">
              {res.data.count === 0 ? 'Aucune aide trouvée' : `${res.data.count} aide${res.data.count > 1 ? 's' : ''} trouvée${res.data.count > 1 ? 's' : ''}`}
            </h2>
          </div>
          {res.data.interpretation.corrections.length > 0 && (
            <p className={fr.cx('fr-text--sm')}>
              Recherche corrigée : {res.data.interpretation.corrections.map((c) => `« ${c.de} » → « ${c.vers} »`).join(', ')}
            </p>
          )}
          <ol className="aides-resultats">
            {res.data.results.map((a) => (
              <li key={a.slug} className={fr.cx('fr-mb-3w')}>
                <h3 className={fr.cx('fr-h6', 'fr-mb-1v')}>
                  <Link to={`/aides/${a.slug}`} onClick={() => clic(a.slug)}>
                    {a.name}
                  </Link>
                </h3>
                <p className={fr.cx('fr-text--sm', 'fr-mb-1v')}>
                  {a.financers.join(', ')} · {a.aid_types.join(', ')} · {a.perimeter.name}
                  {a.submission_deadline ? ` · date limite ${new Date(a.submission_deadline).toLocaleDateString('fr-FR')}` : ''}
                </p>
                {/* The snippet is HTML-escaped by the server; only <mark> elements are added. */}
                {a.extrait_html && <p className={fr.cx('fr-text--sm')} dangerouslySetInnerHTML={{ __html: a.extrait_html }} />}
              </li>
            ))}
          </ol>
          <nav aria-label="Pages de résultats" className={fr.cx('fr-mb-4w')}>
            {page > 1 && (
              <Link className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-mr-2w')} to={`/aides?${withPage(params, page - 1)}`}>
                Page précédente
              </Link>
            )}
            {page * 10 < res.data.count && (
              <Link className={fr.cx('fr-btn', 'fr-btn--secondary')} to={`/aides?${withPage(params, page + 1)}`}>
                Page suivante
              </Link>
            )}
          </nav>
          <AlerteForm q={params.get('q') ?? ''} audience={params.get('audience') ?? ''} perimetre={params.get('perimetre') ?? ''} />
        </section>
      )}
      <p>
        <Link to="/aides/eligibilite">Trouver les aides d’un projet (commune, type d’opération, produits)</Link>
      </p>
    </>
  );
}

function withPage(params: URLSearchParams, page: number) {
  const p = new URLSearchParams(params);
  p.set('page', String(page));
  return p.toString();
}

/** Save the search: new matching aids by e-mail, after a confirmation link (double opt-in). */
function AlerteForm({ q, audience, perimetre }: { q: string; audience: string; perimetre: string }) {
  const [email, setEmail] = useState('');
  const [frequence, setFrequence] = useState('hebdomadaire');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await api.post<{ message: string }>('/api/v1/aides/alertes', {
        email,
        frequence,
        ...(q ? { q } : {}),
        ...(audience ? { audience: [audience] } : {}),
        ...(perimetre ? { perimetre } : {}),
      });
      setMessage({ ok: true, text: r.message });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  }
  return (
    <form onSubmit={submit} aria-labelledby="alerte-titre" className={fr.cx('fr-p-3w', 'fr-mb-4w')} style={{ background: 'var(--background-alt-grey)' }}>
      <h2 id="alerte-titre" className={fr.cx('fr-h6')}>
        Recevoir les nouvelles aides de cette recherche
      </h2>
      <Input label="Adresse électronique" nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'email', required: true, value: email, onChange: (e) => setEmail(e.target.value) }} />
      <Select label="Fréquence" nativeSelectProps={{ name: 'frequence', value: frequence, onChange: (e) => setFrequence(e.target.value) }}>
        <option value="quotidienne">Chaque jour</option>
        <option value="hebdomadaire">Chaque semaine</option>
      </Select>
      <Button type="submit" priority="secondary">
        Créer l’alerte
      </Button>
      {message && <Alert className={fr.cx('fr-mt-2w')} severity={message.ok ? 'success' : 'error'} small description={message.text} />}
    </form>
  );
}
