import { Stack, Title } from '@mantine/core';
import { IconAdjustments, IconLayoutDashboard, IconListDetails, IconSend, IconTemplate } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthProvider';
import { RoutedTabs } from '../../components/RoutedTabs';
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
  return (
    <Stack>
      <Title order={2}>{t('whatsapp.title')}</Title>
      <RoutedTabs
        basePath="/whatsapp"
        tabs={[
          { value: 'overview', label: t('whatsapp.tabs.overview'), icon: <IconLayoutDashboard size={16} />, content: <OverviewPanel /> },
          {
            value: 'messages',
            label: t('whatsapp.tabs.messages'),
            icon: <IconListDetails size={16} />,
            testId: 'wa-tab-messages',
            content: <MessagesPanel />,
          },
          {
            value: 'send',
            label: t('whatsapp.tabs.send'),
            icon: <IconSend size={16} />,
            testId: 'wa-tab-send',
            hidden: !can('whatsapp.send'),
            content: <SendPanel />,
          },
          { value: 'templates', label: t('whatsapp.tabs.templates'), icon: <IconTemplate size={16} />, content: <TemplatesPanel /> },
          { value: 'settings', label: t('whatsapp.tabs.settings'), icon: <IconAdjustments size={16} />, content: <SettingsPanel /> },
        ]}
      />
    </Stack>
  );
}
