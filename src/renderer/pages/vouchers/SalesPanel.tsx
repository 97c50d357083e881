import { BarChart } from '@mantine/charts';
import {
  Button,
  Card,
  Center,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatRupiah } from '../../../shared/money';
import { officeDate } from '../../../shared/dates';
import { rpc } from '../../api/client';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { downloadBase64 } from './shared';

type GroupBy = 'day' | 'month' | 'profile' | 'router';

export function SalesPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const today = officeDate(Date.now(), fmt.tz());
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const input = { from, to, groupBy };
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const report = useRpcQuery('vouchers.sales.report', input, { enabled: valid });
  const rows = report.data?.rows ?? [];
  const totals = report.data?.totals;
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      const f = await rpc('vouchers.sales.export', { ...input, format });
      downloadBase64(f.base64, f.filename, f.mime);
    } finally {
      setBusy(null);
    }
  };
  const stat = (label: string, value: string, color?: string) => (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={700} size="xl" mt={4} className="tabular" c={color}>
        {value}
      </Text>
    </Paper>
  );
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end">
          <TextInput
            type="date"
            label={t('vouchers.sales.from')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            w={160}
          />
          <TextInput
            type="date"
            label={t('vouchers.sales.to')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            w={160}
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('vouchers.sales.groupBy')}
            </Text>
            <SegmentedControl
              value={groupBy}
              onChange={(v) => setGroupBy(v as GroupBy)}
              data={(['day', 'month', 'profile', 'router'] as const).map((g) => ({
                value: g,
                label: t(`vouchers.sales.groups.${g}`),
              }))}
            />
          </div>
        </Group>
        {can('reports.export') && (
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconFileSpreadsheet size={16} />}
              loading={busy === 'xlsx'}
              onClick={() => void exportAs('xlsx')}
              disabled={!valid}
            >
              {t('vouchers.sales.exportXlsx')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconFileTypeCsv size={16} />}
              loading={busy === 'csv'}
              onClick={() => void exportAs('csv')}
              disabled={!valid}
            >
              {t('vouchers.sales.exportCsv')}
            </Button>
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {stat(t('vouchers.sales.sold'), formatNumber(totals?.count ?? 0))}
        {stat(t('vouchers.sales.revenue'), formatRupiah(totals?.revenue ?? 0))}
        {stat(t('vouchers.sales.cost'), formatRupiah(totals?.cost ?? 0))}
        {stat(t('vouchers.sales.profit'), formatRupiah(totals?.profit ?? 0), 'teal.7')}
      </SimpleGrid>
      {rows.length === 0 ? (
        <Card withBorder p="xl">
          <Center>
            <Stack align="center" gap={4}>
              <Title order={5}>{t('vouchers.empty.sales')}</Title>
              <Text size="sm" c="dimmed">
                {t('vouchers.empty.salesHint')}
              </Text>
            </Stack>
          </Center>
        </Card>
      ) : (
        <>
          <Card withBorder padding="md">
            <BarChart
              h={260}
              data={rows.map((r) => ({ label: r.label, revenue: r.revenue, profit: r.profit }))}
              dataKey="label"
              series={[
                { name: 'revenue', label: t('vouchers.sales.revenue'), color: 'blue.6' },
                { name: 'profit', label: t('vouchers.sales.profit'), color: 'teal.6' },
              ]}
              valueFormatter={(v) => formatRupiah(v)}
              yAxisProps={{ width: 64, tickFormatter: (v: number) => fmt.compactRupiah(v) }}
              withLegend
              tickLine="y"
            />
          </Card>
          <Card withBorder padding={0}>
            <Table striped highlightOnHover verticalSpacing="xs" data-testid="sales-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`vouchers.sales.groups.${groupBy}`)}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.sales.sold')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.sales.revenue')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.sales.cost')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.sales.profit')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.key}>
                    <Table.Td>{r.label}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatNumber(r.count)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatRupiah(r.revenue)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatRupiah(r.cost)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatRupiah(r.profit)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              {totals && (
                <Table.Tfoot>
                  <Table.Tr fw={700}>
                    <Table.Td>{t('vouchers.sales.total')}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatNumber(totals.count)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatRupiah(totals.revenue)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatRupiah(totals.cost)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatRupiah(totals.profit)}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tfoot>
              )}
            </Table>
          </Card>
        </>
      )}
    </Stack>
  );
}
