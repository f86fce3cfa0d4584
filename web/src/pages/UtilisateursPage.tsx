import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useMemo, useState, type FormEvent } from 'react';
import { ROLES, ROLE_LIBELLES, SCOPE_KIND, isRole } from '../../../shared/roles';
import { api, type Commune, type Departement, type Epci, type ListResponse, type Organisation, type User } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { TYPES_ORGANISATION } from './OrganisationsPage';
import { useSession } from '../session';
import { useTerritoire } from '../territoire';
import { useApi, useInvalidate } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';


function roleLibelle(role: string): string {
  return isRole(role) ? ROLE_LIBELLES[role] : role;
}


type Lookups = {
  communes: Map<string, string>;
  epci: Map<string, string>;
};

function perimetre(user: User, lookups: Lookups): string {
  const kind = isRole(user.role) ? SCOPE_KIND[user.role] : null;
  switch (kind) {
    case 'commune':
      return `Commune : ${user.commune_insee ? (lookups.communes.get(user.commune_insee) ?? user.commune_insee) : '—'}`;
    case 'epci':
      return `EPCI : ${user.epci_siren ? (lookups.epci.get(user.epci_siren) ?? user.epci_siren) : '—'}`;
    case 'departement':
      return `Département ${user.departement ?? '—'}`;
    case 'organisation':
      return `Organisation : ${user.organisation?.nom ?? '—'}`;
    case 'national':
      return 'National';
    default:
      return '—';
  }
}

type FormState = {
  email: string;
  nom: string;
  role: string;
  organisation_id: string;
  departement: string;
  epci_siren: string;
  commune_insee: string;
  password: string;
};

const EMPTY_FORM: FormState = {
  email: '',
  nom: '',
  role: '',
  organisation_id: '',
  departement: '',
  epci_siren: '',
  commune_insee: '',
  password: '',
};

type FieldErrors = Partial<Record<keyof FormState, string>>;

function validate(form: FormState): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim()))
    errors.email = 'Saisissez une adresse électronique valide, par exemple nom@domaine.fr.';
  if (!form.nom.trim()) errors.nom = 'Saisissez le nom de la personne.';
  if (!isRole(form.role)) {
    errors.role = 'Choisissez un rôle.';
    return errors;
  }
  const kind = SCOPE_KIND[form.role];
  if (kind === 'departement' && !form.departement) errors.departement = 'Choisissez le département.';
  if (kind === 'epci' && !form.epci_siren) errors.epci_siren = 'Choisissez l’EPCI de cet agent.';
  if (kind === 'commune' && !form.commune_insee) errors.commune_insee = 'Choisissez la commune.';
  if (kind === 'organisation' && !form.organisation_id) errors.organisation_id = 'Choisissez l’organisation.';
  if (form.password && form.password.length < 12)
    errors.password = 'Le mot de passe doit compter au moins 12 caractères.';
  return errors;
}

function CreateUserForm({
  organisations,
  communes,
  epci,
  departements,
  onCreated,
}: {
  organisations: Organisation[];
  departements: Departement[];
  communes: Commune[];
  epci: Epci[];
  onCreated: (user: User) => void;
}) {
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const { field, check, fromApi } = useFieldErrors<keyof FormState>();
  const { failure, setFailure, busy, submit } = useSubmission();
  const set = (key: keyof FormState) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const kind = isRole(form.role) ? SCOPE_KIND[form.role] : null;
  const sortedCommunes = useMemo(() => [...communes].sort((a, b) => a.nom.localeCompare(b.nom, 'fr')), [communes]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!check(validate(form))) {
      setFailure(FORM_INVALID);
      return;
    }
    await submit(async () => {
      const body: Record<string, string> = { email: form.email.trim(), nom: form.nom.trim(), role: form.role };
      if (form.organisation_id) body.organisation_id = form.organisation_id;
      if (kind === 'departement') body.departement = form.departement;
      if (kind === 'epci') body.epci_siren = form.epci_siren;
      if (kind === 'commune') body.commune_insee = form.commune_insee;
      if (form.password) body.password = form.password;
      const user = await api.post<User>('/api/v1/users', body);
      setForm(EMPTY_FORM);
      onCreated(user);
      // A 422 names the field at fault: show the message next to it too.
    }, (e: unknown) => fromApi(e, Object.keys(EMPTY_FORM)));
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="creer-titre">
      <h2 id="creer-titre">Créer un compte</h2>
      <OutcomeAlert live="assertive" outcome={failure} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input
            label="Adresse électronique"
            hintText="Format attendu : nom@domaine.fr"
            {...field('email')}
            nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'off', value: form.email, onChange: set('email') }}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input
            label="Nom"
            hintText="Prénom et nom"
            {...field('nom')}
            nativeInputProps={{ name: 'nom', autoComplete: 'off', value: form.nom, onChange: set('nom') }}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select label="Rôle" {...field('role')} nativeSelectProps={{ name: 'role', value: form.role, onChange: set('role') }}>
            <option value="" disabled>
              — Choisir un rôle —
            </option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LIBELLES[r]}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Select
            label={kind === 'organisation' ? 'Organisation' : 'Organisation (facultatif)'}
            hint={kind === 'organisation' ? 'Le compte voit les données de cette organisation.' : undefined}
            {...field('organisation_id')}
            nativeSelectProps={{ name: 'organisation_id', value: form.organisation_id, onChange: set('organisation_id') }}
          >
            <option value="">— Aucune —</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.nom} — {TYPES_ORGANISATION[o.type] ?? o.type}
              </option>
            ))}
          </Select>
        </div>
        {kind === 'departement' && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <Select
              label="Département"
              {...field('departement')}
              nativeSelectProps={{ name: 'departement', value: form.departement, onChange: set('departement') }}
            >
              <option value="">— Choisir un département —</option>
              {departements.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.nom} ({d.code})
                </option>
              ))}
            </Select>
          </div>
        )}
        {kind === 'epci' && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <Select
              label="EPCI"
              {...field('epci_siren')}
              nativeSelectProps={{ name: 'epci_siren', value: form.epci_siren, onChange: set('epci_siren') }}
            >
              <option value="">— Choisir un EPCI —</option>
              {epci.map((e) => (
                <option key={e.siren} value={e.siren}>
                  {e.nom}
                </option>
              ))}
            </Select>
          </div>
        )}
        {kind === 'commune' && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
            <Select
              label="Commune"
              {...field('commune_insee')}
              nativeSelectProps={{ name: 'commune_insee', value: form.commune_insee, onChange: set('commune_insee') }}
            >
              <option value="">— Choisir une commune —</option>
              {sortedCommunes.map((c) => (
                <option key={c.code_insee} value={c.code_insee}>
                  {c.nom} ({c.code_insee})
                </option>
              ))}
            </Select>
          </div>
        )}
        <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <Input
            label="Mot de passe initial (facultatif)"
            hintText="12 caractères au moins. Laissez vide si la personne se connecte avec ProConnect."
            {...field('password')}
            nativeInputProps={{
              name: 'password',
              type: 'password',
              autoComplete: 'new-password',
              value: form.password,
              onChange: set('password'),
            }}
          />
        </div>
      </div>
      <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
        Créer le compte
      </Button>
    </form>
  );
}

