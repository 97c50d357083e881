import { z } from 'zod';
import { Id, Ok, PageInput, event, method, page } from './define';

const Host = z
  .string()
  .trim()
  .min(1, 'Alamat router wajib diisi')
  .max(253)
  .regex(
    /^[A-Za-z0-9.:[\]-]+$/,
    'Alamat router hanya boleh berisi huruf, angka, titik, titik dua, atau tanda hubung',
  );

/**
 * API-SSL trust: 'pinned' = the router's certificate, pinned by its SHA-256 fingerprint on first use;
 * 'anonymous-dh' = API-SSL on a router without a certificate (encrypted, but anyone in the middle can read it),
 * only ever an explicit choice.
 */
export const TLS_MODES = ['pinned', 'anonymous-dh'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** SHA-256 certificate fingerprint as OpenSSL and Winbox print it: 32 hex pairs joined by colons. */
export const Fingerprint = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'Sidik jari sertifikat harus 32 pasang heksadesimal (AB:CD:…)');

/** Fields of a router without defaults: a partial update changes only what it names. */
const RouterFields = z.object({
  name: z.string().trim().min(2, 'Nama minimal 2 huruf').max(60),
  location: z.string().trim().max(120),
  host: Host,
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  tlsMode: z.enum(TLS_MODES),
  username: z.string().trim().min(1, 'User API wajib diisi').max(64),
  /**
   * May be empty: RouterOS 6 ships with `admin` and no password, and offices adopting a router as it is must
   * be able to add it (the UI warns that the router has no password).
   */
  password: z.string().max(128),
  enabled: z.boolean(),
});

export const RouterInput = RouterFields.extend({
  location: RouterFields.shape.location.default(''),
  tls: RouterFields.shape.tls.default(false),
  tlsMode: RouterFields.shape.tlsMode.default('pinned'),
  enabled: RouterFields.shape.enabled.default(true),
});
export type RouterInput = z.infer<typeof RouterInput>;

/** Minutes between scheduled reconciles; 0 = off (only when the router connects, or by hand). */
export const RECONCILE_INTERVALS = [0, 5, 15, 30, 60] as const;
export const MISSING_POLICIES = ['push', 'report'] as const;
export const DIFFERENT_POLICIES = ['fix', 'report'] as const;
export const EXTRA_POLICIES = ['report', 'disable', 'remove'] as const;

/**
 * What an automatic reconcile repairs on one router, per kind of drift. Extra rows are only ever disabled or
 * removed when Rukun manages them (hotspot users with Rukun's comment, VOUCHER_SYSTEM / PPPOE_SYSTEM profiles);
 * PPP secrets Rukun does not know are an office's existing customers and are always only reported.
 */
export const RepairChoice = z.object({
  missing: z.enum(MISSING_POLICIES),
  different: z.enum(DIFFERENT_POLICIES),
  extra: z.enum(EXTRA_POLICIES),
});
export type RepairChoice = z.infer<typeof RepairChoice>;

export const ReconcilePolicy = RepairChoice.extend({
  intervalMinutes: z.literal(RECONCILE_INTERVALS, 'Jadwal harus mati, 5, 15, 30 atau 60 menit'),
});
export type ReconcilePolicy = z.infer<typeof ReconcilePolicy>;

export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = {
  intervalMinutes: 15,
  missing: 'push',
  different: 'fix',
  extra: 'report',
};

const Count = z.number().int().min(0);

/** The outcome of one reconcile with repair (automatic or by hand), kept with the router. */
export const ReconcileOutcome = z.object({
  at: z.number(),
  /** connect = the router came online; schedule = the router's interval; manual = someone pressed a button. */
  trigger: z.enum(['connect', 'schedule', 'manual']),
  durationMs: z.number(),
  /** The repair choice applied in this run. */
  policy: RepairChoice,
  /** Null when the run completed; else why it stopped (e.g. the router dropped). */
  error: z.string().nullable(),
  /** Drift found, summed over every menu. */
  missing: Count,
  extra: Count,
  extraManaged: Count,
  different: Count,
  /** Repairs queued as router jobs by this run. */
  pushed: Count,
  fixed: Count,
  disabled: Count,
  removed: Count,
  batchId: z.string().nullable(),
  kinds: z.array(
    z.object({
      menu: z.string(),
      label: z.string(),
      missing: Count,
      extra: Count,
      different: Count,
      pushed: Count,
      fixed: Count,
      disabled: Count,
      removed: Count,
    }),
  ),
});
export type ReconcileOutcome = z.infer<typeof ReconcileOutcome>;

