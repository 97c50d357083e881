import { Badge, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconRouter, IconPlus } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { RouterView, Sessions } from '../../../shared/contract/routers';
import { formatNumber } from '../../../shared/money';
import { rpc } from '../../api/client';
import { queryKey, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { STATE_COLOR } from '../routers/shared';
import { CardSkeleton, DashCard, EmptyNote, live } from './common';

/**
 * Live sessions of the online routers (one small read per router; an office has a handful). Offline routers
 * are not asked: they could only answer ROUTER_UNREACHABLE.
 */
export function useRouterSessions(routers: RouterView[] | undefined): Map<string, Sessions> {
  const online = (routers ?? []).filter((r) => r.online);
  const results = useQueries({
    queries: online.map((r) => ({
      queryKey: queryKey('monitor.sessions', { routerId: r.id }),
      queryFn: () => rpc('monitor.sessions', { routerId: r.id }),
      retry: false,
      ...live,
    })),
  });
  const out = new Map<string, Sessions>();
  for (const q of results) if (q.data) out.set(q.data.routerId, q.data);
  return out;
}

/** CPU or memory as a short figure, coloured when the router is working hard. */
function Load({ label, value }: { label: string; value: number | null }) {
  if (value === null) return null;
  const color = value >= 85 ? 'red' : value >= 65 ? 'orange' : 'dimmed';
  return (
    <Text size="xs" c={color} className="tabular" ta="right" style={{ whiteSpace: 'nowrap' }}>
      {label} <b>{value}%</b>
    </Text>
  );
}

const MAX_ROWS = 5;

export function RoutersCard() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const routers = useRpcQuery('routers.list', {}, live);
  const sessions = useRouterSessions(routers.data);
  const list = routers.data ?? [];
  const online = list.filter((r) => r.online).length;
  return (
    <DashCard
      title={t('dashboard.routers.title')}
      icon={<IconRouter size={20} />}
      color="indigo"
      link="/routers"
      linkLabel={t('dashboard.routers.all')}
      testId="dash-routers"
      linkAtBottom
      extra={
        list.length > 0 && (
          <Badge
            variant="light"
            color={online === list.length ? 'teal' : 'red'}
            tt="none"
            className="tabular"
            data-testid="dash-routers-online"
          >
            {t('dashboard.routers.onlineOf', { online, total: list.length })}
          </Badge>
        )
      }
    >
      {!routers.data ? (
        <CardSkeleton rows={3} />
      ) : list.length === 0 ? (
        <EmptyNote
          icon={<IconRouter size={22} />}
          title={t('dashboard.routers.emptyTitle')}
          text={t('dashboard.routers.emptyText')}
          action={
            can('routers.manage') && (
              <Button component={Link} to="/routers" leftSection={<IconPlus size={16} />} size="xs" mt={4}>
                {t('dashboard.routers.add')}
              </Button>
            )
          }
        />
      ) : (
        <Stack gap={0}>
          {list.slice(0, MAX_ROWS).map((r, i) => {
            const s = sessions.get(r.id);
            const mem =
              r.memoryTotal && r.memoryFree !== null
                ? Math.round(((r.memoryTotal - r.memoryFree) / r.memoryTotal) * 100)
                : null;
            return (
              <Group
                key={r.id}
                justify="space-between"
                wrap="nowrap"
                py="sm"
                style={i > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
                data-testid="dash-router-row"
              >
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Group gap={8} wrap="nowrap">
                    <Tooltip label={t(`routers.state.${r.state}`)}>
                      <span
                        data-testid="router-state"
                        data-state={r.state}
                        style={{
                          width: 9,
                          height: 9,
                          borderRadius: 9,
                          flexShrink: 0,
                          background: `var(--mantine-color-${STATE_COLOR[r.state]}-6)`,
                        }}
                      />
                    </Tooltip>
                    <Text
                      fw={600}
                      truncate
                      component={Link}
                      to={`/routers/${r.id}`}
                      style={{ color: 'inherit' }}
                    >
                      {r.name}
                    </Text>
                  </Group>
                  <Text size="xs" c={r.online ? 'dimmed' : 'red'} truncate pl={17}>
                    {r.online && s
                      ? t('dashboard.routers.sessions', {
                          hotspot: formatNumber(s.hotspot.length),
                          ppp: formatNumber(s.ppp.length),
                        })
                      : r.online
                        ? r.location || r.host
                        : `${t(`routers.state.${r.state}`)}${r.location ? ` · ${r.location}` : ''}`}
                  </Text>
                  {(r.jobsPending > 0 || r.jobsFailed > 0) && (
                    <Group gap={6} mt={4} pl={17}>
                      {r.jobsPending > 0 && (
                        <Badge size="xs" variant="light" color="yellow" tt="none">
                          {t('dashboard.routers.pending', { count: r.jobsPending })}
                        </Badge>
                      )}
                      {r.jobsFailed > 0 && (
                        <Badge size="xs" variant="light" color="red" tt="none">
                          {t('dashboard.routers.failed', { count: r.jobsFailed })}
                        </Badge>
                      )}
                    </Group>
                  )}
                </div>
                {r.online && (
                  <Stack gap={2}>
                    <Load label="CPU" value={r.cpuLoad} />
                    <Load label="RAM" value={mem} />
                  </Stack>
                )}
              </Group>
            );
          })}
          {list.length > MAX_ROWS && (
            <Text size="xs" c="dimmed" pt="xs">
              {t('dashboard.routers.more', { count: list.length - MAX_ROWS })}
            </Text>
          )}
        </Stack>
      )}
    </DashCard>
  );
}
