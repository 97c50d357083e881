import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconPrinter } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRupiah } from '../../../shared/money';
import { CHARSETS, CHARSET_NAMES, type Charset } from '../../../shared/vouchers/codegen';
import type { BatchProgress } from '../../../shared/contract/vouchers';
import { onEvent } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { serverFieldErrors } from '../../lib/form';
import { RpcError } from '../../api/client';

interface FormValues {
  routerId: string;
  profile: string;
  server: string;
  count: number;
  length: number;
  charset: Charset;
  prefix: string;
  passwordMode: 'same' | 'separate';
  passwordLength: number;
  passwordCharset: Charset;
  note: string;
}

function sampleCode(charset: Charset, length: number, prefix: string): string {
  const alphabet = CHARSETS[charset];
  const buf = new Uint32Array(length);
  crypto.getRandomValues(buf);
  return prefix + Array.from(buf, (n) => alphabet[n % alphabet.length]).join('');
}

export function CreateBatchModal({
  opened,
  onClose,
  onPrint,
}: {
  opened: boolean;
  onClose: () => void;
  onPrint: (batch: { batchId: string; code: string; count: number }) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const routers = useRpcQuery('routers.list', {}, { enabled: opened });
  const form = useForm<FormValues>({
    initialValues: {
      routerId: '',
      profile: '',
      server: 'all',
      count: 100,
      length: 6,
      charset: 'alnumUpper',
      prefix: '',
      passwordMode: 'same',
      passwordLength: 5,
      passwordCharset: 'digits',
      note: '',
    },
    validate: {
      routerId: (v) => (v ? null : t('vouchers.batch.router')),
      profile: (v) => (v ? null : t('vouchers.batch.profile')),
      count: (v) => (v >= 1 && v <= 10_000 ? null : '1 – 10.000'),
    },
  });
  const profiles = useRpcQuery(
    'vouchers.profiles.list',
    { routerId: form.values.routerId },
    { enabled: opened && !!form.values.routerId },
  );
  const create = useRpcMutation('vouchers.createBatch', {
    invalidate: ['vouchers.batches.list', 'vouchers.list', 'vouchers.stats'],
    silentErrors: true,
  });
  const [created, setCreated] = useState<{ batchId: string; code: string; count: number } | null>(null);
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const list = routers.data ?? [];
    if (opened && !form.values.routerId && list[0]) form.setFieldValue('routerId', list[0].id);
  }, [routers.data, opened]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const list = profiles.data ?? [];
    if (list.length > 0 && !list.some((p) => p.name === form.values.profile))
      form.setFieldValue('profile', list[0]!.name);
  }, [profiles.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const [assessInput] = useDebouncedValue(
    {
      charset: form.values.charset,
      length: form.values.length,
      count: form.values.count || 1,
      prefix: form.values.prefix,
    },
    250,
  );
  const assess = useRpcQuery('vouchers.assessCodes', assessInput, {
    enabled: opened && !created && assessInput.count >= 1 && assessInput.count <= 10_000,
  });

  // Live progress while the router jobs push the batch.
  useEffect(() => {
    if (!created) return;
    return onEvent('vouchers.batchProgress', (p) => {
      if (p.batchId === created.batchId) setProgress(p);
    });
  }, [created]);
  const polled = useRpcQuery(
    'vouchers.batches.progress',
    { batchId: created?.batchId ?? '' },
    { enabled: !!created, refetchInterval: 1500 },
  );
  const current =
    progress && polled.data
      ? progress.pushed >= polled.data.pushed
        ? progress
        : polled.data
      : (progress ?? polled.data ?? null);
  const done = !!current && current.pending === 0;
  // Once every voucher is on the router (none failed), the print preview opens by itself.
  useEffect(() => {
    if (!done || !created) return;
    void qc.invalidateQueries({ queryKey: ['vouchers.batches.list'] });
    if (current.failed === 0) {
      const c = created;
      const timer = setTimeout(() => {
        close();
        onPrint(c);
      }, 600);
      return () => clearTimeout(timer);
    }
  }, [done, created]); // eslint-disable-line react-hooks/exhaustive-deps

  const profile = profiles.data?.find((p) => p.name === form.values.profile);
  const router = routers.data?.find((r) => r.id === form.values.routerId);
  const example = useMemo(
    () => sampleCode(form.values.charset, form.values.length, form.values.prefix),
    [form.values.charset, form.values.length, form.values.prefix],
  );

  const close = () => {
    setCreated(null);
    setProgress(null);
    setError(null);
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const r = await create.mutateAsync({
        routerId: v.routerId,
        profile: v.profile,
        server: v.server || 'all',
        count: v.count,
        length: v.length,
        charset: v.charset,
        prefix: v.prefix,
        passwordMode: v.passwordMode,
        ...(v.passwordMode === 'separate'
          ? { password: { length: v.passwordLength, charset: v.passwordCharset } }
          : {}),
        note: v.note,
      });
      setCreated(r);
    } catch (e) {
      if (e instanceof RpcError) {
        form.setErrors(serverFieldErrors(e));
        setError(e.message);
      }
    }
  });

  const charsetData = CHARSET_NAMES.map((c) => ({ value: c, label: t(`vouchers.batch.charsets.${c}`) }));

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={
        created
          ? t('vouchers.batch.created', { code: created.code, count: created.count })
          : t('vouchers.batch.title')
      }
      size="lg"
      data-testid="batch-modal"
    >
      {created ? (
        <Stack>
          <Text fw={500}>
            {done
              ? t('vouchers.batch.pushed', { pushed: current.pushed, total: current.total })
              : t('vouchers.batch.pushing')}
          </Text>
          <Progress
            size="xl"
            radius="md"
            striped={!done}
            animated={!done}
            color={current && current.failed > 0 ? 'orange' : 'teal'}
            value={
              current && current.total > 0 ? ((current.pushed + current.failed) / current.total) * 100 : 0
            }
            data-testid="batch-progress"
          />
          <Text size="sm" c="dimmed" className="tabular" data-testid="batch-progress-text">
            {t('vouchers.batch.pushed', {
              pushed: current?.pushed ?? 0,
              total: current?.total ?? created.count,
            })}
          </Text>
          {current && current.failed > 0 && (
            <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
              {t('vouchers.batch.failed', { failed: current.failed })}
            </Alert>
          )}
          {router && !router.online && !done && <Alert color="gray">{t('vouchers.batch.offlineHint')}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('vouchers.actions.close')}
            </Button>
            <Button
              leftSection={done ? <IconCheck size={16} /> : <IconPrinter size={16} />}
              onClick={() => {
                const c = created;
                close();
                onPrint(c);
              }}
              data-testid="batch-print"
            >
              {t('vouchers.actions.print')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <SimpleGrid cols={2}>
              <Select
                label={t('vouchers.batch.router')}
                data={(routers.data ?? []).map((r) => ({
                  value: r.id,
                  label: `${r.name}${r.online ? '' : ' (offline)'}`,
                }))}
                allowDeselect={false}
                {...form.getInputProps('routerId')}
              />
              <Select
                label={t('vouchers.batch.profile')}
                data={(profiles.data ?? []).map((p) => ({
                  value: p.name,
                  label: `${p.name} · ${formatRupiah(p.priceSell)}`,
                }))}
                allowDeselect={false}
                data-testid="batch-profile"
                {...form.getInputProps('profile')}
              />
            </SimpleGrid>
            {profiles.data && profiles.data.length === 0 && (
              <Alert color="orange">{t('vouchers.batch.noProfiles')}</Alert>
            )}
            <SimpleGrid cols={3}>
              <NumberInput
                label={t('vouchers.batch.count')}
                min={1}
                max={10_000}
                thousandSeparator="."
                decimalSeparator=","
                data-testid="batch-count"
                {...form.getInputProps('count')}
              />
              <NumberInput
                label={t('vouchers.batch.length')}
                min={3}
                max={16}
                {...form.getInputProps('length')}
              />
              <TextInput
                label={t('vouchers.batch.prefix')}
                maxLength={12}
                {...form.getInputProps('prefix')}
              />
            </SimpleGrid>
            <Select
              label={t('vouchers.batch.charset')}
              data={charsetData}
              allowDeselect={false}
              {...form.getInputProps('charset')}
            />
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('vouchers.batch.passwordMode')}
              </Text>
              <SegmentedControl
                value={form.values.passwordMode}
                onChange={(v) => form.setFieldValue('passwordMode', v as 'same' | 'separate')}
                data={[
                  { value: 'same', label: t('vouchers.batch.passwordSame') },
                  { value: 'separate', label: t('vouchers.batch.passwordSeparate') },
                ]}
              />
            </div>
            {form.values.passwordMode === 'separate' && (
              <SimpleGrid cols={2}>
                <NumberInput
                  label={t('vouchers.batch.passwordLength')}
                  min={3}
                  max={16}
                  {...form.getInputProps('passwordLength')}
                />
                <Select
                  label={t('vouchers.batch.passwordCharset')}
                  data={charsetData}
                  allowDeselect={false}
                  {...form.getInputProps('passwordCharset')}
                />
              </SimpleGrid>
            )}
            <SimpleGrid cols={2}>
              <TextInput
                label={t('vouchers.batch.server')}
                placeholder={t('vouchers.batch.serverAll')}
                {...form.getInputProps('server')}
              />
              <TextInput label={t('vouchers.batch.note')} maxLength={200} {...form.getInputProps('note')} />
            </SimpleGrid>
            <Group justify="space-between" align="center">
              <Text size="sm" c="dimmed">
                {t('vouchers.batch.example')}:{' '}
                <Text span ff="monospace" fw={700} c="var(--mantine-color-text)">
                  {example}
                </Text>
              </Text>
              {profile && (
                <Text size="sm" fw={500} className="tabular">
                  {t('vouchers.batch.total', {
                    count: form.values.count || 0,
                    price: formatRupiah(profile.priceSell),
                    total: formatRupiah((form.values.count || 0) * profile.priceSell),
                  })}
                </Text>
              )}
            </Group>
            {assess.data && assess.data.level !== 'ok' && (
              <Alert
                color={assess.data.level === 'terlalu_sempit' ? 'red' : 'yellow'}
                icon={<IconAlertTriangle size={18} />}
                data-testid="code-space-warning"
              >
                {assess.data.message}
              </Alert>
            )}
            {error && <Alert color="red">{error}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('vouchers.actions.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!profile} data-testid="batch-submit">
                {t('vouchers.batch.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
