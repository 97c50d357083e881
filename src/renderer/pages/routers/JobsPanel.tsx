import { ActionIcon, Badge, Button, Group, SegmentedControl, Text, Tooltip } from '@mantine/core';
import { IconPlayerPlay, IconRefresh, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterJobView, RouterView } from '../../../shared/contract/routers';
import { onEvent, rpc } from '../../api/client';
import { useRpcMutation } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { fmt } from '../../lib/format';

const STATE_COLOR: Record<RouterJobView['state'], string> = {
  pending: 'yellow',
  running: 'blue',
  done: 'teal',
  failed: 'red',
  cancelled: 'gray',
};
type Filter = 'open' | 'all' | RouterJobView['state'];

/** The router's sync queue: what is waiting ("menunggu sinkron"), what failed and why, with retry and cancel. */
export function JobsPanel({ router }: { router: RouterView }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>('open');
  const [tick, setTick] = useState(0);
  useEffect(
    () =>
      onEvent('routerJobs.changed', (p) => {
        if (p.routerId === router.id) setTick((n) => n + 1);
      }),
    [router.id],
  );
  const after = () => {
    setTick((n) => n + 1);
    void qc.invalidateQueries({ queryKey: ['routers.get'] });
  };
  const retry = useRpcMutation('routerJobs.retry');
  const cancel = useRpcMutation('routerJobs.cancel');
  const retryFailed = useRpcMutation('routerJobs.retryFailed');
  const columns = useMemo<Column<RouterJobView>[]>(
    () => [
      {
        id: 'state',
        header: t('routers.jobs.filterState'),
        width: 170,
        cell: (j) => (
          <Badge color={STATE_COLOR[j.state]} variant="light" tt="none" size="md" data-testid="job-state">
            {t(`routers.jobs.state.${j.state}`)}
          </Badge>
        ),
      },
      {
        id: 'operation',
        header: t('routers.jobs.operation'),
        width: 140,
        cell: (j) => (
          <Text size="sm" ff="monospace">
            {j.operation}
          </Text>
        ),
      },
      {
        id: 'target',
        header: t('routers.jobs.target'),
        cell: (j) => (
          <Text size="sm" lineClamp={1}>
            {j.target}
          </Text>
        ),
      },
      {
        id: 'attempts',
        header: t('routers.jobs.attempts'),
        width: 100,
        cell: (j) => (
          <Text size="sm" className="tabular">
            {j.attempts}
          </Text>
        ),
      },
      {
        id: 'created',
        header: t('routers.jobs.created'),
        width: 150,
        cell: (j) => <Text size="sm">{fmt.dateTime(j.createdAt)}</Text>,
      },
      {
        id: 'error',
        header: t('routers.jobs.error'),
        cell: (j) => (
          <Tooltip label={j.lastError ?? ''} disabled={!j.lastError} multiline w={360}>
            <Text size="sm" c={j.state === 'failed' ? 'red.7' : 'dimmed'} lineClamp={1}>
              {j.lastError ??
                (j.state === 'pending' && !router.online ? t('routers.jobs.waitingRouter') : '')}
            </Text>
          </Tooltip>
        ),
      },
      {
        id: 'actions',
        header: '',
        width: 80,
        cell: (j) =>
          can('routers.manage') && (
            <Group gap={4} wrap="nowrap">
              {(j.state === 'failed' || j.state === 'cancelled' || j.state === 'pending') && (
                <Tooltip label={t('routers.jobs.retry')}>
                  <ActionIcon
                    variant="subtle"
                    aria-label={t('routers.jobs.retry')}
                    onClick={() => retry.mutate({ ids: [j.id] }, { onSuccess: after })}
                  >
                    <IconPlayerPlay size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
              {j.state === 'pending' && (
                <Tooltip label={t('routers.jobs.cancel')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('routers.jobs.cancel')}
                    onClick={() => cancel.mutate({ ids: [j.id] }, { onSuccess: after })}
                  >
                    <IconX size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          ),
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, can, router.online],
  );
  const stateFilter = filter === 'open' ? { open: true } : filter === 'all' ? {} : { state: filter };
  return (
    <DataTable<RouterJobView>
      queryKey={['routerJobs.list', router.id, filter, tick]}
      columns={columns}
      getRowId={(j) => j.id}
      height="calc(100vh - 400px)"
      testId="jobs-table"
      fetchPage={(req) =>
        rpc('routerJobs.list', {
          routerId: router.id,
          ...stateFilter,
          offset: req.offset,
          limit: req.limit,
          ...(req.search ? { search: req.search } : {}),
        })
      }
      toolbar={
        <Group>
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(v) => setFilter(v as Filter)}
            data={[
              { value: 'open', label: t('routers.jobs.open') },
              { value: 'pending', label: t('routers.jobs.state.pending') },
              { value: 'failed', label: t('routers.jobs.state.failed') },
              { value: 'done', label: t('routers.jobs.state.done') },
              { value: 'all', label: t('routers.jobs.all') },
            ]}
          />
          {can('routers.manage') && router.jobsFailed > 0 && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconRefresh size={14} />}
              onClick={() => retryFailed.mutate({ routerId: router.id }, { onSuccess: after })}
            >
              {t('routers.jobs.retryFailed')}
            </Button>
          )}
        </Group>
      }
    />
  );
}
