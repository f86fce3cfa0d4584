import { Alert } from '@codegouvfr/react-dsfr/Alert';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Access } from '../sections';
import { isAllowed } from '../sections';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';

function Forbidden() {
  usePageTitle('Accès refusé');
  return (
    <>
      <h1>Accès refusé</h1>
      <Alert
        severity="error"
        title="Vous n’avez pas accès à cette page"
        description="Votre rôle ne donne pas les droits nécessaires pour consulter cette page. Si vous pensez qu’il s’agit d’une erreur, contactez l’administrateur de la plateforme."
      />
    </>
  );
}

/**
 * Renders its children only if the signed-in user may open the page: anonymous users go to the
 * sign-in page (and come back after), users without the permission get an explicit refusal.
 * The server enforces the same rules: this only spares users a page of errors.
 */
export function RequireAccess({ access, children }: { access: Access; children: ReactNode }) {
  const { me, can } = useSession();
  const location = useLocation();
  if (access.kind !== 'public' && !me) {
    const redirect = `${location.pathname}${location.search}`;
    return <Navigate to={`/connexion?redirect=${encodeURIComponent(redirect)}`} replace />;
  }
  if (!isAllowed(access, Boolean(me), can)) return <Forbidden />;
  return <>{children}</>;
}
