import { Badge } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Voucher } from '../../../shared/contract/vouchers';
import i18n from '../../i18n';

export const STATUS_COLOR: Record<Voucher['status'], string> = {
  unused: 'gray',
  active: 'teal',
  expired: 'orange',
  disabled: 'red',
  removed: 'dark',
};

export function StatusBadge({ status }: { status: Voucher['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" tt="none" fw={600} color={STATUS_COLOR[status]} data-testid={`status-${status}`}>
      {t(`vouchers.status.${status}`)}
    </Badge>
  );
}

/** One shared 1-second tick, so a list of countdowns re-renders once per second, not once per row. */
let listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function useSecondTick(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const l = () => setNow(Date.now());
    listeners.add(l);
    if (!timer) timer = setInterval(() => listeners.forEach((f) => f()), 1000);
    return () => {
      listeners.delete(l);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
        listeners = new Set();
      }
    };
  }, []);
  return now;
}

/** Live countdown to valid-until. */
export function Countdown({ until, started }: { until: number | null; started: boolean }) {
  // The shared i18n instance, not the hook: every visible row has a countdown. A language change re-renders
  // the list's rows (their columns change), and these with them.
  const t = i18n.t.bind(i18n);
  const now = useSecondTick();
  if (!started || until === null)
    return (
      <span style={{ color: 'var(--mantine-color-dimmed)' }}>
        {started ? '—' : t('vouchers.countdown.notStarted')}
      </span>
    );
  const left = Math.floor((until - now) / 1000);
  if (left <= 0)
    return <span style={{ color: 'var(--mantine-color-orange-7)' }}>{t('vouchers.countdown.expired')}</span>;
  const d = Math.floor(left / 86400);
  const h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  // Under a day it ticks as a clock (hh:mm:ss); beyond, days and hours are enough.
  const text = d > 0 ? t('vouchers.countdown.days', { d, h }) : `${pad(h)}:${pad(m)}:${pad(s)}`;
  return (
    <span
      className="tabular"
      style={{ color: left < 3600 ? 'var(--mantine-color-orange-7)' : undefined }}
      data-testid="countdown"
    >
      {text}
    </span>
  );
}

/** `1 hari`, `3 jam`, `30 menit` from seconds. */
export function durationText(seconds: number, lang: string): string {
  if (seconds <= 0) return '—';
  const en = lang === 'en';
  if (seconds % 86400 === 0)
    return `${seconds / 86400} ${en ? (seconds === 86400 ? 'day' : 'days') : 'hari'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} ${en ? 'h' : 'jam'}`;
  return `${Math.round(seconds / 60)} ${en ? 'min' : 'menit'}`;
}

/** Saves a base64 file through the browser (headless mode, exports). */
export function downloadBase64(base64: string, filename: string, mime: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
