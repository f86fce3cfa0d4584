import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorMessage } from '../api';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../usePageTitle';

/** Landing page of the links sent by e-mail: confirm (double opt-in) or unsubscribe. */
export function AlertePage({ action }: { action: 'confirmer' | 'desabonner' }) {
  usePageTitle(action === 'confirmer' ? 'Confirmer mon alerte' : 'Supprimer mon alerte');
  const [params] = useSearchParams();
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api
      .post<{ message: string }>(`/api/v1/aides/alertes/${action}`, { jeton: params.get('jeton') ?? '' })
      .then((r) => setState({ ok: true, text: r.message }))
      .catch((e: unknown) => setState({ ok: false, text: errorMessage(e) }));
  }, [action, params]);
  return (
    <>
      <h1>{action === 'confirmer' ? 'Confirmer mon alerte' : 'Supprimer mon alerte'}</h1>
      {state ? <Alert severity={state.ok ? 'success' : 'error'} small description={state.text} /> : <Loading />}
    </>
  );
}
