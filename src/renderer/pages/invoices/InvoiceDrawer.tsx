import { Button, Divider, Drawer, Group, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconBan, IconCash, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { InvoiceBadge, PrintMenu, fmtDay } from '../customers/common';
import { PaymentModal, type PayTarget } from '../payments/PaymentModal';
import { SendWhatsAppButton } from '../whatsapp/SendWhatsAppButton';

function Row({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ta="right" fw={strong ? 700 : 400} className="tabular">
        {value}
      </Text>
    </>
  );
}

export function InvoiceDrawer({ invoiceId, onClose }: { invoiceId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const q = useRpcQuery('invoices.get', { id: invoiceId ?? '' }, { enabled: !!invoiceId });
  const voidM = useRpcMutation('invoices.void', {
    invalidate: ['invoices.list', 'invoices.get', 'billing.summary', 'customers.get'],
  });
  const [pay, setPay] = useState<PayTarget | null>(null);
  const i = q.data;
  const askVoid = () => {
    if (!i) return;
    let reason = '';
    modals.openConfirmModal({
      title: `${t('billing.invoices.void')} ${i.number}`,
      children: (
        <Stack>
          <Text size="sm">{t('billing.invoices.voidHint')}</Text>
          <Textarea
            label={t('billing.invoices.voidReason')}
            data-autofocus
            onChange={(e) => (reason = e.currentTarget.value)}
          />
        </Stack>
      ),
      labels: { confirm: t('billing.invoices.void'), cancel: t('billing.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => voidM.mutate({ id: i.id, version: i.version, reason: reason || '-' }),
    });
  };
  return (
    <Drawer opened={!!invoiceId} onClose={onClose} position="right" size="md" title={i ? i.number : ''}>
      {i && (
        <Stack data-testid="invoice-drawer">
          <Group justify="space-between">
            <Title order={4}>{i.customerName}</Title>
            <InvoiceBadge status={i.status} overdue={i.overdue} />
          </Group>
          <Text size="sm" c="dimmed">
            {i.description}
          </Text>
          <SimpleGrid cols={2} spacing={6}>
            <Row
              label={t('billing.invoices.period')}
              value={`${fmtDay(i.periodStart)} – ${fmtDay(i.periodEnd)}`}
            />
            <Row label={t('billing.invoices.due')} value={fmtDay(i.dueDate)} />
            <Row label={t('billing.invoices.subtotal')} value={fmt.rupiah(i.subtotal)} />
            {i.discount > 0 && (
              <Row label={t('billing.invoices.discount')} value={`−${fmt.rupiah(i.discount)}`} />
            )}
            {i.tax > 0 && <Row label={t('billing.invoices.tax')} value={fmt.rupiah(i.tax)} />}
            <Row label={t('billing.invoices.total')} value={fmt.rupiah(i.total)} strong />
            <Row label={t('billing.invoices.paid')} value={fmt.rupiah(i.paid)} />
            <Row label={t('billing.invoices.balanceDue')} value={fmt.rupiah(i.balanceDue)} strong />
            {i.creditNoteNumber && (
              <Row label={t('billing.invoices.creditNote')} value={i.creditNoteNumber} />
            )}
          </SimpleGrid>
          {i.voidReason && (
            <Text size="sm" c="red.7">
              {i.voidReason}
            </Text>
          )}
          <Divider />
          <Group>
            {can('payments.record') && i.balanceDue > 0 && (
              <Button
                leftSection={<IconCash size={16} />}
                onClick={async () => {
                  const fresh = await rpc('invoices.get', { id: i.id });
                  setPay({
                    customerId: i.customerId,
                    customerName: i.customerName,
                    owed: fresh.balanceDue,
                    invoice: {
                      id: fresh.id,
                      number: fresh.number,
                      version: fresh.version,
                      balanceDue: fresh.balanceDue,
                    },
                  });
                }}
              >
                {t('billing.invoices.pay')}
              </Button>
            )}
            <PrintMenu kind="invoice" id={i.id} token={i.publicToken} />
            {/* Renders nothing without whatsapp.send. An unpaid invoice gets the reminder text, a new one the notice. */}
            {i.status !== 'void' && (
              <SendWhatsAppButton
                customerId={i.customerId}
                invoiceId={i.id}
                defaultKind={i.paid === 0 && !i.overdue ? 'invoice_issued' : 'reminder'}
              />
            )}
            <Button
              variant="subtle"
              leftSection={<IconUser size={16} />}
              onClick={() => navigate(`/customers/${i.customerId}`)}
            >
              {i.customerCode}
            </Button>
            {can('billing.manage') && i.status !== 'void' && (
              <Button variant="subtle" color="red" leftSection={<IconBan size={16} />} onClick={askVoid}>
                {t('billing.invoices.void')}
              </Button>
            )}
          </Group>
        </Stack>
      )}
      <PaymentModal target={pay} onClose={() => setPay(null)} />
    </Drawer>
  );
}
