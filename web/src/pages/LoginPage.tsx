import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { ProConnectButton } from '@codegouvfr/react-dsfr/ProConnectButton';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { FORM_INVALID, useFieldErrors, useSubmission } from '../useSubmission';

/** Messages for `?erreur=` set by the server when the ProConnect sign-in fails. */
const OIDC_ERRORS: Record<string, string> = {
  'compte-inconnu':
    'Votre identité ProConnect a bien été vérifiée, mais aucun compte Atelier ne correspond à votre adresse électronique. Demandez à l’administrateur de la plateforme de vous créer un compte.',
  oidc: 'La connexion avec ProConnect a échoué. Veuillez réessayer ou vous connecter avec votre mot de passe.',
};

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeRedirect(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

export function LoginPage() {
  usePageTitle('Connexion');
  const { me, login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get('redirect'));
  const oidcError = params.get('erreur');

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { field, check } = useFieldErrors<'email' | 'password'>();
  const { failure: error, setFailure: setError, busy: submitting, submit } = useSubmission();
  const [proConnect, setProConnect] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .get<{ enabled: boolean }>('/api/v1/auth/oidc/config')
      .then((config) => {
        if (!cancelled) setProConnect(config.enabled === true);
      })
      .catch(() => {
        // Without the configuration, only the password form is offered.
      });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  if (me && !submitting) return <Navigate to={redirect} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: { email?: string; password?: string } = {};
    if (!email.trim()) errors.email = 'Saisissez votre adresse électronique.';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()))
      errors.email = 'Saisissez une adresse électronique valide, par exemple nom@domaine.fr.';
    if (!password) errors.password = 'Saisissez votre mot de passe.';
    if (!check(errors)) {
      setError(FORM_INVALID);
      return;
    }
    await submit(async () => {
      await login(email.trim(), password);
      navigate(redirect, { replace: true });
    });
  }

  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
        <h1>Connexion à Atelier</h1>

        {oidcError && (
          <Alert
            className={fr.cx('fr-mb-4w')}
            severity="error"
            title="Connexion avec ProConnect impossible"
            description={OIDC_ERRORS[oidcError] ?? OIDC_ERRORS.oidc}
          />
        )}

        {proConnect && (
          <section className={fr.cx('fr-mb-4w')} aria-labelledby="titre-proconnect">
            <h2 id="titre-proconnect" className={fr.cx('fr-h5')}>
              Avec ProConnect
            </h2>
            <ProConnectButton url={`/api/v1/auth/oidc/login?redirect=${encodeURIComponent(redirect)}`} />
            <p className={fr.cx('fr-hr-or', 'fr-mt-2w')}>ou</p>
          </section>
        )}

        <section aria-labelledby="titre-identifiants">
          <h2 id="titre-identifiants" className={fr.cx('fr-h5')}>
            Avec votre adresse électronique
          </h2>
          <div ref={errorRef} tabIndex={-1} aria-live="assertive">
            {error && (
              <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={error} />
            )}
          </div>
          <form onSubmit={onSubmit} noValidate>
            <fieldset className={fr.cx('fr-fieldset')} aria-label="Identifiants">
              <div className={fr.cx('fr-fieldset__element')}>
                <Input
                  label="Adresse électronique"
                  hintText="Format attendu : nom@domaine.fr"
                  {...field('email')}
                  nativeInputProps={{
                    type: 'email',
                    name: 'email',
                    autoComplete: 'username',
                    required: true,
                    value: email,
                    onChange: (e) => setEmail(e.target.value),
                  }}
                />
              </div>
              <div className={fr.cx('fr-fieldset__element')}>
                <Input
                  label="Mot de passe"
                  {...field('password')}
                  nativeInputProps={{
                    type: 'password',
                    name: 'password',
                    autoComplete: 'current-password',
                    required: true,
                    value: password,
                    onChange: (e) => setPassword(e.target.value),
                  }}
                />
              </div>
              <div className={fr.cx('fr-fieldset__element')}>
                <Button type="submit" disabled={submitting}>
                  {submitting ? 'Connexion en cours…' : 'Se connecter'}
                </Button>
              </div>
            </fieldset>
          </form>
        </section>
      </div>
    </div>
  );
}
