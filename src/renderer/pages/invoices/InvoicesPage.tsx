import { BarChart } from '@mantine/charts';
import {
  Button,
  Card,
  Grid,
  Group,
  Menu,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCalendarTime,
  IconDownload,
  IconFileInvoice,
  IconLock,
  IconSettings,
  IconUsers,
  IconWand,
} from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceView } from '../../../shared/contract/billing';
import { addMonths } from '../../../shared/billing/periods';
import { officePeriod } from '../../../shared/dates';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { RoutedTabs } from '../../components/RoutedTabs';
import { fmt } from '../../lib/format';
import { EmptyState, InvoiceListBadge, download, fmtDayShort, useBillingLive } from '../customers/common';
import { BillingSettingsPanel } from './BillingSettingsPanel';
import { InvoiceDrawer } from './InvoiceDrawer';
import { RunsPanel } from './RunsPanel';

export function InvoicesPage() {
  useBillingLive();
  const { t } = useTranslation();
  return (
    <Stack>
      <div>
        <Title order={2}>{t('billing.invoices.title')}</Title>
        <Text c="dimmed">{t('billing.invoices.subtitle')}</Text>
      </div>
      <RoutedTabs
        basePath="/invoices"
        tabs={[
          {
            value: 'list',
            label: t('billing.invoices.tabs.list'),
            icon: <IconFileInvoice size={16} />,
            content: <InvoiceList />,
          },
          {
            value: 'runs',
            label: t('billing.invoices.tabs.runs'),
            icon: <IconCalendarTime size={16} />,
            testId: 'tab-runs',
            content: <RunsPanel />,
          },
          {
            value: 'settings',
            label: t('billing.invoices.tabs.settings'),
            icon: <IconSettings size={16} />,
            testId: 'tab-billing-settings',
            content: <BillingSettingsPanel />,
          },
        ]}
      />
    </Stack>
  );
}

function Stat({
  label,
  value,
  icon,
  color,
  children,
}: {
  label: string;
  value: string;
  icon: ReactNode;
  color: string;
  children?: ReactNode;
}) {
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt={4}>
          {label}
        </Text>
        <ThemeIcon variant="light" color={color} size={34} radius="md">
          {icon}
        </ThemeIcon>
      </Group>
      {/* The figure gets the card's full width and never breaks ("Rp" alone on a line looked broken). */}
      <Text
        fz={{ base: 'lg', xl: 'xl' }}
        fw={700}
        className="tabular"
        mt={2}
        style={{ whiteSpace: 'nowrap' }}
      >
        {value}
      </Text>
      {children}
    </Card>
  );
}

