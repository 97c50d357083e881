import {
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { WaSettings } from '../../../shared/contract/whatsapp';
import { RpcError } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors, zodValidate } from '../../lib/form';

const toDays = (v: string[]) =>
  [...new Set(v.map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0))].sort((a, b) => b - a);

export function SettingsPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const manage = can('whatsapp.manage');
  const q = useRpcQuery('whatsapp.settings.get', {});
  const save = useRpcMutation('whatsapp.settings.update', {
    invalidate: ['whatsapp.settings.get', 'whatsapp.messages.stats'],
    successMessage: t('whatsapp.settings.saved'),
    silentErrors: true,
  });
  const form = useForm<WaSettings>({ validate: zodValidate(WaSettings) });
  useEffect(() => {
    if (q.data) {
      form.setValues(q.data.settings);
      form.resetDirty(q.data.settings);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.data]);
  if (!q.data || !form.values.pacing || !form.values.inbound) return null;
  /** A list's own error or the first of its items' (`inbound.optOutKeywords.1`). */
  const listError = (path: string) =>
    form.errors[path] ?? Object.entries(form.errors).find(([k]) => k.startsWith(`${path}.`))?.[1];
  const keywords = (
    path: 'inbound.optOutKeywords' | 'inbound.optInKeywords',
    label: string,
    testId: string,
  ) => (
    <TagsInput
      label={label}
      placeholder={t('whatsapp.settings.keywordPlaceholder')}
      value={
        path === 'inbound.optOutKeywords'
          ? form.values.inbound.optOutKeywords
          : form.values.inbound.optInKeywords
      }
      onChange={(v) =>
        form.setFieldValue(path, [...new Set(v.map((x) => x.trim().toUpperCase()).filter(Boolean))])
      }
      splitChars={[',']}
      disabled={!manage}
      error={listError(path)}
      data-testid={testId}
    />
  );
  const num = (path: string, label: string, extra: { min?: number; max?: number } = {}) => (
    <NumberInput
      label={label}
      min={extra.min ?? 0}
      max={extra.max}
      allowDecimal={false}
      disabled={!manage}
      {...form.getInputProps(path)}
    />
  );
  return (
    <form
      onSubmit={form.onSubmit((values) =>
        save.mutate(
          { settings: values, version: q.data.version },
          {
            onError: (e) =>
              e instanceof RpcError &&
              form.setErrors(
                Object.fromEntries(
                  Object.entries(serverFieldErrors(e)).map(([k, v]) => [k.replace(/^settings\./, ''), v]),
                ),
              ),
          },
        ),
      )}
    >
      <Stack gap="lg" maw={900}>
        <Card withBorder padding="lg">
          <Title order={4}>{t('whatsapp.settings.pacing')}</Title>
          <Text size="sm" c="dimmed" mb="md">
            {t('whatsapp.settings.pacingHelp')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {num('pacing.minDelaySec', t('whatsapp.settings.minDelay'), { min: 1 })}
            {num('pacing.maxDelaySec', t('whatsapp.settings.maxDelay'), { min: 1 })}
            {num('pacing.jitterSec', t('whatsapp.settings.jitter'))}
            {num('pacing.hourlyCap', t('whatsapp.settings.hourlyCap'), { min: 1 })}
            {num('pacing.dailyCap', t('whatsapp.settings.dailyCap'), { min: 1 })}
            {num('pacing.batchSize', t('whatsapp.settings.batchSize'), { min: 1 })}
            {num('pacing.cooldownMin', t('whatsapp.settings.cooldown'))}
            <TextInput
              label={t('whatsapp.settings.businessStart')}
              type="time"
              disabled={!manage}
              {...form.getInputProps('pacing.businessStart')}
            />
            <TextInput
              label={t('whatsapp.settings.businessEnd')}
              type="time"
              disabled={!manage}
              {...form.getInputProps('pacing.businessEnd')}
            />
            {num('pacing.maxAttempts', t('whatsapp.settings.maxAttempts'), { min: 1, max: 10 })}
            {num('pacing.retryBaseMin', t('whatsapp.settings.retryBase'), { min: 1 })}
            {num('failureAlertThreshold', t('whatsapp.settings.alertThreshold'), { min: 2 })}
          </SimpleGrid>
          <Switch
            mt="md"
            label={t('whatsapp.settings.warmup')}
            disabled={!manage}
            {...form.getInputProps('pacing.warmup', { type: 'checkbox' })}
          />
        </Card>
        <Card withBorder padding="lg">
          <Title order={4} mb="md">
            {t('whatsapp.settings.triggers')}
          </Title>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TagsInput
                label={t('whatsapp.settings.daysBefore')}
                placeholder={t('whatsapp.settings.daysPlaceholder')}
                value={form.values.triggers.reminderDaysBefore.map(String)}
                onChange={(v) => form.setFieldValue('triggers.reminderDaysBefore', toDays(v))}
                disabled={!manage}
                error={form.errors['triggers.reminderDaysBefore']}
              />
              <TagsInput
                label={t('whatsapp.settings.daysAfter')}
                placeholder={t('whatsapp.settings.daysPlaceholder')}
                value={form.values.triggers.reminderDaysAfter.map(String)}
                onChange={(v) => form.setFieldValue('triggers.reminderDaysAfter', toDays(v).reverse())}
                disabled={!manage}
              />
              <TextInput
                label={t('whatsapp.settings.reminderTime')}
                type="time"
                disabled={!manage}
                {...form.getInputProps('triggers.reminderTime')}
              />
            </SimpleGrid>
            <Switch
              label={t('whatsapp.settings.onDue')}
              disabled={!manage}
              {...form.getInputProps('triggers.reminderOnDue', { type: 'checkbox' })}
            />
            <Switch
              label={t('whatsapp.settings.invoiceIssued')}
              disabled={!manage}
              {...form.getInputProps('triggers.invoiceIssued', { type: 'checkbox' })}
            />
            <Switch
              label={t('whatsapp.settings.receipt')}
              disabled={!manage}
              {...form.getInputProps('triggers.receipt', { type: 'checkbox' })}
            />
            <Switch
              label={t('whatsapp.settings.isolation')}
              disabled={!manage}
              {...form.getInputProps('triggers.isolation', { type: 'checkbox' })}
            />
            <Switch
              label={t('whatsapp.settings.restore')}
              disabled={!manage}
              {...form.getInputProps('triggers.restore', { type: 'checkbox' })}
            />
          </Stack>
        </Card>
        <Card withBorder padding="lg">
          <Title order={4}>{t('whatsapp.settings.inbound')}</Title>
          <Text size="sm" c="dimmed" mb="md">
            {t('whatsapp.settings.inboundHelp')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {keywords('inbound.optOutKeywords', t('whatsapp.settings.optOutKeywords'), 'wa-optout-keywords')}
            {keywords('inbound.optInKeywords', t('whatsapp.settings.optInKeywords'), 'wa-optin-keywords')}
          </SimpleGrid>
        </Card>
        {manage && (
          <Group>
            <Button
              type="submit"
              leftSection={<IconDeviceFloppy size={16} />}
              loading={save.isPending}
              disabled={!form.isDirty()}
            >
              {t('whatsapp.settings.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
