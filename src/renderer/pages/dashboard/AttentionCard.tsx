import { Group, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconChevronRight, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../shared/money';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { CardSkeleton, DashCard, live } from './common';

interface Item {
  key: string;
  level: 'red' | 'orange' | 'blue';
  text: string;
  to: string;
}

/** Voucher stock below this many unused codes is worth a note in the morning. */
const LOW_STOCK = 20;
/** Low stock only means something once the office sells vouchers at all. */
export function lowStock(v: { unused: number; active: number; salesToday: number }): boolean {
  return v.unused < LOW_STOCK && (v.unused > 0 || v.active > 0 || v.salesToday > 0);
}

/**
 * "What needs me this morning": offline routers, failed router syncs, overdue invoices, isolated customers,
 * WhatsApp trouble, low voucher stock — each a link to where it is fixed. An honest "all clear" otherwise.
 */
export function AttentionCard() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const routers = useRpcQuery('routers.list', {}, { ...live, enabled: can('routers.view') });
  const billing = useRpcQuery('billing.summary', {}, { ...live, enabled: can('billing.view') });
  const wa = useRpcQuery('whatsapp.status', {}, { ...live, enabled: can('whatsapp.view') });
  const waStats = useRpcQuery('whatsapp.messages.stats', {}, { ...live, enabled: can('whatsapp.view') });
  const vouchers = useRpcQuery('vouchers.stats', {}, { ...live, enabled: can('vouchers.view') });
  const loading =
    (can('routers.view') && !routers.data) ||
    (can('billing.view') && !billing.data) ||
    (can('whatsapp.view') && (!wa.data || !waStats.data)) ||
    (can('vouchers.view') && !vouchers.data);

  const items: Item[] = [];
  for (const r of routers.data ?? []) {
    if (r.enabled && !r.online) {
      items.push({
        key: `off-${r.id}`,
        level: 'red',
        text: r.lastSeenAt
          ? t('dashboard.attention.routerOfflineSince', { name: r.name, when: fmt.dateTime(r.lastSeenAt) })
          : t('dashboard.attention.routerOffline', { name: r.name }),
        to: `/routers/${r.id}`,
      });
    }
    if (r.jobsFailed > 0) {
      items.push({
        key: `fail-${r.id}`,
        level: 'red',
        text: t('dashboard.attention.jobsFailed', { name: r.name, count: r.jobsFailed }),
        to: `/routers/${r.id}/jobs`,
      });
    } else if (!r.online && r.jobsPending > 0) {
      items.push({
        key: `wait-${r.id}`,
        level: 'orange',
        text: t('dashboard.attention.jobsWaiting', { name: r.name, count: r.jobsPending }),
        to: `/routers/${r.id}/jobs`,
      });
    }
  }
  const b = billing.data;
  if (b && b.overdueInvoices > 0) {
    items.push({
      key: 'overdue',
      level: 'orange',
      text: t('dashboard.attention.overdue', {
        count: b.overdueInvoices,
        n: formatNumber(b.overdueInvoices),
      }),
      to: '/invoices',
    });
  }
  if (b && b.isolatedCustomers > 0) {
    items.push({
      key: 'isolated',
      level: 'blue',
      text: t('dashboard.attention.isolated', {
        count: b.isolatedCustomers,
        n: formatNumber(b.isolatedCustomers),
      }),
      to: '/customers',
    });
  }
  if (waStats.data?.alert) {
    items.push({
      key: 'wa-alert',
      level: 'red',
      text: t('dashboard.attention.waAlert', { count: waStats.data.failedStreak }),
      to: '/whatsapp',
    });
  } else if (wa.data && wa.data.status !== 'connected') {
    items.push({
      key: 'wa-off',
      level: wa.data.phone ? 'orange' : 'blue',
      text: wa.data.phone ? t('dashboard.attention.waDisconnected') : t('dashboard.attention.waNotLinked'),
      to: '/whatsapp',
    });
  }
  const waFailed = waStats.data ? (waStats.data.counts.failed ?? 0) : 0;
  if (waFailed > 0 && !waStats.data?.alert) {
    items.push({
      key: 'wa-failed',
      level: 'orange',
      text: t('dashboard.attention.waFailed', { count: waFailed }),
      to: '/whatsapp/messages',
    });
  }
  if (vouchers.data && lowStock(vouchers.data)) {
    items.push({
      key: 'stock',
      level: 'blue',
      text: t('dashboard.attention.lowStock', { count: vouchers.data.unused }),
      to: '/vouchers',
    });
  }
  const order = { red: 0, orange: 1, blue: 2 } as const;
  items.sort((x, y) => order[x.level] - order[y.level]);

  return (
    <DashCard
      title={t('dashboard.attention.title')}
      icon={<IconAlertTriangle size={20} />}
      color={items.some((i) => i.level === 'red') ? 'red' : 'orange'}
      testId="dash-attention"
    >
      {loading ? (
        <CardSkeleton rows={3} />
      ) : items.length === 0 ? (
        <Group gap="sm" wrap="nowrap" py="xs">
          <ThemeIcon color="teal" variant="light" size={36} radius="xl">
            <IconCircleCheck size={20} />
          </ThemeIcon>
          <div>
            <Text fw={600}>{t('dashboard.attention.clearTitle')}</Text>
            <Text size="sm" c="dimmed">
              {t('dashboard.attention.clearText')}
            </Text>
          </div>
        </Group>
      ) : (
        <Stack gap={6}>
          {items.map((i) => (
            <UnstyledButton
              key={i.key}
              component={Link}
              to={i.to}
              data-testid="dash-attention-item"
              style={{
                borderRadius: 8,
                padding: '8px 10px',
                background: `var(--mantine-color-${i.level}-light)`,
              }}
            >
              <Group gap="sm" wrap="nowrap" justify="space-between">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  {i.level === 'blue' ? (
                    <IconInfoCircle
                      size={18}
                      color={`var(--mantine-color-${i.level}-light-color)`}
                      style={{ flexShrink: 0 }}
                    />
                  ) : (
                    <IconAlertTriangle
                      size={18}
                      color={`var(--mantine-color-${i.level}-light-color)`}
                      style={{ flexShrink: 0 }}
                    />
                  )}
                  <Text size="sm">{i.text}</Text>
                </Group>
                <IconChevronRight size={16} style={{ flexShrink: 0, opacity: 0.6 }} />
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </DashCard>
  );
}
