import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlarm, IconCash, IconCircleCheck, IconCreditCard } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { officeDate } from '../../../shared/dates';
import { useRpcQuery } from '../../api/hooks';
import { fmt } from '../../lib/format';
import { relativeTime } from './ActivityCard';
import { CardSkeleton, DashCard, EmptyNote, daysBetween, live } from './common';

const rowBorder = (i: number) =>
  i > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined;

/** The unpaid invoices longest past their due date: who to call first this morning. */
export function OverdueCard({ now }: { now: number }) {
  const { t } = useTranslation();
  const q = useRpcQuery(
    'invoices.list',
    { offset: 0, limit: 5, status: 'unpaid', overdue: true, sort: { field: 'dueDate', dir: 'asc' } },
    live,
  );
  const today = officeDate(now, fmt.tz());
  return (
    <DashCard
      title={t('dashboard.overdue.title')}
      icon={<IconAlarm size={20} />}
      color="red"
      link="/invoices"
      linkLabel={t('dashboard.overdue.all')}
      testId="dash-overdue"
      linkAtBottom
      extra={
        q.data && q.data.total > 0 ? (
          <Badge color="red" variant="light" className="tabular">
            {q.data.total}
          </Badge>
        ) : undefined
      }
    >
      {!q.data ? (
        <CardSkeleton rows={5} />
      ) : q.data.rows.length === 0 ? (
        <EmptyNote
          icon={<IconCircleCheck size={22} />}
          title={t('dashboard.overdue.emptyTitle')}
          text={t('dashboard.overdue.emptyText')}
        />
      ) : (
        <Stack gap={0}>
          {q.data.rows.map((inv, i) => {
            const late = Math.max(1, daysBetween(inv.dueDate, today));
            return (
              <Group
                key={inv.id}
                justify="space-between"
                wrap="nowrap"
                py={8}
                style={rowBorder(i)}
                data-testid="dash-overdue-row"
              >
                <div style={{ minWidth: 0 }}>
                  <Text
                    size="sm"
                    fw={600}
                    truncate
                    component={Link}
                    to={`/customers/${inv.customerId}`}
                    style={{ color: 'inherit', display: 'block' }}
                  >
                    {inv.customerName}
                  </Text>
                  <Text size="xs" c="dimmed" truncate>
                    {inv.number}
                  </Text>
                </div>
                <Stack gap={2} align="flex-end">
                  <Text size="sm" fw={700} className="tabular" style={{ whiteSpace: 'nowrap' }}>
                    {fmt.rupiah(inv.balanceDue)}
                  </Text>
                  <Badge
                    size="xs"
                    color={late > 14 ? 'red' : 'orange'}
                    variant="light"
                    tt="none"
                    title={t('dashboard.overdue.due', { date: fmtOfficeDate(inv.dueDate) })}
                  >
                    {t('dashboard.overdue.late', { count: late })}
                  </Badge>
                </Stack>
              </Group>
            );
          })}
        </Stack>
      )}
    </DashCard>
  );
}

/** `2025-05-10` → `10 Mei 2025` (an office date, no zone shift). */
function fmtOfficeDate(date: string): string {
  return fmt.date(Date.parse(`${date}T12:00:00Z`));
}

export function PaymentsCard({ now }: { now: number }) {
  const { t, i18n } = useTranslation();
  const q = useRpcQuery('payments.list', { offset: 0, limit: 5 }, live);
  return (
    <DashCard
      title={t('dashboard.payments.title')}
      icon={<IconCreditCard size={20} />}
      color="teal"
      link="/payments"
      linkLabel={t('dashboard.payments.all')}
      testId="dash-payments"
      linkAtBottom
    >
      {!q.data ? (
        <CardSkeleton rows={5} />
      ) : q.data.rows.length === 0 ? (
        <EmptyNote
          icon={<IconCash size={22} />}
          title={t('dashboard.payments.emptyTitle')}
          text={t('dashboard.payments.emptyText')}
        />
      ) : (
        <Stack gap={0}>
          {q.data.rows.map((p, i) => (
            <Group
              key={p.id}
              justify="space-between"
              wrap="nowrap"
              py={8}
              style={rowBorder(i)}
              data-testid="dash-payment-row"
            >
              <div style={{ minWidth: 0 }}>
                <Text
                  size="sm"
                  fw={600}
                  truncate
                  component={Link}
                  to={`/customers/${p.customerId}`}
                  style={{ color: 'inherit', display: 'block' }}
                >
                  {p.customerName}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {relativeTime(p.paidAt, now, i18n.language)} · {t(`dashboard.payments.${p.method}`)}
                </Text>
              </div>
              <Stack gap={2} align="flex-end">
                <Text
                  size="sm"
                  fw={700}
                  className="tabular"
                  td={p.reversed ? 'line-through' : undefined}
                  c={p.reversed ? 'dimmed' : 'teal'}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {fmt.rupiah(p.amount)}
                </Text>
                {p.reversed && (
                  <Badge size="xs" variant="light" color="red" tt="none">
                    {t('dashboard.payments.reversed')}
                  </Badge>
                )}
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
    </DashCard>
  );
}
