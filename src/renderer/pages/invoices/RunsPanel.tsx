import { Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';

const JOBS = ['invoices', 'overdue', 'isolation'] as const;

/** The scheduled jobs: last run and result of each, a "run now", and the recent history. */
export function RunsPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const runs = useRpcQuery('billing.runs.list', { limit: 50 });
  const settings = useRpcQuery('billing.settings.get', {});
  const start = useRpcMutation('billing.runs.start', {
    invalidate: ['billing.runs.list', 'invoices.list', 'billing.summary', 'customers.list'],
  });
  const describe = (r: Record<string, number> | null) =>
    r
      ? Object.entries(r)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${v} ${t(`billing.runs.keys.${k}`, { defaultValue: k })}`)
          .join(' · ') || '—'
      : '—';
  // The core records who started a run in Indonesian ("jadwal", "susulan", "manual: <name>"); show it in the UI language.
  const triggerLabel = (trigger: string) => {
    if (trigger === 'jadwal') return t('billing.runs.triggers.schedule');
    if (trigger === 'susulan') return t('billing.runs.triggers.catchUp');
    if (trigger.startsWith('manual: ')) return t('billing.runs.triggers.manual', { name: trigger.slice(8) });
    return trigger;
  };
  const at = {
    invoices: settings.data?.invoiceRunAt,
    overdue: settings.data?.isolationRunAt,
    isolation: settings.data?.isolationRunAt,
  };
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('billing.runs.text')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {JOBS.map((job) => {
          const last = runs.data?.find((r) => r.job === job);
          return (
            <Card withBorder key={job} data-testid={`run-card-${job}`}>
              <Group justify="space-between">
                <Title order={5}>{t(`billing.runs.job.${job}`)}</Title>
                {at[job] && <Badge variant="light">{at[job]}</Badge>}
              </Group>
              <Text size="sm" c="dimmed" mt="xs">
                {t('billing.runs.lastRun')}: {last ? fmt.dateTime(last.startedAt) : t('billing.runs.never')}
              </Text>
              {last && (
                <Group gap="xs" mt={4}>
                  <Badge color={last.ok === null ? 'blue' : last.ok ? 'teal' : 'red'} variant="light">
                    {last.ok === null
                      ? t('billing.runs.running')
                      : last.ok
                        ? t('billing.runs.ok')
                        : t('billing.runs.failed')}
                  </Badge>
                  <Text size="sm">{last.error ?? describe(last.result)}</Text>
                </Group>
              )}
              {can('billing.manage') && (
                <Button
                  mt="md"
                  variant="light"
                  size="xs"
                  leftSection={<IconPlayerPlay size={14} />}
                  loading={start.isPending && start.variables.job === job}
                  onClick={() => start.mutate({ job })}
                  data-testid={`run-${job}`}
                >
                  {t('billing.runs.runNow')}
                </Button>
              )}
            </Card>
          );
        })}
      </SimpleGrid>
      <Paper withBorder>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('billing.runs.started')}</Table.Th>
              <Table.Th>{t('billing.runs.title')}</Table.Th>
              <Table.Th>{t('billing.runs.result')}</Table.Th>
              <Table.Th>{t('billing.runs.trigger')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(runs.data ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{fmt.dateTime(r.startedAt)}</Table.Td>
                <Table.Td>{t(`billing.runs.job.${r.job}`)}</Table.Td>
                <Table.Td c={r.ok === false ? 'red.7' : undefined}>{r.error ?? describe(r.result)}</Table.Td>
                <Table.Td>{triggerLabel(r.trigger)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
