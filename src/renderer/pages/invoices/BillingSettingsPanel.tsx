import {
  Button,
  Chip,
  Grid,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { BillingSettings, BillingSettingsView, ReceiptFields } from '../../../shared/contract/billing';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors } from '../../lib/form';

type View = z.infer<typeof BillingSettingsView>;
type Values = Omit<BillingSettings, 'holidays'> & { holidays: string };
const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
const FIELDS: (keyof ReceiptFields)[] = [
  'logo',
  'officeName',
  'customerPhone',
  'nik',
  'area',
  'package',
  'period',
  'discount',
  'method',
  'paidAt',
  'recordedBy',
];

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Title order={5} mb="md">
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

/** Billing settings: number patterns, invoice timing, isolation policy, receipt fields. */
export function BillingSettingsPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const editable = can('billing.manage');
  const q = useRpcQuery('billing.settings.get', {});
  const routers = useRpcQuery('routers.list', {}, { enabled: can('routers.view') });
  const update = useRpcMutation('billing.settings.update', {
    invalidate: ['billing.settings.get', 'billing.runs.list'],
    successMessage: t('billing.saved'),
    silentErrors: true,
  });
  const form = useForm<Values>({ initialValues: undefined as unknown as Values });
  const s: View | undefined = q.data;
  useEffect(() => {
    if (s) {
      const { version: _v, ...rest } = s;
      form.setValues({ ...rest, holidays: rest.holidays.join(', ') });
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s?.version]);
  if (!s || !form.values?.customerIdPattern) return null;
  const weekdays = t('billing.settings.weekdays', { returnObjects: true }) as string[];
  return (
    <form
      onSubmit={form.onSubmit((v) =>
        update.mutate(
          {
            ...v,
            holidays: v.holidays
              .split(/[\s,]+/)
              .map((d) => d.trim())
              .filter(Boolean),
            version: s.version,
          },
          { onError: (e) => form.setErrors(serverFieldErrors(e)) },
        ),
      )}
    >
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
        <Grid>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack>
              <Section title={t('billing.settings.numbering')}>
                <Text size="xs" c="dimmed">
                  {t('billing.settings.patternHint')}
                </Text>
                <SimpleGrid cols={2}>
                  <TextInput
                    label={t('billing.settings.customerIdPattern')}
                    styles={MONO}
                    {...form.getInputProps('customerIdPattern')}
                  />
                  <TextInput
                    label={t('billing.settings.usernamePattern')}
                    styles={MONO}
                    {...form.getInputProps('usernamePattern')}
                  />
                  <TextInput
                    label={t('billing.settings.invoiceNumberPattern')}
                    styles={MONO}
                    {...form.getInputProps('invoiceNumberPattern')}
                  />
                  <TextInput
                    label={t('billing.settings.receiptNumberPattern')}
                    styles={MONO}
                    {...form.getInputProps('receiptNumberPattern')}
                  />
                  <TextInput
                    label={t('billing.settings.creditNotePattern')}
                    styles={MONO}
                    {...form.getInputProps('creditNotePattern')}
                  />
                </SimpleGrid>
              </Section>
              <Section title={t('billing.settings.billing')}>
                <SimpleGrid cols={2}>
                  <NumberInput
                    label={t('billing.settings.generateDaysBefore')}
                    min={0}
                    max={20}
                    {...form.getInputProps('generateDaysBefore')}
                  />
                  <TextInput
                    type="time"
                    label={t('billing.settings.invoiceRunAt')}
                    {...form.getInputProps('invoiceRunAt')}
                  />
                  <NumberInput
                    label={t('billing.settings.taxRate')}
                    min={0}
                    max={100}
                    decimalScale={2}
                    {...form.getInputProps('taxRate')}
                  />
                </SimpleGrid>
                <Switch
                  label={t('billing.settings.prorate')}
                  {...form.getInputProps('prorateFirstPeriod', { type: 'checkbox' })}
                />
              </Section>
              <Section title={t('billing.settings.receipt')}>
                <SimpleGrid cols={{ base: 2, sm: 3 }}>
                  {FIELDS.map((f) => (
                    <Switch
                      key={f}
                      label={t(`billing.settings.receiptFields.${f}`)}
                      {...form.getInputProps(`receiptFields.${f}`, { type: 'checkbox' })}
                    />
                  ))}
                </SimpleGrid>
              </Section>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Section title={t('billing.settings.isolation')}>
              <Switch
                label={t('billing.settings.autoIsolation')}
                {...form.getInputProps('autoIsolation', { type: 'checkbox' })}
              />
              <SimpleGrid cols={2}>
                <NumberInput
                  label={t('billing.settings.graceDays')}
                  min={0}
                  max={60}
                  {...form.getInputProps('graceDays')}
                />
                <TextInput
                  type="time"
                  label={t('billing.settings.isolationRunAt')}
                  {...form.getInputProps('isolationRunAt')}
                />
              </SimpleGrid>
              <Select
                label={t('billing.settings.method')}
                allowDeselect={false}
                data={(['profile', 'address-list', 'disable'] as const).map((m) => ({
                  value: m,
                  label: t(`billing.settings.methods.${m}`),
                }))}
                {...form.getInputProps('defaultIsolation.method')}
              />
              <SimpleGrid cols={2}>
                <TextInput
                  label={t('billing.settings.isolationProfile')}
                  styles={MONO}
                  {...form.getInputProps('defaultIsolation.isolationProfile')}
                />
                <TextInput
                  label={t('billing.settings.addressList')}
                  styles={MONO}
                  {...form.getInputProps('defaultIsolation.addressList')}
                />
              </SimpleGrid>
              <div>
                <Text size="sm" fw={500} mb={6}>
                  {t('billing.settings.noIsolationWeekdays')}
                </Text>
                <Chip.Group
                  multiple
                  value={form.values.noIsolationWeekdays.map(String)}
                  onChange={(v) => form.setFieldValue('noIsolationWeekdays', v.map(Number))}
                >
                  <Group gap={6}>
                    {weekdays.map((d, i) => (
                      <Chip key={d} value={String(i)} size="sm">
                        {d}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
              </div>
              <TextInput
                label={t('billing.settings.holidays')}
                description={t('billing.settings.holidaysHint')}
                placeholder="2026-12-25, 2027-01-01"
                {...form.getInputProps('holidays')}
              />
              <NumberInput
                label={t('billing.settings.disableAfterDays')}
                min={0}
                max={365}
                {...form.getInputProps('disableAfterDays')}
              />
              <Select
                label={t('billing.settings.restorePolicy')}
                allowDeselect={false}
                data={[
                  { value: 'full', label: t('billing.settings.restoreFull') },
                  { value: 'any', label: t('billing.settings.restoreAny') },
                ]}
                {...form.getInputProps('restorePolicy')}
              />
              {(routers.data ?? []).length > 0 && (
                <div>
                  <Text size="sm" fw={500} mb={6}>
                    {t('billing.settings.perRouter')}
                  </Text>
                  <Stack gap={6}>
                    {(routers.data ?? []).map((r) => (
                      <Group key={r.id} grow>
                        <Text size="sm">{r.name}</Text>
                        <Select
                          size="xs"
                          value={form.values.routerIsolation[r.id]?.method ?? 'default'}
                          allowDeselect={false}
                          data={[
                            { value: 'default', label: t('billing.settings.followDefault') },
                            ...(['profile', 'address-list', 'disable'] as const).map((m) => ({
                              value: m,
                              label: t(`billing.settings.methods.${m}`),
                            })),
                          ]}
                          onChange={(v) => {
                            const next = { ...form.values.routerIsolation };
                            if (!v || v === 'default') delete next[r.id];
                            else next[r.id] = { ...form.values.defaultIsolation, method: v as 'profile' };
                            form.setFieldValue('routerIsolation', next);
                          }}
                        />
                      </Group>
                    ))}
                  </Stack>
                </div>
              )}
            </Section>
            {can('isolation.manage') && (routers.data ?? []).length > 0 && (
              <NoticeInstaller routers={routers.data ?? []} />
            )}
          </Grid.Col>
        </Grid>
        {editable && (
          <Group justify="flex-end" mt="md">
            <Button
              type="submit"
              loading={update.isPending}
              disabled={!form.isDirty()}
              data-testid="billing-settings-save"
            >
              {t('billing.save')}
            </Button>
          </Group>
        )}
      </fieldset>
    </form>
  );
}

/** Installs the NAT rule that shows isolated customers the notice page served by this PC. */
function NoticeInstaller({ routers }: { routers: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const [routerId, setRouterId] = useState<string | null>(routers[0]?.id ?? null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState<number | string>(Number(window.location.port) || 3210);
  const install = useRpcMutation('subscriptions.installIsolationNotice', { silentErrors: false });
  return (
    <Paper withBorder p="lg" mt="md">
      <Title order={5} mb={4}>
        {t('billing.settings.notice')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('billing.settings.noticeHint')}
      </Text>
      <Group align="flex-end" grow>
        <Select
          label={t('billing.customers.router')}
          data={routers.map((r) => ({ value: r.id, label: r.name }))}
          value={routerId}
          onChange={setRouterId}
          allowDeselect={false}
        />
        <TextInput
          label={t('billing.settings.noticeHost')}
          placeholder="192.168.88.10"
          value={host}
          onChange={(e) => setHost(e.currentTarget.value)}
        />
        <NumberInput
          label={t('billing.settings.noticePort')}
          value={port}
          onChange={setPort}
          min={1}
          max={65535}
          allowDecimal={false}
        />
      </Group>
      <Group justify="flex-end" mt="md">
        <Button
          variant="light"
          disabled={!routerId || !host}
          loading={install.isPending}
          onClick={() =>
            routerId &&
            install.mutate(
              { routerId, host: host.trim(), port: Number(port) },
              {
                onSuccess: (r) =>
                  notifications.show({
                    color: 'teal',
                    message: t('billing.settings.noticeInstalled', { url: r.url }),
                  }),
              },
            )
          }
        >
          {t('billing.settings.noticeInstall')}
        </Button>
      </Group>
    </Paper>
  );
}
