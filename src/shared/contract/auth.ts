import { z } from 'zod';
import { Empty, Ok, event, method } from './define';
import { PERMISSIONS, ROLES } from './permissions';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9._-]{3,32}$/,
    'Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah atau strip',
  );
export const Password = z
  .string()
  .min(8, 'Kata sandi minimal 8 karakter')
  .max(128)
  .refine((s) => s.trim().length === s.length, 'Kata sandi tidak boleh diawali atau diakhiri spasi');
export const FullName = z.string().trim().min(2).max(80);

export const UserPublic = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  role: z.enum(ROLES),
  phone: z.string().nullable(),
  active: z.boolean(),
  lockedUntil: z.number().nullable(),
  lastLoginAt: z.number().nullable(),
  createdAt: z.number(),
  version: z.number().int(),
});
export type UserPublic = z.infer<typeof UserPublic>;

const SessionOut = z.object({
  user: UserPublic,
  permissions: z.array(z.enum(PERMISSIONS)),
  /** Bearer token for API clients; browsers also get it as an HttpOnly cookie. */
  token: z.string(),
  expiresAt: z.number(),
});

export const authContract = {
  'auth.status': method({
    input: Empty,
    output: z.object({
      setupRequired: z.boolean(),
      officeName: z.string().nullable(),
      /** The office's default UI language, used until a user picks one on this device. */
      language: z.enum(['id', 'en']),
      user: UserPublic.nullable(),
      permissions: z.array(z.enum(PERMISSIONS)),
    }),
    access: 'public',
    audited: false,
    summary: 'Whether first-run setup is needed, and who is logged in on this transport.',
  }),
  'auth.setup': method({
    input: z.object({
      officeName: z.string().trim().min(2).max(100),
      fullName: FullName,
      username: Username,
      password: Password,
    }),
    output: SessionOut,
    access: 'public',
    audited: true,
    summary: 'First run only: create the office and its owner account, and log in as the owner.',
  }),
  'auth.login': method({
    input: z.object({
      username: z.string().trim().toLowerCase().min(1).max(64),
      password: z.string().min(1).max(128),
    }),
    output: SessionOut,
    access: 'public',
    audited: true,
    summary: 'Log in. Five failed tries lock the account for 15 minutes.',
  }),
  'auth.logout': method({
    input: Empty,
    output: Ok,
    access: 'authenticated',
    audited: true,
    summary: 'End the current session.',
  }),
  'auth.changePassword': method({
    input: z.object({ currentPassword: z.string().min(1).max(128), newPassword: Password }),
    output: Ok,
    access: 'authenticated',
    audited: true,
    summary: "Change the logged-in user's password; other sessions of that user are ended.",
  }),
};

export const authEvents = {
  'auth.sessionEnded': event({
    payload: z.object({ reason: z.enum(['logout', 'expired', 'password_changed', 'deactivated']) }),
    access: 'authenticated',
    summary: 'The session of this transport ended.',
  }),
};
