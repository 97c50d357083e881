import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconScale, IconTool } from '@tabler/icons-react';
import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../shared/money';
import type { DriftKind, DriftReport, RouterView } from '../../../shared/contract/routers';
import { onEvent } from '../../api/client';
import { useRpcMutation } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';

interface Progress {
  batchId: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
}

function Count({ n, color, testId }: { n: number; color: string; testId?: string }) {
  return n === 0 ? (
    <Text c="dimmed" className="tabular" data-testid={testId}>
      0
    </Text>
  ) : (
    <Badge color={color} variant="light" size="lg" className="tabular" data-testid={testId}>
      {formatNumber(n)}
    </Badge>
  );
}

function KindDetails({ k }: { k: DriftKind }) {
  const { t } = useTranslation();
  const more = (shown: number, total: number) =>
    total > shown ? (
      <Text size="xs" c="dimmed">
        {t('routers.reconcile.more', { count: total - shown })}
      </Text>
    ) : null;
  return (
    <Stack gap="xs" p="sm">
      {k.missing.length > 0 && (
        <Text size="sm">
          <b>{t('routers.reconcile.missing')}:</b> {k.missing.map((m) => m.key).join(', ')}
          {more(k.missing.length, k.missingCount)}
        </Text>
      )}
      {k.extra.length > 0 && (
        <Text size="sm">
          <b>{t('routers.reconcile.extra')}:</b>{' '}
          {k.extra
            .map(
              (e) =>
                `${e.key} (${e.managed ? t('routers.reconcile.managed') : t('routers.reconcile.unmanaged')})`,
            )
            .join(', ')}
          {more(k.extra.length, k.extraCount)}
        </Text>
      )}
      {k.different.length > 0 && (
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('routers.reconcile.menu')}</Table.Th>
              <Table.Th>{t('routers.reconcile.field')}</Table.Th>
              <Table.Th>{t('routers.reconcile.wantRukun')}</Table.Th>
              <Table.Th>{t('routers.reconcile.onRouter')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {k.different.flatMap((d) =>
              (d.fields ?? []).map((f) => (
                <Table.Tr key={`${d.key}-${f.field}`}>
                  <Table.Td fw={600}>{d.key}</Table.Td>
                  <Table.Td ff="monospace">{f.field}</Table.Td>
                  <Table.Td c="teal.8">{f.desired || '—'}</Table.Td>
                  <Table.Td c="red.7">{f.actual || '—'}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Drift between Rukun and the router, with repair (through the sync queue) and adoption of a running router. */
export function ReconcilePanel({ router }: { router: RouterView }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [report, setReport] = useState<DriftReport | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [repairing, setRepairing] = useState(false);
  const [adopting, setAdopting] = useState(false);
  const [policy, setPolicy] = useState<{
    pushMissing: boolean;
    fixDifferent: boolean;
    extra: 'report' | 'disable' | 'remove';
  }>({ pushMissing: true, fixDifferent: true, extra: 'report' });
  const [adoptSel, setAdoptSel] = useState({ hotspotProfiles: true, pppProfiles: true, pppSecrets: true });
  const [progress, setProgress] = useState<Progress | null>(null);
  const run = useRpcMutation('reconcile.run');
  const repair = useRpcMutation('reconcile.repair', { invalidate: ['routers.get'] });
  const adopt = useRpcMutation('reconcile.adopt');

  const check = () => run.mutate({ routerId: router.id }, { onSuccess: setReport });
  // Opening the tab is asking the question: read the router at once (one pass, fine for 20,000 rows).
  useEffect(() => {
    if (router.online) run.mutate({ routerId: router.id }, { onSuccess: setReport });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [router.id, router.online]);
  useEffect(
    () =>
      onEvent('routerJobs.progress', (p) => {
        setProgress((cur) => (cur && cur.batchId === p.batchId ? p : cur));
        if (p.pending === 0) setProgress((cur) => (cur && cur.batchId === p.batchId ? p : cur));
      }),
    [],
  );
  useEffect(() => {
    if (progress && progress.pending === 0) run.mutate({ routerId: router.id }, { onSuccess: setReport });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [progress?.pending === 0, progress?.batchId]);

  const doRepair = () =>
    repair.mutate(
      { routerId: router.id, ...policy },
      {
        onSuccess: (r) => {
          setRepairing(false);
          notifications.show({
            color: r.jobs ? 'teal' : 'gray',
            message: r.jobs
              ? t('routers.reconcile.repairQueued', { count: r.jobs })
              : t('routers.reconcile.nothing'),
          });
          if (r.batchId)
            setProgress({ batchId: r.batchId, total: r.jobs, done: 0, failed: 0, pending: r.jobs });
        },
      },
    );
  const doAdopt = () =>
    adopt.mutate(
      { routerId: router.id, ...adoptSel },
      {
        onSuccess: (r) => {
          setAdopting(false);
          const summary = Object.entries(r.adopted)
            .map(([menu, n]) => `${menu} ${n}`)
            .join(', ');
          notifications.show({ color: 'teal', message: t('routers.reconcile.adopted', { summary }) });
          check();
        },
      },
    );
  const drift = report
    ? report.kinds.reduce((n, k) => n + k.missingCount + k.differentCount + k.extraManagedCount, 0)
    : 0;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" align="flex-start">
          <Text size="sm" c="dimmed" maw={620}>
            {t('routers.reconcile.intro')}
          </Text>
          <Group>
            {can('routers.manage') && (
              <Button
                variant="default"
                leftSection={<IconDownload size={16} />}
                onClick={() => setAdopting(true)}
                disabled={!router.online}
                data-testid="adopt-open"
              >
                {t('routers.reconcile.adopt')}
              </Button>
            )}
            {can('routers.manage') && report && drift > 0 && (
              <Button
                variant="light"
                color="orange"
                leftSection={<IconTool size={16} />}
                onClick={() => setRepairing(true)}
                data-testid="repair-open"
              >
                {t('routers.reconcile.repair')}
              </Button>
            )}
            <Button
              leftSection={<IconScale size={16} />}
              onClick={check}
              loading={run.isPending}
              disabled={!router.online}
              data-testid="reconcile-run"
            >
              {t('routers.reconcile.run')}
            </Button>
          </Group>
        </Group>
        {progress && (
          <Stack gap={4} mt="md" data-testid="repair-progress">
            <Progress
              value={progress.total ? ((progress.total - progress.pending) / progress.total) * 100 : 100}
              animated={progress.pending > 0}
              color={progress.failed ? 'orange' : 'teal'}
            />
            <Text size="xs" c="dimmed">
              {t('routers.reconcile.progress', {
                done: progress.total - progress.pending,
                total: progress.total,
              })}
            </Text>
          </Stack>
        )}
      </Card>
      {!report ? (
        <Text c="dimmed">
          {run.isPending ? t('routers.reconcile.checking') : t('routers.reconcile.never')}
        </Text>
      ) : (
        <Card withBorder p={0}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="drift-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('routers.reconcile.menu')}</Table.Th>
                <Table.Th ta="right">{t('routers.reconcile.desired')}</Table.Th>
                <Table.Th ta="right">{t('routers.reconcile.actual')}</Table.Th>
                <Table.Th>{t('routers.reconcile.missing')}</Table.Th>
                <Table.Th>{t('routers.reconcile.extra')}</Table.Th>
                <Table.Th>{t('routers.reconcile.different')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.kinds.map((k) => {
                const clean = k.missingCount + k.differentCount + k.extraCount === 0;
                return (
                  <Fragment key={k.menu}>
                    <Table.Tr data-testid={`drift-${k.menu}`}>
                      <Table.Td>
                        <Text fw={600}>{k.label}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {k.menu}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" className="tabular">
                        {formatNumber(k.desiredCount)}
                      </Table.Td>
                      <Table.Td ta="right" className="tabular">
                        {formatNumber(k.actualCount)}
                      </Table.Td>
                      <Table.Td>
                        <Count n={k.missingCount} color="orange" testId="drift-missing" />
                      </Table.Td>
                      <Table.Td>
                        <Count n={k.extraCount} color="gray" />
                      </Table.Td>
                      <Table.Td>
                        <Count n={k.differentCount} color="red" testId="drift-different" />
                      </Table.Td>
                      <Table.Td>
                        {clean ? (
                          <Badge color="teal" variant="light">
                            {t('routers.reconcile.clean')}
                          </Badge>
                        ) : (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => setOpen(open === k.menu ? null : k.menu)}
                          >
                            {t('routers.reconcile.details')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {open === k.menu && (
                      <Table.Tr>
                        <Table.Td colSpan={7} bg="var(--mantine-color-gray-light)">
                          <KindDetails k={k} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" p="sm">
            {t('routers.reconcile.checkedAt', {
              when: fmt.dateTime(report.at),
              ms: formatNumber(report.durationMs),
            })}
          </Text>
        </Card>
      )}
      <Modal
        opened={repairing}
        onClose={() => setRepairing(false)}
        title={t('routers.reconcile.repairTitle')}
      >
        <Stack>
          <Checkbox
            label={t('routers.reconcile.pushMissing')}
            checked={policy.pushMissing}
            onChange={(e) => setPolicy({ ...policy, pushMissing: e.currentTarget.checked })}
          />
          <Checkbox
            label={t('routers.reconcile.fixDifferent')}
            checked={policy.fixDifferent}
            onChange={(e) => setPolicy({ ...policy, fixDifferent: e.currentTarget.checked })}
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('routers.autoSync.extra')}
            </Text>
            <SegmentedControl
              fullWidth
              data-testid="repair-extra"
              value={policy.extra}
              onChange={(v) => setPolicy({ ...policy, extra: v as typeof policy.extra })}
              data={(['report', 'disable', 'remove'] as const).map((v) => ({
                value: v,
                label: t(`routers.autoSync.policy.extra.${v}`),
              }))}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {t('routers.autoSync.extraHint')}
            </Text>
          </div>
          <Group justify="flex-end">
            <Button variant="subtle" color="gray" onClick={() => setRepairing(false)}>
              {t('routers.form.cancel')}
            </Button>
            <Button onClick={doRepair} loading={repair.isPending} data-testid="repair-confirm">
              {t('routers.reconcile.repair')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={adopting} onClose={() => setAdopting(false)} title={t('routers.reconcile.adoptTitle')}>
        <Stack>
          <Alert color="blue">{t('routers.reconcile.adoptBody')}</Alert>
          <Checkbox
            label={t('routers.reconcile.hotspotProfiles')}
            checked={adoptSel.hotspotProfiles}
            onChange={(e) => setAdoptSel({ ...adoptSel, hotspotProfiles: e.currentTarget.checked })}
          />
          <Checkbox
            label={t('routers.reconcile.pppProfiles')}
            checked={adoptSel.pppProfiles}
            onChange={(e) => setAdoptSel({ ...adoptSel, pppProfiles: e.currentTarget.checked })}
          />
          <Checkbox
            label={t('routers.reconcile.pppSecrets')}
            checked={adoptSel.pppSecrets}
            onChange={(e) => setAdoptSel({ ...adoptSel, pppSecrets: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="subtle" color="gray" onClick={() => setAdopting(false)}>
              {t('routers.form.cancel')}
            </Button>
            <Button
              onClick={doAdopt}
              loading={adopt.isPending}
              disabled={!adoptSel.hotspotProfiles && !adoptSel.pppProfiles && !adoptSel.pppSecrets}
              data-testid="adopt-confirm"
            >
              {t('routers.reconcile.adopt')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
