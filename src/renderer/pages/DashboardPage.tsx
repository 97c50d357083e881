import { Grid, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useRpcQuery } from '../api/hooks';
import { useAuth } from '../auth/AuthProvider';
import { ActivityCard } from './dashboard/ActivityCard';
import { AttentionCard } from './dashboard/AttentionCard';
import { BillingCard } from './dashboard/BillingCard';
import { OfficeClock, officeHour, useOfficeNow } from './dashboard/clock';
import { useDashboardLive } from './dashboard/common';
import { GettingStarted } from './dashboard/GettingStarted';
import { Kpis } from './dashboard/Kpis';
import { OverdueCard, PaymentsCard } from './dashboard/MoneyLists';
import { RoutersCard } from './dashboard/RoutersCard';
import { VouchersCard } from './dashboard/VouchersCard';
import { WhatsAppCard } from './dashboard/WhatsAppCard';

function greetingKey(hour: number): string {
  if (hour >= 4 && hour < 11) return 'morning';
  if (hour >= 11 && hour < 15) return 'noon';
  if (hour >= 15 && hour < 18) return 'afternoon';
  return 'evening';
}

/**
 * The morning overview. Every card shows only when the role may call its method, so owners, cashiers and
 * technicians each get a dashboard that fits their work; money leads for those who handle it, routers for
 * technicians.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const settings = useRpcQuery('settings.get', {});
  const now = useOfficeNow();

  return (
    <Stack gap="lg" data-testid="dashboard">
      <Group justify="space-between" align="center" wrap="wrap" gap="md">
        <div>
          <Title order={2}>
            {t(`dashboard.greeting.${greetingKey(officeHour(now))}`, {
              name: user?.fullName.split(' ')[0] ?? '',
            })}
          </Title>
          <Text c="dimmed">
            {t('dashboard.subtitle', {
              office: settings.data?.officeName ?? '',
              role: user ? t(`roles.${user.role}`) : '',
            })}
          </Text>
        </div>
        <OfficeClock now={now} />
      </Group>
      {!settings.data ? (
        // Dates and periods are the office's: wait for its time zone before asking for "today".
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={96} radius="md" />
          ))}
        </SimpleGrid>
      ) : (
        <DashboardCards now={now} />
      )}
    </Stack>
  );
}

function DashboardCards({ now }: { now: number }) {
  const { can } = useAuth();
  useDashboardLive();
  const money = can('billing.view');
  const main: ReactNode[] = [];
  const side: ReactNode[] = [];
  if (money) main.push(<BillingCard key="billing" />);
  else if (can('routers.view')) main.push(<RoutersCard key="routers" />);
  if (can('vouchers.view')) main.push(<VouchersCard key="vouchers" now={now} />);
  if (money) {
    main.push(
      <SimpleGrid key="money" cols={{ base: 1, md: 2 }}>
        <OverdueCard now={now} />
        <PaymentsCard now={now} />
      </SimpleGrid>,
    );
  }
  side.push(<AttentionCard key="attention" />);
  if (can('settings.manage')) side.push(<GettingStarted key="start" />);
  if (money && can('routers.view')) side.push(<RoutersCard key="routers" />);
  if (can('whatsapp.view')) side.push(<WhatsAppCard key="wa" />);
  if (can('audit.view')) side.push(<ActivityCard key="activity" now={now} />);
  return (
    <>
      <Kpis />
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: main.length > 0 ? 8 : 12 }}>
          <Stack gap="lg">{main}</Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: main.length > 0 ? 4 : 12 }}>
          <Stack gap="lg">{side}</Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
