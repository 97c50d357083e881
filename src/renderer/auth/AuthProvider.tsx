import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Access, MethodOutput, Permission } from '../../shared/contract/index';
import { connectEvents, disconnectEvents, onEvent, rpc } from '../api/client';
import { events } from '../../shared/contract/index';
import type { EventName } from '../../shared/contract/index';
import { setOfficeTimeZone } from '../lib/format';
import { applyOfficeLanguage } from '../i18n';

type Status = MethodOutput<'auth.status'>;

interface AuthValue {
  status: Status | undefined;
  loading: boolean;
  user: Status['user'];
  can(access: Access): boolean;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);
const EVENT_NAMES = Object.keys(events) as EventName[];

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['auth.status'],
    queryFn: () => rpc('auth.status', {}),
    staleTime: Infinity,
    retry: 1,
  });
  const user = q.data?.user ?? null;
  const loggingOut = useRef(false);
  useEffect(() => {
    if (q.data) applyOfficeLanguage(q.data.language);
  }, [q.data]);

  const refresh = useCallback(async () => {
    await qc.invalidateQueries();
  }, [qc]);

  /** Forget everything cached under the old session, then ask again who we are. */
  const resetSession = useCallback(async () => {
    disconnectEvents();
    qc.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth.status' });
    await qc.refetchQueries({ queryKey: ['auth.status'] });
  }, [qc]);

  // Event stream follows the session: open after login, close on logout.
  useEffect(() => {
    if (!user) return;
    connectEvents(EVENT_NAMES);
    const offEnded = onEvent('auth.sessionEnded', ({ reason }) => {
      // A logout from this window needs no notice; a session ended elsewhere (password reset,
      // deactivation, logout in another tab) does.
      if (reason !== 'logout' || !loggingOut.current)
        notifications.show({ color: 'orange', message: t('auth.sessionEnded') });
      void resetSession();
    });
    const offSettings = onEvent('settings.changed', (s) => {
      setOfficeTimeZone(s.timeZone);
      qc.setQueryData(['settings.get'], s);
    });
    return () => {
      offEnded();
      offSettings();
      disconnectEvents();
    };
  }, [user, qc, t, resetSession]);

  const settings = useQuery({
    queryKey: ['settings.get'],
    queryFn: () => rpc('settings.get', {}),
    enabled: !!user,
  });
  useEffect(() => {
    if (settings.data) setOfficeTimeZone(settings.data.timeZone);
  }, [settings.data]);

  const value = useMemo<AuthValue>(() => {
    const perms = new Set<Permission>(q.data?.permissions ?? []);
    return {
      status: q.data,
      loading: q.isLoading,
      user,
      can: (access) => access === 'public' || (access === 'authenticated' ? !!user : perms.has(access)),
      refresh,
      async logout() {
        loggingOut.current = true;
        try {
          await rpc('auth.logout', {}).catch(() => undefined);
          await resetSession();
        } finally {
          loggingOut.current = false;
        }
      },
    };
  }, [q.data, q.isLoading, user, refresh, resetSession]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