export function UtilisateursPage() {
  usePageTitle('Utilisateurs');
  const { me, can } = useSession();
  const departementQuery = useTerritoire().query;
  const manage = can('users:manage');
  const [users] = useApi<ListResponse<User>>('/api/v1/users');
  const invalidate = useInvalidate();
  const [communes] = useApi<ListResponse<Commune>>(`/api/v1/communes?${departementQuery}`);
  const [epci] = useApi<ListResponse<Epci>>(`/api/v1/epci?${departementQuery}`);
  const [organisations] = useApi<ListResponse<Organisation>>(manage ? '/api/v1/organisations' : null);
  const [departements] = useApi<ListResponse<Departement>>(manage ? '/api/v1/departements' : null);
  const { outcome: message, succeed, submit } = useSubmission(null, { invalidates: ['/api/v1/users'] });

  const lookups: Lookups = useMemo(
    () => ({
      communes: new Map(communes.status === 'ready' ? communes.data.results.map((c) => [c.code_insee, c.nom]) : []),
      epci: new Map(epci.status === 'ready' ? epci.data.results.map((e) => [e.siren, e.nom]) : []),
    }),
    [communes, epci],
  );

  function toggle(user: User) {
    return submit(async () => {
      await api.patch<User>(`/api/v1/users/${encodeURIComponent(user.id)}`, { actif: !user.actif });
      return user.actif ? `Le compte de ${user.nom} a été désactivé.` : `Le compte de ${user.nom} a été réactivé.`;
    });
  }

  const headers = ['Adresse électronique', 'Nom', 'Rôle', 'Organisation', 'Périmètre', 'Actif'];
  if (manage) headers.push('Action');

  return (
    <>
      <h1>Utilisateurs</h1>
      <OutcomeAlert live="polite" outcome={message} />
      {users.status === 'loading' && <Loading label="Chargement des comptes…" />}
      {users.status === 'error' && <Alert severity="error" small description={users.message} />}
      {users.status === 'ready' && (
        <Table
          caption={`Comptes de la plateforme (${users.data.count})`}
          headers={headers}
          data={users.data.results.map((u) => {
            const row = [
              u.email,
              u.nom,
              roleLibelle(u.role),
              u.organisation?.nom ?? '—',
              perimetre(u, lookups),
              <Badge key="a" as="span" small noIcon severity={u.actif ? 'success' : 'error'}>
                {u.actif ? 'Actif' : 'Inactif'}
              </Badge>,
            ];
            if (manage)
              row.push(
                u.id === me?.id ? (
                  '—'
                ) : (
                  <Button key="t" size="small" priority="secondary" type="button" onClick={() => void toggle(u)}>
                    {u.actif ? 'Désactiver' : 'Réactiver'}
                    <span className={fr.cx('fr-sr-only')}> le compte de {u.email}</span>
                  </Button>
                ),
              );
            return row;
          })}
        />
      )}
      {manage && (
        <div className={fr.cx('fr-mt-6w')}>
          {organisations.status === 'error' && <Alert severity="error" small description={organisations.message} />}
          <CreateUserForm
            organisations={organisations.status === 'ready' ? organisations.data.results : []}
            communes={communes.status === 'ready' ? communes.data.results : []}
            epci={epci.status === 'ready' ? epci.data.results : []}
            departements={departements.status === 'ready' ? departements.data.results : []}
            onCreated={(user) => {
              void invalidate('/api/v1/users').then(() => succeed(`Le compte de ${user.nom} (${user.email}) a été créé.`));
            }}
          />
        </div>
      )}
    </>
  );
}
