import { Badge, Code, Drawer, Group, ScrollArea, Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/contract/system';
import { rpc } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import {
  AUDIT_ACTIONS,
  auditActionColor,
  auditObjectLabel,
  useAuditActionLabel,
} from '../../i18n/audit-actions';
import { fmt } from '../../lib/format';

/** Filter groups follow the first part of the action code (auth, payments, vouchers…). */
const GROUPS: { prefix: string[]; key: string }[] = [
  { prefix: ['auth', 'staff', 'settings'], key: 'office' },
  {
    prefix: ['routers', 'routerJobs', 'reconcile', 'monitor', 'hotspotProfiles', 'pppProfiles', 'pppSecrets'],
    key: 'routers',
  },
  { prefix: ['vouchers'], key: 'vouchers' },
  {
    prefix: ['billing', 'packages', 'customers', 'subscriptions', 'isolation', 'invoices', 'payments'],
    key: 'billing',
  },
  { prefix: ['whatsapp'], key: 'whatsapp' },
];

export function ActionBadge({ action }: { action: string }) {
  const label = useAuditActionLabel();
  return (
    <Badge
      variant="light"
      tt="none"
      color={auditActionColor(action)}
      title={action}
      style={{ maxWidth: '100%' }}
    >
      {label(action)}
    </Badge>
  );
}

export function AuditPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const label = useAuditActionLabel();
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const actionOptions = useMemo(
    () =>
      GROUPS.map((g) => ({
        group: t(`audit.groups.${g.key}`),
        items: Object.keys(AUDIT_ACTIONS)
          .filter((a) => g.prefix.includes(a.split('.')[0] ?? ''))
          .map((a) => ({ value: a, label: label(a) }))
          .sort((x, y) => x.label.localeCompare(y.label)),
      })),
    [t, label],
  );
  const columns = useMemo<Column<AuditEntry>[]>(
    () => [
      {
        id: 'at',
        header: t('audit.at'),
        width: 170,
        sortable: true,
        cell: (r) => <span className="tabular">{fmt.dateTime(r.at)}</span>,
      },
      {
        id: 'actorName',
        header: t('audit.actor'),
        width: 180,
        sortable: true,
        cell: (r) => r.actorName ?? t('audit.system'),
      },
      {
        id: 'action',
        header: t('audit.action'),
        width: 260,
        sortable: true,
        cell: (r) => <ActionBadge action={r.action} />,
      },
      {
        id: 'entity',
        header: t('audit.entity'),
        cell: (r) => (
          <Text size="sm" truncate="end" title={r.entityId ?? undefined}>
            {auditObjectLabel(r, lang)}
          </Text>
        ),
      },
      {
        id: 'via',
        header: t('audit.via'),
        width: 110,
        cell: (r) => (r.via ? t(`audit.vias.${r.via}`, { defaultValue: r.via }) : ''),
      },
    ],
    [t, lang],
  );
  return (
    <>
      <DataTable
        testId="audit-table"
        queryKey={['audit.list', { action }]}
        columns={columns}
        fetchPage={(req) => rpc('audit.list', { ...req, ...(action ? { action } : {}) })}
        getRowId={(r) => r.id}
        onRowClick={setSelected}
        initialSort={{ id: 'at', desc: true }}
        toolbar={
          <Select
            data-testid="audit-action-filter"
            aria-label={t('audit.filterAction')}
            placeholder={t('audit.allActions')}
            data={actionOptions}
            value={action}
            onChange={setAction}
            searchable
            clearable
            nothingFoundMessage={t('audit.noAction')}
            w={260}
            comboboxProps={{ width: 320 }}
          />
        }
      />
      <Drawer
        opened={!!selected}
        onClose={() => setSelected(null)}
        title={t('audit.detail')}
        position="right"
        size="lg"
      >
        {selected && (
          <Stack>
            <Group gap="xs">
              <Text size="sm">
                {fmt.dateTime(selected.at)} · {selected.actorName ?? t('audit.system')}
              </Text>
              <ActionBadge action={selected.action} />
              <Code>{selected.action}</Code>
            </Group>
            <ScrollArea>
              <Code block>{JSON.stringify({ before: selected.before, after: selected.after }, null, 2)}</Code>
            </ScrollArea>
          </Stack>
        )}
      </Drawer>
    </>
  );
}
