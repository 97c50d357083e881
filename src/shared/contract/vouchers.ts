import { z } from 'zod';
import { voucherTemplateSchema } from '../vouchers/print-template';
import { BATCH_COUNT_MAX, CHARSET_NAMES, CODE_LENGTH_MAX, CODE_LENGTH_MIN } from '../vouchers/codegen';
import { CalendarDate } from './dates';
import { PageInput, event, method, page } from './define';

const RouterId = z.string().min(1);
const Rupiah = z.number().int().min(0).max(100_000_000);

export const EXPIRY_POLICIES = ['remove', 'disable', 'keep'] as const;
export const VOUCHER_STATUSES = ['unused', 'active', 'expired', 'disabled', 'removed'] as const;

/** A hotspot user profile managed by Rukun for vouchers (VOUCHER_SYSTEM), with its selling settings. */
export const VoucherProfileInput = z.object({
  routerId: RouterId,
  name: z
    .string()
    .trim()
    .min(1, 'Nama profil wajib diisi')
    .max(40)
    .regex(/^[A-Za-z0-9_.-]+$/, 'Nama profil hanya boleh huruf, angka, titik, garis bawah, dan tanda hubung'),
  /** RouterOS rate-limit, e.g. `2M/2M`; empty = unlimited. */
  rateLimit: z
    .string()
    .trim()
    .max(80)
    .regex(/^[0-9A-Za-z/ .]*$/, 'Format rate limit tidak valid (contoh: 2M/2M)')
    .default(''),
  sharedUsers: z.number().int().min(1).max(100).default(1),
  /** Validity from first login in seconds; 0 = no time validity. */
  validitySeconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 86_400),
  /** limit-uptime per voucher (seconds); 0 = none. */
  uptimeLimitSeconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 86_400)
    .default(0),
  /** limit-bytes-total per voucher; 0 = none. */
  quotaBytes: z
    .number()
    .int()
    .min(0)
    .max(10 * 1024 ** 4)
    .default(0),
  priceCost: Rupiah,
  priceSell: Rupiah,
  expiryPolicy: z.enum(EXPIRY_POLICIES).default('remove'),
  /** Bind each voucher to the device (MAC) of its first login (Mikhmon's "lock user"); absent = unchanged. */
  lockMac: z.boolean().optional(),
  /** Present when editing: optimistic lock. */
  version: z.number().int().optional(),
});
export type VoucherProfileInput = z.input<typeof VoucherProfileInput>;

export const VoucherProfile = z.object({
  id: z.string(),
  routerId: z.string(),
  routerName: z.string(),
  name: z.string(),
  rateLimit: z.string(),
  sharedUsers: z.number().int(),
  validitySeconds: z.number().int(),
  uptimeLimitSeconds: z.number().int(),
  quotaBytes: z.number(),
  priceCost: z.number().int(),
  priceSell: z.number().int(),
  expiryPolicy: z.enum(EXPIRY_POLICIES),
  /** Where it came from: created in Rukun, adopted from the router, or imported from Mikhmon. */
  origin: z.enum(['rukun', 'adopted', 'mikhmon']),
  /** Vouchers are bound to the device (MAC) of their first login. */
  lockMac: z.boolean(),
  version: z.number().int(),
});
export type VoucherProfile = z.infer<typeof VoucherProfile>;

const CodeSpec = z.object({
  length: z.number().int().min(CODE_LENGTH_MIN).max(CODE_LENGTH_MAX),
  charset: z.enum(CHARSET_NAMES),
});

export const CreateBatchInput = z
  .object({
    routerId: RouterId,
    profile: z.string().min(1, 'Pilih profil'),
    /** Hotspot server name, or `all`. */
    server: z.string().trim().min(1).max(64).default('all'),
    count: z
      .number()
      .int()
      .min(1, 'Minimal 1 voucher')
      .max(BATCH_COUNT_MAX, `Maksimal ${BATCH_COUNT_MAX} voucher`),
    length: CodeSpec.shape.length,
    charset: CodeSpec.shape.charset,
    prefix: z
      .string()
      .max(12)
      .regex(/^[A-Za-z0-9_.-]*$/, 'Prefix hanya boleh huruf, angka, titik, garis bawah, dan tanda hubung')
      .default(''),
    passwordMode: z.enum(['same', 'separate']).default('same'),
    password: CodeSpec.optional(),
    note: z.string().trim().max(200).default(''),
  })
  .refine((o) => o.passwordMode === 'same' || o.password !== undefined, {
    message: 'Panjang dan jenis karakter password wajib diisi',
    path: ['password'],
  });
export type CreateBatchInput = z.input<typeof CreateBatchInput>;

export const CodeSpaceAssessment = z.object({
  level: z.enum(['ok', 'sempit', 'terlalu_sempit']),
  space: z.number(),
  ratio: z.number(),
  suggestedLength: z.number().int().nullable(),
  message: z.string(),
});

export const BatchProgress = z.object({
  batchId: z.string(),
  total: z.number().int(),
  pushed: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
});
export type BatchProgress = z.infer<typeof BatchProgress>;

