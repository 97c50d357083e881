import {
  Button,
  Card,
  Center,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCloudUpload, IconMapPin, IconPlus, IconRouter } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router-dom';
import type { RouterView } from '../../../shared/contract/routers';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { RouterDetail } from './RouterDetail';
import { RouterForm } from './RouterForm';
import { formatBytes, formatUptime, routerErrorText, StateBadge, useRoutersLive } from './shared';

export function RoutersPage() {
  useRoutersLive();
  return (
    <Routes>
      <Route index element={<RouterList />} />
      <Route path=":id/*" element={<RouterDetail />} />
    </Routes>
  );
}

function Meter({ label, value, detail }: { label: string; value: number | null; detail: string }) {
  const color = value === null ? 'gray' : value >= 85 ? 'red' : value >= 60 ? 'yellow' : 'teal';
  return (
    <div>
      <Group justify="space-between" gap={4}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text size="xs" fw={600} className="tabular">
          {detail}
        </Text>
      </Group>
      <Progress value={value ?? 0} color={color} size="sm" radius="xl" mt={4} />
    </div>
  );
}

export function memoryPercent(r: Pick<RouterView, 'memoryTotal' | 'memoryFree'>): number | null {
  if (!r.memoryTotal || r.memoryFree === null) return null;
  return Math.round(((r.memoryTotal - r.memoryFree) / r.memoryTotal) * 100);
}

function RouterCard({ r }: { r: RouterView }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const mem = memoryPercent(r);
  return (
    <Card
      withBorder
      padding="lg"
      radius="md"
      style={{ cursor: 'pointer' }}
      onClick={() => navigate(`/routers/${r.id}`)}
      data-testid="router-card"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={40} radius="md" variant="light" color={r.online ? 'teal' : 'gray'}>
            <IconRouter size={22} />
          </ThemeIcon>
          <div>
            <Text fw={700} size="lg" lh={1.2}>
              {r.name}
            </Text>
            <Text size="xs" c="dimmed">
              {r.identity ? `${r.identity} · ` : ''}
              {r.host}:{r.port}
            </Text>
          </div>
        </Group>
        <StateBadge state={r.state} />
      </Group>
      {r.location && (
        <Group gap={4} mt="xs">
          <IconMapPin size={14} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed">
            {r.location}
          </Text>
        </Group>
      )}
      <SimpleGrid cols={2} mt="md" spacing="xs">
        <div>
          <Text size="xs" c="dimmed">
            {t('routers.card.version')}
          </Text>
          <Text size="sm" fw={600}>
            {r.rosVersion ?? '—'}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('routers.card.uptime')}
          </Text>
          <Text size="sm" fw={600} className="tabular">
            {r.online ? formatUptime(r.uptime, i18n.language) : '—'}
          </Text>
        </div>
      </SimpleGrid>
      <Stack gap="xs" mt="md">
        <Meter
          label={t('routers.card.cpu')}
          value={r.online ? r.cpuLoad : null}
          detail={r.online && r.cpuLoad !== null ? `${r.cpuLoad}%` : '—'}
        />
        <Meter
          label={t('routers.card.memory')}
          value={r.online ? mem : null}
          detail={
            r.online && r.memoryTotal && r.memoryFree !== null
              ? `${formatBytes(r.memoryTotal - r.memoryFree)} / ${formatBytes(r.memoryTotal)}`
              : '—'
          }
        />
      </Stack>
      <Group justify="space-between" mt="md" gap="xs">
        {r.jobsPending > 0 ? (
          <Group gap={4}>
            <IconCloudUpload size={16} color="var(--mantine-color-yellow-7)" />
            <Text size="sm" c="yellow.8" data-testid="router-pending">
              {t('routers.card.pending', { count: r.jobsPending })}
            </Text>
          </Group>
        ) : r.jobsFailed === 0 ? (
          <Text size="sm" c="teal.7">
            {t('routers.card.synced')}
          </Text>
        ) : (
          <span />
        )}
        {r.jobsFailed > 0 && (
          <Text size="sm" c="red.7">
            {t('routers.card.failed', { count: r.jobsFailed })}
          </Text>
        )}
      </Group>
      {!r.online && (
        <Tooltip
          label={r.lastError ? routerErrorText(r.lastError, t) : ''}
          disabled={!r.lastError}
          multiline
          w={320}
        >
          <Group gap={6} mt="xs" wrap="nowrap">
            <IconAlertTriangle size={14} color="var(--mantine-color-red-6)" />
            <Text size="xs" c="dimmed" lineClamp={1}>
              {r.lastSeenAt
                ? t('routers.card.lastSeen', { when: fmt.dateTime(r.lastSeenAt) })
                : t('routers.card.never')}
              {r.lastError ? ` — ${routerErrorText(r.lastError, t)}` : ''}
            </Text>
          </Group>
        </Tooltip>
      )}
    </Card>
  );
}

function RouterList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useRpcQuery('routers.list', {});
  const [adding, setAdding] = useState(false);
  const navigate = useNavigate();
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('routers.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('routers.subtitle')}
          </Text>
        </div>
        {can('routers.manage') && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setAdding(true)}
            data-testid="router-add"
          >
            {t('routers.add')}
          </Button>
        )}
      </Group>
      {list.isLoading ? (
        <Center h={200}>
          <Loader />
        </Center>
      ) : (list.data ?? []).length === 0 ? (
        <Card withBorder padding="xl">
          <Stack align="center" gap="xs" py="xl">
            <ThemeIcon size={56} radius="xl" variant="light">
              <IconRouter size={30} />
            </ThemeIcon>
            <Text fw={700} size="lg">
              {t('routers.empty.title')}
            </Text>
            <Text c="dimmed" ta="center" maw={480}>
              {t('routers.empty.body')}
            </Text>
            {can('routers.manage') && (
              <Button mt="sm" leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
                {t('routers.add')}
              </Button>
            )}
          </Stack>
        </Card>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
          {(list.data ?? []).map((r) => (
            <RouterCard key={r.id} r={r} />
          ))}
        </SimpleGrid>
      )}
      {adding && (
        <RouterForm
          router={null}
          onClose={() => setAdding(false)}
          onSaved={(r) => navigate(`/routers/${r.id}`)}
        />
      )}
    </Stack>
  );
}
