import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, onUnauthorized, setCsrfToken, type LoginResponse, type Me } from './api';

type SessionState = {
  /** `undefined` while the first `/api/v1/me` is in flight, `null` when anonymous. */
  me: Me | null | undefined;
  login: (email: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  /** The permissions come from the server; the UI never derives them from the role. */
  can: (permission: string) => boolean;
};

const SessionContext = createContext<SessionState | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/v1/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const queryClient = useQueryClient();
  // What one user was shown is never shown to the next one: the query cache is emptied whenever
  // the signed-in user changes (sign-in, sign-out, session ended on the server), before the change.
  const current = useRef<string | null | undefined>(undefined);
  const changeUser = useCallback(
    (next: Me | null) => {
      if (current.current !== undefined && current.current !== (next?.id ?? null)) queryClient.clear();
      current.current = next?.id ?? null;
      setMe(next);
    },
    [queryClient],
  );

  const refresh = useCallback(async () => {
    try {
      changeUser(await fetchMe());
    } catch {
      changeUser(null);
    }
  }, [changeUser]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The session ended on the server (expiry, sign-out elsewhere, account deactivated).
  useEffect(() => onUnauthorized(() => changeUser(null)), [changeUser]);

  const login = useCallback(async (email: string, password: string) => {
    const answer = await api.post<LoginResponse>('/api/v1/auth/login', { email, password });
    setCsrfToken(answer.csrf_token);
    changeUser(answer.user);
    return answer.user;
  }, [changeUser]);

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/api/v1/auth/logout');
    } finally {
      setCsrfToken(null);
      changeUser(null);
    }
  }, [changeUser]);

  const value = useMemo<SessionState>(
    () => ({
      me,
      login,
      logout,
      refresh,
      can: (permission) => me?.permissions.includes(permission) ?? false,
    }),
    [me, login, logout, refresh],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