export const VoucherBatch = z.object({
  id: z.string(),
  code: z.string(),
  routerId: z.string(),
  routerName: z.string(),
  profile: z.string(),
  server: z.string(),
  count: z.number().int(),
  priceSell: z.number().int(),
  priceCost: z.number().int(),
  note: z.string(),
  createdAt: z.number(),
  createdByName: z.string().nullable(),
  pushed: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  used: z.number().int(),
});
export type VoucherBatch = z.infer<typeof VoucherBatch>;

export const Voucher = z.object({
  id: z.string(),
  batchId: z.string().nullable(),
  batchCode: z.string().nullable(),
  routerId: z.string(),
  routerName: z.string(),
  username: z.string(),
  password: z.string(),
  profile: z.string(),
  server: z.string(),
  priceSell: z.number().int(),
  priceCost: z.number().int(),
  validitySeconds: z.number().int(),
  status: z.enum(VOUCHER_STATUSES),
  pushState: z.enum(['pending', 'pushed', 'failed']),
  pushError: z.string().nullable(),
  firstLoginAt: z.number().nullable(),
  validUntil: z.number().nullable(),
  uptimeSeconds: z.number().int(),
  bytesTotal: z.number(),
  lastMac: z.string().nullable(),
  lastIp: z.string().nullable(),
  source: z.enum(['rukun', 'adopted', 'mikhmon']),
  createdAt: z.number(),
  version: z.number().int(),
});
export type Voucher = z.infer<typeof Voucher>;

export const VoucherListInput = PageInput.extend({
  batchId: z.string().optional(),
  routerId: z.string().optional(),
  profile: z.string().optional(),
  status: z.enum(VOUCHER_STATUSES).optional(),
});

const Ids = z.array(z.string()).min(1, 'Pilih voucher').max(10_000);

export const PRINT_LAYOUTS = ['a4-compact', 'a4-cards', 'thermal-58', 'thermal-80'] as const;

export const PrintInput = z
  .object({
    batchId: z.string().optional(),
    ids: z.array(z.string()).max(10_000).optional(),
    layout: z.enum(PRINT_LAYOUTS),
    /** DNS name of the hotspot for the QR login URL; default: the router's hotspot profile dns-name. */
    dnsName: z
      .string()
      .trim()
      .max(253)
      .regex(/^[A-Za-z0-9.:-]*$/, 'Nama DNS hanya huruf, angka, titik, dan tanda hubung')
      .optional(),
  })
  .refine((o) => o.batchId !== undefined || (o.ids !== undefined && o.ids.length > 0), {
    message: 'Pilih batch atau voucher yang dicetak',
    path: ['ids'],
  });

export const SalesGroupBy = z.enum(['day', 'month', 'profile', 'router']);
export const SalesReportInput = z.object({
  /** Office dates, inclusive: YYYY-MM-DD. */
  from: CalendarDate,
  to: CalendarDate,
  groupBy: SalesGroupBy,
  routerId: z.string().optional(),
});

export const SalesRow = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number().int(),
  revenue: z.number().int(),
  cost: z.number().int(),
  profit: z.number().int(),
});

export const SalesReport = z.object({
  rows: z.array(SalesRow),
  totals: SalesRow.omit({ key: true, label: true }),
});
export type SalesReport = z.infer<typeof SalesReport>;

const FileOut = z.object({ filename: z.string(), mime: z.string(), base64: z.string() });

const SyncResult = z.object({
  seen: z.number().int(),
  firstLogins: z.number().int(),
  sales: z.number().int(),
  expired: z.number().int(),
  missing: z.number().int(),
});

