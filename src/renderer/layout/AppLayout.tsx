import {
  ActionIcon,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Image,
  Menu,
  NavLink,
  ScrollArea,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconKey, IconLogout, IconMoon, IconSun, IconWifi } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useRpcQuery } from '../api/hooks';
import { useAuth } from '../auth/AuthProvider';
import { setLanguage, type Lang } from '../i18n';
import { ChangePasswordModal } from '../pages/ChangePasswordModal';
import { AREAS } from './areas';

const GROUPS = [
  { key: 'operations', label: 'nav.groupOperations' },
  { key: 'billing', label: 'nav.groupBilling' },
  { key: 'office', label: 'nav.groupOffice' },
] as const;

export function AppLayout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const [pwOpen, pw] = useDisclosure(false);
  const { user, can, logout } = useAuth();
  const location = useLocation();
  const settings = useRpcQuery('settings.get', {});
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');

  const isActive = (path: string) =>
    path === '/' ? location.pathname === '/' : location.pathname.startsWith(path);
  // An area the role may not view (typed URL, old bookmark) goes to the dashboard instead of a page that stays empty.
  const area = AREAS.find(
    (a) => a.path !== '/' && (location.pathname === a.path || location.pathname.startsWith(`${a.path}/`)),
  );
  const denied = !!area && !can(area.access);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            {settings.data?.logoUrl ? (
              <Image src={`.${settings.data.logoUrl}`} h={32} w="auto" fit="contain" alt="" />
            ) : (
              <ThemeIcon size={34} radius="md" variant="gradient" gradient={{ from: 'teal', to: 'cyan' }}>
                <IconWifi size={20} />
              </ThemeIcon>
            )}
            <div>
              {settings.isPending ? (
                <Skeleton h={14} w={120} mb={4} />
              ) : (
                <Text fw={700} size="sm" lh={1.2} data-testid="office-name">
                  {settings.data?.officeName ?? t('app.name')}
                </Text>
              )}
              <Text size="xs" c="dimmed" lh={1.2}>
                Rukun · {t('app.tagline')}
              </Text>
            </div>
          </Group>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={i18n.language === 'en' ? 'en' : 'id'}
              onChange={(v) => setLanguage(v as Lang)}
              data={[
                { value: 'id', label: 'ID' },
                { value: 'en', label: 'EN' },
              ]}
              aria-label={t('language.label')}
            />
            <Tooltip label={t('theme.toggle')}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={t('theme.toggle')}
                onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
              >
                {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end" withArrow>
              <Menu.Target>
                <UnstyledButton data-testid="user-menu">
                  <Group gap={8}>
                    <Avatar color="teal" radius="xl" size="sm">
                      {user?.fullName.slice(0, 1).toUpperCase()}
                    </Avatar>
                    <Stack gap={0} visibleFrom="sm">
                      <Text size="sm" fw={500} lh={1.2}>
                        {user?.fullName}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.2}>
                        {user ? t(`roles.${user.role}`) : ''}
                      </Text>
                    </Stack>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>@{user?.username}</Menu.Label>
                <Menu.Item leftSection={<IconKey size={16} />} onClick={pw.open}>
                  {t('auth.changePassword')}
                </Menu.Item>
                <Menu.Item
                  color="red"
                  leftSection={<IconLogout size={16} />}
                  onClick={() => void logout()}
                  data-testid="logout"
                >
                  {t('auth.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          {GROUPS.map((g) => {
            const items = AREAS.filter((a) => a.group === g.key && can(a.access));
            if (items.length === 0) return null;
            return (
              <Stack gap={2} mb="md" key={g.key}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
                  {t(g.label)}
                </Text>
                {items.map((a) => (
                  <NavLink
                    key={a.key}
                    component={Link}
                    to={a.path}
                    label={t(`nav.${a.key}`)}
                    leftSection={<a.icon size={18} stroke={1.6} />}
                    active={isActive(a.path)}
                    onClick={() => opened && toggle()}
                    rightSection={
                      a.placeholder ? (
                        <Badge size="xs" variant="light" color="gray">
                          {t('common.soon')}
                        </Badge>
                      ) : null
                    }
                    data-testid={`nav-${a.key}`}
                    style={{ borderRadius: 8 }}
                  />
                ))}
              </Stack>
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm">
            Rukun 0.1 · {settings.data?.timeZone}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>{denied ? <Navigate to="/" replace /> : children}</AppShell.Main>
      <ChangePasswordModal opened={pwOpen} onClose={pw.close} />
    </AppShell>
  );
}
