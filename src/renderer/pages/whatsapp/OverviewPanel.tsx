import { BarChart } from '@mantine/charts';
import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Image,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import {
  IconAlertTriangle,
  IconBrandWhatsapp,
  IconClockHour4,
  IconPlugConnected,
  IconQrcode,
  IconSend,
  IconX,
  IconHelpCircle,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../shared/phone';
import { formatNumber } from '../../../shared/money';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { SESSION_COLOR } from './labels';

function Stat({
  label,
  value,
  hint,
  icon,
  color,
}: {
  label: string;
  value: string;
  hint?: string;
  icon: React.ReactNode;
  color?: string;
}) {
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fw={700} size="xl" mt={4} className="tabular" truncate>
            {value}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </div>
        <ThemeIcon variant="light" size={38} radius="md" color={color}>
          {icon}
        </ThemeIcon>
      </Group>
    </Paper>
  );
}

function SessionCard() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const status = useRpcQuery('whatsapp.status', {});
  const link = useRpcMutation('whatsapp.link', { invalidate: ['whatsapp.status'] });
  const reconnect = useRpcMutation('whatsapp.reconnect', { invalidate: ['whatsapp.status'] });
  const logout = useRpcMutation('whatsapp.logout', { invalidate: ['whatsapp.status'] });
  const [phone, setPhone] = useState('');
  const s = status.data;
  if (!s) {
    return (
      <Card withBorder>
        <Center h={200}>
          <Loader />
        </Center>
      </Card>
    );
  }
  const linking = s.status === 'connecting' && (s.qr || s.pairingCode);
  const manage = can('whatsapp.manage');
  return (
    <Card withBorder padding="lg" data-testid="wa-session">
      <Group justify="space-between" mb="md">
        <Group gap="sm">
          <ThemeIcon size={42} radius="xl" color={SESSION_COLOR[s.status]} variant="light">
            <IconBrandWhatsapp size={26} />
          </ThemeIcon>
          <div>
            <Title order={4}>{t('whatsapp.session.title')}</Title>
            <Text size="sm" c="dimmed">
              {s.phone ? formatPhone(s.phone) : t('whatsapp.session.notLinkedHelp')}
            </Text>
          </div>
        </Group>
        <Badge size="lg" color={SESSION_COLOR[s.status]} variant="light" data-testid="wa-status">
          {t(`whatsapp.status.${s.status}`)}
        </Badge>
      </Group>
      {s.reason && s.status !== 'connected' && (
        <Alert
          color={s.status === 'logged_out' ? 'gray' : 'orange'}
          variant="light"
          mb="md"
          icon={<IconAlertTriangle size={18} />}
        >
          {s.reason}
          {s.reconnectAt && (
            <Text size="sm">{t('whatsapp.session.reconnectAt', { time: fmt.dateTime(s.reconnectAt) })}</Text>
          )}
        </Alert>
      )}
      {linking ? (
        <Group align="flex-start" wrap="nowrap" gap="xl">
          {s.qr ? (
            <Paper withBorder p="xs" radius="md" bg="white">
              <Image src={s.qr} w={240} h={240} alt="QR" data-testid="wa-qr" />
            </Paper>
          ) : (
            <Paper withBorder p="lg" radius="md">
              <Text ff="monospace" fz={34} fw={700} lts={4} data-testid="wa-pairing-code">
                {s.pairingCode}
              </Text>
            </Paper>
          )}
          <Stack gap="xs" maw={360}>
            <Title order={5}>
              {s.qr ? t('whatsapp.session.scanTitle') : t('whatsapp.session.pairingTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {s.qr ? t('whatsapp.session.scanSteps') : t('whatsapp.session.pairingSteps')}
            </Text>
            <Group gap="xs" mt="xs">
              <Loader size="xs" />
              <Text size="xs" c="dimmed">
                {t('whatsapp.session.waiting')}
              </Text>
            </Group>
          </Stack>
        </Group>
      ) : s.status === 'connected' ? (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <div>
            <Text size="xs" c="dimmed">
              {t('whatsapp.session.number')}
            </Text>
            <Text fw={600} className="tabular">
              {s.phone ? formatPhone(s.phone) : '—'}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('whatsapp.session.linkedAt')}
            </Text>
            <Text fw={600}>{s.linkedAt ? fmt.dateTime(s.linkedAt) : '—'}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('whatsapp.session.lastConnected')}
            </Text>
            <Text fw={600}>{s.lastConnectedAt ? fmt.dateTime(s.lastConnectedAt) : '—'}</Text>
          </div>
        </SimpleGrid>
      ) : (
        manage && (
          <Stack>
            <Button
              leftSection={<IconQrcode size={18} />}
              onClick={() => link.mutate({ method: 'qr' })}
              loading={link.isPending}
              w="fit-content"
              data-testid="wa-link-qr"
            >
              {t('whatsapp.session.linkQr')}
            </Button>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                link.mutate({ method: 'pairing', phone });
              }}
            >
              <Group align="flex-end">
                <TextInput
                  label={t('whatsapp.session.pairingPhone')}
                  description={t('whatsapp.session.pairingPhoneHint')}
                  value={phone}
                  onChange={(e) => setPhone(e.currentTarget.value)}
                  w={300}
                />
                <Button
                  type="submit"
                  variant="default"
                  disabled={phone.trim().length < 6}
                  loading={link.isPending}
                >
                  {t('whatsapp.session.getCode')}
                </Button>
              </Group>
            </form>
          </Stack>
        )
      )}
      {manage && (s.status === 'connected' || (s.status === 'disconnected' && s.phone)) && (
        <Group mt="lg" gap="sm">
          {s.status !== 'connected' && (
            <Button
              variant="light"
              leftSection={<IconPlugConnected size={16} />}
              onClick={() => reconnect.mutate({})}
              loading={reconnect.isPending}
            >
              {t('whatsapp.session.reconnect')}
            </Button>
          )}
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconX size={16} />}
            onClick={() =>
              modals.openConfirmModal({
                title: t('whatsapp.session.logoutConfirmTitle'),
                children: <Text size="sm">{t('whatsapp.session.logoutConfirm')}</Text>,
                labels: { confirm: t('whatsapp.session.logout'), cancel: t('whatsapp.session.cancel') },
                confirmProps: { color: 'red' },
                onConfirm: () => logout.mutate({}),
              })
            }
          >
            {t('whatsapp.session.logout')}
          </Button>
        </Group>
      )}
    </Card>
  );
}

