import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRpcMutation } from '../../api/hooks';
import { fmt } from '../../lib/format';
import { receiptHref } from '../customers/common';

export interface PayTarget {
  customerId: string;
  customerName: string;
  /** What the customer owes now (ledger balance), to prefill. */
  owed: number;
  invoice?: { id: string; number: string; version: number; balanceDue: number };
}

/** Record a cash or transfer payment; paying one invoice carries its version (a second cashier gets CONFLICT). */
export function PaymentModal({ target, onClose }: { target: PayTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [conflict, setConflict] = useState(false);
  const record = useRpcMutation('payments.record', {
    invalidate: [
      'customers.get',
      'customers.list',
      'invoices.list',
      'invoices.get',
      'payments.list',
      'billing.summary',
    ],
    silentErrors: true,
  });
  const form = useForm({
    initialValues: {
      amount: 0 as number | string,
      method: 'cash' as 'cash' | 'transfer',
      reference: '',
      note: '',
    },
    validate: { amount: (v) => (Number(v) > 0 ? null : t('billing.payments.amount')) },
  });
  useEffect(() => {
    if (target) {
      form.setValues({
        amount: target.invoice?.balanceDue ?? Math.max(target.owed, 0),
        method: 'cash',
        reference: '',
        note: '',
      });
      setConflict(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);
  const amount = Number(form.values.amount) || 0;
  const due = target?.invoice?.balanceDue ?? target?.owed ?? 0;
  return (
    <Modal
      opened={!!target}
      onClose={onClose}
      title={`${t('billing.invoices.pay')} — ${target?.customerName ?? ''}`}
      size="md"
    >
      {target && (
        <form
          onSubmit={form.onSubmit((v) =>
            record.mutate(
              {
                customerId: target.customerId,
                amount: Number(v.amount),
                method: v.method,
                reference: v.reference,
                note: v.note,
                ...(target.invoice
                  ? { invoiceId: target.invoice.id, invoiceVersion: target.invoice.version }
                  : {}),
              },
              {
                onSuccess: (p) => {
                  notifications.show({
                    color: 'teal',
                    title: t('billing.payments.recorded', { receipt: p.receiptNumber }),
                    message: (
                      <Anchor href={receiptHref(p.receiptToken)} target="_blank" size="sm">
                        {t('billing.payments.openReceipt')}
                      </Anchor>
                    ),
                  });
                  onClose();
                },
                onError: (e) => {
                  if (e.code === 'CONFLICT') setConflict(true);
                  else notifications.show({ color: 'red', message: e.message });
                },
              },
            ),
          )}
        >
          <Stack>
            {target.invoice && (
              <Text size="sm" c="dimmed">
                {target.invoice.number} · {t('billing.invoices.balanceDue')}{' '}
                {fmt.rupiah(target.invoice.balanceDue)}
              </Text>
            )}
            {!target.invoice && (
              <Text size="sm" c="dimmed">
                {t('billing.payments.owed', { amount: fmt.rupiah(Math.max(target.owed, 0)) })}
              </Text>
            )}
            {conflict && (
              <Alert color="orange" icon={<IconAlertTriangle size={18} />} data-testid="payment-conflict">
                {t('billing.payments.conflict')}
              </Alert>
            )}
            <NumberInput
              label={t('billing.payments.amount')}
              prefix="Rp "
              thousandSeparator="."
              decimalSeparator=","
              allowNegative={false}
              allowDecimal={false}
              min={1}
              data-autofocus
              name="amount"
              {...form.getInputProps('amount')}
            />
            {amount > due && due >= 0 && (
              <Text size="xs" c="teal.7">
                {t('billing.payments.credit')}: {fmt.rupiah(amount - due)}
              </Text>
            )}
            <SegmentedControl
              fullWidth
              data={[
                { value: 'cash', label: t('billing.method.cash') },
                { value: 'transfer', label: t('billing.method.transfer') },
              ]}
              {...form.getInputProps('method')}
            />
            {form.values.method === 'transfer' && (
              <TextInput
                label={t('billing.payments.reference')}
                placeholder="BCA 0123…"
                {...form.getInputProps('reference')}
              />
            )}
            <TextInput label={t('billing.payments.note')} {...form.getInputProps('note')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('billing.cancel')}
              </Button>
              <Button type="submit" loading={record.isPending} data-testid="payment-submit">
                {t('billing.payments.record')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
