import {
  Alert,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChecks, IconClockPause, IconRefresh, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MESSAGE_KINDS,
  type MessageKind,
  type MessageRow,
  type MessageStatus,
} from '../../../shared/contract/whatsapp';
import { formatPhone } from '../../../shared/phone';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { fmt } from '../../lib/format';
import { MESSAGE_COLOR } from './labels';

type Filter = 'all' | 'pending' | 'sent' | 'failed' | 'unknown';
const FILTER_STATUSES: Record<Filter, MessageStatus[] | undefined> = {
  all: undefined,
  pending: ['pending', 'sending'],
  sent: ['sent'],
  failed: ['failed', 'cancelled'],
  unknown: ['unknown'],
};

export function MessagesPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>('all');
  const [kind, setKind] = useState<MessageKind | null>(null);
  const [selected, setSelected] = useState<MessageRow | null>(null);
  const stats = useRpcQuery('whatsapp.messages.stats', {});
  const invalidate: ('whatsapp.messages.list' | 'whatsapp.messages.stats')[] = [
    'whatsapp.messages.list',
    'whatsapp.messages.stats',
  ];
  const retry = useRpcMutation('whatsapp.messages.retry', { invalidate });
  const cancel = useRpcMutation('whatsapp.messages.cancel', { invalidate });
  const markSent = useRpcMutation('whatsapp.messages.markSent', { invalidate });
  const statuses = FILTER_STATUSES[filter];

  const act = async (m: typeof retry, ids: string[]) => {
    const r = await m.mutateAsync({ ids });
    notifications.show({ color: 'teal', message: t('whatsapp.messages.updated', { count: r.updated }) });
    setSelected(null);
    await qc.invalidateQueries({ queryKey: ['whatsapp.messages.list'] });
  };

  const retryAllFailed = async () => {
    const all = await rpc('whatsapp.messages.list', { status: ['failed'], limit: 1000, offset: 0 });
    if (all.rows.length > 0)
      await act(
        retry,
        all.rows.map((r) => r.id),
      );
  };

  const columns = useMemo<Column<MessageRow>[]>(
    () => [
      {
        id: 'createdAt',
        header: t('whatsapp.messages.created'),
        width: 175,
        sortable: true,
        cell: (r) => <span className="tabular">{fmt.dateTime(r.createdAt)}</span>,
      },
      {
        id: 'customerName',
        header: t('whatsapp.messages.recipient'),
        sortable: true,
        cell: (r) => (
          <div style={{ minWidth: 0 }}>
            <Text size="sm" fw={500} truncate>
              {r.customerName ?? formatPhone(r.phone)}
            </Text>
            {r.customerName && (
              <Text size="xs" c="dimmed" className="tabular">
                {formatPhone(r.phone)}
              </Text>
            )}
          </div>
        ),
      },
      {
        id: 'kind',
        header: t('whatsapp.messages.kind'),
        width: 190,
        cell: (r) => (
          <Group gap={6} wrap="nowrap">
            <Badge variant="light" color="gray" tt="none">
              {t(`whatsapp.kind.${r.kind}`)}
            </Badge>
            {r.priority === 'immediate' && (
              <Badge variant="dot" size="xs" color="grape" tt="none">
                {t('whatsapp.messages.priorityImmediate')}
              </Badge>
            )}
          </Group>
        ),
      },
      {
        id: 'status',
        header: t('whatsapp.messages.status'),
        width: 170,
        sortable: true,
        cell: (r) => (
          <Group gap={6} wrap="nowrap">
            <Badge color={MESSAGE_COLOR[r.status]} variant="light" tt="none">
              {t(`whatsapp.msgStatus.${r.status}`)}
            </Badge>
            {r.waitingConnection && (
              <Tooltip label={t('whatsapp.messages.waiting')}>
                <IconClockPause size={16} color="var(--mantine-color-orange-6)" />
              </Tooltip>
            )}
            {r.status === 'sent' && r.ack >= 3 && (
              <Tooltip label={r.ack >= 4 ? t('whatsapp.messages.read') : t('whatsapp.messages.delivered')}>
                <IconChecks
                  size={16}
                  color={r.ack >= 4 ? 'var(--mantine-color-blue-6)' : 'var(--mantine-color-gray-6)'}
                />
              </Tooltip>
            )}
          </Group>
        ),
      },
      {
        id: 'attempts',
        header: t('whatsapp.messages.attempts'),
        width: 100,
        cell: (r) => <span className="tabular">{`${r.attempts}/${r.maxAttempts}`}</span>,
      },
      {
        id: 'dueAt',
        header: t('whatsapp.messages.when'),
        width: 160,
        sortable: true,
        cell: (r) => <span className="tabular">{fmt.dateTime(r.sentAt ?? r.dueAt)}</span>,
      },
    ],
    [t],
  );

  const failedCount = stats.data?.counts.failed ?? 0;
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <SegmentedControl
            value={filter}
            onChange={(v) => setFilter(v as Filter)}
            data={[
              { value: 'all', label: t('whatsapp.messages.all') },
              {
                value: 'pending',
                label: `${t('whatsapp.msgStatus.pending')} · ${stats.data ? stats.data.counts.pending : 0}`,
              },
              { value: 'sent', label: t('whatsapp.msgStatus.sent') },
              { value: 'failed', label: `${t('whatsapp.msgStatus.failed')} · ${failedCount}` },
              {
                value: 'unknown',
                label: `${t('whatsapp.msgStatus.unknown')} · ${stats.data ? stats.data.counts.unknown : 0}`,
              },
            ]}
            data-testid="wa-filter"
          />
          <Select
            placeholder={t('whatsapp.messages.kind')}
            clearable
            value={kind}
            onChange={(v) => setKind(v as MessageKind | null)}
            data={MESSAGE_KINDS.map((k) => ({ value: k, label: t(`whatsapp.kind.${k}`) }))}
            w={220}
          />
        </Group>
        {can('whatsapp.send') && failedCount > 0 && (
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} />}
            onClick={() => void retryAllFailed()}
            loading={retry.isPending}
          >
            {t('whatsapp.messages.retryFailed', { count: failedCount })}
          </Button>
        )}
      </Group>
      <DataTable
        testId="wa-messages"
        queryKey={['whatsapp.messages.list', filter, kind]}
        columns={columns}
        fetchPage={(req) =>
          rpc('whatsapp.messages.list', { ...req, status: statuses, kind: kind ?? undefined })
        }
        getRowId={(r) => r.id}
        onRowClick={setSelected}
        initialSort={filter === 'pending' ? { id: 'dueAt', desc: false } : { id: 'createdAt', desc: true }}
        rowHeight={52}
        height="calc(100vh - 330px)"
      />
      <Drawer
        opened={!!selected}
        onClose={() => setSelected(null)}
        title={t('whatsapp.messages.detail')}
        position="right"
        size="md"
      >
        {selected && (
          <Stack>
            <Group gap="xs">
              <Badge color={MESSAGE_COLOR[selected.status]} variant="light" tt="none">
                {t(`whatsapp.msgStatus.${selected.status}`)}
              </Badge>
              <Badge variant="light" color="gray" tt="none">
                {t(`whatsapp.kind.${selected.kind}`)}
              </Badge>
            </Group>
            <Text fw={600}>
              {selected.customerName ?? '—'} · <span className="tabular">{formatPhone(selected.phone)}</span>
            </Text>
            <Text size="sm" c="dimmed">
              {t('whatsapp.messages.when')}: {fmt.dateTime(selected.sentAt ?? selected.dueAt)}
            </Text>
            {selected.status === 'unknown' && (
              <Alert color="orange" variant="light">
                {t('whatsapp.messages.unknownHelp')}
              </Alert>
            )}
            {selected.lastError && (
              <Alert color="red" variant="light" title={t('whatsapp.messages.lastError')}>
                {selected.lastError}
              </Alert>
            )}
            <Code block style={{ whiteSpace: 'pre-wrap' }}>
              {selected.body}
            </Code>
            {can('whatsapp.send') && (
              <Group>
                {(selected.status === 'failed' ||
                  selected.status === 'cancelled' ||
                  selected.status === 'unknown') && (
                  <Button
                    leftSection={<IconRefresh size={16} />}
                    onClick={() => void act(retry, [selected.id])}
                  >
                    {t('whatsapp.messages.retry')}
                  </Button>
                )}
                {selected.status === 'unknown' && (
                  <Button
                    variant="light"
                    color="teal"
                    leftSection={<IconChecks size={16} />}
                    onClick={() => void act(markSent, [selected.id])}
                  >
                    {t('whatsapp.messages.markSent')}
                  </Button>
                )}
                {selected.status === 'pending' && (
                  <Button
                    variant="light"
                    color="red"
                    leftSection={<IconX size={16} />}
                    onClick={() => void act(cancel, [selected.id])}
                  >
                    {t('whatsapp.messages.cancel')}
                  </Button>
                )}
              </Group>
            )}
          </Stack>
        )}
      </Drawer>
    </Stack>
  );
}
