import {
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconLink, IconPackage, IconPlus, IconReceipt2, IconRouter } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { SubscriptionView } from '../../../shared/contract/billing';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { RoutedTabs } from '../../components/RoutedTabs';
import { fmt } from '../../lib/format';
import { EmptyState, StatusBadge, useBillingLive, type CustomerStatus } from '../customers/common';
import { PackagesPanel } from './PackagesPanel';
import { SubscriptionForm } from './SubscriptionForm';

export function SubscriptionsPage() {
  useBillingLive();
  const { t } = useTranslation();
  return (
    <Stack>
      <div>
        <Title order={2}>{t('billing.subscriptions.title')}</Title>
        <Text c="dimmed">{t('billing.subscriptions.subtitle')}</Text>
      </div>
      <RoutedTabs
        basePath="/subscriptions"
        tabs={[
          {
            value: 'list',
            label: t('billing.subscriptions.tabs.list'),
            icon: <IconReceipt2 size={16} />,
            content: <SubscriptionList />,
          },
          {
            value: 'packages',
            label: t('billing.subscriptions.tabs.packages'),
            icon: <IconPackage size={16} />,
            testId: 'tab-packages',
            content: <PackagesPanel />,
          },
          {
            value: 'adopt',
            label: t('billing.subscriptions.tabs.adopt'),
            icon: <IconRouter size={16} />,
            content: <AdoptPanel />,
          },
        ]}
      />
    </Stack>
  );
}

function SubscriptionList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'all' | CustomerStatus>('all');
  const [adding, setAdding] = useState(false);
  const any = useRpcQuery('subscriptions.list', { limit: 1 });
  const filters = useMemo(() => (status !== 'all' ? { status } : {}), [status]);
  const columns = useMemo<Column<SubscriptionView>[]>(
    () => [
      {
        id: 'username',
        header: t('billing.subscriptions.username'),
        width: 165,
        cell: (r) => (
          <Text size="sm" ff="monospace">
            {r.username}
          </Text>
        ),
      },
      {
        id: 'customer',
        header: t('billing.invoices.customer'),
        cell: (r) => <Text size="sm" fw={500}>{`${r.customerName} · ${r.customerCode}`}</Text>,
      },
      { id: 'package', header: t('billing.customers.package'), width: 200, cell: (r) => r.packageName },
      {
        id: 'price',
        header: t('billing.packages.price'),
        width: 140,
        cell: (r) => <span className="tabular">{fmt.rupiah(Math.max(0, r.price - r.discount))}</span>,
      },
      { id: 'day', header: t('billing.subscriptions.billingDay'), width: 110, cell: (r) => r.billingDay },
      {
        id: 'status',
        header: t('billing.customers.status'),
        width: 120,
        cell: (r) => <StatusBadge status={r.status} />,
      },
    ],
    [t],
  );
  return (
    <Stack>
      {any.data?.total === 0 ? (
        <EmptyState
          icon={IconReceipt2}
          title={t('billing.subscriptions.emptyTitle')}
          text={t('billing.subscriptions.emptyText')}
          action={
            can('subscriptions.manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
                {t('billing.subscriptions.add')}
              </Button>
            )
          }
        />
      ) : (
        <DataTable
          testId="subscriptions-table"
          queryKey={['subscriptions.list', filters]}
          columns={columns}
          fetchPage={(req) => rpc('subscriptions.list', { ...req, ...filters })}
          getRowId={(r) => r.id}
          onRowClick={(r) => navigate(`/customers/${r.customerId}`)}
          toolbar={
            <Group gap="sm">
              <SegmentedControl
                size="xs"
                value={status}
                onChange={(v) => setStatus(v as typeof status)}
                data={[
                  { value: 'all', label: t('billing.all') },
                  { value: 'active', label: t('billing.status.active') },
                  { value: 'isolated', label: t('billing.status.isolated') },
                  { value: 'inactive', label: t('billing.status.inactive') },
                ]}
              />
              {can('subscriptions.manage') && (
                <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
                  {t('billing.subscriptions.add')}
                </Button>
              )}
            </Group>
          }
        />
      )}
      <SubscriptionForm opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}

function AdoptPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useRpcQuery('subscriptions.adoptable', {});
  const routers = useRpcQuery('routers.list', {});
  const [target, setTarget] = useState<{ routerId: string; name: string } | null>(null);
  const routerName = (id: string) => routers.data?.find((r) => r.id === id)?.name ?? id;
  if (list.data?.length === 0)
    return (
      <EmptyState
        icon={IconLink}
        title={t('billing.subscriptions.adoptTitle')}
        text={t('billing.subscriptions.adoptEmpty')}
      />
    );
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('billing.subscriptions.adoptText')}
      </Text>
      <Paper withBorder>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('billing.customers.router')}</Table.Th>
              <Table.Th>{t('billing.subscriptions.username')}</Table.Th>
              <Table.Th>{t('billing.subscriptions.profile')}</Table.Th>
              <Table.Th>{t('billing.customers.notes')}</Table.Th>
              <Table.Th w={120} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data ?? []).map((s) => (
              <Table.Tr key={`${s.routerId}/${s.name}`}>
                <Table.Td>{routerName(s.routerId)}</Table.Td>
                <Table.Td ff="monospace">{s.name}</Table.Td>
                <Table.Td ff="monospace">{s.profile}</Table.Td>
                <Table.Td>{s.comment}</Table.Td>
                <Table.Td>
                  {can('subscriptions.manage') && (
                    <Button
                      size="compact-sm"
                      variant="light"
                      leftSection={<IconLink size={14} />}
                      onClick={() => setTarget(s)}
                    >
                      {t('billing.subscriptions.adopt')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <AdoptModal target={target} onClose={() => setTarget(null)} />
    </Stack>
  );
}

function AdoptModal({
  target,
  onClose,
}: {
  target: { routerId: string; name: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [packageId, setPackageId] = useState<string | null>(null);
  const [day, setDay] = useState<number | string>('');
  const customers = useRpcQuery('customers.list', { search: debounced, limit: 20 }, { enabled: !!target });
  const packages = useRpcQuery('packages.list', { includeInactive: false }, { enabled: !!target });
  const adopt = useRpcMutation('subscriptions.adopt', {
    invalidate: ['subscriptions.adoptable', 'subscriptions.list', 'customers.get'],
    successMessage: t('billing.saved'),
  });
  return (
    <Modal
      opened={!!target}
      onClose={onClose}
      title={`${t('billing.subscriptions.adopt')} ${target?.name ?? ''}`}
    >
      <Stack>
        <Select
          label={t('billing.invoices.customer')}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options }) => options}
          data={(customers.data?.rows ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.code}` }))}
          value={customerId}
          onChange={setCustomerId}
        />
        <Select
          label={t('billing.customers.package')}
          data={(packages.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={packageId}
          onChange={setPackageId}
        />
        <NumberInput
          label={t('billing.subscriptions.billingDay')}
          min={1}
          max={28}
          value={day}
          onChange={setDay}
        />
        <Group justify="flex-end">
          <Button
            disabled={!customerId || !packageId || !target}
            loading={adopt.isPending}
            onClick={() =>
              target &&
              customerId &&
              packageId &&
              adopt.mutate(
                {
                  routerId: target.routerId,
                  name: target.name,
                  customerId,
                  packageId,
                  discount: 0,
                  ...(day !== '' ? { billingDay: Number(day) } : {}),
                },
                { onSuccess: onClose },
              )
            }
          >
            {t('billing.subscriptions.adopt')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
