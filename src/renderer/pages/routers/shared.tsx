import { Badge } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterView } from '../../../shared/contract/routers';
import { onEvent } from '../../api/client';

/**
 * The core stores a router's last connection error in Indonesian (src/main/routers/registry.ts friendlyConnectError);
 * the known ones are shown in the UI language, the technical detail in brackets kept as is.
 */
export function routerErrorText(msg: string, t: (key: string) => string): string {
  if (msg.startsWith('Router tidak dapat dihubungi'))
    return t('routers.detail.errUnreachable') + msg.slice('Router tidak dapat dihubungi'.length);
  if (msg.startsWith('Login ditolak router')) return t('routers.detail.errLogin');
  if (msg.startsWith('Router tidak menjawab tepat waktu')) return t('routers.detail.errTimeout');
  // The fingerprints are shown next to it on the router page (TrustCard).
  if (msg.startsWith('Sertifikat API-SSL router berubah')) return t('routers.detail.errCertChanged');
  return msg;
}

/** 93784 s → "1h 2j 3m" (Indonesian: h = hari, j = jam, m = menit). */
export function formatUptime(seconds: number | null | undefined, lang: string): string {
  if (seconds === null || seconds === undefined) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const [dd, hh, mm] = lang === 'en' ? ['d', 'h', 'm'] : ['h', 'j', 'm'];
  if (d > 0) return `${d}${dd} ${h}${hh} ${m}${mm}`;
  if (h > 0) return `${h}${hh} ${m}${mm}`;
  if (m > 0) return `${m}${mm}`;
  return `${seconds}s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString('id-ID', { maximumFractionDigits: v < 10 ? 1 : 0 })} ${units[i]}`;
}

export const STATE_COLOR: Record<RouterView['state'], string> = {
  online: 'teal',
  connecting: 'yellow',
  offline: 'red',
  stopped: 'gray',
};

export function StateBadge({ state }: { state: RouterView['state'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOR[state]} variant="light" data-testid="router-state">
      {t(`routers.state.${state}`)}
    </Badge>
  );
}

/** Router status, job counts and finished reconciles pushed by the core refresh the lists without polling. */
export function useRoutersLive(): void {
  const qc = useQueryClient();
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        void qc.invalidateQueries({ queryKey: ['routers.list'] });
        void qc.invalidateQueries({ queryKey: ['routers.get'] });
      }, 250);
    };
    const offs = [
      onEvent('routers.status', refresh),
      onEvent('routerJobs.changed', refresh),
      onEvent('reconcile.finished', refresh),
    ];
    return () => {
      for (const off of offs) off();
      if (pending) clearTimeout(pending);
    };
  }, [qc]);
}
