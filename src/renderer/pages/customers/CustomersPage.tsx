import {
  Button,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import {
  IconBrandWhatsapp,
  IconDownload,
  IconFileImport,
  IconPlus,
  IconUsers,
  IconX,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router-dom';
import type { CustomerRow } from '../../../shared/contract/billing';
import { formatPhone } from '../../../shared/phone';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { ListBadge } from '../../components/ListBadge';
import {
  BalanceText,
  EmptyState,
  CUSTOMER_STATUS_COLOR,
  download,
  useBillingLive,
  type CustomerStatus,
} from './common';
import { CustomerDetail } from './CustomerDetail';
import { CustomerForm } from './CustomerForm';
import { ImportModal } from './ImportModal';
import { BulkSendModal } from '../whatsapp/BulkSendModal';

export function CustomersPage() {
  useBillingLive();
  return (
    <Routes>
      <Route index element={<CustomerList />} />
      <Route path=":id" element={<CustomerDetail />} />
    </Routes>
  );
}

function CustomerList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'all' | CustomerStatus>('all');
  const [area, setArea] = useState<string | null>(null);
  const [owing, setOwing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  // Hand-picked customers for a bulk WhatsApp (kept across filter changes and scrolling).
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const canSend = can('whatsapp.send');
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const areas = useRpcQuery('customers.areas', {});
  const any = useRpcQuery('customers.list', { limit: 1 });
  const exportM = useRpcMutation('customers.export', { silentErrors: false });
  const filters = useMemo(
    () => ({
      ...(status !== 'all' ? { status } : {}),
      ...(area ? { area } : {}),
      ...(owing ? { owing: true } : {}),
    }),
    [status, area, owing],
  );
  const columns = useMemo<Column<CustomerRow>[]>(
    () => [
      ...(canSend
        ? [
            {
              id: 'select',
              header: '',
              width: 44,
              cell: (r: CustomerRow) => (
                // The row opens the customer: a click or Enter/Space on the box only ticks it. A native
                // checkbox: a Mantine Checkbox in every row of 20,000 is heavy to scroll.
                <input
                  type="checkbox"
                  className="rk-dt-check"
                  aria-label={t('whatsapp.send.selectRow')}
                  checked={selected.has(r.id)}
                  onChange={() => toggle(r.id)}
                  onClick={(e) => e.stopPropagation()}
                  onKeyDown={(e) => e.stopPropagation()}
                  data-testid="customer-select"
                />
              ),
            },
          ]
        : []),
      {
        id: 'code',
        header: t('billing.customers.code'),
        width: 165,
        sortable: true,
        cell: (r) => <span className="rk-dt-mono">{r.code}</span>,
      },
      {
        id: 'name',
        header: t('billing.customers.name'),
        sortable: true,
        cell: (r) => <span className="rk-dt-medium">{r.name}</span>,
      },
      {
        id: 'phone',
        header: t('billing.customers.phone'),
        width: 150,
        cell: (r) => <span className="tabular">{r.phone ? formatPhone(r.phone) : '—'}</span>,
      },
      {
        id: 'area',
        header: t('billing.customers.area'),
        width: 170,
        sortable: true,
        cell: (r) => r.area || '—',
      },
      {
        id: 'package',
        header: t('billing.customers.package'),
        width: 175,
        cell: (r) => r.packageName ?? '—',
      },
      {
        id: 'status',
        header: t('billing.customers.status'),
        width: 120,
        // Labels from the list's t: a translation hook in every row's cells is measurable when scrolling.
        cell: (r) => (
          <ListBadge color={CUSTOMER_STATUS_COLOR[r.status]} upper data-status={r.status}>
            {t(`billing.status.${r.status}`)}
          </ListBadge>
        ),
      },
      {
        id: 'balance',
        header: t('billing.customers.balance'),
        width: 130,
        cell: (r) => <BalanceText amount={r.balance} t={t} />,
      },
    ],
    [t, canSend, selected],
  );
  const empty = any.data?.total === 0;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('billing.customers.title')}</Title>
          <Text c="dimmed">{t('billing.customers.subtitle')}</Text>
        </div>
        <Group>
          {can('reports.export') && !empty && (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button
                  variant="default"
                  leftSection={<IconDownload size={16} />}
                  loading={exportM.isPending}
                >
                  {t('billing.export')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {(['xlsx', 'csv'] as const).map((f) => (
                  <Menu.Item key={f} onClick={() => exportM.mutate({ format: f }, { onSuccess: download })}>
                    {f === 'xlsx' ? t('billing.exportXlsx') : t('billing.exportCsv')}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
          {can('customers.import') && (
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => setImporting(true)}
              data-testid="customers-import"
            >
              {t('billing.customers.import')}
            </Button>
          )}
          {can('customers.manage') && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setAdding(true)}
              data-testid="customers-add"
            >
              {t('billing.customers.add')}
            </Button>
          )}
        </Group>
      </Group>
      {empty ? (
        <EmptyState
          icon={IconUsers}
          title={t('billing.customers.emptyTitle')}
          text={t('billing.customers.emptyText')}
        />
      ) : (
        <DataTable
          testId="customers-table"
          queryKey={['customers.list', filters]}
          columns={columns}
          fetchPage={(req) => rpc('customers.list', { ...req, ...filters })}
          getRowId={(r) => r.id}
          onRowClick={(r) => navigate(`/customers/${r.id}`)}
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
              <Select
                size="xs"
                w={170}
                clearable
                placeholder={t('billing.customers.filterArea')}
                data={(areas.data ?? []).map((a) => a.area)}
                value={area}
                onChange={setArea}
              />
              <Switch
                size="xs"
                label={t('billing.customers.owingOnly')}
                checked={owing}
                onChange={(e) => setOwing(e.currentTarget.checked)}
              />
              {canSend && selected.size > 0 && (
                <Paper withBorder px="sm" py={4} radius="md" bg="teal.0" data-testid="customers-selection">
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" fw={600} c="teal.9">
                      {t('whatsapp.send.selected', { count: selected.size })}
                    </Text>
                    <Button
                      size="compact-sm"
                      color="teal"
                      leftSection={<IconBrandWhatsapp size={14} />}
                      onClick={() => setBulkOpen(true)}
                      data-testid="customers-send-selected"
                    >
                      {t('whatsapp.send.sendSelected')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="gray"
                      aria-label={t('whatsapp.send.clearSelection')}
                      title={t('whatsapp.send.clearSelection')}
                      onClick={() => setSelected(new Set())}
                    >
                      <IconX size={14} />
                    </Button>
                  </Group>
                </Paper>
              )}
            </Group>
          }
        />
      )}
      {canSend && (
        <BulkSendModal
          customerIds={[...selected]}
          opened={bulkOpen}
          onClose={() => setBulkOpen(false)}
          onDone={() => setSelected(new Set())}
        />
      )}
      <CustomerForm
        opened={adding}
        onClose={() => setAdding(false)}
        onCreated={(id) => navigate(`/customers/${id}`)}
      />
      <ImportModal opened={importing} onClose={() => setImporting(false)} />
    </Stack>
  );
}
