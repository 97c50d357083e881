import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerView } from '../../../shared/contract/billing';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors } from '../../lib/form';

interface Values {
  name: string;
  phone: string;
  nik: string;
  address: string;
  area: string;
  locationCode: string;
  routerId: string | null;
  notes: string;
  whatsappOptOut: boolean;
  isolationExempt: boolean;
  promiseUntil: string;
  lat: number | string;
  lng: number | string;
}

const empty: Values = {
  name: '',
  phone: '',
  nik: '',
  address: '',
  area: '',
  locationCode: '',
  routerId: null,
  notes: '',
  whatsappOptOut: false,
  isolationExempt: false,
  promiseUntil: '',
  lat: '',
  lng: '',
};

/** Add or edit a customer. Field errors come back from the core's zod schema (same rules as the contract). */
export function CustomerForm({
  opened,
  onClose,
  customer,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  customer?: CustomerView;
  onCreated?: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const routers = useRpcQuery('routers.list', {}, { enabled: opened && can('routers.view') });
  const areas = useRpcQuery('customers.areas', {}, { enabled: opened });
  const create = useRpcMutation('customers.create', {
    invalidate: ['customers.list', 'customers.areas'],
    silentErrors: true,
  });
  const update = useRpcMutation('customers.update', {
    invalidate: ['customers.list', 'customers.get'],
    silentErrors: true,
  });
  const form = useForm<Values>({
    initialValues: empty,
    validate: { name: (v) => (v.trim().length >= 2 ? null : t('billing.customers.name')) },
  });
  useEffect(() => {
    if (!opened) return;
    form.setValues(
      customer
        ? {
            ...empty,
            name: customer.name,
            phone: customer.phone ? `0${customer.phone.slice(2)}` : '',
            nik: customer.nik ?? '',
            address: customer.address,
            area: customer.area,
            routerId: customer.routerId,
            notes: customer.notes,
            whatsappOptOut: customer.whatsappOptOut,
            isolationExempt: customer.isolationExempt,
            promiseUntil: customer.promiseUntil ?? '',
            lat: customer.lat ?? '',
            lng: customer.lng ?? '',
          }
        : empty,
    );
    form.resetDirty();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, customer?.version]);

  const submit = (v: Values) => {
    const common = {
      name: v.name,
      phone: v.phone.trim() ? v.phone : null,
      nik: v.nik.trim() ? v.nik.trim() : null,
      address: v.address,
      area: v.area,
      routerId: v.routerId,
      notes: v.notes,
      whatsappOptOut: v.whatsappOptOut,
      lat: v.lat === '' ? null : Number(v.lat),
      lng: v.lng === '' ? null : Number(v.lng),
    };
    const onError = (
      e: Parameters<NonNullable<Parameters<typeof create.mutate>[1]>['onError'] & object>[0],
    ) => {
      const fields = serverFieldErrors(e);
      if (Object.keys(fields).length) form.setErrors(fields);
      else notifications.show({ color: 'red', message: e.message });
    };
    if (customer) {
      update.mutate(
        {
          ...common,
          id: customer.id,
          version: customer.version,
          isolationExempt: v.isolationExempt,
          promiseUntil: v.promiseUntil || null,
        },
        {
          onSuccess: () => (notifications.show({ color: 'teal', message: t('billing.saved') }), onClose()),
          onError,
        },
      );
    } else {
      create.mutate(
        {
          ...common,
          ...(v.locationCode.trim() ? { locationCode: v.locationCode.trim().toUpperCase() } : {}),
        },
        {
          onSuccess: (c) => {
            notifications.show({ color: 'teal', message: t('billing.customers.created', { code: c.code }) });
            onClose();
            onCreated?.(c.id);
          },
          onError,
        },
      );
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={customer ? t('billing.customers.edit') : t('billing.customers.add')}
      size="lg"
    >
      <form onSubmit={form.onSubmit(submit)}>
        <Stack>
          <TextInput
            label={t('billing.customers.name')}
            required
            data-autofocus
            name="name"
            {...form.getInputProps('name')}
          />
          <SimpleGrid cols={2}>
            <TextInput
              label={t('billing.customers.phone')}
              description={t('billing.customers.phoneHint')}
              name="phone"
              inputMode="tel"
              {...form.getInputProps('phone')}
            />
            <TextInput
              label={t('billing.customers.nik')}
              description={t('billing.customers.nikHint')}
              inputMode="numeric"
              maxLength={16}
              {...form.getInputProps('nik')}
            />
          </SimpleGrid>
          <Textarea
            label={t('billing.customers.address')}
            autosize
            minRows={2}
            {...form.getInputProps('address')}
          />
          <SimpleGrid cols={customer ? 2 : 3}>
            <Select
              label={t('billing.customers.area')}
              searchable
              data={[
                ...new Set([
                  ...(areas.data ?? []).map((a) => a.area),
                  ...(form.values.area ? [form.values.area] : []),
                ]),
              ]}
              onSearchChange={(s) => s && form.setFieldValue('area', s)}
              searchValue={form.values.area}
              value={form.values.area || null}
              onChange={(v) => form.setFieldValue('area', v ?? '')}
              name="area"
            />
            {!customer && (
              <TextInput
                label={t('billing.customers.locationCode')}
                description={t('billing.customers.locationCodeHint')}
                maxLength={10}
                {...form.getInputProps('locationCode')}
              />
            )}
            <Select
              label={t('billing.customers.router')}
              clearable
              data={(routers.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              {...form.getInputProps('routerId')}
            />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <NumberInput
              label={t('billing.customers.lat')}
              decimalScale={6}
              min={-90}
              max={90}
              {...form.getInputProps('lat')}
            />
            <NumberInput
              label={t('billing.customers.lng')}
              decimalScale={6}
              min={-180}
              max={180}
              {...form.getInputProps('lng')}
            />
          </SimpleGrid>
          <Textarea
            label={t('billing.customers.notes')}
            autosize
            minRows={2}
            {...form.getInputProps('notes')}
          />
          <Checkbox
            label={t('billing.customers.optOut')}
            {...form.getInputProps('whatsappOptOut', { type: 'checkbox' })}
          />
          {customer && (
            <SimpleGrid cols={2}>
              <Checkbox
                label={t('billing.customers.exempt')}
                description={t('billing.customers.exemptHint')}
                {...form.getInputProps('isolationExempt', { type: 'checkbox' })}
              />
              <TextInput
                type="date"
                label={t('billing.customers.promise')}
                description={t('billing.customers.promiseHint')}
                {...form.getInputProps('promiseUntil')}
              />
            </SimpleGrid>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('billing.cancel')}
            </Button>
            <Button
              type="submit"
              loading={create.isPending || update.isPending}
              data-testid="customer-submit"
            >
              {t('billing.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
