import {
  Alert,
  Anchor,
  Button,
  Card,
  Center,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import { modals } from '@mantine/modals';
import {
  IconActivity,
  IconArrowLeft,
  IconListCheck,
  IconPencil,
  IconScale,
  IconTrash,
  IconUsers,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import type { RouterView } from '../../../shared/contract/routers';
import { onEvent } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { AutoSyncCard } from './AutoSyncCard';
import { JobsPanel } from './JobsPanel';
import { ReconcilePanel } from './ReconcilePanel';
import { RouterForm } from './RouterForm';
import { memoryPercent } from './RoutersPage';
import { SessionsPanel } from './SessionsPanel';
import { formatBytes, formatUptime, routerErrorText, StateBadge } from './shared';
import { CertificateChangedAlert, TrustCard } from './TrustCard';

const TABS = ['status', 'sessions', 'jobs', 'reconcile'] as const;

export function RouterDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { can } = useAuth();
  const router = useRpcQuery('routers.get', { id }, { retry: false });
  const [editing, setEditing] = useState(false);
  const remove = useRpcMutation('routers.remove', {
    invalidate: ['routers.list'],
    successMessage: t('routers.detail.removed'),
  });
  const tabPart = location.pathname.split('/')[3];
  const tab = (TABS as readonly string[]).includes(tabPart ?? '') ? tabPart! : 'status';

  if (router.isLoading) {
    return (
      <Center h={240}>
        <Loader />
      </Center>
    );
  }
  const r = router.data;
  if (!r) {
    return (
      <Stack>
        <Anchor onClick={() => navigate('/routers')}>{t('routers.detail.back')}</Anchor>
        <Alert color="red">{router.error?.message}</Alert>
      </Stack>
    );
  }
  const confirmRemove = () =>
    modals.openConfirmModal({
      title: t('routers.detail.removeTitle', { name: r.name }),
      children: <Text size="sm">{t('routers.detail.removeBody')}</Text>,
      labels: { confirm: t('routers.detail.remove'), cancel: t('routers.form.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate({ id: r.id }, { onSuccess: () => navigate('/routers') }),
    });

  return (
    <Stack>
      <Anchor size="sm" onClick={() => navigate('/routers')}>
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('routers.detail.back')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2}>{r.name}</Title>
            <StateBadge state={r.state} />
          </Group>
          <Text c="dimmed" size="sm">
            {[
              r.location,
              `${r.host}:${r.port}${r.tls ? ' (TLS)' : ''}`,
              r.rosVersion ? `RouterOS ${r.rosVersion}` : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </div>
        {can('routers.manage') && (
          <Group>
            <Button
              variant="default"
              leftSection={<IconPencil size={16} />}
              onClick={() => setEditing(true)}
              data-testid="router-edit"
            >
              {t('routers.detail.edit')}
            </Button>
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={confirmRemove}
            >
              {t('routers.detail.remove')}
            </Button>
          </Group>
        )}
      </Group>
      <CertificateChangedAlert r={r} />
      {r.passwordEmpty && (
        <Alert color="yellow" data-testid="router-no-password">
          {t('routers.noPassword.detail')}
        </Alert>
      )}
      {!r.online && r.enabled && (
        <Alert color="yellow" data-testid="router-offline-note">
          {t('routers.detail.offlineNote')}
          {r.lastError ? ` (${routerErrorText(r.lastError, t)})` : ''}
        </Alert>
      )}
      <Tabs
        value={tab}
        onChange={(v) => navigate(v === 'status' ? `/routers/${r.id}` : `/routers/${r.id}/${v}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="status" leftSection={<IconActivity size={16} />}>
            {t('routers.tabs.status')}
          </Tabs.Tab>
          <Tabs.Tab value="sessions" leftSection={<IconUsers size={16} />} data-testid="tab-sessions">
            {t('routers.tabs.sessions')}
          </Tabs.Tab>
          <Tabs.Tab value="jobs" leftSection={<IconListCheck size={16} />} data-testid="tab-jobs">
            {t('routers.tabs.jobs')}
            {r.jobsPending + r.jobsFailed > 0 ? ` (${r.jobsPending + r.jobsFailed})` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="reconcile" leftSection={<IconScale size={16} />} data-testid="tab-reconcile">
            {t('routers.tabs.reconcile')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="status">
          <StatusPanel r={r} />
        </Tabs.Panel>
        <Tabs.Panel value="sessions">
          <SessionsPanel router={r} />
        </Tabs.Panel>
        <Tabs.Panel value="jobs">
          <JobsPanel router={r} />
        </Tabs.Panel>
        <Tabs.Panel value="reconcile">
          <ReconcilePanel router={r} />
        </Tabs.Panel>
      </Tabs>
      {editing && <RouterForm router={r} onClose={() => setEditing(false)} />}
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={600} mt={2} className="tabular">
        {value}
      </Text>
    </div>
  );
}

function StatusPanel({ r }: { r: RouterView }) {
  const { t, i18n } = useTranslation();
  const [cpu, setCpu] = useState<number[]>(r.cpuLoad !== null ? [r.cpuLoad] : []);
  useEffect(
    () =>
      onEvent('routers.status', (s) => {
        if (s.id === r.id && s.online && s.cpuLoad !== null)
          setCpu((prev) => [...prev.slice(-59), s.cpuLoad!]);
      }),
    [r.id],
  );
  const mem = memoryPercent(r);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder>
          <Field label={t('routers.detail.identity')} value={r.identity ?? '—'} />
        </Card>
        <Card withBorder>
          <Field label={t('routers.card.version')} value={r.rosVersion ?? '—'} />
        </Card>
        <Card withBorder>
          <Field label={t('routers.detail.board')} value={r.board ?? '—'} />
        </Card>
        <Card withBorder>
          <Field
            label={t('routers.card.uptime')}
            value={r.online ? formatUptime(r.uptime, i18n.language) : '—'}
          />
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Group justify="space-between">
            <Text fw={600}>{t('routers.detail.cpuChart')}</Text>
            <Text fw={700} size="xl" className="tabular">
              {r.online && r.cpuLoad !== null ? `${r.cpuLoad}%` : '—'}
            </Text>
          </Group>
          <Sparkline
            mt="sm"
            h={70}
            data={cpu.length > 1 ? cpu : [cpu[0] ?? 0, cpu[0] ?? 0]}
            curveType="monotone"
            color="teal"
            fillOpacity={0.25}
            strokeWidth={2}
          />
        </Card>
        <Card withBorder>
          <Group justify="space-between">
            <Text fw={600}>{t('routers.card.memory')}</Text>
            <Text fw={700} size="xl" className="tabular">
              {r.online && mem !== null ? `${mem}%` : '—'}
            </Text>
          </Group>
          <Text size="sm" c="dimmed" mt="xs">
            {r.memoryTotal && r.memoryFree !== null
              ? t('routers.detail.memoryOf', {
                  used: formatBytes(r.memoryTotal - r.memoryFree),
                  total: formatBytes(r.memoryTotal),
                })
              : '—'}
          </Text>
          <Text size="sm" c="dimmed" mt="md">
            {r.lastSeenAt
              ? t('routers.card.lastSeen', { when: fmt.dateTime(r.lastSeenAt) })
              : t('routers.card.never')}
          </Text>
          {r.lastError && (
            <Text size="sm" c="red.7" mt="xs">
              {t('routers.detail.lastError')}: {routerErrorText(r.lastError, t)}
            </Text>
          )}
        </Card>
      </SimpleGrid>
      <TrustCard r={r} />
      <AutoSyncCard router={r} />
    </Stack>
  );
}
