import { Badge, Button, Drawer, Group, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowBackUp, IconCash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { PaymentView } from '../../../shared/contract/billing';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { fmt } from '../../lib/format';
import { EmptyState, PrintMenu, useBillingLive } from '../customers/common';

export function PaymentsPage() {
  useBillingLive();
  const { t } = useTranslation();
  const [selected, setSelected] = useState<PaymentView | null>(null);
  const any = useRpcQuery('payments.list', { limit: 1 });
  const columns = useMemo<Column<PaymentView>[]>(
    () => [
      {
        id: 'receipt',
        header: t('billing.payments.receipt'),
        width: 190,
        cell: (r) => (
          <Text size="sm" ff="monospace" td={r.reversed ? 'line-through' : undefined}>
            {r.receiptNumber}
          </Text>
        ),
      },
      { id: 'paidAt', header: t('billing.payments.paidAt'), width: 170, cell: (r) => fmt.dateTime(r.paidAt) },
      {
        id: 'customer',
        header: t('billing.invoices.customer'),
        cell: (r) => (
          <Text size="sm" fw={500}>
            {r.customerName}
          </Text>
        ),
      },
      {
        id: 'method',
        header: t('billing.payments.method'),
        width: 130,
        cell: (r) => t(`billing.method.${r.method}`),
      },
      {
        id: 'amount',
        header: t('billing.payments.amount'),
        width: 140,
        cell: (r) => <span className="tabular">{fmt.rupiah(r.amount)}</span>,
      },
      { id: 'by', header: t('billing.payments.recordedBy'), width: 150, cell: (r) => r.recordedBy },
      {
        id: 'state',
        header: '',
        width: 100,
        cell: (r) => r.reversed && <Badge color="gray">{t('billing.payments.reversed')}</Badge>,
      },
    ],
    [t],
  );
  return (
    <Stack>
      <div>
        <Title order={2}>{t('billing.payments.title')}</Title>
        <Text c="dimmed">{t('billing.payments.subtitle')}</Text>
      </div>
      {any.data?.total === 0 ? (
        <EmptyState
          icon={IconCash}
          title={t('billing.payments.emptyTitle')}
          text={t('billing.payments.emptyText')}
        />
      ) : (
        <DataTable
          testId="payments-table"
          queryKey={['payments.list']}
          columns={columns}
          fetchPage={(req) => rpc('payments.list', req)}
          getRowId={(r) => r.id}
          onRowClick={setSelected}
        />
      )}
      <PaymentDrawer payment={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}

function PaymentDrawer({ payment: p, onClose }: { payment: PaymentView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const reverse = useRpcMutation('payments.reverse', {
    invalidate: ['payments.list', 'customers.get', 'invoices.list', 'billing.summary'],
    successMessage: t('billing.payments.reversed'),
  });
  const askReverse = () => {
    if (!p) return;
    let reason = '';
    modals.openConfirmModal({
      title: `${t('billing.payments.reverse')} ${p.receiptNumber}`,
      children: (
        <Stack>
          <Text size="sm">{t('billing.payments.reverseHint')}</Text>
          <Textarea
            label={t('billing.payments.reverseReason')}
            data-autofocus
            onChange={(e) => (reason = e.currentTarget.value)}
          />
        </Stack>
      ),
      labels: { confirm: t('billing.payments.reverse'), cancel: t('billing.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        reverse.mutate({ id: p.id, version: p.version, reason: reason || '-' }, { onSuccess: onClose }),
    });
  };
  return (
    <Drawer opened={!!p} onClose={onClose} position="right" size="md" title={p?.receiptNumber}>
      {p && (
        <Stack>
          <Title order={4}>{p.customerName}</Title>
          <SimpleGrid cols={2} spacing={6}>
            <Text size="sm" c="dimmed">
              {t('billing.payments.amount')}
            </Text>
            <Text size="sm" fw={700} ta="right" className="tabular">
              {fmt.rupiah(p.amount)}
            </Text>
            <Text size="sm" c="dimmed">
              {t('billing.payments.method')}
            </Text>
            <Text size="sm" ta="right">
              {t(`billing.method.${p.method}`)}
              {p.reference ? ` · ${p.reference}` : ''}
            </Text>
            <Text size="sm" c="dimmed">
              {t('billing.payments.paidAt')}
            </Text>
            <Text size="sm" ta="right">
              {fmt.dateTime(p.paidAt)}
            </Text>
            <Text size="sm" c="dimmed">
              {t('billing.payments.recordedBy')}
            </Text>
            <Text size="sm" ta="right">
              {p.recordedBy}
            </Text>
          </SimpleGrid>
          <Text size="sm" fw={600}>
            {t('billing.payments.allocations')}
          </Text>
          {p.allocations.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('billing.customers.credit')}
            </Text>
          )}
          {p.allocations.map((a) => (
            <Group key={a.invoiceId} justify="space-between">
              <Text size="sm" ff="monospace">
                {a.invoiceNumber}
              </Text>
              <Text size="sm" className="tabular">
                {fmt.rupiah(a.amount)}
              </Text>
            </Group>
          ))}
          {p.reverseReason && (
            <Text size="sm" c="red.7">{`${t('billing.payments.reversed')}: ${p.reverseReason}`}</Text>
          )}
          <Group>
            <PrintMenu kind="receipt" id={p.id} token={p.receiptToken} />
            <Button variant="subtle" onClick={() => navigate(`/customers/${p.customerId}`)}>
              {p.customerCode}
            </Button>
            {can('payments.reverse') && !p.reversed && (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconArrowBackUp size={16} />}
                onClick={askReverse}
              >
                {t('billing.payments.reverse')}
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Drawer>
  );
}