function InvoiceList() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const current = officePeriod(Date.now(), fmt.tz());
  const [period, setPeriod] = useState<string | null>(null);
  const [status, setStatus] = useState<string>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const summary = useRpcQuery('billing.summary', period ? { period } : {});
  const any = useRpcQuery('invoices.list', { limit: 1 });
  const generate = useRpcMutation('invoices.generate', {
    invalidate: ['invoices.list', 'billing.summary', 'customers.list', 'billing.runs.list'],
  });
  const exportM = useRpcMutation('invoices.export');
  const periods = useMemo(() => Array.from({ length: 18 }, (_, i) => addMonths(current, 1 - i)), [current]);
  const shortMonth = (p: string) =>
    new Date(`${p}-15T00:00:00Z`).toLocaleDateString(i18n.language === 'en' ? 'en-GB' : 'id-ID', {
      month: 'short',
      year: '2-digit',
      timeZone: 'UTC',
    });
  const monthName = (p: string) =>
    new Date(`${p}-15T00:00:00Z`).toLocaleDateString(i18n.language === 'en' ? 'en-GB' : 'id-ID', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  const filters = useMemo(
    () => ({
      ...(period ? { period } : {}),
      ...(status === 'overdue' ? { overdue: true } : status !== 'all' ? { status: status as 'paid' } : {}),
    }),
    [period, status],
  );
  const columns = useMemo<Column<InvoiceView>[]>(
    () => [
      {
        id: 'number',
        header: t('billing.invoices.number'),
        width: 180,
        sortable: true,
        cell: (r) => <span className="rk-dt-mono">{r.number}</span>,
      },
      {
        id: 'customerName',
        header: t('billing.invoices.customer'),
        sortable: true,
        cell: (r) => <span className="rk-dt-medium">{r.customerName}</span>,
      },
      { id: 'period', header: t('billing.invoices.period'), width: 95, cell: (r) => r.period },
      {
        id: 'dueDate',
        header: t('billing.invoices.due'),
        width: 150,
        sortable: true,
        cell: (r) => fmtDayShort(r.dueDate),
      },
      {
        id: 'total',
        header: t('billing.invoices.total'),
        width: 130,
        sortable: true,
        cell: (r) => <span className="tabular">{fmt.rupiah(r.total)}</span>,
      },
      {
        id: 'balance',
        header: t('billing.invoices.balanceDue'),
        width: 130,
        cell: (r) => <span className="tabular">{fmt.rupiah(r.balanceDue)}</span>,
      },
      {
        id: 'status',
        header: t('billing.invoices.status'),
        width: 195,
        cell: (r) => <InvoiceListBadge status={r.status} overdue={r.overdue} t={t} />,
      },
    ],
    [t],
  );
  const s = summary.data;
  const rate = s && s.invoiced > 0 ? Math.round((s.collected / s.invoiced) * 100) : 0;
  return (
    <Stack>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <SimpleGrid cols={2}>
            <Stat
              label={t('billing.invoices.invoiced')}
              value={s ? fmt.rupiah(s.invoiced) : '—'}
              icon={<IconFileInvoice size={20} />}
              color="blue"
            >
              <Text size="xs" c="dimmed" mt={4}>
                {s ? monthName(s.period) : ''}
              </Text>
            </Stat>
            <Stat
              label={t('billing.invoices.collected')}
              value={s ? fmt.rupiah(s.collected) : '—'}
              icon={<IconWand size={20} />}
              color="teal"
            >
              <Progress value={rate} mt="sm" color="teal" size="sm" aria-label={t('billing.invoices.rate')} />
              <Text size="xs" c="dimmed" mt={4}>{`${t('billing.invoices.rate')}: ${rate}%`}</Text>
            </Stat>
            <Stat
              label={t('billing.invoices.outstanding')}
              value={s ? fmt.rupiah(s.outstanding) : '—'}
              icon={<IconAlertTriangle size={20} />}
              color="orange"
            >
              <Text
                size="xs"
                c="dimmed"
                mt={4}
              >{`${t('billing.invoices.overdueCount')}: ${s?.overdueInvoices ?? 0}`}</Text>
            </Stat>
            <Stat
              label={t('billing.invoices.activeCustomers')}
              value={s ? String(s.activeCustomers) : '—'}
              icon={<IconUsers size={20} />}
              color="grape"
            >
              <Group gap={4} mt={4}>
                <IconLock size={12} />
                <Text
                  size="xs"
                  c="dimmed"
                >{`${t('billing.invoices.isolatedCustomers')}: ${s?.isolatedCustomers ?? 0}`}</Text>
              </Group>
            </Stat>
          </SimpleGrid>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md" h="100%">
            <Text fw={600} mb="sm">
              {t('billing.invoices.chart')}
            </Text>
            {s && (
              <BarChart
                h={210}
                data={s.months.map((m) => ({
                  month: shortMonth(m.period),
                  [t('billing.invoices.invoiced')]: m.invoiced,
                  [t('billing.invoices.collected')]: m.collected,
                }))}
                dataKey="month"
                series={[
                  { name: t('billing.invoices.invoiced'), color: 'blue.4' },
                  { name: t('billing.invoices.collected'), color: 'teal.6' },
                ]}
                valueFormatter={(v) => fmt.rupiah(v)}
                withLegend
                gridAxis="y"
                yAxisProps={{
                  width: 60,
                  tickFormatter: (v: number) => fmt.compactRupiah(v),
                }}
              />
            )}
          </Paper>
        </Grid.Col>
      </Grid>
      {any.data?.total !== 0 && (
        <Group justify="space-between">
          <Group gap="sm">
            <Select
              size="xs"
              w={170}
              clearable
              placeholder={t('billing.invoices.period')}
              data={periods.map((p) => ({ value: p, label: monthName(p) }))}
              value={period}
              onChange={setPeriod}
            />
            <SegmentedControl
              size="xs"
              value={status}
              onChange={setStatus}
              data={[
                { value: 'all', label: t('billing.all') },
                { value: 'unpaid', label: t('billing.invoiceStatus.unpaid') },
                { value: 'overdue', label: t('billing.invoices.overdue') },
                { value: 'paid', label: t('billing.invoiceStatus.paid') },
                { value: 'void', label: t('billing.invoiceStatus.void') },
              ]}
            />
          </Group>
          <Group gap="sm">
            {can('billing.manage') && (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconWand size={14} />}
                loading={generate.isPending}
                onClick={() =>
                  generate.mutate(
                    {},
                    {
                      onSuccess: (r) =>
                        notifications.show({ color: 'teal', message: t('billing.invoices.generated', r) }),
                    },
                  )
                }
                data-testid="invoices-generate"
              >
                {t('billing.invoices.generate')}
              </Button>
            )}
            {can('reports.export') && (
              <Menu>
                <Menu.Target>
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconDownload size={14} />}
                    loading={exportM.isPending}
                  >
                    {t('billing.export')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {(['xlsx', 'csv'] as const).map((f) => (
                    <Menu.Item
                      key={f}
                      onClick={() =>
                        exportM.mutate({ format: f, ...(period ? { period } : {}) }, { onSuccess: download })
                      }
                    >
                      {f === 'xlsx' ? t('billing.exportXlsx') : t('billing.exportCsv')}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      )}
      {any.data?.total === 0 ? (
        <EmptyState
          icon={IconFileInvoice}
          title={t('billing.invoices.emptyTitle')}
          text={t('billing.invoices.emptyText')}
          action={
            can('billing.manage') && (
              <Button
                leftSection={<IconWand size={16} />}
                loading={generate.isPending}
                onClick={() =>
                  generate.mutate(
                    {},
                    {
                      onSuccess: (r) =>
                        notifications.show({ color: 'teal', message: t('billing.invoices.generated', r) }),
                    },
                  )
                }
              >
                {t('billing.invoices.generate')}
              </Button>
            )
          }
        />
      ) : (
        <DataTable
          testId="invoices-table"
          queryKey={['invoices.list', filters]}
          columns={columns}
          fetchPage={(req) => rpc('invoices.list', { ...req, ...filters })}
          getRowId={(r) => r.id}
          onRowClick={(r) => setSelected(r.id)}
          height="calc(100vh - 250px)"
        />
      )}
      <InvoiceDrawer invoiceId={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
