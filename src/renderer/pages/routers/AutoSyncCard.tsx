import {
  Alert,
  Button,
  Card,
  Group,
  Modal,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconPencil, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DIFFERENT_POLICIES,
  EXTRA_POLICIES,
  MISSING_POLICIES,
  RECONCILE_INTERVALS,
  type ReconcileOutcome,
  type ReconcilePolicy,
  type RouterView,
} from '../../../shared/contract/routers';
import { useRpcMutation } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';

type TFn = ReturnType<typeof useTranslation>['t'];

function intervalText(t: TFn, minutes: number): string {
  return minutes === 0 ? t('routers.autoSync.off') : t('routers.autoSync.every', { count: minutes });
}

function Label({ children }: { children: string }) {
  return (
    <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
      {children}
    </Text>
  );
}

function LastRun({ last }: { last: ReconcileOutcome | null }) {
  const { t } = useTranslation();
  if (!last) {
    return (
      <Text c="dimmed" size="sm" data-testid="autosync-last">
        {t('routers.autoSync.never')}
      </Text>
    );
  }
  const repaired = last.pushed + last.fixed + last.disabled + last.removed;
  return (
    <Stack gap={4} data-testid="autosync-last">
      <Text fw={600} className="tabular">
        {fmt.dateTime(last.at)} · {t(`routers.autoSync.trigger.${last.trigger}`)}
      </Text>
      {last.error ? (
        <Text size="sm" c="red.7">
          {t('routers.autoSync.failed', { error: last.error })}
        </Text>
      ) : (
        <>
          <Text size="sm" data-testid="autosync-found">
            <b>{t('routers.autoSync.found')}:</b>{' '}
            {t('routers.autoSync.foundCounts', {
              missing: last.missing,
              extra: last.extra,
              different: last.different,
            })}
          </Text>
          <Text size="sm" data-testid="autosync-repaired">
            <b>{t('routers.autoSync.repaired')}:</b>{' '}
            {repaired === 0
              ? t('routers.autoSync.repairedNone')
              : t('routers.autoSync.repairedCounts', {
                  pushed: last.pushed,
                  fixed: last.fixed,
                  disabled: last.disabled,
                  removed: last.removed,
                })}
          </Text>
        </>
      )}
    </Stack>
  );
}

function NextRun({ router }: { router: RouterView }) {
  const { t } = useTranslation();
  const { nextAt } = router.reconcile;
  let text: string;
  if (nextAt === null) text = t('routers.autoSync.nextOff');
  else if (!router.online) text = t('routers.autoSync.nextOffline');
  else if (nextAt <= Date.now()) text = t('routers.autoSync.nextSoon');
  else text = fmt.dateTime(nextAt);
  return (
    <Text fw={600} className="tabular" data-testid="autosync-next">
      {text}
    </Text>
  );
}

