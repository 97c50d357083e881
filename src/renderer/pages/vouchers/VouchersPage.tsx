import { Button, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconCash,
  IconChartBar,
  IconListDetails,
  IconPlus,
  IconStack2,
  IconTicket,
  IconUserCheck,
  IconWifi,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatNumber, formatRupiah } from '../../../shared/money';
import type { VoucherBatch } from '../../../shared/contract/vouchers';
import { onEvent, rpc } from '../../api/client';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { RoutedTabs } from '../../components/RoutedTabs';
import { BatchesPanel } from './BatchesPanel';
import { CreateBatchModal } from './CreateBatchModal';
import { PrintModal, type PrintTarget } from './PrintModal';
import { ProfilesPanel } from './ProfilesPanel';
import { SalesPanel } from './SalesPanel';
import { VoucherListPanel } from './VoucherListPanel';

function Stat({
  label,
  value,
  icon,
  color,
}: {
  label: string;
  value: string;
  icon: ReactNode;
  color: string;
}) {
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fw={700} size="xl" mt={4} className="tabular">
            {value}
          </Text>
        </div>
        <ThemeIcon variant="light" size={38} radius="md" color={color}>
          {icon}
        </ThemeIcon>
      </Group>
    </Paper>
  );
}

/** Live refresh: first logins, syncs and pushes change the lists while the operator watches. */
function useVouchersLive(): void {
  const qc = useQueryClient();
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        for (const k of ['vouchers.list', 'vouchers.stats', 'vouchers.batches.list', 'vouchers.sales.report'])
          void qc.invalidateQueries({ queryKey: [k] });
      }, 300);
    };
    const off1 = onEvent('vouchers.changed', refresh);
    const off2 = onEvent('vouchers.batchProgress', refresh);
    return () => {
      off1();
      off2();
      if (pending) clearTimeout(pending);
    };
  }, [qc]);
}

export function VouchersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  useVouchersLive();
  const stats = useRpcQuery('vouchers.stats', {});
  const settings = useRpcQuery('settings.get', {});
  const [creating, setCreating] = useState(false);
  const [printTarget, setPrintTarget] = useState<PrintTarget | null>(null);
  const [batch, setBatch] = useState<{ id: string; code: string } | null>(null);

  const printBatch = useCallback(
    async (b: { batchId: string; code: string; count: number }) => {
      const sample = await rpc('vouchers.list', {
        batchId: b.batchId,
        offset: 0,
        limit: 6,
        sort: { field: 'username', dir: 'asc' },
      });
      setPrintTarget({
        batchId: b.batchId,
        count: sample.total || b.count,
        sample: sample.rows,
        ...(settings.data ? { officeName: settings.data.officeName } : {}),
      });
    },
    [settings.data],
  );
  const openBatch = useCallback(
    (b: VoucherBatch) => {
      setBatch({ id: b.id, code: b.code });
      navigate('/vouchers');
    },
    [navigate],
  );
  const s = stats.data;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('vouchers.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('vouchers.subtitle')}
          </Text>
        </div>
        {can('vouchers.manage') && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setCreating(true)}
            data-testid="new-batch"
          >
            {t('vouchers.actions.newBatch')}
          </Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat
          label={t('vouchers.stats.unused')}
          value={formatNumber(s?.unused ?? 0)}
          icon={<IconTicket size={20} />}
          color="gray"
        />
        <Stat
          label={t('vouchers.stats.active')}
          value={formatNumber(s?.active ?? 0)}
          icon={<IconWifi size={20} />}
          color="teal"
        />
        <Stat
          label={t('vouchers.stats.salesToday')}
          value={formatNumber(s?.salesToday ?? 0)}
          icon={<IconUserCheck size={20} />}
          color="blue"
        />
        <Stat
          label={t('vouchers.stats.revenueToday')}
          value={formatRupiah(s?.revenueToday ?? 0)}
          icon={<IconCash size={20} />}
          color="green"
        />
      </SimpleGrid>
      <RoutedTabs
        basePath="/vouchers"
        tabs={[
          {
            value: 'list',
            label: t('vouchers.tabs.vouchers'),
            icon: <IconListDetails size={16} />,
            content: (
              <VoucherListPanel batch={batch} onClearBatch={() => setBatch(null)} onPrint={setPrintTarget} />
            ),
          },
          {
            value: 'batches',
            label: t('vouchers.tabs.batches'),
            icon: <IconStack2 size={16} />,
            testId: 'tab-batches',
            content: (
              <BatchesPanel
                onOpen={openBatch}
                onPrint={(b) => void printBatch({ batchId: b.id, code: b.code, count: b.count })}
              />
            ),
          },
          {
            value: 'profiles',
            label: t('vouchers.tabs.profiles'),
            icon: <IconTicket size={16} />,
            testId: 'tab-profiles',
            content: <ProfilesPanel />,
          },
          {
            value: 'sales',
            label: t('vouchers.tabs.sales'),
            icon: <IconChartBar size={16} />,
            testId: 'tab-sales',
            hidden: !can('reports.view'),
            content: <SalesPanel />,
          },
        ]}
      />
      <CreateBatchModal
        opened={creating}
        onClose={() => setCreating(false)}
        onPrint={(b) => void printBatch(b)}
      />
      <PrintModal target={printTarget} onClose={() => setPrintTarget(null)} />
    </Stack>
  );
}
