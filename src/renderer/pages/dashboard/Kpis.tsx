import { Progress, SimpleGrid } from '@mantine/core';
import { IconActivity, IconCash, IconRouter, IconTicket, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../shared/money';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { Kpi, live } from './common';
import { useRouterSessions } from './RoutersCard';

/** The four headline figures, chosen by what the role may see. */
export function Kpis() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const vouchers = useRpcQuery('vouchers.stats', {}, { ...live, enabled: can('vouchers.view') });
  const billing = useRpcQuery('billing.summary', {}, { ...live, enabled: can('billing.view') });
  const routers = useRpcQuery('routers.list', {}, { ...live, enabled: can('routers.view') });
  const sessions = useRouterSessions(routers.data);
  const tiles: ReactNode[] = [];

  if (can('vouchers.view')) {
    const v = vouchers.data;
    tiles.push(
      <Kpi
        key="vouchers"
        testId="kpi-vouchers"
        label={t('dashboard.kpi.vouchersToday')}
        value={v ? formatNumber(v.salesToday) : ''}
        hint={v ? t('dashboard.kpi.revenue', { amount: fmt.rupiah(v.revenueToday) }) : undefined}
        icon={<IconTicket size={22} />}
        color="violet"
        to="/vouchers"
        loading={!v}
      />,
    );
  }
  if (can('billing.view')) {
    const b = billing.data;
    tiles.push(
      <Kpi
        key="collected"
        testId="kpi-collected"
        label={t('dashboard.kpi.collected')}
        value={b ? fmt.rupiah(b.collected) : ''}
        hint={b ? t('dashboard.kpi.ofInvoiced', { amount: fmt.rupiah(b.invoiced) }) : undefined}
        icon={<IconCash size={22} />}
        color="teal"
        to="/invoices"
        loading={!b}
        footer={
          b && (
            <Progress
              value={b.invoiced > 0 ? (b.collected / b.invoiced) * 100 : 0}
              color="teal"
              size="sm"
              radius="xl"
            />
          )
        }
      />,
    );
  }
  if (can('routers.view')) {
    const list = routers.data;
    const online = list?.filter((r) => r.online).length ?? 0;
    const pending = list?.reduce((n, r) => n + r.jobsPending, 0) ?? 0;
    tiles.push(
      <Kpi
        key="routers"
        testId="kpi-routers"
        label={t('dashboard.kpi.routers')}
        value={list ? `${online} / ${list.length}` : ''}
        hint={
          list
            ? pending > 0
              ? t('dashboard.kpi.pendingSync', { count: pending })
              : list.length > 0
                ? t('dashboard.kpi.allSynced')
                : t('dashboard.kpi.noRouters')
            : undefined
        }
        icon={<IconRouter size={22} />}
        color={list && list.length > 0 && online < list.length ? 'red' : 'indigo'}
        to="/routers"
        loading={!list}
      />,
    );
  }
  if (can('billing.view')) {
    const b = billing.data;
    tiles.push(
      <Kpi
        key="customers"
        testId="kpi-customers"
        label={t('dashboard.kpi.customers')}
        value={b ? formatNumber(b.activeCustomers) : ''}
        hint={b ? t('dashboard.kpi.isolated', { count: b.isolatedCustomers }) : undefined}
        icon={<IconUsers size={22} />}
        color="blue"
        to="/customers"
        loading={!b}
      />,
    );
  } else if (can('routers.view')) {
    // Technicians: who is online right now instead of money.
    let hotspot = 0;
    let ppp = 0;
    for (const s of sessions.values()) {
      hotspot += s.hotspot.length;
      ppp += s.ppp.length;
    }
    tiles.push(
      <Kpi
        key="sessions"
        testId="kpi-sessions"
        label={t('dashboard.kpi.sessions')}
        value={routers.data ? formatNumber(hotspot + ppp) : ''}
        hint={t('dashboard.kpi.sessionsHint', { hotspot: formatNumber(hotspot), ppp: formatNumber(ppp) })}
        icon={<IconActivity size={22} />}
        color="cyan"
        loading={!routers.data}
      />,
    );
  }
  if (tiles.length === 0) return null;
  return <SimpleGrid cols={{ base: 1, xs: 2, lg: tiles.length }}>{tiles}</SimpleGrid>;
}
