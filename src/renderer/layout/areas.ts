import {
  IconChartBar,
  IconCreditCard,
  IconFileInvoice,
  IconLayoutDashboard,
  IconBrandWhatsapp,
  IconReceipt2,
  IconRouter,
  IconSettings,
  IconTicket,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { Access } from '../../shared/contract/index';

export type AreaKey =
  | 'dashboard'
  | 'routers'
  | 'vouchers'
  | 'customers'
  | 'subscriptions'
  | 'invoices'
  | 'payments'
  | 'whatsapp'
  | 'reports'
  | 'settings';

export interface Area {
  key: AreaKey;
  path: string;
  icon: Icon;
  access: Access;
  group: 'operations' | 'billing' | 'office';
  /** Areas whose feature has not landed yet show an honest empty state. */
  placeholder: boolean;
}

export const AREAS: Area[] = [
  {
    key: 'dashboard',
    path: '/',
    icon: IconLayoutDashboard,
    access: 'dashboard.view',
    group: 'operations',
    placeholder: false,
  },
  {
    key: 'routers',
    path: '/routers',
    icon: IconRouter,
    access: 'routers.view',
    group: 'operations',
    placeholder: false,
  },
  {
    key: 'vouchers',
    path: '/vouchers',
    icon: IconTicket,
    access: 'vouchers.view',
    group: 'operations',
    placeholder: false,
  },
  {
    key: 'customers',
    path: '/customers',
    icon: IconUsers,
    access: 'customers.view',
    group: 'billing',
    placeholder: false,
  },
  {
    key: 'subscriptions',
    path: '/subscriptions',
    icon: IconReceipt2,
    access: 'subscriptions.view',
    group: 'billing',
    placeholder: false,
  },
  {
    key: 'invoices',
    path: '/invoices',
    icon: IconFileInvoice,
    access: 'billing.view',
    group: 'billing',
    placeholder: false,
  },
  {
    key: 'payments',
    path: '/payments',
    icon: IconCreditCard,
    access: 'billing.view',
    group: 'billing',
    placeholder: false,
  },
  {
    key: 'whatsapp',
    path: '/whatsapp',
    icon: IconBrandWhatsapp,
    access: 'whatsapp.view',
    group: 'office',
    placeholder: false,
  },
  {
    key: 'reports',
    path: '/reports',
    icon: IconChartBar,
    access: 'reports.view',
    group: 'office',
    placeholder: true,
  },
  {
    key: 'settings',
    path: '/settings',
    icon: IconSettings,
    access: 'settings.view',
    group: 'office',
    placeholder: false,
  },
];
