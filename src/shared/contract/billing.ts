import { z } from 'zod';
import { Id, Ok, PageInput, event, method, page } from './define';
import { Phone } from '../phone';
import { CUSTOMER_TOKENS, NUMBER_TOKENS, validatePattern } from '../billing/patterns';
import { CalendarDate as OfficeDate, Period } from './dates';
import { singleLine } from './text';
import {
  IMPORT_MAX_CONTENT_CHARS,
  IMPORT_MAX_FILE_BYTES,
  fileTooLargeMessage,
  importFileBytes,
} from './import-limits';
const Rupiah = z.number().int().min(0).max(1_000_000_000);
const pattern = (allowed: readonly string[]) =>
  z
    .string()
    .trim()
    .min(3)
    .max(60)
    .superRefine((v, ctx) => {
      const err = validatePattern(v, allowed);
      if (err) ctx.addIssue({ code: 'custom', message: err });
    });

// ---------- settings ----------

export const IsolationMethod = z.enum(['profile', 'address-list', 'disable']);
export type IsolationMethod = z.infer<typeof IsolationMethod>;

export const IsolationPolicy = z.object({
  method: IsolationMethod,
  /** PPP profile for `profile` isolation (created on the router by Rukun). */
  isolationProfile: z.string().trim().min(1).max(60),
  /** Firewall address list for `address-list` isolation. */
  addressList: z.string().trim().min(1).max(60),
});
export type IsolationPolicy = z.infer<typeof IsolationPolicy>;

export const ReceiptFields = z.object({
  logo: z.boolean(),
  officeName: z.boolean(),
  customerPhone: z.boolean(),
  nik: z.boolean(),
  area: z.boolean(),
  package: z.boolean(),
  period: z.boolean(),
  discount: z.boolean(),
  method: z.boolean(),
  paidAt: z.boolean(),
  recordedBy: z.boolean(),
});
export type ReceiptFields = z.infer<typeof ReceiptFields>;

export const BillingSettings = z.object({
  customerIdPattern: pattern(CUSTOMER_TOKENS),
  invoiceNumberPattern: pattern(NUMBER_TOKENS),
  receiptNumberPattern: pattern(NUMBER_TOKENS),
  creditNotePattern: pattern(NUMBER_TOKENS),
  /** `{ROUTER}{RRR}`: router code + random digits. */
  usernamePattern: z
    .string()
    .trim()
    .min(3)
    .max(40)
    .regex(/\{R+\}/, 'Pola harus memuat angka acak, misalnya {RRR}'),
  /** Invoices are generated this many days before the billing day (0 = on the day). */
  generateDaysBefore: z.number().int().min(0).max(20),
  prorateFirstPeriod: z.boolean(),
  /** PPN percentage for taxable packages. */
  taxRate: z.number().min(0).max(100),
  graceDays: z.number().int().min(0).max(60),
  /** Weekdays without isolation (0 = Sunday … 6 = Saturday). */
  noIsolationWeekdays: z.array(z.number().int().min(0).max(6)).max(7),
  /** Holidays without isolation. */
  holidays: z.array(OfficeDate).max(100),
  /** Disable the secret entirely this many days after isolation (0 = never). */
  disableAfterDays: z.number().int().min(0).max(365),
  restorePolicy: z.enum(['full', 'any']),
  autoIsolation: z.boolean(),
  defaultIsolation: IsolationPolicy,
  /** Per-router override of the isolation policy. */
  routerIsolation: z.record(z.string(), IsolationPolicy),
  receiptFields: ReceiptFields,
  /** Times of the daily runs (HH:mm, office time zone). */
  invoiceRunAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  isolationRunAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
});
export type BillingSettings = z.infer<typeof BillingSettings>;
export const BillingSettingsView = BillingSettings.extend({ version: z.number().int() });

// ---------- packages ----------