export function OverviewPanel() {
  const { t, i18n } = useTranslation();
  const stats = useRpcQuery('whatsapp.messages.stats', {}, { refetchInterval: 60_000 });
  const st = stats.data;
  const hourFmt = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: fmt.tz(),
  });
  const chart = (st?.hourly ?? []).map((h) => ({
    hour: hourFmt.format(h.hour),
    [t('whatsapp.stats.sent')]: h.sent,
    [t('whatsapp.stats.failedSeries')]: h.failed,
  }));
  return (
    <Stack gap="lg">
      {st?.alert && (
        <Alert
          color="red"
          variant="filled"
          icon={<IconAlertTriangle />}
          title={t('whatsapp.stats.alertTitle')}
          data-testid="wa-alert"
        >
          {t('whatsapp.stats.alertBody', { count: st.failedStreak })}
        </Alert>
      )}
      <SessionCard />
      {st && st.waitingConnection > 0 && (
        <Alert color="orange" variant="light" icon={<IconClockHour4 size={18} />}>
          {t('whatsapp.stats.waitingConnection', { count: st.waitingConnection })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Stat
          label={t('whatsapp.stats.pending')}
          value={st ? formatNumber(st.counts.pending + st.counts.sending) : '—'}
          hint={st?.nextDueAt ? `${t('whatsapp.stats.nextDue')}: ${fmt.dateTime(st.nextDueAt)}` : undefined}
          icon={<IconClockHour4 size={20} />}
        />
        <Stat
          label={t('whatsapp.stats.sentToday')}
          value={st ? formatNumber(st.sentToday) : '—'}
          hint={st ? t('whatsapp.stats.cap', { cap: formatNumber(st.dailyCapToday) }) : undefined}
          icon={<IconSend size={20} />}
          color="teal"
        />
        <Stat
          label={t('whatsapp.stats.failed')}
          value={st ? formatNumber(st.counts.failed) : '—'}
          icon={<IconX size={20} />}
          color="red"
        />
        <Stat
          label={t('whatsapp.stats.unknown')}
          value={st ? formatNumber(st.counts.unknown) : '—'}
          icon={<IconHelpCircle size={20} />}
          color="orange"
        />
      </SimpleGrid>
      <Card withBorder padding="lg">
        <Title order={5} mb="md">
          {t('whatsapp.stats.chart')}
        </Title>
        <BarChart
          h={220}
          data={chart}
          dataKey="hour"
          type="stacked"
          series={[
            { name: t('whatsapp.stats.sent'), color: 'teal.6' },
            { name: t('whatsapp.stats.failedSeries'), color: 'red.6' },
          ]}
          tickLine="y"
          gridAxis="y"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
        />
      </Card>
    </Stack>
  );
}
