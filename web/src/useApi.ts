import { QueryClient, keepPreviousData, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, api, errorMessage } from './api';

/**
 * The UI's data layer: every GET of the API goes through TanStack Query's cache.
 *
 * - **The key of a GET is its path**: `/api/v1/operations/42/concertations?x=1` is cached under
 *   `['operations', '42', 'concertations', { x: '1' }]`, so a resource's key is a prefix of the keys
 *   of everything under it, and invalidating `['operations', '42']` refreshes the sheet and its
 *   sub-resources, `['operations']` every list and sheet of the register.
 * - **Rule tables and reference data** (`…/referentiel`, `/departements`, communes, EPCI, contours)
 *   are cached under `['reference', …]` and never refetched: they change with a deployment, not
 *   with a user's write, and no invalidation of a resource touches them.
 * - **After a write**, the form invalidates the resources it changed (`useSubmission`'s
 *   `invalidates`, or `useInvalidate`); the queries on screen refetch, the others on their next use.
 */

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string; httpStatus: number | undefined }
  | { status: 'ready'; data: T };

const REFERENCE = [/^\/api\/v1\/(communes|epci|departements|geo)(\/|\?|$)/, /\/referentiel(\?|$)/];

/** Whether a path serves reference data (cached for the life of the page). */
export function isReference(path: string): boolean {
  return REFERENCE.some((r) => r.test(path));
}

/** The cache key of a GET of the API: its path's segments, then its query parameters. */
export function keyOf(path: string): QueryKey {
  const [pathname = '', search = ''] = path.split('?', 2);
  const segments = pathname.replace(/^\/api\/v1\//, '').split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search);
  const query: Record<string, string> = {};
  for (const [k, v] of params) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const key: unknown[] = isReference(path) ? ['reference', ...segments] : segments;
  if (Object.keys(query).length > 0) key.push(query);
  return key;
}

/** The one query client of the page. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 404 is an answer, not a glitch: no retries (they would delay the "not found" page).
        retry: false,
        // A form being filled in is keyed on its record's version: no surprise refetch on focus.
        refetchOnWindowFocus: false,
      },
    },
  });
}

type Options = {
  /** Keep showing the previous answer while the next one loads (lists whose filters change). */
  keepPrevious?: boolean;
};

/** GETs `path` (or nothing when `null`) through the cache. `reload()` refetches it. */
export function useApi<T>(path: string | null, options: Options = {}): [Loadable<T>, () => void] {
  const reference = path !== null && isReference(path);
  const query = useQuery({
    queryKey: path === null ? ['disabled'] : keyOf(path),
    queryFn: () => api.get<T>(path!),
    enabled: path !== null,
    staleTime: reference ? Infinity : 0,
    gcTime: reference ? Infinity : undefined,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  let state: Loadable<T>;
  if (query.data !== undefined && query.status !== 'error') state = { status: 'ready', data: query.data };
  else if (query.status === 'error')
    state = {
      status: 'error',
      message: errorMessage(query.error),
      httpStatus: query.error instanceof ApiError ? query.error.status : undefined,
    };
  else state = { status: 'loading' };
  return [state, reload];
}

/** Resources a write changed, as paths of the API or keys (`'/api/v1/operations/42'`, `['revues']`). */
export type Invalidation = string | QueryKey;

/** Marks the given resources stale and waits for those on screen to be fetched again. */
export function useInvalidate(): (...targets: Invalidation[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    async (...targets: Invalidation[]) => {
      await Promise.all(targets.map((t) => client.invalidateQueries({ queryKey: typeof t === 'string' ? keyOf(t) : t })));
    },
    [client],
  );
}