export const PackageInput = z.object({
  name: z.string().trim().min(2).max(80),
  speed: z.string().trim().min(1).max(40),
  price: Rupiah,
  pppProfile: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\s]+$/, 'Nama profil tanpa spasi'),
  rateLimit: z.string().trim().max(80).default(''),
  localAddress: z.string().trim().max(60).default(''),
  remotePool: z.string().trim().max(60).default(''),
  taxable: z.boolean().default(false),
  taxInclusive: z.boolean().default(true),
  active: z.boolean().default(true),
});
export const PackageView = z.object({
  id: z.string(),
  name: z.string(),
  speed: z.string(),
  price: z.number().int(),
  pppProfile: z.string(),
  rateLimit: z.string(),
  localAddress: z.string(),
  remotePool: z.string(),
  taxable: z.boolean(),
  taxInclusive: z.boolean(),
  active: z.boolean(),
  subscriptions: z.number().int(),
  version: z.number().int(),
});
export type PackageView = z.infer<typeof PackageView>;

// ---------- customers ----------

export const CustomerStatus = z.enum(['active', 'isolated', 'inactive']);
const Nik = z
  .string()
  .trim()
  .regex(/^\d{16}$/, 'NIK harus 16 digit');

export const CustomerInput = z.object({
  name: singleLine(z.string().trim().min(2).max(100)),
  phone: Phone.nullable().optional(),
  nik: z
    .union([z.literal(''), Nik])
    .nullable()
    .optional(),
  address: singleLine(z.string().trim().max(300)).default(''),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
  area: singleLine(z.string().trim().max(80)).default(''),
  /** Short location code for the customer ID pattern ({LOC}), e.g. `KCB`. */
  locationCode: z.string().trim().max(10).optional(),
  routerId: z.string().nullable().optional(),
  notes: z.string().max(1000).default(''),
  whatsappOptOut: z.boolean().default(false),
  registeredOn: OfficeDate.optional(),
});

export const CustomerRow = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  area: z.string(),
  status: CustomerStatus,
  packageName: z.string().nullable(),
  balance: z.number().int(),
  whatsappOptOut: z.boolean(),
  createdAt: z.number(),
});
export type CustomerRow = z.infer<typeof CustomerRow>;

export const CustomerView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  nik: z.string().nullable(),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  area: z.string(),
  routerId: z.string().nullable(),
  notes: z.string(),
  status: CustomerStatus,
  whatsappOptOut: z.boolean(),
  isolationExempt: z.boolean(),
  promiseUntil: z.string().nullable(),
  registeredOn: z.string(),
  balance: z.number().int(),
  version: z.number().int(),
});
export type CustomerView = z.infer<typeof CustomerView>;

// ---------- subscriptions ----------

export const SubscriptionView = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  customerCode: z.string(),
  packageId: z.string(),
  packageName: z.string(),
  price: z.number().int(),
  routerId: z.string(),
  username: z.string(),
  remoteAddress: z.string(),
  billingDay: z.number().int(),
  discount: z.number().int(),
  status: CustomerStatus,
  startDate: z.string(),
  isolationMethod: z.string().nullable(),
  originalProfile: z.string().nullable(),
  isolatedAt: z.number().nullable(),
  version: z.number().int(),
});
export type SubscriptionView = z.infer<typeof SubscriptionView>;

const Username = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[A-Za-z0-9._@-]+$/, 'Username hanya huruf, angka, titik, minus, @');
const PppPassword = z.string().min(4).max(60);

export const SubscriptionInput = z.object({
  customerId: Id,
  packageId: Id,
  routerId: z.string().min(1),
  /** Empty = generated from the username pattern. */
  username: Username.optional(),
  password: PppPassword.optional(),
  remoteAddress: z.string().trim().max(60).default(''),
  billingDay: z.number().int().min(1).max(28).optional(),
  discount: Rupiah.default(0),
  startDate: OfficeDate.optional(),
  /** Issue the first invoice now (prorated when the settings say so). */
  invoiceNow: z.boolean().default(true),
});

// ---------- invoices ----------

