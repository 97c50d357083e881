import { Anchor, Card, Group, Paper, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { formatNumber } from '../../../shared/money';
import { onEvent } from '../../api/client';
import { queryKey } from '../../api/hooks';
import type { EventName } from '../../../shared/contract/index';

/** Every dashboard figure refreshes at least this often; live events refresh sooner. */
export const REFRESH_MS = 30_000;
export const live = { refetchInterval: REFRESH_MS, refetchOnWindowFocus: true } as const;

/** `1250000` → `1,3 jt`, `45000` → `45 rb` (chart axes, tight tiles). */
export function compactRupiah(v: number, lang: string): string {
  const [jt, rb] = lang === 'en' ? ['M', 'k'] : [' jt', ' rb'];
  const a = Math.abs(v);
  if (a >= 1_000_000_000)
    return `${formatNumber(Math.round(v / 100_000_000) / 10)}${lang === 'en' ? 'B' : ' M'}`;
  if (a >= 1_000_000) return `${(Math.round(v / 100_000) / 10).toLocaleString('id-ID')}${jt}`;
  if (a >= 1000) return `${formatNumber(Math.round(v / 1000))}${rb}`;
  return formatNumber(v);
}

/** A dashboard card: title with icon, an optional "see all" link to its area, and the body. */
export function DashCard({
  title,
  icon,
  color,
  link,
  linkLabel,
  extra,
  children,
  testId,
  linkAtBottom = false,
}: {
  title: string;
  icon: ReactNode;
  color?: string;
  link?: string;
  linkLabel?: string;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** Narrow cards put "see all" under their list so the title never has to share the row. */
  linkAtBottom?: boolean;
}) {
  return (
    <Card withBorder padding="lg" radius="md" h="100%" data-testid={testId}>
      <Group justify="space-between" mb="md" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon variant="light" size={34} radius="md" color={color}>
            {icon}
          </ThemeIcon>
          <Title order={4} style={{ whiteSpace: 'nowrap' }}>
            {title}
          </Title>
          {extra && <div style={{ flexShrink: 0 }}>{extra}</div>}
        </Group>
        {link && linkLabel && !linkAtBottom && <SeeAll to={link} label={linkLabel} />}
      </Group>
      {children}
      {linkAtBottom && <div style={{ minHeight: 'var(--mantine-spacing-sm)', flexGrow: 0 }} />}
      {link && linkLabel && linkAtBottom && (
        <Group
          justify="flex-end"
          pt="sm"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)', marginTop: 'auto' }}
        >
          <SeeAll to={link} label={linkLabel} />
        </Group>
      )}
    </Card>
  );
}

export function SeeAll({ to, label }: { to: string; label: string }) {
  return (
    <Anchor
      component={Link}
      to={to}
      size="sm"
      fw={500}
      style={{ whiteSpace: 'nowrap', display: 'inline-flex', alignItems: 'center', gap: 2 }}
    >
      {label}
      <IconChevronRight size={14} />
    </Anchor>
  );
}

/** A headline figure at the top of the dashboard. */
export function Kpi({
  label,
  value,
  hint,
  icon,
  color,
  to,
  loading,
  testId,
  footer,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  icon: ReactNode;
  color?: string;
  to?: string;
  loading?: boolean;
  testId?: string;
  footer?: ReactNode;
}) {
  const body = (
    <Paper withBorder p="md" radius="md" h="100%" data-testid={testId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} lts={0.3}>
            {label}
          </Text>
          {loading ? (
            <Skeleton h={28} w={120} mt={6} />
          ) : (
            <Text
              fw={700}
              lh={1.25}
              mt={4}
              className="tabular"
              style={{ whiteSpace: 'nowrap', fontSize: 'clamp(18px, 1.65vw, 26px)' }}
              data-testid={testId ? `${testId}-value` : undefined}
            >
              {value}
            </Text>
          )}
          {hint !== undefined && !loading && (
            <Text size="xs" c="dimmed" mt={2}>
              {hint}
            </Text>
          )}
        </div>
        <ThemeIcon variant="light" size={40} radius="md" color={color}>
          {icon}
        </ThemeIcon>
      </Group>
      {footer && !loading && <div style={{ marginTop: 10 }}>{footer}</div>}
    </Paper>
  );
  return to ? (
    <Link to={to} style={{ textDecoration: 'none', color: 'inherit', display: 'block', height: '100%' }}>
      {body}
    </Link>
  ) : (
    body
  );
}

export function CardSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap="sm">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h={22} radius="sm" />
      ))}
    </Stack>
  );
}

/** An honest empty state inside a card: what is missing and, when the user may, how to add it. */
export function EmptyNote({
  icon,
  title,
  text,
  action,
}: {
  icon: ReactNode;
  title: string;
  text?: string;
  action?: ReactNode;
}) {
  return (
    <Stack align="center" gap={6} py="lg" ta="center">
      <ThemeIcon variant="light" color="gray" size={44} radius="xl">
        {icon}
      </ThemeIcon>
      <Text fw={600}>{title}</Text>
      {text && (
        <Text size="sm" c="dimmed" maw={340}>
          {text}
        </Text>
      )}
      {action}
    </Stack>
  );
}

/** A small label/value pair inside a card. */
export function Figure({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: ReactNode;
  color?: string;
  testId?: string;
}) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" className="tabular" c={color} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/**
 * Live events refresh what they concern (debounced, so a burst of router polls or a voucher sync is one
 * refetch). The 30-second interval on each query covers everything without an event.
 */
export function useDashboardLive(): void {
  const qc = useQueryClient();
  useEffect(() => {
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const later = (key: string, keys: string[]) => () => {
      if (timers.has(key)) return;
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          for (const k of keys) void qc.invalidateQueries({ queryKey: [k] });
        }, 400),
      );
    };
    const on = (name: EventName, keys: string[]) => onEvent(name, later(name, keys));
    const offs = [
      on('routers.status', ['routers.list']),
      on('routerJobs.changed', ['routers.list']),
      on('vouchers.changed', ['vouchers.stats', 'vouchers.sales.report', 'audit.list']),
      on('billing.changed', [
        'billing.summary',
        'invoices.list',
        'payments.list',
        'audit.list',
        'customers.list',
        'packages.list',
      ]),
      // AuthProvider keeps ['settings.get']; the dashboard's own query is keyed with its input.
      onEvent('settings.changed', (s) => qc.setQueryData(queryKey('settings.get', {}), s)),
      onEvent('whatsapp.session', (s) => qc.setQueryData(queryKey('whatsapp.status', {}), s)),
      onEvent('whatsapp.queue', (s) => qc.setQueryData(queryKey('whatsapp.messages.stats', {}), s)),
    ];
    return () => {
      for (const off of offs) off();
      for (const t of timers.values()) clearTimeout(t);
    };
  }, [qc]);
}

/** Office dates as plain `YYYY-MM-DD` arithmetic (no time zone involved once the date is known). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `2025-05-12` → `12 Mei` (`12 May`). */
export function shortDay(date: string, lang: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/** `2025-05` → `Mei` / `Mei 25` when the year matters. */
export function shortMonth(period: string, lang: string, withYear = false): string {
  return new Date(`${period}-01T00:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'id-ID', {
    month: 'short',
    ...(withYear ? { year: '2-digit' } : {}),
    timeZone: 'UTC',
  });
}
