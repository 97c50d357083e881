import { Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRpcQuery } from '../../api/hooks';
import { auditActionColor, useAuditActionLabel } from '../../i18n/audit-actions';
import { fmt } from '../../lib/format';
import { CardSkeleton, DashCard, EmptyNote, live } from './common';

/** "5 menit lalu" for the last day, the office date and time after that. */
export function relativeTime(at: number, now: number, lang: string): string {
  const s = Math.round((at - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang === 'en' ? 'en' : 'id', { numeric: 'auto' });
  if (Math.abs(s) < 60) return rtf.format(0, 'second');
  if (Math.abs(s) < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86_400) return rtf.format(Math.round(s / 3600), 'hour');
  return fmt.dateTime(at);
}

export function ActivityCard({ now }: { now: number }) {
  const { t, i18n } = useTranslation();
  const label = useAuditActionLabel();
  const q = useRpcQuery('audit.list', { offset: 0, limit: 7 }, live);
  return (
    <DashCard
      title={t('dashboard.recentActivity')}
      icon={<IconHistory size={20} />}
      color="gray"
      link="/settings/audit"
      linkLabel={t('dashboard.activity.all')}
      testId="dash-activity"
      linkAtBottom
    >
      {!q.data ? (
        <CardSkeleton rows={6} />
      ) : q.data.rows.length === 0 ? (
        <EmptyNote icon={<IconHistory size={22} />} title={t('dashboard.activity.empty')} />
      ) : (
        <Stack gap={10}>
          {q.data.rows.map((r) => (
            <Group key={r.id} gap="sm" wrap="nowrap" align="flex-start" data-testid="dash-activity-row">
              <ThemeIcon size={10} radius="xl" color={auditActionColor(r.action)} mt={6} />
              <div style={{ minWidth: 0, flex: 1 }}>
                <Text size="sm" fw={500} truncate title={r.action}>
                  {label(r.action)}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {r.actorName ?? t('audit.system')} · {relativeTime(r.at, now, i18n.language)}
                </Text>
              </div>
            </Group>
          ))}
        </Stack>
      )}
    </DashCard>
  );
}
