import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { serverFieldErrors } from '../../lib/form';
import { fmt } from '../../lib/format';

interface Values {
  customerId: string | null;
  packageId: string | null;
  routerId: string | null;
  username: string;
  password: string;
  remoteAddress: string;
  billingDay: number | string;
  discount: number | string;
  startDate: string;
  invoiceNow: boolean;
}

/** New PPPoE subscription: the secret goes to the router through a router job; the first invoice can be issued at once. */
export function SubscriptionForm({
  opened,
  onClose,
  customer,
}: {
  opened: boolean;
  onClose: () => void;
  customer?: { id: string; name: string; routerId: string | null };
}) {
  const { t } = useTranslation();
  const packages = useRpcQuery('packages.list', { includeInactive: false }, { enabled: opened });
  const routers = useRpcQuery('routers.list', {}, { enabled: opened });
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const customers = useRpcQuery(
    'customers.list',
    { search: debounced, limit: 20 },
    { enabled: opened && !customer },
  );
  const create = useRpcMutation('subscriptions.create', {
    invalidate: ['subscriptions.list', 'customers.get', 'customers.list', 'invoices.list'],
    silentErrors: true,
  });
  const form = useForm<Values>({
    initialValues: {
      customerId: null,
      packageId: null,
      routerId: null,
      username: '',
      password: '',
      remoteAddress: '',
      billingDay: '',
      discount: 0,
      startDate: '',
      invoiceNow: true,
    },
    validate: {
      customerId: (v) => (v ? null : t('billing.invoices.customer')),
      packageId: (v) => (v ? null : t('billing.customers.package')),
      routerId: (v) => (v ? null : t('billing.customers.router')),
    },
  });
  useEffect(() => {
    if (opened) {
      form.reset();
      if (customer) form.setValues({ customerId: customer.id, routerId: customer.routerId });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`${t('billing.subscriptions.add')}${customer ? ` — ${customer.name}` : ''}`}
      size="lg"
    >
      <form
        onSubmit={form.onSubmit((v) =>
          create.mutate(
            {
              customerId: v.customerId ?? '',
              packageId: v.packageId ?? '',
              routerId: v.routerId ?? '',
              ...(v.username.trim() ? { username: v.username.trim() } : {}),
              ...(v.password ? { password: v.password } : {}),
              remoteAddress: v.remoteAddress,
              ...(v.billingDay !== '' ? { billingDay: Number(v.billingDay) } : {}),
              discount: Number(v.discount) || 0,
              ...(v.startDate ? { startDate: v.startDate } : {}),
              invoiceNow: v.invoiceNow,
            },
            {
              onSuccess: (s) => {
                notifications.show({
                  color: 'teal',
                  message: t('billing.subscriptions.created', { username: s.username }),
                });
                onClose();
              },
              onError: (e) => {
                const fields = serverFieldErrors(e);
                if (Object.keys(fields).length) form.setErrors(fields);
                else notifications.show({ color: 'red', message: e.message });
              },
            },
          ),
        )}
      >
        <Stack>
          {!customer && (
            <Select
              label={t('billing.invoices.customer')}
              searchable
              required
              searchValue={search}
              onSearchChange={setSearch}
              filter={({ options }) => options}
              data={(customers.data?.rows ?? []).map((c) => ({
                value: c.id,
                label: `${c.name} · ${c.code}`,
              }))}
              {...form.getInputProps('customerId')}
            />
          )}
          <SimpleGrid cols={2}>
            <Select
              label={t('billing.customers.package')}
              required
              data-autofocus
              data={(packages.data ?? []).map((p) => ({
                value: p.id,
                label: `${p.name} · ${fmt.rupiah(p.price)}`,
              }))}
              {...form.getInputProps('packageId')}
            />
            <Select
              label={t('billing.customers.router')}
              required
              data={(routers.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              {...form.getInputProps('routerId')}
            />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <TextInput
              label={t('billing.subscriptions.username')}
              description={t('billing.subscriptions.usernameHint')}
              {...form.getInputProps('username')}
            />
            <PasswordInput
              label={t('billing.subscriptions.password')}
              description={t('billing.subscriptions.passwordHint')}
              {...form.getInputProps('password')}
            />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <NumberInput
              label={t('billing.subscriptions.billingDay')}
              description={t('billing.subscriptions.billingDayHint')}
              min={1}
              max={28}
              allowDecimal={false}
              {...form.getInputProps('billingDay')}
            />
            <NumberInput
              label={t('billing.subscriptions.discount')}
              prefix="Rp "
              thousandSeparator="."
              decimalSeparator=","
              min={0}
              allowDecimal={false}
              {...form.getInputProps('discount')}
            />
            <TextInput
              type="date"
              label={t('billing.subscriptions.startDate')}
              {...form.getInputProps('startDate')}
            />
          </SimpleGrid>
          <TextInput
            label={t('billing.subscriptions.remoteAddress')}
            placeholder="10.10.0.2"
            {...form.getInputProps('remoteAddress')}
          />
          <Checkbox
            label={t('billing.subscriptions.invoiceNow')}
            {...form.getInputProps('invoiceNow', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('billing.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="subscription-submit">
              {t('billing.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