export const RouterReconcile = z.object({
  policy: ReconcilePolicy,
  last: ReconcileOutcome.nullable(),
  /** When the next scheduled run is due; null when the schedule is off or the router is disabled. */
  nextAt: z.number().nullable(),
});
export type RouterReconcile = z.infer<typeof RouterReconcile>;

export const RouterView = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  host: z.string(),
  port: z.number().int(),
  tls: z.boolean(),
  tlsMode: z.enum(TLS_MODES),
  /** Pinned SHA-256 fingerprint of the router's API-SSL certificate; null until first seen (or without TLS). */
  tlsFingerprint: z.string().nullable(),
  /**
   * A different certificate the router presented and was refused for (a man in the middle, or a replaced
   * certificate): shown next to the pinned one until an admin accepts it or it goes away.
   */
  tlsOfferedFingerprint: z.string().nullable(),
  username: z.string(),
  /** The router is logged into with an empty password (RouterOS 6 factory login): the UI warns. */
  passwordEmpty: z.boolean(),
  enabled: z.boolean(),
  /** Connection state: online, connecting, offline, or stopped (disabled). */
  state: z.enum(['online', 'connecting', 'offline', 'stopped']),
  online: z.boolean(),
  identity: z.string().nullable(),
  /** RouterOS version as reported, e.g. "7.18.2 (stable)". */
  rosVersion: z.string().nullable(),
  rosMajor: z.number().int().nullable(),
  board: z.string().nullable(),
  /** Seconds since the router booted, as of `statusAt`. */
  uptime: z.number().nullable(),
  cpuLoad: z.number().nullable(),
  memoryTotal: z.number().nullable(),
  memoryFree: z.number().nullable(),
  statusAt: z.number().nullable(),
  lastSeenAt: z.number().nullable(),
  lastError: z.string().nullable(),
  jobsPending: z.number().int(),
  jobsFailed: z.number().int(),
  reconcile: RouterReconcile,
  version: z.number().int(),
});
export type RouterView = z.infer<typeof RouterView>;

export const RouterStatus = RouterView.pick({
  id: true,
  state: true,
  online: true,
  identity: true,
  rosVersion: true,
  board: true,
  uptime: true,
  cpuLoad: true,
  memoryTotal: true,
  memoryFree: true,
  statusAt: true,
  lastSeenAt: true,
  lastError: true,
});
export type RouterStatus = z.infer<typeof RouterStatus>;

export const JOB_STATES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;

