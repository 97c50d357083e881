import { z } from 'zod';
import { Ok, event, method } from './define';
import { Empty } from './define';

export const TimeZone = z
  .string()
  .min(1)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Zona waktu tidak dikenal');

export const BankAccount = z.object({
  bank: z.string().trim().min(2).max(40),
  number: z
    .string()
    .trim()
    .regex(/^[0-9 .-]{4,30}$/, 'Nomor rekening hanya angka'),
  holder: z.string().trim().min(2).max(80),
});
export type BankAccount = z.infer<typeof BankAccount>;

export const OfficeSettings = z.object({
  officeName: z.string().trim().min(2).max(100),
  address: z.string().trim().max(300),
  phone: z.string().trim().max(30),
  email: z.union([z.literal(''), z.string().trim().email().max(100)]),
  bankAccounts: z.array(BankAccount).max(10),
  timeZone: TimeZone,
  receiptFooter: z.string().max(500),
  /** Default UI language for new sessions; each user may switch in the UI. */
  language: z.enum(['id', 'en']),
  /**
   * How routers and customers reach Rukun's LAN listener (on-login callbacks, receipt links in WhatsApp),
   * e.g. `http://192.168.88.10:3210`. Empty: derived from the listener's address.
   */
  publicUrl: z.union([
    z.literal(''),
    z
      .string()
      .trim()
      .regex(/^https?:\/\/[^\s/?#]+(:\d+)?\/?$/, 'Alamat harus seperti http://192.168.88.10:3210'),
  ]),
});
export type OfficeSettings = z.infer<typeof OfficeSettings>;

export const SettingsView = OfficeSettings.extend({
  /** Public URL path of the logo (cache-busted), or null when none is uploaded. */
  logoUrl: z.string().nullable(),
  version: z.number().int(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const LOGO_MIME = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const LOGO_MAX_BYTES = 1024 * 1024;

export const settingsContract = {
  'settings.get': method({
    input: Empty,
    output: SettingsView,
    access: 'authenticated',
    audited: false,
    summary: 'Office settings used by every screen and printed document.',
  }),
  'settings.update': method({
    input: OfficeSettings.partial().extend({ version: z.number().int() }),
    output: SettingsView,
    access: 'settings.manage',
    audited: true,
    summary: 'Change office settings (optimistic locking on version).',
  }),
  'settings.setLogo': method({
    input: z.union([
      z.object({
        mime: z.enum(LOGO_MIME),
        /** Base64 of the image bytes, at most 1 MiB decoded. */
        dataBase64: z
          .string()
          .min(8)
          .max(Math.ceil((LOGO_MAX_BYTES * 4) / 3) + 8),
      }),
      z.object({ remove: z.literal(true) }),
    ]),
    output: SettingsView,
    access: 'settings.manage',
    audited: true,
    summary: 'Upload (PNG, JPEG or WebP, ≤ 1 MiB) or remove the office logo.',
  }),
};

export const settingsEvents = {
  'settings.changed': event({
    payload: SettingsView,
    access: 'authenticated',
    summary: 'Office settings changed; screens refresh names, logo and time zone.',
  }),
};

export { Ok };
