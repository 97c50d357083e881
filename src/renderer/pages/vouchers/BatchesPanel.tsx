import { Badge, Button, Group, Progress, Text, Tooltip } from '@mantine/core';
import { IconListDetails, IconPrinter, IconRefresh } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatRupiah } from '../../../shared/money';
import type { VoucherBatch } from '../../../shared/contract/vouchers';
import { rpc } from '../../api/client';
import { useRpcMutation } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DataTable, type Column } from '../../components/DataTable';
import { fmt } from '../../lib/format';

export function BatchesPanel({
  onOpen,
  onPrint,
}: {
  onOpen: (b: VoucherBatch) => void;
  onPrint: (b: VoucherBatch) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const retry = useRpcMutation('vouchers.batches.retry', { invalidate: ['vouchers.batches.list'] });
  const columns = useMemo<Column<VoucherBatch>[]>(
    () => [
      {
        id: 'createdAt',
        header: t('vouchers.columns.created'),
        width: 165,
        cell: (b) => <span className="tabular">{fmt.dateTime(b.createdAt)}</span>,
      },
      {
        id: 'code',
        header: t('vouchers.columns.batch'),
        width: 110,
        cell: (b) => (
          <Text ff="monospace" fw={700} size="sm">
            {b.code}
          </Text>
        ),
      },
      {
        id: 'profile',
        header: t('vouchers.columns.profile'),
        width: 150,
        cell: (b) => `${b.profile} · ${formatRupiah(b.priceSell)}`,
      },
      {
        id: 'count',
        header: t('vouchers.columns.count'),
        width: 80,
        cell: (b) => <span className="tabular">{formatNumber(b.count)}</span>,
      },
      {
        id: 'progress',
        header: t('vouchers.columns.progress'),
        width: 170,
        cell: (b) => (
          <Group gap={6} wrap="nowrap">
            <Progress
              value={(b.pushed / Math.max(1, b.count)) * 100}
              color={b.failed > 0 ? 'orange' : 'teal'}
              w={80}
            />
            <Text size="xs" className="tabular">
              {formatNumber(b.pushed)}/{formatNumber(b.count)}
            </Text>
            {b.failed > 0 && (
              <Badge color="orange" size="xs">
                {b.failed}
              </Badge>
            )}
          </Group>
        ),
      },
      {
        id: 'used',
        header: t('vouchers.columns.used'),
        width: 80,
        cell: (b) => <span className="tabular">{formatNumber(b.used)}</span>,
      },
      {
        id: 'note',
        header: t('vouchers.columns.note'),
        cell: (b) => <Text size="sm" truncate>{`${b.routerName}${b.note ? ` · ${b.note}` : ''}`}</Text>,
      },
      {
        id: 'actions',
        header: '',
        width: 110,
        cell: (b) => (
          <Group gap={4} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
            <Tooltip label={t('vouchers.tabs.vouchers')}>
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => onOpen(b)}
                aria-label={t('vouchers.tabs.vouchers')}
              >
                <IconListDetails size={16} />
              </Button>
            </Tooltip>
            {can('vouchers.print') && (
              <Tooltip label={t('vouchers.actions.print')}>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => onPrint(b)}
                  aria-label={t('vouchers.actions.print')}
                  data-testid={`print-batch-${b.code}`}
                >
                  <IconPrinter size={16} />
                </Button>
              </Tooltip>
            )}
            {can('vouchers.manage') && b.failed > 0 && (
              <Tooltip label={t('vouchers.actions.retry')}>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="orange"
                  onClick={() => retry.mutate({ batchId: b.id })}
                  aria-label={t('vouchers.actions.retry')}
                >
                  <IconRefresh size={16} />
                </Button>
              </Tooltip>
            )}
          </Group>
        ),
      },
    ],
    [t, can, onOpen, onPrint, retry],
  );
  return (
    <DataTable
      testId="batch-table"
      queryKey={['vouchers.batches.list']}
      columns={columns}
      fetchPage={(req) => rpc('vouchers.batches.list', req)}
      getRowId={(b) => b.id}
      onRowClick={onOpen}
      height="calc(100vh - 360px)"
    />
  );
}