/** The "Sinkronisasi otomatis" section of a router: its rules, the last run and the next one. */
export function AutoSyncCard({ router }: { router: RouterView }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [editing, setEditing] = useState(false);
  const run = useRpcMutation('reconcile.runPolicy', { invalidate: ['routers.get', 'routers.list'] });
  const { policy, last } = router.reconcile;
  const runNow = () =>
    run.mutate(
      { routerId: router.id },
      {
        onSuccess: (o) => {
          const queued = o.pushed + o.fixed + o.disabled + o.removed;
          notifications.show({
            color: queued ? 'teal' : 'gray',
            message: queued
              ? t('routers.autoSync.ranQueued', { count: queued })
              : t('routers.autoSync.ranNothing'),
          });
        },
      },
    );
  return (
    <Card withBorder data-testid="autosync-card">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <IconRefresh size={18} />
            <Title order={4}>{t('routers.autoSync.title')}</Title>
          </Group>
          <Text size="sm" c="dimmed" maw={640} mt={4}>
            {t('routers.autoSync.intro')}
          </Text>
        </div>
        {can('routers.manage') && (
          <Group>
            <Button
              variant="default"
              leftSection={<IconPencil size={16} />}
              onClick={() => setEditing(true)}
              data-testid="autosync-edit"
            >
              {t('routers.autoSync.edit')}
            </Button>
            <Button
              variant="light"
              leftSection={<IconPlayerPlay size={16} />}
              onClick={runNow}
              loading={run.isPending}
              disabled={!router.online}
              data-testid="autosync-run"
            >
              {t('routers.autoSync.runNow')}
            </Button>
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} mt="md" spacing="lg">
        <Stack gap={6} data-testid="autosync-policy">
          <Label>{t('routers.autoSync.schedule')}</Label>
          <Text fw={600} data-testid="autosync-interval">
            {intervalText(t, policy.intervalMinutes)}
          </Text>
          <Text size="sm">
            {t('routers.autoSync.missing')}: <b>{t(`routers.autoSync.policy.missing.${policy.missing}`)}</b>
          </Text>
          <Text size="sm">
            {t('routers.autoSync.different')}:{' '}
            <b>{t(`routers.autoSync.policy.different.${policy.different}`)}</b>
          </Text>
          <Text size="sm" data-testid="autosync-extra">
            {t('routers.autoSync.extra')}: <b>{t(`routers.autoSync.policy.extra.${policy.extra}`)}</b>
          </Text>
        </Stack>
        <Stack gap={6}>
          <Label>{t('routers.autoSync.last')}</Label>
          <LastRun last={last} />
        </Stack>
        <Stack gap={6}>
          <Label>{t('routers.autoSync.next')}</Label>
          <NextRun router={router} />
        </Stack>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="md">
        {t('routers.autoSync.secretsNote')}
      </Text>
      {editing && <PolicyForm router={router} onClose={() => setEditing(false)} />}
    </Card>
  );
}

function PolicyForm({ router, onClose }: { router: RouterView; onClose: () => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState<ReconcilePolicy>(router.reconcile.policy);
  const save = useRpcMutation('routers.setReconcilePolicy', {
    invalidate: ['routers.get', 'routers.list'],
    successMessage: t('routers.autoSync.saved'),
  });
  const submit = () => save.mutate({ id: router.id, version: router.version, ...v }, { onSuccess: onClose });
  return (
    <Modal opened onClose={onClose} title={t('routers.autoSync.formTitle', { name: router.name })} size="lg">
      <Stack data-testid="autosync-form">
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('routers.autoSync.interval')}
          </Text>
          <SegmentedControl
            fullWidth
            data-testid="policy-interval"
            value={String(v.intervalMinutes)}
            onChange={(x) => setV({ ...v, intervalMinutes: Number(x) as ReconcilePolicy['intervalMinutes'] })}
            data={RECONCILE_INTERVALS.map((m) => ({
              value: String(m),
              label: m === 0 ? t('routers.autoSync.offShort') : t('routers.autoSync.minutes', { count: m }),
            }))}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {intervalText(t, v.intervalMinutes)}
          </Text>
        </div>
        <Radio.Group
          label={t('routers.autoSync.missing')}
          value={v.missing}
          onChange={(x) => setV({ ...v, missing: x as ReconcilePolicy['missing'] })}
        >
          <Group mt={6}>
            {MISSING_POLICIES.map((p) => (
              <Radio
                key={p}
                value={p}
                label={t(`routers.autoSync.policy.missing.${p}`)}
                data-testid={`policy-missing-${p}`}
              />
            ))}
          </Group>
        </Radio.Group>
        <Radio.Group
          label={t('routers.autoSync.different')}
          value={v.different}
          onChange={(x) => setV({ ...v, different: x as ReconcilePolicy['different'] })}
        >
          <Group mt={6}>
            {DIFFERENT_POLICIES.map((p) => (
              <Radio
                key={p}
                value={p}
                label={t(`routers.autoSync.policy.different.${p}`)}
                data-testid={`policy-different-${p}`}
              />
            ))}
          </Group>
        </Radio.Group>
        <Radio.Group
          label={t('routers.autoSync.extra')}
          description={t('routers.autoSync.extraHint')}
          value={v.extra}
          onChange={(x) => setV({ ...v, extra: x as ReconcilePolicy['extra'] })}
        >
          <Group mt={6}>
            {EXTRA_POLICIES.map((p) => (
              <Radio
                key={p}
                value={p}
                label={t(`routers.autoSync.policy.extra.${p}`)}
                color={p === 'remove' ? 'red' : undefined}
                data-testid={`policy-extra-${p}`}
              />
            ))}
          </Group>
        </Radio.Group>
        <Alert color="blue" icon={<IconInfoCircle size={18} />}>
          {t('routers.autoSync.secretsNote')}
        </Alert>
        <Group justify="flex-end">
          <Button variant="subtle" color="gray" onClick={onClose}>
            {t('routers.form.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="autosync-save">
            {t('routers.form.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
