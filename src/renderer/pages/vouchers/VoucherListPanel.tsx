import {
  ActionIcon,
  Button,
  Drawer,
  Group,
  Menu,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import {
  IconBan,
  IconCalendarPlus,
  IconCheck,
  IconPrinter,
  IconRefresh,
  IconTrash,
  IconX,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRupiah } from '../../../shared/money';
import { VOUCHER_STATUSES, type Voucher } from '../../../shared/contract/vouchers';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { LazyMenu } from '../../components/LazyMenu';
import { ListBadge } from '../../components/ListBadge';
import { fmt } from '../../lib/format';
import type { PrintTarget } from './PrintModal';
import { Countdown, STATUS_COLOR, StatusBadge } from './shared';

export function VoucherListPanel({
  batch,
  onClearBatch,
  onPrint,
}: {
  batch: { id: string; code: string } | null;
  onClearBatch: () => void;
  onPrint: (t: PrintTarget) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const manage = can('vouchers.manage');
  const [routerId, setRouterId] = useState<string | null>(null);
  const [profile, setProfile] = useState<string | null>(null);
  const [status, setStatus] = useState<Voucher['status'] | null>(null);
  const [extendFor, setExtendFor] = useState<Voucher | null>(null);
  const [hours, setHours] = useState<number>(24);
  const [detail, setDetail] = useState<Voucher | null>(null);
  const routers = useRpcQuery('routers.list', {});
  const profiles = useRpcQuery('vouchers.profiles.list', routerId ? { routerId } : {});
  const invalidate = ['vouchers.list', 'vouchers.stats', 'vouchers.batches.list'] as const;
  const disable = useRpcMutation('vouchers.disable', {
    invalidate: [...invalidate],
    successMessage: t('vouchers.done.disabled'),
  });
  const enable = useRpcMutation('vouchers.enable', {
    invalidate: [...invalidate],
    successMessage: t('vouchers.done.enabled'),
  });
  const remove = useRpcMutation('vouchers.delete', {
    invalidate: [...invalidate],
    successMessage: t('vouchers.done.deleted'),
  });
  const extend = useRpcMutation('vouchers.extend', { invalidate: [...invalidate] });
  const sync = useRpcMutation('vouchers.sync', { invalidate: [...invalidate] });

  const filters = useMemo(
    () => ({
      batchId: batch?.id,
      routerId: routerId ?? undefined,
      profile: profile ?? undefined,
      status: status ?? undefined,
    }),
    [batch?.id, routerId, profile, status],
  );
  // The rows' cells keep the same functions while the list scrolls and refreshes (mutate is stable; the
  // mutation objects are not), so the table's memoised rows are not all rendered again.
  const enableVouchers = enable.mutate;
  const disableVouchers = disable.mutate;
  const removeVouchers = remove.mutate;

  const columns = useMemo<Column<Voucher>[]>(
    () => [
      {
        id: 'username',
        header: t('vouchers.columns.code'),
        width: 120,
        sortable: true,
        cell: (v) => <span className="rk-dt-mono rk-dt-strong">{v.username}</span>,
      },
      {
        id: 'password',
        header: t('vouchers.columns.password'),
        width: 100,
        cell: (v) =>
          v.password === v.username ? (
            // A native title, not a Tooltip: a floating tooltip per row is heavy in a long list.
            <span
              className="rk-dt-dimmed"
              title={t('vouchers.columns.samePassword')}
              aria-label={t('vouchers.columns.samePassword')}
            >
              = {t('vouchers.columns.code').toLowerCase()}
            </span>
          ) : (
            <span className="rk-dt-mono">{v.password}</span>
          ),
      },
      {
        id: 'profile',
        header: t('vouchers.columns.profile'),
        width: 95,
        sortable: true,
        cell: (v) => v.profile,
      },
      {
        id: 'status',
        header: t('vouchers.columns.status'),
        width: 135,
        sortable: true,
        // The label comes from the list's t: a translation hook in every row's badge is measurable.
        cell: (v) => (
          <ListBadge color={STATUS_COLOR[v.status]} data-testid={`status-${v.status}`}>
            {t(`vouchers.status.${v.status}`)}
          </ListBadge>
        ),
      },
      {
        id: 'firstLoginAt',
        header: t('vouchers.columns.firstLogin'),
        width: 180,
        sortable: true,
        cell: (v) => (v.firstLoginAt ? <span className="tabular">{fmt.dateTime(v.firstLoginAt)}</span> : '—'),
      },
      {
        id: 'validUntil',
        header: t('vouchers.columns.remaining'),
        width: 140,
        sortable: true,
        cell: (v) =>
          v.status === 'active' || v.status === 'unused' ? (
            <Countdown until={v.validUntil} started={v.firstLoginAt !== null} />
          ) : v.validUntil ? (
            <span className="tabular">{fmt.dateTime(v.validUntil)}</span>
          ) : (
            '—'
          ),
      },
      {
        id: 'priceSell',
        header: t('vouchers.columns.price'),
        width: 100,
        sortable: true,
        cell: (v) => <span className="tabular">{formatRupiah(v.priceSell)}</span>,
      },
      {
        id: 'router',
        header: t('vouchers.columns.router'),
        cell: (v) => `${v.routerName}${v.batchCode ? ` · ${v.batchCode}` : ''}`,
      },
      {
        id: 'actions',
        header: '',
        width: 56,
        cell: (v) => (
          <LazyMenu
            id={v.id}
            label={t('vouchers.columns.actions')}
            testId={`voucher-menu-${v.username}`}
            items={() => (
              <>
                {can('vouchers.print') && (
                  <Menu.Item
                    leftSection={<IconPrinter size={16} />}
                    onClick={() => onPrint({ ids: [v.id], count: 1, sample: [v] })}
                  >
                    {t('vouchers.actions.reprint')}
                  </Menu.Item>
                )}
                {manage && v.status !== 'removed' && v.firstLoginAt !== null && (
                  <Menu.Item leftSection={<IconCalendarPlus size={16} />} onClick={() => setExtendFor(v)}>
                    {t('vouchers.actions.extend')}
                  </Menu.Item>
                )}
                {manage && v.status === 'disabled' && (
                  <Menu.Item
                    leftSection={<IconCheck size={16} />}
                    onClick={() => enableVouchers({ ids: [v.id] })}
                  >
                    {t('vouchers.actions.enable')}
                  </Menu.Item>
                )}
                {manage && (v.status === 'unused' || v.status === 'active') && (
                  <Menu.Item
                    leftSection={<IconBan size={16} />}
                    onClick={() =>
                      modals.openConfirmModal({
                        title: t('vouchers.confirm.disableTitle', { code: v.username }),
                        children: <Text size="sm">{t('vouchers.confirm.disable')}</Text>,
                        labels: {
                          confirm: t('vouchers.actions.disable'),
                          cancel: t('vouchers.actions.cancel'),
                        },
                        confirmProps: { color: 'red' },
                        onConfirm: () => disableVouchers({ ids: [v.id] }),
                      })
                    }
                  >
                    {t('vouchers.actions.disable')}
                  </Menu.Item>
                )}
                {manage && v.status !== 'removed' && (
                  <Menu.Item
                    color="red"
                    leftSection={<IconTrash size={16} />}
                    onClick={() =>
                      modals.openConfirmModal({
                        title: t('vouchers.confirm.deleteTitle', { code: v.username }),
                        children: <Text size="sm">{t('vouchers.confirm.delete')}</Text>,
                        labels: {
                          confirm: t('vouchers.actions.delete'),
                          cancel: t('vouchers.actions.cancel'),
                        },
                        confirmProps: { color: 'red' },
                        onConfirm: () => removeVouchers({ ids: [v.id] }),
                      })
                    }
                  >
                    {t('vouchers.actions.delete')}
                  </Menu.Item>
                )}
              </>
            )}
          />
        ),
      },
    ],
    [t, can, manage, onPrint, enableVouchers, disableVouchers, removeVouchers],
  );

  const toolbar = (
    <Group gap="xs" wrap="wrap">
      {batch && (
        <Button
          size="xs"
          variant="light"
          rightSection={<IconX size={14} />}
          onClick={onClearBatch}
          data-testid="clear-batch"
        >
          {t('vouchers.filters.batch')}: {batch.code}
        </Button>
      )}
      <Select
        size="xs"
        w={150}
        placeholder={t('vouchers.filters.router')}
        clearable
        data={(routers.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
        value={routerId}
        onChange={setRouterId}
      />
      <Select
        size="xs"
        w={130}
        placeholder={t('vouchers.filters.profile')}
        clearable
        data={[...new Set((profiles.data ?? []).map((p) => p.name))]}
        value={profile}
        onChange={setProfile}
      />
      <Select
        size="xs"
        w={150}
        placeholder={t('vouchers.filters.status')}
        clearable
        data={VOUCHER_STATUSES.map((s) => ({ value: s, label: t(`vouchers.status.${s}`) }))}
        value={status}
        onChange={(v) => setStatus(v as Voucher['status'] | null)}
        data-testid="status-filter"
      />
      {manage && routerId && (
        <Tooltip label={t('vouchers.actions.sync')}>
          <ActionIcon
            variant="default"
            size="md"
            loading={sync.isPending}
            onClick={() =>
              sync.mutate(
                { routerId },
                {
                  onSuccess: (r) =>
                    notifications.show({
                      color: 'teal',
                      message: t('vouchers.done.synced', { firstLogins: r.firstLogins, expired: r.expired }),
                    }),
                },
              )
            }
          >
            <IconRefresh size={16} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );

  return (
    <>
      <DataTable
        testId="voucher-table"
        queryKey={['vouchers.list', filters]}
        columns={columns}
        fetchPage={(req) => rpc('vouchers.list', { ...req, ...filters })}
        getRowId={(v) => v.id}
        onRowClick={setDetail}
        toolbar={toolbar}
        initialSort={{ id: 'createdAt', desc: true }}
        height="calc(100vh - 360px)"
      />
      <Drawer
        opened={!!detail}
        onClose={() => setDetail(null)}
        position="right"
        size="md"
        title={t('vouchers.detail.title')}
      >
        {detail && (
          <Stack>
            <Group justify="space-between">
              <Text ff="monospace" fw={800} size="xl">
                {detail.username}
              </Text>
              <StatusBadge status={detail.status} />
            </Group>
            <SimpleGrid cols={2} spacing="xs" verticalSpacing={6}>
              {(
                [
                  [t('vouchers.columns.password'), detail.password],
                  [t('vouchers.columns.profile'), detail.profile],
                  [
                    t('vouchers.columns.price'),
                    `${formatRupiah(detail.priceSell)} (${t('vouchers.columns.cost')} ${formatRupiah(detail.priceCost)})`,
                  ],
                  [
                    t('vouchers.detail.pushState'),
                    `${t(`vouchers.push.${detail.pushState}`)}${detail.pushError ? ` — ${detail.pushError}` : ''}`,
                  ],
                  [
                    t('vouchers.columns.firstLogin'),
                    detail.firstLoginAt ? fmt.dateTime(detail.firstLoginAt) : '—',
                  ],
                  [
                    t('vouchers.detail.validUntil'),
                    detail.validUntil ? fmt.dateTime(detail.validUntil) : '—',
                  ],
                  [
                    t('vouchers.detail.uptime'),
                    detail.uptimeSeconds > 0
                      ? `${Math.floor(detail.uptimeSeconds / 3600)}:${String(Math.floor((detail.uptimeSeconds % 3600) / 60)).padStart(2, '0')}`
                      : '—',
                  ],
                  [
                    t('vouchers.detail.data'),
                    detail.bytesTotal > 0
                      ? `${(detail.bytesTotal / 1048576).toLocaleString('id-ID', { maximumFractionDigits: 1 })} MB`
                      : '—',
                  ],
                  [
                    t('vouchers.detail.device'),
                    detail.lastMac ? `${detail.lastMac} · ${detail.lastIp ?? ''}` : '—',
                  ],
                  [t('vouchers.columns.batch'), detail.batchCode ?? '—'],
                  [t('vouchers.columns.router'), detail.routerName],
                  [t('vouchers.detail.source'), t(`vouchers.origin.${detail.source}`)],
                ] as const
              ).map(([label, value]) => (
                <Fragment key={label}>
                  <Text size="sm" c="dimmed">
                    {label}
                  </Text>
                  <Text size="sm" ff={label === t('vouchers.columns.password') ? 'monospace' : undefined}>
                    {value}
                  </Text>
                </Fragment>
              ))}
            </SimpleGrid>
          </Stack>
        )}
      </Drawer>
      <Modal
        opened={!!extendFor}
        onClose={() => setExtendFor(null)}
        title={t('vouchers.extend.title')}
        size="sm"
      >
        <Stack>
          <Text size="sm">
            <Text span ff="monospace" fw={700}>
              {extendFor?.username}
            </Text>
          </Text>
          <NumberInput
            label={t('vouchers.extend.amount')}
            suffix={` ${t('vouchers.profile.units.hours')}`}
            min={1}
            max={24 * 366}
            value={hours}
            onChange={(v) => setHours(Number(v) || 1)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setExtendFor(null)}>
              {t('vouchers.actions.cancel')}
            </Button>
            <Button
              loading={extend.isPending}
              onClick={() =>
                extendFor &&
                extend.mutate(
                  { ids: [extendFor.id], seconds: hours * 3600 },
                  {
                    onSuccess: (r) => {
                      notifications.show({
                        color: 'teal',
                        message: t('vouchers.extend.done', { count: r.changed }),
                      });
                      setExtendFor(null);
                      void qc.invalidateQueries({ queryKey: ['vouchers.list'] });
                    },
                  },
                )
              }
            >
              {t('vouchers.actions.extend')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
