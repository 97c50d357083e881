import { Anchor, Group, Progress, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconRocket } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { DashCard, live } from './common';

interface Step {
  key: string;
  to: string;
  done: boolean | undefined;
}

/**
 * The first-week checklist for whoever sets the office up (settings.manage). Each step ticks itself from the
 * real data; steps the user cannot check are left out; the card goes away once everything is done.
 */
export function GettingStarted() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const settings = useRpcQuery('settings.get', {});
  const staff = useRpcQuery('staff.list', {}, { ...live, enabled: can('staff.view') });
  const routers = useRpcQuery('routers.list', {}, { ...live, enabled: can('routers.view') });
  const packages = useRpcQuery(
    'packages.list',
    { includeInactive: true },
    { ...live, enabled: can('customers.view') },
  );
  const customers = useRpcQuery(
    'customers.list',
    { offset: 0, limit: 1 },
    { ...live, enabled: can('customers.view') },
  );
  const profiles = useRpcQuery('vouchers.profiles.list', {}, { ...live, enabled: can('vouchers.view') });
  const wa = useRpcQuery('whatsapp.status', {}, { ...live, enabled: can('whatsapp.view') });
  const s = settings.data;
  const steps: Step[] = [
    { key: 'office', to: '/settings', done: s && s.address.trim() !== '' && s.phone.trim() !== '' },
    { key: 'bank', to: '/settings/bank', done: s && s.bankAccounts.length > 0 },
    ...(can('staff.view')
      ? [
          {
            key: 'staff',
            to: '/settings/staff',
            done: staff.data && staff.data.filter((u) => u.active).length > 1,
          },
        ]
      : []),
    ...(can('routers.view')
      ? [{ key: 'router', to: '/routers', done: routers.data && routers.data.length > 0 }]
      : []),
    ...(can('customers.view')
      ? [{ key: 'package', to: '/subscriptions/packages', done: packages.data && packages.data.length > 0 }]
      : []),
    ...(can('customers.view')
      ? [{ key: 'customer', to: '/customers', done: customers.data && customers.data.total > 0 }]
      : []),
    ...(can('vouchers.view')
      ? [{ key: 'voucher', to: '/vouchers/profiles', done: profiles.data && profiles.data.length > 0 }]
      : []),
    ...(can('whatsapp.view')
      ? [{ key: 'whatsapp', to: '/whatsapp', done: wa.data && wa.data.phone !== null }]
      : []),
  ];
  // Wait until every step is known, so the card neither flashes in nor lists a done step as open.
  if (steps.some((st) => st.done === undefined)) return null;
  const done = steps.filter((st) => st.done).length;
  if (done === steps.length) return null;
  return (
    <DashCard
      title={t('dashboard.gettingStarted')}
      icon={<IconRocket size={20} />}
      color="blue"
      testId="dash-getting-started"
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('dashboard.steps.progress', { done, total: steps.length })}
          </Text>
        </Group>
        <Progress value={(done / steps.length) * 100} size="sm" radius="xl" />
        <Stack gap={8} mt={4}>
          {steps.map((st) => (
            <Group
              key={st.key}
              gap="sm"
              wrap="nowrap"
              data-testid={`step-${st.key}`}
              data-done={st.done ? 'true' : 'false'}
            >
              <ThemeIcon
                size={22}
                radius="xl"
                variant={st.done ? 'filled' : 'light'}
                color={st.done ? 'teal' : 'gray'}
              >
                {st.done ? <IconCircleCheck size={14} /> : <IconCircleDashed size={14} />}
              </ThemeIcon>
              {st.done ? (
                <Text size="sm" c="dimmed" td="line-through">
                  {t(`dashboard.steps.${st.key}`)}
                </Text>
              ) : (
                <Anchor component={Link} to={st.to} size="sm" fw={500}>
                  {t(`dashboard.steps.${st.key}`)}
                </Anchor>
              )}
            </Group>
          ))}
        </Stack>
      </Stack>
    </DashCard>
  );
}
