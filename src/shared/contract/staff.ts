import { z } from 'zod';
import { Empty, Id, Ok, method } from './define';
import { FullName, Password, UserPublic, Username } from './auth';
import { ROLES } from './permissions';
import { Phone } from '../phone';

export const staffContract = {
  'staff.list': method({
    input: Empty,
    output: z.array(UserPublic),
    access: 'staff.view',
    audited: false,
    summary: 'Every staff account, active or not.',
  }),
  'staff.create': method({
    input: z.object({
      username: Username,
      fullName: FullName,
      role: z.enum(ROLES),
      phone: Phone.nullable().optional(),
      password: Password,
    }),
    output: UserPublic,
    access: 'staff.manage',
    audited: true,
    summary: 'Create a staff account. Admins may create cashiers and technicians; owners any role.',
  }),
  'staff.update': method({
    input: z.object({
      id: Id,
      version: z.number().int(),
      fullName: FullName.optional(),
      role: z.enum(ROLES).optional(),
      phone: Phone.nullable().optional(),
      active: z.boolean().optional(),
      unlock: z.boolean().optional(),
    }),
    output: UserPublic,
    access: 'staff.manage',
    audited: true,
    summary: 'Edit a staff account (optimistic locking on version). Deactivating ends its sessions.',
  }),
  'staff.resetPassword': method({
    input: z.object({ id: Id, newPassword: Password }),
    output: Ok,
    access: 'staff.manage',
    audited: true,
    summary: "Set a new password for a staff account and end that account's sessions.",
  }),
};