export const InvoiceStatus = z.enum(['open', 'partial', 'paid', 'void']);
export const InvoiceView = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  customerCode: z.string(),
  subscriptionId: z.string().nullable(),
  period: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  issuedAt: z.number(),
  dueDate: z.string(),
  description: z.string(),
  subtotal: z.number().int(),
  discount: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  paid: z.number().int(),
  balanceDue: z.number().int(),
  status: InvoiceStatus,
  overdue: z.boolean(),
  voidReason: z.string().nullable(),
  creditNoteNumber: z.string().nullable(),
  publicToken: z.string(),
  version: z.number().int(),
});
export type InvoiceView = z.infer<typeof InvoiceView>;

// ---------- payments ----------

export const PaymentMethod = z.enum(['cash', 'transfer']);
export const PaymentView = z.object({
  id: z.string(),
  receiptNumber: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  customerCode: z.string(),
  amount: z.number().int(),
  method: PaymentMethod,
  reference: z.string(),
  note: z.string(),
  paidAt: z.number(),
  recordedBy: z.string(),
  receiptToken: z.string(),
  reversed: z.boolean(),
  reverseReason: z.string().nullable(),
  allocations: z.array(
    z.object({ invoiceId: z.string(), invoiceNumber: z.string(), amount: z.number().int() }),
  ),
  version: z.number().int(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const LedgerEntryView = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.enum(['charge', 'payment', 'credit', 'reversal']),
  amount: z.number().int(),
  memo: z.string(),
  invoiceId: z.string().nullable(),
  paymentId: z.string().nullable(),
  runningBalance: z.number().int(),
});

// ---------- import / export / runs ----------

export const ImportTarget = z.enum([
  'nama',
  'telepon',
  'diskon',
  'tanggal',
  'area',
  'paket_nama',
  'paket_tarif',
  'total_bayar',
  'nik',
  'tanggal_register',
  'alamat',
]);
export const ImportInput = z
  .object({
    fileName: z.string().max(200),
    /** CSV text, or base64 of an .xlsx file; at most IMPORT_MAX_FILE_BYTES either way (import-limits.ts). */
    content: z.string().max(IMPORT_MAX_CONTENT_CHARS, { error: () => fileTooLargeMessage(null) }),
    format: z.enum(['csv', 'xlsx']),
    /** File column → our field; omitted = the seed format's own header names. */
    mapping: z.record(z.string().max(200), ImportTarget).optional(),
    routerId: z.string().nullable().optional(),
    /** Chosen by the caller so it can follow the commit's progress events (customers.importProgress). */
    jobId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    const bytes = importFileBytes(v.content, v.format);
    if (bytes > IMPORT_MAX_FILE_BYTES)
      ctx.addIssue({ code: 'custom', path: ['content'], message: fileTooLargeMessage(bytes) });
  });
export const ImportRowResult = z.object({
  line: z.number().int(),
  valid: z.boolean(),
  errors: z.array(z.string()),
  name: z.string(),
  phone: z.string().nullable(),
  packageName: z.string(),
  billingDay: z.number().int().nullable(),
  total: z.number().int().nullable(),
});
export const ImportPreview = z.object({
  columns: z.array(z.string()),
  mapping: z.record(z.string(), ImportTarget),
  rows: z.array(ImportRowResult),
  valid: z.number().int(),
  invalid: z.number().int(),
});

export const ExportInput = z.object({ format: z.enum(['csv', 'xlsx']) });
export const ExportFile = z.object({
  fileName: z.string(),
  mime: z.string(),
  dataBase64: z.string(),
  rows: z.number().int(),
});

export const BillingJob = z.enum(['invoices', 'overdue', 'isolation']);
export const BillingRunView = z.object({
  id: z.string(),
  job: BillingJob,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  ok: z.boolean().nullable(),
  result: z.record(z.string(), z.number()).nullable(),
  error: z.string().nullable(),
  trigger: z.string(),
});

const CustomerFilters = PageInput.extend({
  status: CustomerStatus.optional(),
  area: z.string().max(80).optional(),
  packageId: z.string().optional(),
  owing: z.boolean().optional(),
});

export const billingContract = {
  'billing.settings.get': method({
    input: z.object({}),
    output: BillingSettingsView,
    access: 'billing.view',
    audited: false,
    summary: 'Billing settings: number patterns, grace days, isolation policy, receipt fields, run times.',
  }),
  'billing.settings.update': method({
    input: BillingSettings.partial().extend({ version: z.number().int() }),
    output: BillingSettingsView,
    access: 'billing.manage',
    audited: true,
    summary: 'Change billing settings (optimistic locking on version).',
  }),
  'billing.summary': method({
    input: z.object({ period: Period.optional() }),
    output: z.object({
      period: z.string(),
      activeCustomers: z.number().int(),
      isolatedCustomers: z.number().int(),
      invoiced: z.number().int(),
      collected: z.number().int(),
      outstanding: z.number().int(),
      overdueInvoices: z.number().int(),
      months: z.array(
        z.object({ period: z.string(), invoiced: z.number().int(), collected: z.number().int() }),
      ),
    }),
    access: 'billing.view',
    audited: false,
    summary: 'Figures of one period and the last 12 months (invoiced vs. collected).',
  }),
  'billing.runs.list': method({
    input: z.object({ limit: z.number().int().min(1).max(200).default(30) }),
    output: z.array(BillingRunView),
    access: 'billing.view',
    audited: false,
    summary: 'Recent runs of the scheduled jobs with their results.',
  }),
  'billing.runs.start': method({
    input: z.object({ job: BillingJob }),
    output: BillingRunView,
    access: 'billing.manage',
    audited: true,
    summary: 'Run a scheduled job now (idempotent: a second run changes nothing).',
  }),

  'packages.list': method({
    input: z.object({ includeInactive: z.boolean().default(true) }),
    output: z.array(PackageView),
    access: 'customers.view',
    audited: false,
    summary: 'Internet packages with their subscriber counts.',
  }),
  'packages.create': method({
    input: PackageInput,
    output: PackageView,
    access: 'billing.manage',
    audited: true,
    summary: 'Create a package (and its PPP profile on every router).',
  }),
  'packages.update': method({
    input: PackageInput.partial().extend({ id: Id, version: z.number().int() }),
    output: PackageView,
    access: 'billing.manage',
    audited: true,
    summary: 'Edit a package; an inactive package stays on existing subscriptions.',
  }),
  'packages.delete': method({
    input: z.object({ id: Id }),
    output: Ok,
    access: 'billing.manage',
    audited: true,
    summary: 'Delete a package nobody uses (CONFLICT when in use).',
  }),

  'customers.list': method({
    input: CustomerFilters,
    output: page(CustomerRow),
    access: 'customers.view',
    audited: false,
    summary: 'Search and filter customers (word-prefix search over name, code, phone, address).',
  }),
  'customers.areas': method({
    input: z.object({}),
    output: z.array(z.object({ area: z.string(), customers: z.number().int() })),
    access: 'customers.view',
    audited: false,
    summary: 'Areas in use, for filters.',
  }),
  'customers.get': method({
    input: z.object({ id: Id }),
    output: z.object({
      customer: CustomerView,
      subscriptions: z.array(SubscriptionView),
      invoices: z.array(InvoiceView),
      payments: z.array(PaymentView),
      ledger: z.array(LedgerEntryView),
    }),
    access: 'customers.view',
    audited: false,
    summary: 'One customer with subscriptions, invoices, payments and the ledger.',
  }),
  'customers.create': method({
    input: CustomerInput,
    output: CustomerView,
    access: 'customers.manage',
    audited: true,
    summary: 'Register a customer; the customer ID comes from the configured pattern.',
  }),
  'customers.update': method({
    input: CustomerInput.partial().extend({
      id: Id,
      version: z.number().int(),
      status: CustomerStatus.optional(),
      isolationExempt: z.boolean().optional(),
      promiseUntil: OfficeDate.nullable().optional(),
    }),
    output: CustomerView,
    access: 'customers.manage',
    audited: true,
    summary: 'Edit a customer (optimistic locking). Exemption and promise-to-pay lift an isolation.',
  }),
  'customers.import.preview': method({
    input: ImportInput,
    output: ImportPreview,
    access: 'customers.import',
    audited: false,
    summary: 'Parse a CSV/XLSX file and mark each row valid or invalid with the reason.',
  }),
  'customers.import.commit': method({
    input: ImportInput,
    output: z.object({
      imported: z.number().int(),
      skipped: z.number().int(),
      rows: z.array(ImportRowResult),
    }),
    access: 'customers.import',
    audited: true,
    summary:
      'Import the valid rows (customers + subscriptions) in small resumable transactions and report the rest.',
  }),
  'customers.export': method({
    input: ExportInput,
    output: ExportFile,
    access: 'reports.export',
    audited: true,
    summary: 'Every customer as CSV or XLSX.',
  }),

  'subscriptions.list': method({
    input: PageInput.extend({
      status: CustomerStatus.optional(),
      routerId: z.string().optional(),
      packageId: z.string().optional(),
    }),
    output: page(SubscriptionView),
    access: 'subscriptions.view',
    audited: false,
    summary: 'PPPoE subscriptions.',
  }),
  'subscriptions.create': method({
    input: SubscriptionInput,
    output: SubscriptionView,
    access: 'subscriptions.manage',
    audited: true,
    summary: 'Create a PPPoE subscription: the secret goes to the router through a router job.',
  }),
  'subscriptions.createBulk': method({
    input: z.object({ items: z.array(SubscriptionInput).min(1).max(5000) }),
    output: z.object({ created: z.number().int() }),
    access: 'subscriptions.manage',
    audited: true,
    summary: 'Create many subscriptions in one transaction.',
  }),
  'subscriptions.update': method({
    input: z.object({
      id: Id,
      version: z.number().int(),
      packageId: Id.optional(),
      password: PppPassword.optional(),
      remoteAddress: z.string().trim().max(60).optional(),
      billingDay: z.number().int().min(1).max(28).optional(),
      discount: Rupiah.optional(),
      status: z.enum(['active', 'inactive']).optional(),
    }),
    output: SubscriptionView,
    access: 'subscriptions.manage',
    audited: true,
    summary: 'Edit a subscription; changes propagate to the router secret.',
  }),
  'subscriptions.password': method({
    input: z.object({ id: Id }),
    output: z.object({ password: z.string() }),
    access: 'subscriptions.manage',
    audited: true,
    summary: 'Show the PPPoE password to a technician (audited).',
  }),
  'subscriptions.adoptable': method({
    input: z.object({ routerId: z.string().optional() }),
    output: z.array(
      z.object({
        routerId: z.string(),
        name: z.string(),
        profile: z.string(),
        remoteAddress: z.string(),
        comment: z.string(),
      }),
    ),
    access: 'subscriptions.view',
    audited: false,
    summary: 'PPP secrets found on routers that no subscription owns yet.',
  }),
  'subscriptions.adopt': method({
    input: z.object({
      routerId: z.string().min(1),
      name: z.string().min(1),
      customerId: Id,
      packageId: Id,
      billingDay: z.number().int().min(1).max(28).optional(),
      discount: Rupiah.default(0),
    }),
    output: SubscriptionView,
    access: 'subscriptions.manage',
    audited: true,
    summary: 'Attach an existing router secret to a customer as a subscription.',
  }),
  'subscriptions.isolate': method({
    input: z.object({ id: Id }),
    output: SubscriptionView,
    access: 'isolation.manage',
    audited: true,
    summary: 'Isolate now by the router policy (router job).',
  }),
  'subscriptions.installIsolationNotice': method({
    input: z.object({
      routerId: z.string().min(1),
      /** Address of the Rukun PC as the router sees it (LAN), and the port of its LAN listener. */
      host: z
        .string()
        .trim()
        .regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'Alamat IPv4, mis. 192.168.88.10'),
      port: z.number().int().min(1).max(65535),
    }),
    output: z.object({ url: z.string() }),
    access: 'isolation.manage',
    audited: true,
    summary: "Install the NAT rule that shows isolated customers Rukun's notice page (router job).",
  }),
  'subscriptions.restore': method({
    input: z.object({ id: Id }),
    output: SubscriptionView,
    access: 'isolation.manage',
    audited: true,
    summary: 'Lift an isolation now (router job).',
  }),

  'invoices.list': method({
    input: PageInput.extend({
      status: z.enum(['open', 'partial', 'paid', 'void', 'unpaid']).optional(),
      period: Period.optional(),
      customerId: z.string().optional(),
      overdue: z.boolean().optional(),
    }),
    output: page(InvoiceView),
    access: 'billing.view',
    audited: false,
    summary: 'Invoices, newest first.',
  }),
  'invoices.get': method({
    input: z.object({ id: Id }),
    output: InvoiceView,
    access: 'billing.view',
    audited: false,
    summary: 'One invoice.',
  }),
  'invoices.generate': method({
    input: z.object({ subscriptionId: Id.optional(), date: OfficeDate.optional() }),
    output: z.object({ created: z.number().int(), skipped: z.number().int() }),
    access: 'billing.manage',
    audited: true,
    summary: 'Issue the due invoices now (one subscription or all); a second run makes none.',
  }),
  'invoices.void': method({
    input: z.object({ id: Id, version: z.number().int(), reason: z.string().trim().min(3).max(200) }),
    output: InvoiceView,
    access: 'billing.manage',
    audited: true,
    summary: 'Void an invoice with a credit note; its number stays; payments on it become credit.',
  }),
  'invoices.export': method({
    input: ExportInput.extend({ period: Period.optional() }),
    output: ExportFile,
    access: 'reports.export',
    audited: true,
    summary: 'Invoices (optionally of one period) as CSV or XLSX.',
  }),

  'billing.documentPdf': method({
    input: z.object({
      kind: z.enum(['receipt', 'invoice']),
      id: Id,
      paper: z.enum(['a4', '80mm']).default('a4'),
    }),
    output: ExportFile,
    access: 'billing.view',
    audited: false,
    summary: 'A receipt or invoice as a PDF (A4 or 80 mm roll) for the desktop printer or a download.',
  }),
  'payments.list': method({
    input: PageInput.extend({
      customerId: z.string().optional(),
      from: z.number().optional(),
      to: z.number().optional(),
    }),
    output: page(PaymentView),
    access: 'billing.view',
    audited: false,
    summary: 'Payments, newest first.',
  }),
  'payments.record': method({
    input: z.object({
      customerId: Id,
      amount: Rupiah.min(1),
      method: PaymentMethod,
      reference: z.string().trim().max(100).default(''),
      note: z.string().trim().max(300).default(''),
      /** Paying from an invoice screen: the invoice version seen (a stale one is a CONFLICT). */
      invoiceId: Id.optional(),
      invoiceVersion: z.number().int().optional(),
    }),
    output: PaymentView,
    access: 'payments.record',
    audited: true,
    summary:
      'Record a cash or transfer payment, allocated to open invoices oldest first; the rest is credit.',
  }),
  'payments.reverse': method({
    input: z.object({ id: Id, version: z.number().int(), reason: z.string().trim().min(3).max(200) }),
    output: PaymentView,
    access: 'payments.reverse',
    audited: true,
    summary: 'Correct a payment with a reversing entry (the payment stays on record).',
  }),
};

export const billingEvents = {
  'billing.changed': event({
    payload: z.object({
      entity: z.enum(['customer', 'subscription', 'invoice', 'payment', 'package', 'settings', 'run']),
      id: z.string().nullable(),
    }),
    access: 'customers.view',
    summary: 'Billing data changed; open lists refresh.',
  }),
  'customers.importProgress': event({
    payload: z.object({
      jobId: z.string(),
      fileName: z.string(),
      /** Valid rows to write, rows written so far (imported or skipped while writing), imported so far. */
      total: z.number().int(),
      written: z.number().int(),
      imported: z.number().int(),
      status: z.enum(['running', 'done']),
    }),
    access: 'customers.import',
    summary: 'Progress of a customer import while its rows are written (also after a restart resumes it).',
  }),
};