export const vouchersContract = {
  'vouchers.profiles.list': method({
    input: z.object({ routerId: z.string().optional() }),
    output: z.array(VoucherProfile),
    access: 'vouchers.view',
    audited: false,
    summary:
      'Voucher profiles (hotspot user profiles managed by Rukun) with prices, validity and expiry policy.',
  }),
  'vouchers.profiles.save': method({
    input: VoucherProfileInput,
    output: VoucherProfile,
    access: 'vouchers.manage',
    audited: true,
    summary:
      'Create or update a voucher profile; pushes the profile with its on-login script and the expiry scheduler.',
  }),
  'vouchers.profiles.adopt': method({
    input: z.object({ routerId: RouterId }),
    output: z.object({ adopted: z.number().int(), names: z.array(z.string()) }),
    access: 'vouchers.manage',
    audited: true,
    summary: "Take the router's VOUCHER_SYSTEM and Mikhmon hotspot profiles into Rukun.",
  }),
  'vouchers.assessCodes': method({
    input: z.object({
      charset: CodeSpec.shape.charset,
      length: CodeSpec.shape.length,
      count: z.number().int().min(1).max(BATCH_COUNT_MAX),
      prefix: z.string().max(12).default(''),
    }),
    output: CodeSpaceAssessment,
    access: 'vouchers.view',
    audited: false,
    summary: 'How crowded the code space would be (warning when codes become guessable).',
  }),
  'vouchers.createBatch': method({
    input: CreateBatchInput,
    output: z.object({ batchId: z.string(), code: z.string(), count: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Generate unique secure codes, store them and push them to the router through router jobs.',
  }),
  'vouchers.batches.list': method({
    input: PageInput,
    output: page(VoucherBatch),
    access: 'vouchers.view',
    audited: false,
    summary: 'Voucher batches, newest first, with push progress and usage.',
  }),
  'vouchers.batches.progress': method({
    input: z.object({ batchId: z.string() }),
    output: BatchProgress,
    access: 'vouchers.view',
    audited: false,
    summary: 'Push progress of one batch.',
  }),
  'vouchers.batches.retry': method({
    input: z.object({ batchId: z.string() }),
    output: z.object({ requeued: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Push the vouchers of a batch that failed again.',
  }),
  'vouchers.list': method({
    input: VoucherListInput,
    output: page(Voucher),
    access: 'vouchers.view',
    audited: false,
    summary: 'Vouchers with search and filters (batch, router, profile, status).',
  }),
  'vouchers.disable': method({
    input: z.object({ ids: Ids }),
    output: z.object({ changed: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Disable vouchers on the router (and end their sessions).',
  }),
  'vouchers.enable': method({
    input: z.object({ ids: Ids }),
    output: z.object({ changed: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Enable disabled vouchers again.',
  }),
  'vouchers.delete': method({
    input: z.object({ ids: Ids }),
    output: z.object({ changed: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Remove vouchers from the router; sales already counted stay.',
  }),
  'vouchers.extend': method({
    input: z.object({
      ids: Ids,
      seconds: z
        .number()
        .int()
        .min(60)
        .max(366 * 86_400),
    }),
    output: z.object({ changed: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Extend the validity of used vouchers (re-enables expired-but-disabled ones).',
  }),
  'vouchers.printPdf': method({
    input: PrintInput,
    output: FileOut.extend({ count: z.number().int() }),
    access: 'vouchers.print',
    audited: false,
    summary: 'The vouchers as a PDF (A4 compact 120/sheet, A4 cards with QR, thermal 58/80 mm), base64.',
  }),
  'vouchers.templates.get': method({
    input: z.object({ layout: z.enum(PRINT_LAYOUTS) }),
    output: z.object({ template: voucherTemplateSchema, isDefault: z.boolean(), version: z.number().int() }),
    access: 'vouchers.print',
    audited: false,
    summary: "The print template of a layout (the office's edited one, or the built-in one).",
  }),
  'vouchers.templates.save': method({
    input: z.object({
      layout: z.enum(PRINT_LAYOUTS),
      template: voucherTemplateSchema,
      version: z.number().int().optional(),
    }),
    output: z.object({ template: voucherTemplateSchema, isDefault: z.boolean(), version: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Save an edited print template (text lines with whitelisted {placeholders}; no code runs).',
  }),
  'vouchers.templates.reset': method({
    input: z.object({ layout: z.enum(PRINT_LAYOUTS) }),
    output: z.object({ template: voucherTemplateSchema, isDefault: z.boolean(), version: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Go back to the built-in template of a layout.',
  }),
  'vouchers.sales.report': method({
    input: SalesReportInput,
    output: SalesReport,
    access: 'reports.view',
    audited: false,
    summary: 'Voucher sales by day, month, profile or router with revenue, cost and profit.',
  }),
  'vouchers.sales.export': method({
    input: SalesReportInput.extend({ format: z.enum(['xlsx', 'csv']) }),
    output: FileOut,
    access: 'reports.export',
    audited: false,
    summary: 'The voucher sales report as XLSX or CSV (base64).',
  }),
  'vouchers.sync': method({
    input: z.object({ routerId: RouterId }),
    output: SyncResult,
    access: 'vouchers.manage',
    audited: false,
    summary: 'Read users and sessions from the router now: first logins, sales, expiry policy.',
  }),
  'vouchers.importMikhmon': method({
    input: z.object({ routerId: RouterId }),
    output: z.object({ profiles: z.number().int(), vouchers: z.number().int(), sales: z.number().int() }),
    access: 'vouchers.manage',
    audited: true,
    summary: 'Adopt a router set up by Mikhmon: its profiles, vc-/up- users and sales scripts.',
  }),
  'vouchers.stats': method({
    input: z.object({}),
    output: z.object({
      unused: z.number().int(),
      active: z.number().int(),
      salesToday: z.number().int(),
      revenueToday: z.number().int(),
    }),
    access: 'vouchers.view',
    audited: false,
    summary: 'Counts for the vouchers overview.',
  }),
};

export const vouchersEvents = {
  'vouchers.changed': event({
    payload: z.object({ routerId: z.string(), batchId: z.string().nullable(), reason: z.string() }),
    access: 'vouchers.view',
    summary: 'Vouchers changed (first login, sync, push finished): refresh lists.',
  }),
  'vouchers.batchProgress': event({
    payload: BatchProgress,
    access: 'vouchers.view',
    summary: 'Push progress of a batch while it runs.',
  }),
};
