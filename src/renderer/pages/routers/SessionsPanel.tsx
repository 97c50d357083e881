import {
  ActionIcon,
  Alert,
  Badge,
  Card,
  Group,
  ScrollArea,
  SimpleGrid,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterView } from '../../../shared/contract/routers';
import { onEvent, rpc } from '../../api/client';
import { queryKey, useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { formatBytes, formatUptime } from './shared';

/** Live sessions: the core pushes `monitor.sessions` every few seconds while this panel renews its watch. */
export function SessionsPanel({ router }: { router: RouterView }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const input = { routerId: router.id };
  const sessions = useRpcQuery('monitor.sessions', input, { enabled: router.online, retry: false });
  useEffect(() => {
    if (!router.online) return;
    const watch = () => void rpc('monitor.watch', { routerId: router.id }).catch(() => undefined);
    watch();
    const renew = setInterval(watch, 30_000);
    const off = onEvent('monitor.sessions', (p) => {
      if (p.routerId === router.id) qc.setQueryData(queryKey('monitor.sessions', { routerId: router.id }), p);
    });
    return () => {
      clearInterval(renew);
      off();
    };
  }, [router.id, router.online, qc]);
  const kick = useRpcMutation('monitor.kick', {
    invalidate: ['monitor.sessions'],
    successMessage: t('routers.sessions.kicked'),
  });
  const confirmKick = (kind: 'hotspot' | 'ppp', id: string, user: string) =>
    modals.openConfirmModal({
      title: t('routers.sessions.kickTitle', { user }),
      children: <Text size="sm">{t('routers.sessions.kickBody')}</Text>,
      labels: { confirm: t('routers.sessions.kick'), cancel: t('routers.form.cancel') },
      confirmProps: { color: 'red', 'data-testid': 'kick-confirm' } as never,
      onConfirm: () => kick.mutate({ routerId: router.id, kind, id }),
    });

  if (!router.online) return <Alert color="yellow">{t('routers.sessions.offline')}</Alert>;
  const data = sessions.data;
  const kickCell = (kind: 'hotspot' | 'ppp', id: string, user: string) =>
    can('sessions.kick') && (
      <Table.Td>
        <Tooltip label={t('routers.sessions.kick')}>
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={() => confirmKick(kind, id, user)}
            aria-label={`${t('routers.sessions.kick')} ${user}`}
            data-testid={`kick-${user}`}
          >
            <IconPlugConnectedX size={16} />
          </ActionIcon>
        </Tooltip>
      </Table.Td>
    );
  return (
    <SimpleGrid cols={{ base: 1, xl: 2 }}>
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Group gap="xs">
            <Text fw={700}>{t('routers.sessions.hotspot')}</Text>
            <Badge variant="light" data-testid="hotspot-count">
              {data?.hotspot.length ?? 0}
            </Badge>
          </Group>
          <Badge color="teal" variant="dot">
            {t('routers.sessions.live')}
          </Badge>
        </Group>
        {data && data.hotspot.length === 0 ? (
          <Text c="dimmed" size="sm" py="md">
            {t('routers.sessions.emptyHotspot')}
          </Text>
        ) : (
          <ScrollArea>
            <Table striped highlightOnHover data-testid="hotspot-sessions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('routers.sessions.user')}</Table.Th>
                  <Table.Th>{t('routers.sessions.address')}</Table.Th>
                  <Table.Th>{t('routers.sessions.mac')}</Table.Th>
                  <Table.Th ta="right">{t('routers.sessions.uptime')}</Table.Th>
                  <Table.Th ta="right">{t('routers.sessions.download')}</Table.Th>
                  <Table.Th ta="right">{t('routers.sessions.upload')}</Table.Th>
                  {can('sessions.kick') && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(data?.hotspot ?? []).map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td fw={600}>{s.user}</Table.Td>
                    <Table.Td className="tabular">{s.address}</Table.Td>
                    <Table.Td className="tabular" c="dimmed">
                      {s.mac}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatUptime(s.uptime, i18n.language)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatBytes(s.bytesOut)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatBytes(s.bytesIn)}
                    </Table.Td>
                    {kickCell('hotspot', s.id, s.user)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Card>
      <Card withBorder>
        <Group gap="xs" mb="sm">
          <Text fw={700}>{t('routers.sessions.ppp')}</Text>
          <Badge variant="light" data-testid="ppp-count">
            {data?.ppp.length ?? 0}
          </Badge>
        </Group>
        {data && data.ppp.length === 0 ? (
          <Text c="dimmed" size="sm" py="md">
            {t('routers.sessions.emptyPpp')}
          </Text>
        ) : (
          <ScrollArea>
            <Table striped highlightOnHover data-testid="ppp-sessions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('routers.sessions.user')}</Table.Th>
                  <Table.Th>{t('routers.sessions.service')}</Table.Th>
                  <Table.Th>{t('routers.sessions.address')}</Table.Th>
                  <Table.Th>{t('routers.sessions.callerId')}</Table.Th>
                  <Table.Th ta="right">{t('routers.sessions.uptime')}</Table.Th>
                  {can('sessions.kick') && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(data?.ppp ?? []).map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td fw={600}>{s.name}</Table.Td>
                    <Table.Td>{s.service}</Table.Td>
                    <Table.Td className="tabular">{s.address}</Table.Td>
                    <Table.Td className="tabular" c="dimmed">
                      {s.callerId}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatUptime(s.uptime, i18n.language)}
                    </Table.Td>
                    {kickCell('ppp', s.id, s.name)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Card>
    </SimpleGrid>
  );
}
