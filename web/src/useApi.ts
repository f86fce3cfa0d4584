import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from './api';

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string; httpStatus: number | undefined }
  | { status: 'ready'; data: T };

/** GETs `path` (or nothing when `null`) and re-fetches when it changes or on `reload()`. */
export function useApi<T>(path: string | null): [Loadable<T>, () => void] {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    setState({ status: 'loading' });
    api
      .get<T>(path)
      .then((data) => {
        if (!cancelled) setState({ status: 'ready', data });
      })
      .catch((error: unknown) => {
        if (!cancelled)
          setState({
            status: 'error',
            message: errorMessage(error),
            httpStatus: (error as { status?: number }).status,
          });
      });
    return () => {
      cancelled = true;
    };
  }, [path, generation]);

  return [state, reload];
}
