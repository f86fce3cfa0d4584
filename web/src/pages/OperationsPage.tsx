import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  api,
  type Commune,
  type Epci,
  type ListResponse,
  type Me,
  type Operation,
  type OperationPage,
  type Organisation,
  type Referentiel,
} from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { formatInteger } from '../format';
import { CHAMPS_OPERATION } from '../../../shared/operations/champs';
import { operationCreateSchema } from '../../../shared/operations/operation.schema';
import { PRODUIT_KEYS, type Produit } from '../../../shared/operations/referentiel';
import { nombre } from '../saisie';
import { INVALIDE_OPERATION, filtersQuery } from '../operations/referentiel';
import { useReferentiel } from '../operations/referentiel';
import { EnDifficulteBadge } from '../components/badges';
import { useSession } from '../session';
import { useTerritoire } from '../territoire';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';

const PAGE_SIZE = 20;

type FiltersForm = { epci: string; commune: string; etape: string; en_difficulte: string; annee: string; q: string };

function Filters({
  params,
  referentiel,
  communes,
  epci,
  onApply,
}: {
  params: URLSearchParams;
  referentiel: Referentiel | undefined;
  communes: Commune[];
  epci: Epci[];
  onApply: (values: FiltersForm) => void;
}) {
  const initial: FiltersForm = {
    epci: params.get('epci') ?? '',
    commune: params.get('commune') ?? '',
    etape: params.get('etape') ?? '',
    en_difficulte: params.get('en_difficulte') ?? '',
    annee: params.get('annee') ?? '',
    q: params.get('q') ?? '',
  };
  const [form, setForm] = useState<FiltersForm>(initial);
  const set = (key: keyof FiltersForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(form);
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="filtres-titre" className={fr.cx('fr-mb-4w')}>
      <h2 id="filtres-titre" className={fr.cx('fr-h4')}>
        Filtrer les opérations
      </h2>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input label="Recherche" hintText="Nom de l’opération ou n° SIAP" nativeInputProps={{ name: 'q', type: 'search', value: form.q, onChange: set('q') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="EPCI" nativeSelectProps={{ name: 'epci', value: form.epci, onChange: set('epci') }}>
            <option value="">Tous les EPCI</option>
            {epci.map((e) => (
              <option key={e.siren} value={e.siren}>
                {e.nom}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="Commune" nativeSelectProps={{ name: 'commune', value: form.commune, onChange: set('commune') }}>
            <option value="">Toutes les communes</option>
            {communes.map((c) => (
              <option key={c.code_insee} value={c.code_insee}>
                {c.nom} ({c.code_insee})
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="Étape" nativeSelectProps={{ name: 'etape', value: form.etape, onChange: set('etape') }}>
            <option value="">Toutes les étapes</option>
            {referentiel?.etapes.map((e) => (
              <option key={e.code} value={e.code}>
                {e.libelle}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Select label="Situation" nativeSelectProps={{ name: 'en_difficulte', value: form.en_difficulte, onChange: set('en_difficulte') }}>
            <option value="">Toutes les opérations</option>
            <option value="true">En difficulté</option>
            <option value="false">Sans difficulté</option>
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <Input
            label="Année de programmation"
            hintText="Par exemple 2025"
            nativeInputProps={{ name: 'annee', type: 'number', min: 1990, max: 2100, value: form.annee, onChange: set('annee') }}
          />
        </div>
      </div>
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-2w')}>
        <li>
          <Button type="submit">Filtrer</Button>
        </li>
        <li>
          <Button
            type="button"
            priority="secondary"
            onClick={() => {
              const empty = { epci: '', commune: '', etape: '', en_difficulte: '', annee: '', q: '' };
              setForm(empty);
              onApply(empty);
            }}
          >
            Effacer les filtres
          </Button>
        </li>
      </ul>
    </form>
  );
}

type DeclareForm = {
  nom: string;
  commune_insee: string;
  type: string;
  bailleur_id: string;
  annee_programmation: string;
  adresse: string;
  numero_siap: string;
  logements: Record<string, string>;
};

/** The fields whose errors the form shows next to them (the products' too). */
type DeclareChamp = 'nom' | 'commune_insee' | 'type' | 'bailleur_id' | 'annee_programmation' | 'adresse' | 'numero_siap' | Produit;

/** Communes where the user may declare an operation (their own scope). */
function communesOffertes(me: Me, communes: Commune[]): Commune[] {
  if (me.scope.type === 'commune' && me.scope.code) return communes.filter((c) => c.code_insee === me.scope.code);
  if (me.scope.type === 'epci' && me.scope.code) return communes.filter((c) => c.epci?.siren === me.scope.code);
  return communes;
}

function DeclareOperationForm({
  me,
  referentiel,
  communes,
  onCreated,
}: {
  me: Me;
  referentiel: Referentiel;
  communes: Commune[];
  onCreated: (operation: Operation) => void;
}) {
  // A landlord declares its own operations: the server fills the landlord in.
  const isBailleur = me.organisation?.type === 'bailleur';
  const [bailleurs] = useApi<ListResponse<Organisation>>(isBailleur ? null : '/api/v1/organisations?type=bailleur');
  const offered = useMemo(() => communesOffertes(me, communes), [me, communes]);
  const emptyForm: DeclareForm = {
    nom: '',
    commune_insee: offered.length === 1 ? offered[0]!.code_insee : '',
    type: '',
    bailleur_id: '',
    annee_programmation: '',
    adresse: '',
    numero_siap: '',
    logements: {},
  };
  const [form, setForm] = useState<DeclareForm>(emptyForm);
  const { field, fromApi, validate } = useFieldErrors<DeclareChamp>();
  const { failure, setFailure, busy, submit } = useSubmission(null, { invalidates: INVALIDE_OPERATION });
  const set = (key: Exclude<keyof DeclareForm, 'logements'>) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const logements: Record<string, number | undefined> = {};
    for (const [k, v] of Object.entries(form.logements)) if (v.trim() !== '') logements[k] = nombre(v);
    const body: Record<string, unknown> = { nom: form.nom.trim(), commune_insee: form.commune_insee, type: form.type };
    // A landlord's own operations need no landlord: the server fills it in.
    if (!isBailleur) body.bailleur_id = form.bailleur_id;
    if (form.annee_programmation.trim()) body.annee_programmation = nombre(form.annee_programmation);
    if (form.adresse.trim()) body.adresse = form.adresse.trim();
    if (form.numero_siap.trim()) body.numero_siap = form.numero_siap.trim();
    if (Object.keys(logements).length > 0) body.logements = logements;
    // The API's own schema (shared/operations): what it would refuse is said next to the field, before sending.
    if (!validate(operationCreateSchema, body)) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const created = await api.post<Operation>('/api/v1/operations', body);
      setForm(emptyForm);
      onCreated(created);
    }, (e: unknown) => fromApi(e, Object.keys(emptyForm)));
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="declarer-titre">
      <h2 id="declarer-titre">Déclarer une opération</h2>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label={CHAMPS_OPERATION.nom.libelle} {...field('nom')} nativeInputProps={{ name: 'nom', autoComplete: 'off', value: form.nom, onChange: set('nom') }} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label={CHAMPS_OPERATION.commune_insee.libelle} {...field('commune_insee')} nativeSelectProps={{ name: 'commune_insee', value: form.commune_insee, onChange: set('commune_insee') }}>
            <option value="">— Choisir une commune —</option>
            {offered.map((c) => (
              <option key={c.code_insee} value={c.code_insee}>
                {c.nom} ({c.code_insee})
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label={CHAMPS_OPERATION.type.libelle} {...field('type')} nativeSelectProps={{ name: 'type', value: form.type, onChange: set('type') }}>
            <option value="">— Choisir un type —</option>
            {Object.entries(referentiel.types_operation).map(([code, libelle]) => (
              <option key={code} value={code}>
                {libelle}
              </option>
            ))}
          </Select>
        </div>
        {!isBailleur && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <Select label={CHAMPS_OPERATION.bailleur_id.libelle} {...field('bailleur_id')} nativeSelectProps={{ name: 'bailleur_id', value: form.bailleur_id, onChange: set('bailleur_id') }}>
              <option value="">— Choisir un bailleur —</option>
              {bailleurs.status === 'ready' &&
                bailleurs.data.results.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.nom}
                  </option>
                ))}
            </Select>
          </div>
        )}
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input
            label={`${CHAMPS_OPERATION.annee_programmation.libelle} (facultatif)`}
            {...field('annee_programmation')}
            nativeInputProps={{ name: 'annee_programmation', inputMode: 'numeric', value: form.annee_programmation, onChange: set('annee_programmation') }}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input label={`${CHAMPS_OPERATION.numero_siap.libelle} (facultatif)`} {...field('numero_siap')} nativeInputProps={{ name: 'numero_siap', autoComplete: 'off', value: form.numero_siap, onChange: set('numero_siap') }} />
        </div>
        <div className={fr.cx('fr-col-12')}>
          <Input label={`${CHAMPS_OPERATION.adresse.libelle} (facultatif)`} {...field('adresse')} nativeInputProps={{ name: 'adresse', autoComplete: 'off', value: form.adresse, onChange: set('adresse') }} />
        </div>
      </div>
      <fieldset className={fr.cx('fr-fieldset', 'fr-mt-2w')}>
        <legend className={fr.cx('fr-fieldset__legend')}>{CHAMPS_OPERATION.logements.libelle} (facultatif)</legend>
        {PRODUIT_KEYS.map((code) => (
          <div key={code} className={fr.cx('fr-fieldset__element', 'fr-fieldset__element--inline')}>
            <Input
              label={CHAMPS_OPERATION[code].libelle}
              {...field(code)}
              nativeInputProps={{
                name: `logements_${code}`,
                type: 'number',
                min: 0,
                value: form.logements[code] ?? '',
                onChange: (e) => setForm((f) => ({ ...f, logements: { ...f.logements, [code]: e.target.value } })),
              }}
            />
          </div>
        ))}
      </fieldset>
      <Button type="submit" disabled={busy}>
        Déclarer l’opération
      </Button>
    </form>
  );
}

export function OperationsPage() {
  usePageTitle('Opérations');
  const { me, can } = useSession();
  const departementQuery = useTerritoire().query;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const referentiel = useReferentiel();
  const [communes] = useApi<ListResponse<Commune>>(`/api/v1/communes?${departementQuery}`);
  const [epci] = useApi<ListResponse<Epci>>(`/api/v1/epci?${departementQuery}`);
  const filters = filtersQuery(params);
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const listQuery = new URLSearchParams(filters);
  listQuery.set('page', String(page));
  listQuery.set('limit', String(PAGE_SIZE));
  const [operations] = useApi<OperationPage>(`/api/v1/operations?${listQuery.toString()}`);
  const sortedCommunes = useMemo(
    () => (communes.status === 'ready' ? [...communes.data.results].sort((a, b) => a.nom.localeCompare(b.nom, 'fr')) : []),
    [communes],
  );
  const ref = referentiel.status === 'ready' ? referentiel.data : undefined;
  const exportQuery = filters.toString();
  const pages = operations.status === 'ready' ? Math.max(1, Math.ceil(operations.data.count / operations.data.limit)) : 1;

  function pageLink(n: number) {
    const q = new URLSearchParams(filters);
    if (n > 1) q.set('page', String(n));
    const s = q.toString();
    return { to: s ? `/operations?${s}` : '/operations' };
  }

  return (
    <>
      <h1>Opérations</h1>
      <p>
        Le registre des opérations de logement social de votre périmètre, de l’identification du projet à la livraison.
        Une opération est « en difficulté » quand un blocage est ouvert ou qu’une échéance prévue est dépassée.
      </p>
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-btns-group--icon-left')}>
        <li>
          <a
            className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-icon-download-line')}
            href={`/api/v1/operations/export.xlsx${exportQuery ? `?${exportQuery}` : ''}`}
            download
          >
            Exporter (Excel)
          </a>
        </li>
        <li>
          <a
            className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-icon-download-line')}
            href={`/api/v1/operations/export.csv${exportQuery ? `?${exportQuery}` : ''}`}
            download
          >
            Exporter (CSV)
          </a>
        </li>
        {can('operations:import') && (
          <li>
            <Link className={fr.cx('fr-btn', 'fr-btn--tertiary')} to="/operations/import">
              Importer des opérations
            </Link>
          </li>
        )}
      </ul>
      <Filters
        key={params.toString()}
        params={params}
        referentiel={ref}
        communes={sortedCommunes}
        epci={epci.status === 'ready' ? epci.data.results : []}
        onApply={(values) => {
          const next = new URLSearchParams();
          for (const [k, v] of Object.entries(values)) if (v.trim()) next.set(k, v.trim());
          setParams(next);
        }}
      />
      {operations.status === 'loading' && <Loading label="Chargement des opérations…" />}
      {operations.status === 'error' && <Alert severity="error" small description={operations.message} />}
      {operations.status === 'ready' &&
        (operations.data.count === 0 ? (
          <p role="status">Aucune opération ne correspond à ces critères.</p>
        ) : (
          <>
            <Table
              caption={`Opérations (${operations.data.count})`}
              headers={['Opération', 'Commune', 'Bailleur', 'Type', 'Logements', 'Étape', 'Situation']}
              data={operations.data.results.map((o) => [
                <Link key="n" to={`/operations/${o.id}`}>
                  {o.nom}
                </Link>,
                o.commune.nom,
                o.bailleur.nom,
                o.type_libelle,
                formatInteger(o.logements.total),
                o.etape_libelle,
                o.en_difficulte ? <EnDifficulteBadge key="d" /> : '—',
              ])}
            />
            {pages > 1 && <Pagination key={page} count={pages} defaultPage={page} getPageLinkProps={pageLink} showFirstLast />}
          </>
        ))}
      {can('operations:write') && me && ref && communes.status === 'ready' && (
        <div className={fr.cx('fr-mt-6w')}>
          <DeclareOperationForm
            me={me}
            referentiel={ref}
            communes={sortedCommunes}
            onCreated={(operation) => navigate(`/operations/${operation.id}`, { state: { created: true } })}
          />
        </div>
      )}
    </>
  );
}
