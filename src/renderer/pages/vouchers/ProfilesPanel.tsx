import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCloudDownload, IconFileImport, IconPlus, IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRupiah } from '../../../shared/money';
import { EXPIRY_POLICIES, type VoucherProfile } from '../../../shared/contract/vouchers';
import { RpcError } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors } from '../../lib/form';
import { durationText } from './shared';

type Unit = 'minutes' | 'hours' | 'days';
const UNIT_S: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86400 };
function split(seconds: number): { value: number; unit: Unit } {
  if (seconds > 0 && seconds % 86400 === 0) return { value: seconds / 86400, unit: 'days' };
  if (seconds > 0 && seconds % 3600 === 0) return { value: seconds / 3600, unit: 'hours' };
  return { value: Math.round(seconds / 60), unit: 'minutes' };
}

interface FormValues {
  routerId: string;
  name: string;
  rateLimit: string;
  sharedUsers: number;
  validity: number;
  validityUnit: Unit;
  uptime: number;
  uptimeUnit: Unit;
  quotaMb: number;
  priceCost: number;
  priceSell: number;
  expiryPolicy: (typeof EXPIRY_POLICIES)[number];
  lockMac: boolean;
}

function ProfileModal({
  editing,
  opened,
  onClose,
}: {
  editing: VoucherProfile | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const routers = useRpcQuery('routers.list', {}, { enabled: opened });
  const save = useRpcMutation('vouchers.profiles.save', {
    invalidate: ['vouchers.profiles.list'],
    successMessage: t('vouchers.profile.saved'),
    silentErrors: true,
  });
  const v = editing ? split(editing.validitySeconds) : { value: 1, unit: 'days' as Unit };
  const u = editing ? split(editing.uptimeLimitSeconds) : { value: 0, unit: 'hours' as Unit };
  const form = useForm<FormValues>({
    initialValues: {
      routerId: editing?.routerId ?? '',
      name: editing?.name ?? '',
      rateLimit: editing?.rateLimit ?? '',
      sharedUsers: editing?.sharedUsers ?? 1,
      validity: v.value,
      validityUnit: v.unit,
      uptime: u.value,
      uptimeUnit: u.unit,
      quotaMb: editing ? Math.round(editing.quotaBytes / 1048576) : 0,
      priceCost: editing?.priceCost ?? 4000,
      priceSell: editing?.priceSell ?? 5000,
      expiryPolicy: editing?.expiryPolicy ?? 'remove',
      lockMac: editing?.lockMac ?? false,
    },
    validate: {
      name: (x) => (x.trim() ? null : t('vouchers.profile.name')),
      routerId: (x) => (x ? null : t('vouchers.profile.router')),
    },
  });
  const [error, setError] = useState<string | null>(null);
  if (opened && !form.values.routerId && routers.data?.[0])
    form.setFieldValue('routerId', routers.data[0].id);
  const submit = form.onSubmit(async (x) => {
    setError(null);
    try {
      await save.mutateAsync({
        routerId: x.routerId,
        name: x.name.trim(),
        rateLimit: x.rateLimit.trim(),
        sharedUsers: x.sharedUsers,
        validitySeconds: x.validity * UNIT_S[x.validityUnit],
        uptimeLimitSeconds: x.uptime * UNIT_S[x.uptimeUnit],
        quotaBytes: x.quotaMb * 1048576,
        priceCost: x.priceCost,
        priceSell: x.priceSell,
        expiryPolicy: x.expiryPolicy,
        lockMac: x.lockMac,
        ...(editing ? { version: editing.version } : {}),
      });
      onClose();
    } catch (e) {
      if (e instanceof RpcError) {
        const fields = serverFieldErrors(e);
        if (fields['validitySeconds']) fields['validity'] = fields['validitySeconds'];
        form.setErrors(fields);
        setError(e.message);
      }
    }
  });
  const unitData = (['minutes', 'hours', 'days'] as const).map((x) => ({
    value: x,
    label: t(`vouchers.profile.units.${x}`),
  }));
  const rupiah = { thousandSeparator: '.', decimalSeparator: ',', prefix: 'Rp ', min: 0, step: 500 } as const;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? t('vouchers.profile.edit', { name: editing.name }) : t('vouchers.actions.newProfile')}
      size="lg"
      data-testid="profile-modal"
    >
      <form onSubmit={submit}>
        <Stack>
          <SimpleGrid cols={2}>
            <Select
              label={t('vouchers.profile.router')}
              data={(routers.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              disabled={!!editing}
              allowDeselect={false}
              {...form.getInputProps('routerId')}
            />
            <TextInput
              label={t('vouchers.profile.name')}
              placeholder="1Hari"
              disabled={!!editing}
              data-autofocus
              data-testid="profile-name"
              {...form.getInputProps('name')}
            />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <TextInput
              label={t('vouchers.profile.rateLimit')}
              description={t('vouchers.profile.rateLimitHint')}
              placeholder="2M/2M"
              {...form.getInputProps('rateLimit')}
            />
            <NumberInput
              label={t('vouchers.profile.sharedUsers')}
              min={1}
              max={100}
              {...form.getInputProps('sharedUsers')}
            />
          </SimpleGrid>
          <Group grow align="flex-end">
            <NumberInput
              label={t('vouchers.profile.validity')}
              min={0}
              data-testid="profile-validity"
              {...form.getInputProps('validity')}
            />
            <Select
              data={unitData}
              allowDeselect={false}
              aria-label={t('vouchers.profile.validity')}
              {...form.getInputProps('validityUnit')}
            />
          </Group>
          <Group grow align="flex-end">
            <NumberInput
              label={t('vouchers.profile.uptimeLimit')}
              min={0}
              {...form.getInputProps('uptime')}
            />
            <Select
              data={unitData}
              allowDeselect={false}
              aria-label={t('vouchers.profile.uptimeLimit')}
              {...form.getInputProps('uptimeUnit')}
            />
            <NumberInput
              label={t('vouchers.profile.quota')}
              min={0}
              thousandSeparator="."
              decimalSeparator=","
              {...form.getInputProps('quotaMb')}
            />
          </Group>
          <SimpleGrid cols={3}>
            <NumberInput
              label={t('vouchers.profile.priceCost')}
              {...rupiah}
              data-testid="profile-cost"
              {...form.getInputProps('priceCost')}
            />
            <NumberInput
              label={t('vouchers.profile.priceSell')}
              {...rupiah}
              data-testid="profile-sell"
              {...form.getInputProps('priceSell')}
            />
            <Select
              label={t('vouchers.profile.expiryPolicy')}
              data={EXPIRY_POLICIES.map((p) => ({ value: p, label: t(`vouchers.policy.${p}`) }))}
              allowDeselect={false}
              {...form.getInputProps('expiryPolicy')}
            />
          </SimpleGrid>
          <Switch
            label={t('vouchers.profile.lockMac')}
            description={t('vouchers.profile.lockMacHint')}
            {...form.getInputProps('lockMac', { type: 'checkbox' })}
          />
          <Text size="xs" c="dimmed">
            {t('vouchers.profile.profit', {
              amount: formatRupiah(Math.max(0, (form.values.priceSell || 0) - (form.values.priceCost || 0))),
            })}{' '}
            · {t('vouchers.profile.scriptNote')}
          </Text>
          {error && <Alert color="red">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('vouchers.actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="profile-save">
              {t('vouchers.actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ProfilesPanel() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const manage = can('vouchers.manage');
  const profiles = useRpcQuery('vouchers.profiles.list', {});
  const routers = useRpcQuery('routers.list', {});
  const [editing, setEditing] = useState<VoucherProfile | null>(null);
  const [open, setOpen] = useState(false);
  const [routerId, setRouterId] = useState<string | null>(null);
  const adopt = useRpcMutation('vouchers.profiles.adopt', { invalidate: ['vouchers.profiles.list'] });
  const importMikhmon = useRpcMutation('vouchers.importMikhmon', {
    invalidate: ['vouchers.profiles.list', 'vouchers.list', 'vouchers.stats'],
  });
  const target = routerId ?? routers.data?.[0]?.id ?? null;
  const list = profiles.data ?? [];
  return (
    <Stack>
      {manage && (
        <Group justify="space-between">
          <Group gap="xs">
            <Select
              size="sm"
              w={200}
              data={(routers.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              value={target}
              onChange={setRouterId}
              allowDeselect={false}
            />
            <Button
              variant="default"
              leftSection={<IconCloudDownload size={16} />}
              disabled={!target}
              loading={adopt.isPending}
              onClick={() =>
                target &&
                adopt.mutate(
                  { routerId: target },
                  {
                    onSuccess: (r) =>
                      notifications.show({
                        color: 'teal',
                        message: t('vouchers.profile.adopted', { count: r.adopted }),
                      }),
                  },
                )
              }
            >
              {t('vouchers.actions.adopt')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              disabled={!target}
              loading={importMikhmon.isPending}
              onClick={() =>
                target &&
                importMikhmon.mutate(
                  { routerId: target },
                  {
                    onSuccess: (r) =>
                      notifications.show({ color: 'teal', message: t('vouchers.profile.imported', r) }),
                  },
                )
              }
            >
              {t('vouchers.actions.importMikhmon')}
            </Button>
          </Group>
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
            disabled={(routers.data ?? []).length === 0}
            data-testid="new-profile"
          >
            {t('vouchers.actions.newProfile')}
          </Button>
        </Group>
      )}
      {list.length === 0 && !profiles.isLoading ? (
        <Card withBorder p="xl">
          <Center>
            <Stack align="center" gap="xs">
              <ThemeIcon size={48} radius="xl" variant="light">
                <IconTicket size={26} />
              </ThemeIcon>
              <Title order={4}>{t('vouchers.profile.empty')}</Title>
              <Text c="dimmed" size="sm" ta="center" maw={420}>
                {(routers.data ?? []).length === 0
                  ? t('vouchers.empty.noRouter')
                  : t('vouchers.profile.emptyHint')}
              </Text>
            </Stack>
          </Center>
        </Card>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {list.map((p) => (
            <Card key={p.id} withBorder padding="lg" data-testid={`profile-${p.name}`}>
              <Group justify="space-between" mb="xs">
                <Title order={4}>{p.name}</Title>
                <Badge
                  variant="light"
                  color={p.origin === 'mikhmon' ? 'grape' : p.origin === 'adopted' ? 'blue' : 'teal'}
                >
                  {t(`vouchers.origin.${p.origin}`)}
                </Badge>
              </Group>
              <Text fw={800} size="xl" className="tabular">
                {formatRupiah(p.priceSell)}
              </Text>
              <Text size="xs" c="dimmed" mb="sm">
                {t('vouchers.columns.cost')} {formatRupiah(p.priceCost)} ·{' '}
                {t('vouchers.profile.profit', { amount: formatRupiah(p.priceSell - p.priceCost) })}
              </Text>
              <SimpleGrid cols={2} spacing={4}>
                <Text size="sm" c="dimmed">
                  {t('vouchers.columns.validity')}
                </Text>
                <Text size="sm">{durationText(p.validitySeconds, i18n.language)}</Text>
                <Text size="sm" c="dimmed">
                  {t('vouchers.columns.rateLimit')}
                </Text>
                <Text size="sm">{p.rateLimit || '—'}</Text>
                <Text size="sm" c="dimmed">
                  {t('vouchers.columns.shared')}
                </Text>
                <Text size="sm">{p.sharedUsers}</Text>
                <Text size="sm" c="dimmed">
                  {t('vouchers.columns.expiry')}
                </Text>
                <Text size="sm">{t(`vouchers.policy.${p.expiryPolicy}`)}</Text>
                <Text size="sm" c="dimmed">
                  {t('vouchers.columns.router')}
                </Text>
                <Text size="sm" truncate>
                  {p.routerName}
                </Text>
              </SimpleGrid>
              {manage && (
                <Button
                  mt="md"
                  variant="light"
                  fullWidth
                  onClick={() => {
                    setEditing(p);
                    setOpen(true);
                  }}
                >
                  {t('vouchers.actions.edit')}
                </Button>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
      {open && (
        <ProfileModal
          key={editing?.id ?? 'new'}
          editing={editing}
          opened={open}
          onClose={() => setOpen(false)}
        />
      )}
    </Stack>
  );
}
