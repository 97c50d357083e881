import { BarChart } from '@mantine/charts';
import { SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { officeDate } from '../../../shared/dates';
import { formatNumber } from '../../../shared/money';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { lowStock } from './AttentionCard';
import { CardSkeleton, DashCard, Figure, addDays, compactRupiah, live, shortDay } from './common';

/** Voucher counts and, for those who may see reports, daily sales of the last 14 or 30 days. */
export function VouchersCard({ now }: { now: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useAuth();
  const [days, setDays] = useState<'14' | '30'>('14');
  const stats = useRpcQuery('vouchers.stats', {}, live);
  const today = officeDate(now, fmt.tz());
  const from = addDays(today, -(Number(days) - 1));
  const report = useRpcQuery(
    'vouchers.sales.report',
    { from, to: today, groupBy: 'day' },
    { ...live, enabled: can('reports.view') },
  );
  const s = stats.data;
  // The report lists only days with sales; a chart needs every day, quiet ones at zero.
  const byDay = new Map((report.data?.rows ?? []).map((r) => [r.key, r]));
  const series = Array.from({ length: Number(days) }, (_, i) => {
    const d = addDays(from, i);
    const r = byDay.get(d);
    return { day: shortDay(d, lang), revenue: r?.revenue ?? 0, count: r?.count ?? 0 };
  });
  return (
    <DashCard
      title={t('dashboard.vouchers.title')}
      icon={<IconTicket size={20} />}
      color="violet"
      link="/vouchers"
      linkLabel={t('dashboard.vouchers.all')}
      testId="dash-vouchers"
      extra={
        can('reports.view') && (
          <SegmentedControl
            size="xs"
            value={days}
            onChange={(v) => setDays(v === '30' ? '30' : '14')}
            data={[
              { value: '14', label: t('dashboard.vouchers.days', { count: 14 }) },
              { value: '30', label: t('dashboard.vouchers.days', { count: 30 }) },
            ]}
          />
        )
      }
    >
      {!s ? (
        <CardSkeleton rows={5} />
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
            <Figure
              label={t('dashboard.vouchers.soldToday')}
              value={formatNumber(s.salesToday)}
              testId="dash-vouchers-sold"
            />
            <Figure
              label={t('dashboard.vouchers.revenueToday')}
              value={fmt.rupiah(s.revenueToday)}
              color="teal"
              testId="dash-vouchers-revenue"
            />
            <Figure
              label={t('dashboard.vouchers.active')}
              value={formatNumber(s.active)}
              testId="dash-vouchers-active"
            />
            <Figure
              label={t('dashboard.vouchers.unused')}
              value={formatNumber(s.unused)}
              color={lowStock(s) ? 'orange' : undefined}
              testId="dash-vouchers-unused"
            />
          </SimpleGrid>
          {can('reports.view') &&
            (!report.data ? (
              <CardSkeleton rows={4} />
            ) : report.data.totals.count === 0 ? (
              <Text size="sm" c="dimmed" ta="center" py="lg">
                {t('dashboard.vouchers.noSales', { count: Number(days) })}
              </Text>
            ) : (
              <div>
                <Text size="xs" c="dimmed" fw={600} mb={6}>
                  {t('dashboard.vouchers.chart', {
                    count: Number(days),
                    sold: formatNumber(report.data.totals.count),
                    revenue: fmt.rupiah(report.data.totals.revenue),
                  })}
                </Text>
                {/* Bars, not Mantine's AreaChart: its areas sit in a Fragment that recharts 2 cannot see under React 19. */}
                <BarChart
                  h={180}
                  data={series}
                  dataKey="day"
                  series={[{ name: 'revenue', label: t('dashboard.vouchers.revenue'), color: 'violet.5' }]}
                  valueFormatter={(v) => fmt.rupiah(v)}
                  yAxisProps={{ width: 56, tickFormatter: (v: number) => compactRupiah(v, lang) }}
                  xAxisProps={{ interval: days === '30' ? 4 : 1 }}
                  gridAxis="x"
                  barProps={{ radius: [3, 3, 0, 0] }}
                  maxBarWidth={26}
                />
              </div>
            ))}
        </Stack>
      )}
    </DashCard>
  );
}
