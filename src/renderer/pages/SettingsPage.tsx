import { Stack, Title } from '@mantine/core';
import {
  IconBuildingStore,
  IconBuildingBank,
  IconHistory,
  IconReceipt,
  IconUsers,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthProvider';
import { RoutedTabs } from '../components/RoutedTabs';
import { AuditPanel } from './settings/AuditPanel';
import { BankPanel } from './settings/BankPanel';
import { OfficePanel } from './settings/OfficePanel';
import { ReceiptPanel } from './settings/ReceiptPanel';
import { StaffPanel } from './settings/StaffPanel';

export function SettingsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <Stack>
      <Title order={2}>{t('settings.title')}</Title>
      <RoutedTabs
        basePath="/settings"
        tabs={[
          {
            value: 'office',
            label: t('settings.office'),
            icon: <IconBuildingStore size={16} />,
            content: <OfficePanel />,
          },
          {
            value: 'bank',
            label: t('settings.bank'),
            icon: <IconBuildingBank size={16} />,
            content: <BankPanel />,
          },
          {
            value: 'receipt',
            label: t('settings.receipt'),
            icon: <IconReceipt size={16} />,
            content: <ReceiptPanel />,
          },
          {
            value: 'staff',
            label: t('settings.staff'),
            icon: <IconUsers size={16} />,
            testId: 'tab-staff',
            hidden: !can('staff.view'),
            content: <StaffPanel />,
          },
          {
            value: 'audit',
            label: t('settings.audit'),
            icon: <IconHistory size={16} />,
            hidden: !can('audit.view'),
            content: <AuditPanel />,
          },
        ]}
      />
    </Stack>
  );
}
