import { BarChart } from '@mantine/charts';
import { Group, RingProgress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconFileInvoice } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../shared/money';
import { useRpcQuery } from '../../api/hooks';
import { fmt } from '../../lib/format';
import { CardSkeleton, DashCard, Figure, compactRupiah, live, shortMonth } from './common';

/** This month's billing: billed against collected, what is still open, and the last 12 months. */
export function BillingCard() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const summary = useRpcQuery('billing.summary', {}, live);
  const s = summary.data;
  const pct = s && s.invoiced > 0 ? Math.min(100, Math.round((s.collected / s.invoiced) * 100)) : 0;
  const spansYears = s ? s.months[0]?.period.slice(0, 4) !== s.months.at(-1)?.period.slice(0, 4) : false;
  return (
    <DashCard
      title={t('dashboard.billing.title', { month: s ? shortMonthLong(s.period, lang) : '' })}
      icon={<IconFileInvoice size={20} />}
      color="teal"
      link="/invoices"
      linkLabel={t('dashboard.billing.all')}
      testId="dash-billing"
    >
      {!s ? (
        <CardSkeleton rows={6} />
      ) : (
        <Stack gap="md">
          <Group gap="xl" wrap="nowrap" align="center">
            <RingProgress
              size={116}
              thickness={11}
              roundCaps
              sections={pct > 0 ? [{ value: pct, color: 'teal' }] : []}
              label={
                <Stack gap={0} align="center">
                  <Text fw={700} fz={22} className="tabular" lh={1.1}>
                    {pct}%
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.billing.collectedShort')}
                  </Text>
                </Stack>
              }
            />
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="sm" style={{ flex: 1 }}>
              <Figure
                label={t('dashboard.billing.invoiced')}
                value={fmt.rupiah(s.invoiced)}
                testId="dash-billing-invoiced"
              />
              <Figure
                label={t('dashboard.billing.collected')}
                value={fmt.rupiah(s.collected)}
                color="teal"
                testId="dash-billing-collected"
              />
              <Figure
                label={t('dashboard.billing.outstanding')}
                value={fmt.rupiah(s.outstanding)}
                color={s.outstanding > 0 ? 'orange' : undefined}
                testId="dash-billing-outstanding"
              />
              <Figure
                label={t('dashboard.billing.overdue')}
                value={formatNumber(s.overdueInvoices)}
                color={s.overdueInvoices > 0 ? 'red' : undefined}
                testId="dash-billing-overdue"
              />
              <Figure
                label={t('dashboard.billing.active')}
                value={formatNumber(s.activeCustomers)}
                testId="dash-billing-active"
              />
              <Figure
                label={t('dashboard.billing.isolated')}
                value={formatNumber(s.isolatedCustomers)}
                color={s.isolatedCustomers > 0 ? 'orange' : undefined}
                testId="dash-billing-isolated"
              />
            </SimpleGrid>
          </Group>
          {s.months.some((m) => m.invoiced > 0) ? (
            <div>
              <Text size="xs" c="dimmed" fw={600} mb={6}>
                {t('dashboard.billing.chart')}
              </Text>
              <BarChart
                h={190}
                data={s.months.map((m) => ({
                  month: shortMonth(m.period, lang, spansYears && m.period.endsWith('-01')),
                  invoiced: m.invoiced,
                  collected: m.collected,
                }))}
                dataKey="month"
                series={[
                  { name: 'invoiced', label: t('dashboard.billing.invoiced'), color: 'blue.3' },
                  { name: 'collected', label: t('dashboard.billing.collected'), color: 'teal.6' },
                ]}
                valueFormatter={(v) => fmt.rupiah(v)}
                yAxisProps={{ width: 56, tickFormatter: (v: number) => compactRupiah(v, lang) }}
                withLegend
                legendProps={{ verticalAlign: 'top', height: 36 }}
                gridAxis="x"
                tickLine="none"
                barProps={{ radius: [3, 3, 0, 0] }}
              />
            </div>
          ) : (
            <Text size="sm" c="dimmed" ta="center" py="md">
              {t('dashboard.billing.noInvoices')}
            </Text>
          )}
        </Stack>
      )}
    </DashCard>
  );
}

function shortMonthLong(period: string, lang: string): string {
  return new Date(`${period}-01T00:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'id-ID', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
