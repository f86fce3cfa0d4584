import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useRef, useState, type FormEvent } from 'react';
import { JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS } from '../../../shared/jetons';
import { api, type ApiToken, type CreatedApiToken, type Me } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { formatDate, formatDateTime, formatScope } from '../format';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useFieldErrors, useSubmission } from '../useSubmission';

function tokenState(token: ApiToken): { label: string; severity: 'success' | 'error' | 'warning' } {
  if (token.revoked_at) return { label: 'Révoqué', severity: 'error' };
  if (token.expires_at && new Date(token.expires_at).getTime() <= Date.now())
    return { label: 'Expiré', severity: 'warning' };
  return { label: 'Actif', severity: 'success' };
}

function Profil({ me }: { me: Me }) {
  return (
    <section aria-labelledby="profil-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="profil-titre">Mes informations</h2>
      <dl>
        <dt className={fr.cx('fr-text--bold')}>Nom</dt>
        <dd>{me.nom}</dd>
        <dt className={fr.cx('fr-text--bold')}>Adresse électronique</dt>
        <dd>{me.email}</dd>
        <dt className={fr.cx('fr-text--bold')}>Rôle</dt>
        <dd>{me.role_libelle}</dd>
        <dt className={fr.cx('fr-text--bold')}>Organisation</dt>
        <dd>{me.organisation?.nom ?? 'aucune'}</dd>
        <dt className={fr.cx('fr-text--bold')}>Périmètre</dt>
        <dd>{formatScope(me)}</dd>
      </dl>
    </section>
  );
}

function Jetons() {
  const [tokens, reload] = useApi<{ results: ApiToken[] }>('/api/v1/tokens');
  const [nom, setNom] = useState('');
  const [days, setDays] = useState(String(JETON_DUREE_DEFAUT_JOURS));
  const { field, check } = useFieldErrors<'nom' | 'days'>();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const { outcome: message, busy, submit } = useSubmission();
  const [copied, setCopied] = useState(false);
  const createdRef = useRef<HTMLDivElement>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: { nom?: string; days?: string } = {};
    if (!nom.trim()) errors.nom = 'Donnez un nom au jeton, par exemple « Script de suivi ».';
    const n = days.trim() === '' ? undefined : Number(days);
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > JETON_DUREE_MAX_JOURS))
      errors.days = `Saisissez un nombre entier de jours entre 1 et ${JETON_DUREE_MAX_JOURS}, ou laissez vide pour ${JETON_DUREE_DEFAUT_JOURS} jours.`;
    if (!check(errors)) return;
    setCopied(false);
    await submit(async () => {
      const token = await api.post<CreatedApiToken>('/api/v1/tokens', {
        nom: nom.trim(),
        ...(n === undefined ? {} : { expires_in_days: n }),
      });
      setCreated(token);
      setNom('');
      setDays(String(JETON_DUREE_DEFAUT_JOURS));
      reload();
      // Move to the one-time display so that it is not missed.
      setTimeout(() => createdRef.current?.focus(), 0);
    });
  }

  function onRevoke(token: ApiToken) {
    return submit(async () => {
      await api.delete(`/api/v1/tokens/${encodeURIComponent(token.id)}`);
      if (created?.id === token.id) setCreated(null);
      reload();
      return `Le jeton « ${token.nom} » a été révoqué.`;
    });
  }

  async function copy(value: string) {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <section aria-labelledby="jetons-titre">
      <h2 id="jetons-titre">Mes jetons d’accès à l’API</h2>
      <p>
        Un jeton permet à un programme d’utiliser l’API d’Atelier en votre nom, avec vos droits. Envoyez-le dans
        l’en-tête <code>Authorization: Bearer &lt;jeton&gt;</code>. Il expire après la durée choisie à sa création ; révoquez-le
        dès qu’il ne sert plus. Un jeton ne peut pas en créer d’autres : on les crée ici.
      </p>

      <OutcomeAlert live="polite" outcome={message} />

      {created && (
        <div ref={createdRef} tabIndex={-1} className={fr.cx('fr-mb-4w')}>
          <Alert
            severity="success"
            title={`Jeton « ${created.nom} » créé`}
            description={
              <>
                <p>
                  Copiez ce jeton maintenant : <strong>il ne sera plus jamais affiché</strong>. Si vous le perdez,
                  révoquez-le et créez-en un autre.
                </p>
                {created.expires_at && <p>Il expirera le {formatDateTime(created.expires_at)}.</p>}
                <p>
                  <code className="atelier-jeton" data-testid="jeton-en-clair">
                    {created.token}
                  </code>
                </p>
                <Button
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-clipboard-line"
                  type="button"
                  onClick={() => void copy(created.token)}
                >
                  {copied ? 'Jeton copié' : 'Copier le jeton'}
                </Button>
              </>
            }
          />
        </div>
      )}

      <h3>Créer un jeton</h3>
      <form onSubmit={onCreate} noValidate className={fr.cx('fr-mb-6w')}>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-grid-row--bottom')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-5')}>
            <Input
              label="Nom du jeton"
              hintText="Pour le reconnaître, par exemple « Tableau de bord SIG »"
              {...field('nom')}
              nativeInputProps={{ name: 'nom', value: nom, maxLength: 100, onChange: (e) => setNom(e.target.value) }}
            />
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Input
              label="Durée de validité en jours"
              hintText={`${JETON_DUREE_DEFAUT_JOURS} jours par défaut, ${JETON_DUREE_MAX_JOURS} au plus : le jeton cesse ensuite de fonctionner`}
              {...field('days')}
              nativeInputProps={{
                name: 'expires_in_days',
                type: 'number',
                inputMode: 'numeric',
                min: 1,
                max: JETON_DUREE_MAX_JOURS,
                value: days,
                onChange: (e) => setDays(e.target.value),
              }}
            />
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
            <Button type="submit" disabled={busy} className={fr.cx('fr-mb-3v')}>
              Créer le jeton
            </Button>
          </div>
        </div>
      </form>

      {tokens.status === 'loading' && <Loading label="Chargement des jetons…" />}
      {tokens.status === 'error' && <Alert severity="error" small description={tokens.message} />}
      {tokens.status === 'ready' &&
        (tokens.data.results.length === 0 ? (
          <p>Vous n’avez encore aucun jeton.</p>
        ) : (
          <Table
            caption="Mes jetons"
            headers={['Nom', 'Préfixe', 'Créé le', 'Expire le', 'Dernière utilisation', 'État', 'Action']}
            data={tokens.data.results.map((t) => {
              const state = tokenState(t);
              return [
                t.nom,
                <code key="p">{t.prefixe}…</code>,
                formatDateTime(t.created_at),
                t.expires_at ? formatDate(t.expires_at) : 'jamais',
                t.last_used_at ? formatDateTime(t.last_used_at) : 'jamais',
                <Badge key="s" as="span" severity={state.severity} small noIcon>
                  {state.label}
                </Badge>,
                t.revoked_at ? (
                  '—'
                ) : (
                  <Button
                    key="r"
                    size="small"
                    priority="tertiary"
                    type="button"
                    onClick={() => void onRevoke(t)}
                  >
                    Révoquer<span className={fr.cx('fr-sr-only')}> le jeton « {t.nom} »</span>
                  </Button>
                ),
              ];
            })}
          />
        ))}
    </section>
  );
}

export function ComptePage() {
  usePageTitle('Mon compte');
  const { me, can } = useSession();
  if (!me) return null;
  return (
    <>
      <h1>Mon compte</h1>
      <Profil me={me} />
      {can('tokens:own') && <Jetons />}
    </>
  );
}
