import { Sparkline } from '@mantine/charts';
import { Alert, Badge, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconBrandWhatsapp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../shared/money';
import { formatPhone } from '../../../shared/phone';
import { useRpcQuery } from '../../api/hooks';
import { SESSION_COLOR } from '../whatsapp/labels';
import { CardSkeleton, DashCard, Figure, live } from './common';

export function WhatsAppCard() {
  const { t } = useTranslation();
  const status = useRpcQuery('whatsapp.status', {}, live);
  const stats = useRpcQuery('whatsapp.messages.stats', {}, live);
  const s = status.data;
  const q = stats.data;
  const pending = q ? (q.counts.pending ?? 0) + (q.counts.sending ?? 0) : 0;
  const failed = q ? (q.counts.failed ?? 0) + (q.counts.unknown ?? 0) : 0;
  return (
    <DashCard
      title="WhatsApp"
      icon={<IconBrandWhatsapp size={20} />}
      color="green"
      link="/whatsapp"
      linkLabel={t('dashboard.whatsapp.all')}
      testId="dash-whatsapp"
      linkAtBottom
      extra={
        s && (
          <Badge color={SESSION_COLOR[s.status]} variant="light" tt="none" data-testid="dash-wa-status">
            {t(`whatsapp.status.${s.status}`)}
          </Badge>
        )
      }
    >
      {!s || !q ? (
        <CardSkeleton rows={4} />
      ) : (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {s.phone
              ? t('dashboard.whatsapp.linked', { phone: formatPhone(s.phone) })
              : t('dashboard.whatsapp.notLinked')}
          </Text>
          {q.alert && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} />}
              p="xs"
              data-testid="dash-wa-alert"
            >
              {t('dashboard.whatsapp.alert', { count: q.failedStreak })}
            </Alert>
          )}
          {!q.alert && s.status !== 'connected' && s.reason && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} p="xs">
              {s.reason}
            </Alert>
          )}
          <SimpleGrid cols={3} spacing="sm">
            <Figure
              label={t('dashboard.whatsapp.queued')}
              value={formatNumber(pending)}
              testId="dash-wa-queued"
            />
            <Figure
              label={t('dashboard.whatsapp.failed')}
              value={formatNumber(failed)}
              color={failed > 0 ? 'red' : undefined}
              testId="dash-wa-failed"
            />
            <Figure
              label={t('dashboard.whatsapp.sentToday')}
              value={formatNumber(q.sentToday)}
              color="teal"
              testId="dash-wa-sent"
            />
          </SimpleGrid>
          <div>
            <Group justify="space-between" mb={4}>
              <Text size="xs" c="dimmed">
                {t('dashboard.whatsapp.cap')}
              </Text>
              <Text size="xs" c="dimmed" className="tabular">
                {formatNumber(q.sentToday)} / {formatNumber(q.dailyCapToday)}
              </Text>
            </Group>
            <Progress
              value={q.dailyCapToday > 0 ? Math.min(100, (q.sentToday / q.dailyCapToday) * 100) : 0}
              color="green"
              size="sm"
              radius="xl"
            />
          </div>
          {q.hourly.some((h) => h.sent > 0) && (
            <div>
              <Text size="xs" c="dimmed" mb={4}>
                {t('dashboard.whatsapp.hourly')}
              </Text>
              <Sparkline
                h={44}
                data={q.hourly.map((h) => h.sent)}
                curveType="monotone"
                color="green"
                fillOpacity={0.3}
                strokeWidth={1.5}
              />
            </div>
          )}
        </Stack>
      )}
    </DashCard>
  );
}