export const RouterJobView = z.object({
  id: z.string(),
  routerId: z.string(),
  routerName: z.string(),
  operation: z.string(),
  /** What the job touches, e.g. "/ppp/secret name=budi-rt03" (never a password). */
  target: z.string(),
  key: z.string().nullable(),
  batchId: z.string().nullable(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  nextTryAt: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type RouterJobView = z.infer<typeof RouterJobView>;

export const BatchProgress = z.object({
  batchId: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  pending: z.number().int(),
});

export const DriftItem = z.object({
  key: z.string(),
  /** Extra rows: does Rukun manage it (only those are removed by a repair)? */
  managed: z.boolean().optional(),
  /** Extra rows on menus that can be disabled: is it disabled already? */
  disabled: z.boolean().optional(),
  fields: z.array(z.object({ field: z.string(), desired: z.string(), actual: z.string() })).optional(),
});
export type DriftItem = z.infer<typeof DriftItem>;

export const DriftKind = z.object({
  menu: z.string(),
  label: z.string(),
  desiredCount: z.number().int(),
  actualCount: z.number().int(),
  missingCount: z.number().int(),
  extraCount: z.number().int(),
  extraManagedCount: z.number().int(),
  differentCount: z.number().int(),
  /** The first rows of each list (the counts are exact). */
  missing: z.array(DriftItem),
  extra: z.array(DriftItem),
  different: z.array(DriftItem),
  adoptable: z.boolean(),
});
export type DriftKind = z.infer<typeof DriftKind>;

export const DriftReport = z.object({
  routerId: z.string(),
  at: z.number(),
  durationMs: z.number(),
  kinds: z.array(DriftKind),
});
export type DriftReport = z.infer<typeof DriftReport>;

export const HotspotSession = z.object({
  id: z.string(),
  user: z.string(),
  address: z.string(),
  mac: z.string(),
  server: z.string(),
  uptime: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
});
export const PppSession = z.object({
  id: z.string(),
  name: z.string(),
  service: z.string(),
  address: z.string(),
  callerId: z.string(),
  uptime: z.number(),
});
export const Sessions = z.object({
  routerId: z.string(),
  at: z.number(),
  hotspot: z.array(HotspotSession),
  ppp: z.array(PppSession),
});
export type Sessions = z.infer<typeof Sessions>;

const RouterTestInput = z.object({
  /** When editing: test with the stored password if `password` is empty, and against the pinned certificate. */
  routerId: Id.optional(),
  host: Host,
  port: z.number().int().min(1).max(65535),
  tls: z.boolean().default(false),
  tlsMode: z.enum(TLS_MODES).default('pinned'),
  username: z.string().trim().min(1).max(64),
  password: z.string().max(128).default(''),
});

export const RouterTestResult = z.object({
  identity: z.string(),
  rosVersion: z.string(),
  board: z.string(),
  uptime: z.number(),
  /** API-SSL: fingerprint of the certificate the router presented (show it; pass it to routers.create). */
  tlsFingerprint: z.string().nullable(),
  /** The login succeeded with an empty password. */
  passwordEmpty: z.boolean(),
});
export type RouterTestResult = z.infer<typeof RouterTestResult>;

export const routersContract = {
  'routers.list': method({
    input: z.object({}).strict(),
    output: z.array(RouterView),
    access: 'routers.view',
    audited: false,
    summary:
      'Routers with live status (online, identity, RouterOS version, uptime, CPU, memory, last error) and job counts.',
  }),
  'routers.get': method({
    input: z.object({ id: Id }),
    output: RouterView,
    access: 'routers.view',
    audited: false,
    summary: 'One router with live status.',
  }),
  'routers.create': method({
    input: RouterInput.extend({
      /** The fingerprint shown by routers.test: pinned from the first connection instead of trusted on first use. */
      tlsFingerprint: Fingerprint.optional(),
    }),
    output: RouterView,
    access: 'routers.manage',
    audited: true,
    summary:
      'Add a router (the API password is encrypted at rest; empty is allowed for a factory RouterOS 6 login, with a warning in the UI); its connection starts at once when enabled. API-SSL pins the certificate shown by routers.test, or the first one seen.',
  }),
  'routers.update': method({
    input: RouterFields.partial().extend({ id: Id, version: z.number().int() }),
    output: RouterView,
    access: 'routers.manage',
    audited: true,
    summary: 'Edit a router (optimistic locking on version; an empty password keeps the stored one).',
  }),
  'routers.remove': method({
    input: z.object({ id: Id }),
    output: Ok,
    access: 'routers.manage',
    audited: true,
    summary: 'Remove a router with its jobs and desired state (nothing is deleted on the router itself).',
  }),
  'routers.setReconcilePolicy': method({
    input: ReconcilePolicy.extend({ id: Id, version: z.number().int() }),
    output: RouterView,
    access: 'routers.manage',
    audited: true,
    summary:
      'Set the automatic reconcile of one router: interval (0 = only on connect/by hand, 5, 15, 30, 60 minutes) and what it repairs per kind of drift. Unknown PPP secrets are always only reported.',
  }),
  'routers.test': method({
    input: RouterTestInput,
    output: RouterTestResult,
    access: 'routers.manage',
    audited: false,
    summary:
      "Test connection parameters before saving: wrong login → VALIDATION on password; unreachable → ROUTER_UNREACHABLE; with routerId, a certificate other than the router's pinned one → ROUTER_CERT_CHANGED (the password is not sent). Returns the API-SSL certificate fingerprint to show.",
  }),
  'routers.acceptCertificate': method({
    input: z.object({ id: Id, fingerprint: Fingerprint }),
    output: RouterView,
    access: 'routers.trust',
    audited: true,
    summary:
      'Accept the API-SSL certificate a router now presents in place of its pinned one (admins only). `fingerprint` must be the one shown as offered, so a certificate nobody saw is never trusted.',
  }),
  'routerJobs.list': method({
    input: PageInput.extend({
      routerId: Id.optional(),
      state: z.enum(JOB_STATES).optional(),
      /** `open` = pending + running + failed. */
      open: z.boolean().optional(),
      batchId: z.string().max(64).optional(),
    }),
    output: page(RouterJobView),
    access: 'routers.view',
    audited: false,
    summary: 'Router jobs (paged, newest first); pending ones are shown as "menunggu sinkron".',
  }),
  'routerJobs.retry': method({
    input: z.object({ ids: z.array(Id).min(1).max(1000) }),
    output: z.object({ count: z.number().int() }),
    access: 'routers.manage',
    audited: true,
    summary: 'Run failed, cancelled or waiting jobs again now.',
  }),
  'routerJobs.retryFailed': method({
    input: z.object({ routerId: Id }),
    output: z.object({ count: z.number().int() }),
    access: 'routers.manage',
    audited: true,
    summary: 'Run every failed job of a router again.',
  }),
  'routerJobs.cancel': method({
    input: z.object({ ids: z.array(Id).min(1).max(1000) }),
    output: z.object({ count: z.number().int() }),
    access: 'routers.manage',
    audited: true,
    summary: 'Cancel jobs that have not run yet.',
  }),
  'routerJobs.progress': method({
    input: z.object({ batchId: z.string().min(1).max(64) }),
    output: BatchProgress,
    access: 'routers.view',
    audited: false,
    summary: 'Progress of a batch of jobs (also pushed as routerJobs.progress events).',
  }),
  'reconcile.run': method({
    input: z.object({ routerId: Id }),
    output: DriftReport,
    access: 'routers.view',
    audited: false,
    summary:
      'Compare what the router holds with what Rukun wants: missing, extra and different rows per menu.',
  }),
  'reconcile.repair': method({
    input: z.object({
      routerId: Id,
      menus: z.array(z.string().max(64)).max(20).optional(),
      pushMissing: z.boolean().default(true),
      fixDifferent: z.boolean().default(true),
      removeExtra: z.boolean().default(false),
      /** What to do with managed rows only on the router; overrides `removeExtra` (kept for older callers). */
      extra: z.enum(['report', 'disable', 'remove']).optional(),
    }),
    output: z.object({ batchId: z.string().nullable(), jobs: z.number().int() }),
    access: 'routers.manage',
    audited: true,
    summary: 'Repair drift through router jobs (extra rows are removed only when Rukun manages them).',
  }),
  'reconcile.runPolicy': method({
    input: z.object({ routerId: Id }),
    output: ReconcileOutcome,
    access: 'routers.manage',
    audited: true,
    summary:
      "Run the router's automatic reconcile now with its own policy; the repairs it queues are audited with that policy.",
  }),
  'reconcile.adopt': method({
    input: z.object({
      routerId: Id,
      hotspotProfiles: z.boolean().default(false),
      pppProfiles: z.boolean().default(false),
      pppSecrets: z.boolean().default(false),
      /** Other menus with an adopting provider (e.g. /ip/hotspot/user). */
      menus: z.array(z.string().max(64)).max(20).optional(),
    }),
    output: z.object({ adopted: z.record(z.string(), z.number().int()) }),
    access: 'routers.manage',
    audited: true,
    summary: 'Take existing hotspot profiles, PPP profiles and PPP secrets from a running router into Rukun.',
  }),
  'monitor.sessions': method({
    input: z.object({ routerId: Id }),
    output: Sessions,
    access: 'routers.view',
    audited: false,
    summary: 'Active hotspot users and PPP sessions on a router.',
  }),
  'monitor.watch': method({
    input: z.object({ routerId: Id }),
    output: Ok,
    access: 'routers.view',
    audited: false,
    summary:
      'Push monitor.sessions events for this router every few seconds for the next minute (call again to keep watching).',
  }),
  'monitor.kick': method({
    input: z.object({ routerId: Id, kind: z.enum(['hotspot', 'ppp']), id: z.string().min(1).max(32) }),
    output: Ok,
    access: 'sessions.kick',
    audited: true,
    summary: 'End one active session (the user may log in again).',
  }),
};

export const routersEvents = {
  'routers.status': event({
    payload: RouterStatus,
    access: 'routers.view',
    summary: 'A router went online/offline or its resources were polled.',
  }),
  'routerJobs.changed': event({
    payload: z.object({
      routerId: z.string(),
      pending: z.number().int(),
      running: z.number().int(),
      failed: z.number().int(),
    }),
    access: 'routers.view',
    summary: 'Job counts of a router changed.',
  }),
  'routerJobs.progress': event({
    payload: BatchProgress,
    access: 'routers.view',
    summary: 'Progress of a batch of router jobs.',
  }),
  'reconcile.finished': event({
    payload: ReconcileOutcome.extend({ routerId: z.string() }),
    access: 'routers.view',
    summary: 'A reconcile with repair finished (on connect, on schedule or by hand).',
  }),
  'monitor.sessions': event({
    payload: Sessions,
    access: 'routers.view',
    summary: 'Live sessions of a watched router.',
  }),
};
