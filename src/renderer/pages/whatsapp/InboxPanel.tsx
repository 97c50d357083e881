import { Alert, Badge, Button, Drawer, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconInfoCircle, IconMessageCircleOff, IconUser } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { InboundAction, InboundRow } from '../../../shared/contract/whatsapp';
import { formatPhone } from '../../../shared/phone';
import { onEvent, rpc } from '../../api/client';
import { queryKey, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { fmt } from '../../lib/format';
import { SendWhatsAppButton } from './SendWhatsAppButton';

type Filter = 'all' | InboundAction | 'none';

const ACTION_COLOR: Record<InboundAction, string> = { opt_out: 'red', opt_in: 'teal' };

/** Indonesian numbers as the office writes them (0812-…); others in international form. */
const showPhone = (p: string) => (p.startsWith('62') ? formatPhone(p) : `+${p}`);

function ActionBadge({ action }: { action: InboundAction | null }) {
  const { t } = useTranslation();
  if (!action) return <Text c="dimmed">—</Text>;
  return (
    <Badge color={ACTION_COLOR[action]} variant="light" tt="none" data-testid="wa-inbox-action">
      {t(`whatsapp.inbox.actions.${action}`)}
    </Badge>
  );
}

function Sender({ r }: { r: InboundRow }) {
  const { t } = useTranslation();
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="sm" fw={500} truncate>
        {r.customerName ?? showPhone(r.phone)}
      </Text>
      <Text size="xs" c="dimmed" truncate className="tabular">
        {r.customerName
          ? showPhone(r.phone)
          : [r.pushName && `~${r.pushName}`, t('whatsapp.inbox.unknownNumber')].filter(Boolean).join(' · ')}
      </Text>
    </div>
  );
}

/**
 * What customers wrote to the office number, newest first, with what Rukun did about it. The office shares
 * one inbox: opening this tab marks everything as seen, and so does a message arriving while it is open.
 */
export function InboxPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>('all');
  const [selected, setSelected] = useState<InboundRow | null>(null);
  const settings = useRpcQuery('whatsapp.settings.get', {});

  useEffect(() => {
    const markRead = () =>
      void rpc('whatsapp.inbox.markRead', {})
        .then((r) => qc.setQueryData(queryKey('whatsapp.inbox.unread', {}), { unread: r.unread }))
        .catch(() => undefined);
    markRead();
    return onEvent('whatsapp.inbound', (e) => {
      if (e.message) markRead();
    });
  }, [qc]);

  const columns = useMemo<Column<InboundRow>[]>(
    () => [
      {
        id: 'receivedAt',
        header: t('whatsapp.inbox.received'),
        width: 180,
        sortable: true,
        cell: (r) => (
          <Group gap={6} wrap="nowrap">
            {!r.read && (
              <Badge
                size="xs"
                circle
                color="blue"
                variant="filled"
                aria-label={t('whatsapp.inbox.unread', { count: 1 })}
              />
            )}
            <span className="tabular">{fmt.dateTime(r.receivedAt)}</span>
          </Group>
        ),
      },
      {
        id: 'customerName',
        header: t('whatsapp.inbox.from'),
        width: 240,
        sortable: true,
        cell: (r) => <Sender r={r} />,
      },
      {
        id: 'text',
        header: t('whatsapp.inbox.text'),
        cell: (r) => (
          <Text size="sm" truncate>
            {r.text}
          </Text>
        ),
      },
      {
        id: 'action',
        header: t('whatsapp.inbox.action'),
        width: 200,
        cell: (r) => <ActionBadge action={r.action} />,
      },
    ],
    [t],
  );

  const inbound = settings.data?.settings.inbound;
  return (
    <Stack>
      {inbound && (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} py="xs">
          {t('whatsapp.inbox.help', {
            stop: inbound.optOutKeywords.join(', '),
            start: inbound.optInKeywords.join(', '),
          })}
        </Alert>
      )}
      <DataTable
        testId="wa-inbox"
        queryKey={['whatsapp.inbox.list', filter]}
        columns={columns}
        fetchPage={(req) =>
          rpc('whatsapp.inbox.list', { ...req, ...(filter === 'all' ? {} : { action: filter }) })
        }
        getRowId={(r) => r.id}
        onRowClick={setSelected}
        initialSort={{ id: 'receivedAt', desc: true }}
        rowHeight={52}
        height="calc(100vh - 390px)"
        toolbar={
          <SegmentedControl
            value={filter}
            onChange={(v) => setFilter(v as Filter)}
            data={(['all', 'opt_out', 'opt_in', 'none'] as const).map((f) => ({
              value: f,
              label: t(`whatsapp.inbox.filter.${f}`),
            }))}
            data-testid="wa-inbox-filter"
          />
        }
      />
      <Drawer
        opened={!!selected}
        onClose={() => setSelected(null)}
        title={t('whatsapp.inbox.detail')}
        position="right"
        size="md"
      >
        {selected && (
          <Stack>
            <Group justify="space-between" align="flex-start">
              <Sender r={selected} />
              <ActionBadge action={selected.action} />
            </Group>
            <Text size="sm" c="dimmed">
              {t('whatsapp.inbox.received')}: {fmt.dateTime(selected.receivedAt)}
            </Text>
            <Paper withBorder p="md" bg="var(--mantine-color-green-light)">
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{selected.text}</Text>
            </Paper>
            {selected.cancelledMessages > 0 && (
              <Group gap={6}>
                <IconMessageCircleOff size={16} />
                <Text size="sm">{t('whatsapp.inbox.cancelled', { count: selected.cancelledMessages })}</Text>
              </Group>
            )}
            {selected.replyMessageId && <Text size="sm">{t('whatsapp.inbox.replied')}</Text>}
            {selected.customerId && can('customers.view') && (
              <Group>
                <Button
                  variant="light"
                  leftSection={<IconUser size={16} />}
                  onClick={() => navigate(`/customers/${selected.customerId}`)}
                  data-testid="wa-inbox-open-customer"
                >
                  {t('whatsapp.inbox.openCustomer')}
                </Button>
                {/* Answer the customer from here, with the office's templates and a live preview. */}
                <SendWhatsAppButton customerId={selected.customerId} defaultKind="custom" />
              </Group>
            )}
          </Stack>
        )}
      </Drawer>
    </Stack>
  );
}
