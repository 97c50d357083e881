import { Badge, Group, Stack, Title } from '@mantine/core';
import {
  IconAdjustments,
  IconInbox,
  IconLayoutDashboard,
  IconListDetails,
  IconSend,
  IconTemplate,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { RoutedTabs } from '../../components/RoutedTabs';
import { InboxPanel } from './InboxPanel';
import { MessagesPanel } from './MessagesPanel';
import { OverviewPanel } from './OverviewPanel';
import { SendPanel } from './SendPanel';
import { SettingsPanel } from './SettingsPanel';
import { TemplatesPanel } from './TemplatesPanel';
import { useWhatsappLive } from './useWhatsappLive';

export function WhatsAppPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  useWhatsappLive();
  // Kept fresh by the live events (a message arrives, someone opens the inbox).
  const unread = useRpcQuery('whatsapp.inbox.unread', {}, { staleTime: Infinity }).data?.unread ?? 0;
  return (
    <Stack>
      <Title order={2}>{t('whatsapp.title')}</Title>
      <RoutedTabs
        basePath="/whatsapp"
        tabs={[
          {
            value: 'overview',
            label: t('whatsapp.tabs.overview'),
            icon: <IconLayoutDashboard size={16} />,
            content: <OverviewPanel />,
          },
          {
            value: 'messages',
            label: t('whatsapp.tabs.messages'),
            icon: <IconListDetails size={16} />,
            testId: 'wa-tab-messages',
            content: <MessagesPanel />,
          },
          {
            value: 'inbox',
            label: (
              <Group gap={6} wrap="nowrap">
                {t('whatsapp.tabs.inbox')}
                {unread > 0 && (
                  <Badge
                    size="sm"
                    circle={unread < 10}
                    color="red"
                    data-testid="wa-inbox-badge"
                    aria-label={t('whatsapp.inbox.unread', { count: unread })}
                  >
                    {unread > 99 ? '99+' : unread}
                  </Badge>
                )}
              </Group>
            ),
            icon: <IconInbox size={16} />,
            testId: 'wa-tab-inbox',
            content: <InboxPanel />,
          },
          {
            value: 'send',
            label: t('whatsapp.tabs.send'),
            icon: <IconSend size={16} />,
            testId: 'wa-tab-send',
            hidden: !can('whatsapp.send'),
            content: <SendPanel />,
          },
          {
            value: 'templates',
            label: t('whatsapp.tabs.templates'),
            icon: <IconTemplate size={16} />,
            content: <TemplatesPanel />,
          },
          {
            value: 'settings',
            label: t('whatsapp.tabs.settings'),
            icon: <IconAdjustments size={16} />,
            content: <SettingsPanel />,
          },
        ]}
      />
    </Stack>
  );
}
