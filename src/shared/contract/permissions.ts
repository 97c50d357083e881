/**
 * Roles and the permission matrix. The dispatcher enforces it for every contract call; the renderer only
 * uses it to hide what a role cannot do.
 */
export const ROLES = ['owner', 'admin', 'cashier', 'technician'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'dashboard.view',
  'staff.view',
  'staff.manage',
  'settings.view',
  'settings.manage',
  'audit.view',
  'routers.view',
  'routers.manage',
  /** Accept a router's changed API-SSL certificate: owners and admins, not technicians (see ROLE_PERMISSIONS). */
  'routers.trust',
  'sessions.kick',
  'vouchers.view',
  'vouchers.manage',
  'vouchers.print',
  'customers.view',
  'customers.manage',
  'customers.import',
  'subscriptions.view',
  'subscriptions.manage',
  'billing.view',
  'billing.manage',
  'payments.record',
  'payments.reverse',
  'isolation.manage',
  'whatsapp.view',
  'whatsapp.send',
  'whatsapp.manage',
  'reports.view',
  'reports.export',
  'system.backup',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `public` needs no session; `authenticated` needs any logged-in user. */
export type Access = 'public' | 'authenticated' | Permission;

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: ALL,
  // Admins run the office but cannot take backups/restore (which can replace the whole database).
  admin: ALL.filter((p) => p !== 'system.backup'),
  // Cashiers (operators) sell vouchers, take payments and message customers; they do not touch routers,
  // staff, settings, or reverse payments.
  cashier: [
    'dashboard.view',
    'settings.view',
    'routers.view',
    'vouchers.view',
    'vouchers.manage',
    'vouchers.print',
    'customers.view',
    'customers.manage',
    'subscriptions.view',
    'billing.view',
    'payments.record',
    'whatsapp.view',
    'whatsapp.send',
    'reports.view',
  ],
  // Technicians install and fix: routers, sessions, PPPoE subscriptions; no money.
  technician: [
    'dashboard.view',
    'settings.view',
    'routers.view',
    'routers.manage',
    'sessions.kick',
    'vouchers.view',
    'customers.view',
    'subscriptions.view',
    'subscriptions.manage',
    'isolation.manage',
  ],
};

export function can(role: Role, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return ROLE_PERMISSIONS[role].includes(access);
}

/** Which roles a given role may create or manage. Only owners manage owners and admins. */
export function canManageRole(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target === 'cashier' || target === 'technician';
  return false;
}
