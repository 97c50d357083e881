/**
 * Routers in the app: the rows (password encrypted at rest), one kept-alive connection per enabled router,
 * and its live status (identity, RouterOS version, uptime, CPU, memory, last error) polled while online.
 */
import { AppError } from '../../shared/contract/errors';
import {
  DEFAULT_RECONCILE_POLICY,
  ReconcileOutcome,
  type ReconcilePolicy,
  type RouterInput,
  type RouterStatus,
  type RouterView,
} from '../../shared/contract/routers';
import { recordChange } from '../audit';
import { systemActor, type Actor } from '../context';
import type { FeatureBase } from '../feature';
import {
  CertificateChangedError,
  ConnectionClosedError,
  LoginFailedError,
  normalizeFingerprint,
  parseRouterOsVersion,
  parseRosDuration,
  RouterConnection,
  RouterOsClient,
  TimeoutError,
  tlsOptionsFor,
  type ConnectionStatus,
  type RouterConnectionOptions,
  type RouterOsClientOptions,
  type RouterOsVersion,
  type TlsMode,
} from '../routeros/index';
import type { RouterInfo } from './api';
import type { RoutersTable } from './schema';

interface LiveStatus {
  identity: string | null;
  rosVersion: string | null;
  version: RouterOsVersion | null;
  board: string | null;
  uptime: number | null;
  cpuLoad: number | null;
  memoryTotal: number | null;
  memoryFree: number | null;
  statusAt: number | null;
}

interface Entry {
  row: RoutersTable;
  conn: RouterConnection | null;
  live: LiveStatus;
  /** Logged into with an empty password (RouterOS 6 factory login); worked out when the row is loaded. */
  passwordEmpty: boolean;
}

const emptyLive = (row: RoutersTable): LiveStatus => ({
  identity: row.identity,
  rosVersion: row.version_text,
  version: row.version_text ? (parseRouterOsVersion(row.version_text) ?? null) : null,
  board: row.board,
  uptime: null,
  cpuLoad: null,
  memoryTotal: null,
  memoryFree: null,
  statusAt: null,
});

export interface RegistryOptions {
  /** Resource poll period while online. Default 10 s. */
  statusPollMs?: number;
  /** Extra connection options (tests shorten timeouts and backoff). */
  connection?: Partial<RouterConnectionOptions>;
}

const num = (v: string | undefined): number | null =>
  v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);

/** Sanitised router row for audit entries: never the password. */
const auditView = (r: RoutersTable) => ({
  name: r.name,
  location: r.location,
  host: r.host,
  port: r.port,
  tls: r.tls === 1,
  tlsMode: r.tls_mode,
  tlsFingerprint: r.tls_fingerprint,
  username: r.username,
  enabled: r.enabled === 1,
});

/**
 * How the client talks API-SSL to this router: 'pinned' checks the certificate against the stored fingerprint
 * before the password is sent (none stored yet = trust on first use, pinned when it connects); 'anonymous-dh'
 * only when the router is explicitly set to it.
 */
function clientTls(row: {
  tls: number;
  tls_mode: TlsMode;
  tls_fingerprint: string | null;
}): Pick<RouterOsClientOptions, 'tls' | 'pinnedFingerprint'> {
  if (row.tls !== 1) return { tls: undefined, pinnedFingerprint: undefined };
  return {
    tls: tlsOptionsFor(row.tls_mode),
    pinnedFingerprint: row.tls_mode === 'pinned' ? (row.tls_fingerprint ?? undefined) : undefined,
  };
}

/** Indonesian text of a refused certificate, shown as the router's last error and in ROUTER_CERT_CHANGED. */
export function certChangedMessage(expected: string, actual: string | null): string {
  return (
    `Sertifikat API-SSL router berubah: yang disimpan ${expected}, yang ditunjukkan sekarang ` +
    `${actual ?? '(tanpa sertifikat)'}. Koneksi ditolak agar kata sandi tidak jatuh ke penyadap. ` +
    'Jika sertifikat router memang diganti, admin dapat menerima sertifikat baru di halaman router.'
  );
}

const policyOf = (r: RoutersTable): ReconcilePolicy => ({
  intervalMinutes: intervalOf(r.reconcile_interval_min),
  missing: r.reconcile_missing,
  different: r.reconcile_different,
  extra: r.reconcile_extra,
});

/** The column is CHECKed in SQL; anything else (a hand-edited database) falls back to the default. */
function intervalOf(n: number): ReconcilePolicy['intervalMinutes'] {
  return n === 0 || n === 5 || n === 15 || n === 30 || n === 60
    ? n
    : DEFAULT_RECONCILE_POLICY.intervalMinutes;
}

/** A stored outcome that no longer parses (written by an older version) is shown as "no run yet". */
function outcomeOf(json: string | null): ReconcileOutcome | null {
  if (!json) return null;
  try {
    const parsed = ReconcileOutcome.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function friendlyConnectError(e: unknown): string {
  if (e instanceof CertificateChangedError) return certChangedMessage(e.expected, e.actual);
  if (e instanceof LoginFailedError) return 'Login ditolak router: user atau kata sandi API salah';
  if (e instanceof TimeoutError) return 'Router tidak menjawab tepat waktu';
  if (e instanceof ConnectionClosedError) return `Router tidak dapat dihubungi (${e.message})`;
  return e instanceof Error ? e.message : String(e);
}

export class RouterRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly onlineListeners = new Set<(r: RouterInfo) => void>();
  private poller: NodeJS.Timeout | undefined;
  private started = false;
  /** Counts shown next to each router; set by the feature (job queue). */
  jobCounts: (routerId: string) => Promise<{ pending: number; running: number; failed: number }> = () =>
    Promise.resolve({ pending: 0, running: 0, failed: 0 });
  /** When the router's next scheduled reconcile is due; set by the feature (reconciler). */
  reconcileNextAt: (routerId: string) => number | null = () => null;
  private readonly policyListeners = new Set<(routerId: string) => void>();

  constructor(
    private readonly base: FeatureBase,
    /** Mutable so tests can shorten timeouts before adding routers. */
    readonly opts: RegistryOptions = {},
  ) {}

  /** Called after a router's reconcile policy or enabled state changed, and after it was added or removed. */
  onPlanChanged(listener: (routerId: string) => void): () => void {
    this.policyListeners.add(listener);
    return () => this.policyListeners.delete(listener);
  }

  private planChanged(routerId: string): void {
    for (const l of this.policyListeners) l(routerId);
  }

  onOnline(listener: (r: RouterInfo) => void): () => void {
    this.onlineListeners.add(listener);
    return () => this.onlineListeners.delete(listener);
  }

  async start(): Promise<void> {
    this.started = true;
    const rows = await this.base.database.db.selectFrom('routers').selectAll().execute();
    for (const row of rows) this.load(row);
    this.poller = setInterval(() => void this.pollAll(), this.opts.statusPollMs ?? 10_000);
    this.poller.unref?.();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.poller);
    await Promise.all([...this.entries.values()].map((e) => e.conn?.stop()));
    this.entries.clear();
  }

  private load(row: RoutersTable): Entry {
    const entry: Entry = { row, conn: null, live: emptyLive(row), passwordEmpty: this.isEmpty(row) };
    this.entries.set(row.id, entry);
    if (row.enabled === 1 && this.started) this.connect(entry);
    return entry;
  }

  private isEmpty(row: RoutersTable): boolean {
    try {
      return this.base.secrets.decrypt(row.password_enc) === '';
    } catch {
      return false;
    }
  }

  private connect(entry: Entry): void {
    const { row } = entry;
    const conn = new RouterConnection({
      host: row.host,
      port: row.port,
      ...clientTls(row),
      username: row.username,
      password: this.base.secrets.decrypt(row.password_enc),
      timeoutMs: 15_000,
      connectTimeoutMs: 8_000,
      maxInFlight: 32,
      backoff: { initialMs: 1000, maxMs: 30_000 },
      ...this.opts.connection,
    });
    conn.setMaxListeners(50);
    conn.on('status', (s) => void this.onStatus(entry, conn, s));
    entry.conn = conn;
    conn.start();
  }

  private async onStatus(entry: Entry, conn: RouterConnection, s: ConnectionStatus): Promise<void> {
    if (entry.conn !== conn) return;
    if (s.state === 'online') {
      await this.trustOnFirstUse(entry, conn).catch((e: unknown) =>
        this.base.log.warn('router certificate pin not saved', { router: entry.row.id, error: String(e) }),
      );
      try {
        await this.poll(entry);
      } catch (e) {
        this.base.log.warn('router status read failed', { router: entry.row.id, error: String(e) });
      }
      if (entry.conn !== conn || !conn.online) return;
      const info = this.info(entry.row.id);
      if (info) for (const l of this.onlineListeners) l(info);
    } else if (s.state === 'offline' && s.lastError) {
      const msg = friendlyConnectError(s.lastError);
      // A refused certificate waits for an admin's decision on the router page (routers.acceptCertificate).
      const offered =
        s.lastError instanceof CertificateChangedError
          ? (s.lastError.actual ?? '')
          : entry.row.tls_offered_fingerprint;
      if (entry.row.last_error !== msg || entry.row.tls_offered_fingerprint !== offered) {
        entry.row.last_error = msg;
        entry.row.tls_offered_fingerprint = offered;
        await this.base.database.db
          .updateTable('routers')
          .set({ last_error: msg, tls_offered_fingerprint: offered })
          .where('id', '=', entry.row.id)
          .execute()
          .catch(() => undefined);
      }
    }
    this.emitStatus(entry);
  }

  /**
   * Online over API-SSL: pin the certificate if none is pinned yet (trust on first use), and forget a refused
   * one once the router shows the pinned certificate again.
   */
  private async trustOnFirstUse(entry: Entry, conn: RouterConnection): Promise<void> {
    const row = entry.row;
    if (row.tls !== 1 || row.tls_mode !== 'pinned') return;
    const presented = conn.client?.peerFingerprint ?? null;
    if (!presented) return;
    if (row.tls_fingerprint === null) {
      row.tls_fingerprint = presented;
      row.tls_offered_fingerprint = null;
      conn.pin(presented);
      await this.base.database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('routers')
          .set({ tls_fingerprint: presented, tls_offered_fingerprint: null })
          .where('id', '=', row.id)
          .execute();
        await recordChange(trx, this.base, {
          actor: systemActor,
          action: 'routers.pinCertificate',
          entity: 'router',
          entityId: row.id,
          after: { name: row.name, tlsFingerprint: presented },
          op: 'update',
        });
      });
      this.base.log.info('router certificate pinned on first use', {
        router: row.id,
        fingerprint: presented,
      });
    } else if (row.tls_offered_fingerprint !== null && presented === row.tls_fingerprint) {
      row.tls_offered_fingerprint = null;
      await this.base.database.db
        .updateTable('routers')
        .set({ tls_offered_fingerprint: null })
        .where('id', '=', row.id)
        .execute();
    }
  }

  private async pollAll(): Promise<void> {
    for (const e of this.entries.values()) {
      if (!e.conn?.online) continue;
      try {
        await this.poll(e);
        this.emitStatus(e);
      } catch {
        // The connection reports its own state change.
      }
    }
  }

  private async poll(entry: Entry): Promise<void> {
    const conn = entry.conn;
    if (!conn) return;
    const [res] = await conn.call('/system/resource/print');
    const [ident] = await conn.call('/system/identity/print');
    const now = this.base.clock.now();
    const rosVersion = res?.['version'] ?? null;
    entry.live = {
      identity: ident?.['name'] ?? entry.live.identity,
      rosVersion,
      version: rosVersion ? (parseRouterOsVersion(rosVersion) ?? null) : null,
      board: res?.['board-name'] ?? null,
      uptime: res?.['uptime'] ? Math.round((parseRosDuration(res['uptime']) ?? 0) / 1000) : null,
      cpuLoad: num(res?.['cpu-load']),
      memoryTotal: num(res?.['total-memory']),
      memoryFree: num(res?.['free-memory']),
      statusAt: now,
    };
    const r = entry.row;
    const changed =
      r.identity !== entry.live.identity ||
      r.version_text !== rosVersion ||
      r.board !== entry.live.board ||
      r.last_error !== null;
    r.identity = entry.live.identity;
    r.version_text = rosVersion;
    r.board = entry.live.board;
    r.last_error = null;
    r.last_seen_at = now;
    // last_seen_at is written at most once a minute unless something else changed.
    if (changed || (r.last_seen_at ?? 0) - (this.lastSeenWritten.get(r.id) ?? 0) >= 60_000) {
      this.lastSeenWritten.set(r.id, now);
      await this.base.database.db
        .updateTable('routers')
        .set({
          identity: r.identity,
          version_text: rosVersion,
          board: r.board,
          last_error: null,
          last_seen_at: now,
        })
        .where('id', '=', r.id)
        .execute();
    }
  }
  private readonly lastSeenWritten = new Map<string, number>();

  private emitStatus(entry: Entry): void {
    this.base.events.emit('routers.status', this.status(entry));
  }

  private status(entry: Entry): RouterStatus {
    const st = entry.conn?.status.state ?? 'stopped';
    return {
      id: entry.row.id,
      state: st,
      online: st === 'online',
      identity: entry.live.identity,
      rosVersion: entry.live.rosVersion,
      board: entry.live.board,
      uptime: entry.live.uptime,
      cpuLoad: entry.live.cpuLoad,
      memoryTotal: entry.live.memoryTotal,
      memoryFree: entry.live.memoryFree,
      statusAt: entry.live.statusAt,
      lastSeenAt: entry.row.last_seen_at,
      lastError: st === 'online' ? null : entry.row.last_error,
    };
  }

  info(id: string): RouterInfo | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    return {
      id: e.row.id,
      name: e.row.name,
      location: e.row.location,
      host: e.row.host,
      port: e.row.port,
      tls: e.row.tls === 1,
      enabled: e.row.enabled === 1,
      identity: e.live.identity,
      version: e.live.version,
      online: e.conn?.online ?? false,
    };
  }

  infos(): RouterInfo[] {
    return [...this.entries.keys()].map((id) => this.info(id)!).sort((a, b) => a.name.localeCompare(b.name));
  }

  mustInfo(id: string): RouterInfo {
    const i = this.info(id);
    if (!i) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    return i;
  }

  conn(id: string): RouterConnection | undefined {
    return this.entries.get(id)?.conn ?? undefined;
  }

  /** The connection for reads; a stopped placeholder when the router is disabled, so callers get a clean offline error. */
  connection(id: string): RouterConnection {
    const e = this.entries.get(id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    if (e.conn) return e.conn;
    const row = e.row;
    return new RouterConnection({ host: row.host, port: row.port, username: row.username, password: '' });
  }

  /** Fails with ROUTER_UNREACHABLE when the router is not online now. */
  onlineConnection(id: string): RouterConnection {
    const e = this.entries.get(id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    if (!e.conn?.online) {
      const offered = e.row.tls_offered_fingerprint;
      if (offered !== null && e.row.tls_fingerprint !== null) {
        throw new AppError(
          'ROUTER_CERT_CHANGED',
          certChangedMessage(e.row.tls_fingerprint, offered || null),
          {
            expected: e.row.tls_fingerprint,
            actual: offered || null,
          },
        );
      }
      throw new AppError(
        'ROUTER_UNREACHABLE',
        `Router ${e.row.name} sedang tidak terhubung${e.row.last_error ? `: ${e.row.last_error}` : ''}`,
      );
    }
    return e.conn;
  }

  async view(id: string): Promise<RouterView> {
    const e = this.entries.get(id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    const counts = await this.jobCounts(id);
    const s = this.status(e);
    return {
      ...s,
      name: e.row.name,
      location: e.row.location,
      host: e.row.host,
      port: e.row.port,
      tls: e.row.tls === 1,
      tlsMode: e.row.tls_mode,
      tlsFingerprint: e.row.tls === 1 ? e.row.tls_fingerprint : null,
      tlsOfferedFingerprint: e.row.tls === 1 ? e.row.tls_offered_fingerprint : null,
      username: e.row.username,
      passwordEmpty: e.passwordEmpty,
      enabled: e.row.enabled === 1,
      rosMajor: e.live.version?.major ?? null,
      jobsPending: counts.pending + counts.running,
      jobsFailed: counts.failed,
      reconcile: {
        policy: policyOf(e.row),
        last: outcomeOf(e.row.reconcile_last_json),
        nextAt: this.reconcileNextAt(id),
      },
      version: e.row.version,
    };
  }

  async list(): Promise<RouterView[]> {
    return Promise.all(this.infos().map((i) => this.view(i.id)));
  }

  private async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    let q = this.base.database.db.selectFrom('routers').select('id').where('name', '=', name);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async create(
    actor: Actor,
    input: RouterInput & { tlsFingerprint?: string | undefined },
  ): Promise<RouterView> {
    if (await this.nameTaken(input.name)) {
      throw new AppError('VALIDATION', 'Nama router sudah dipakai', {
        issues: [{ path: 'name', message: 'Nama router sudah dipakai', code: 'duplicate' }],
      });
    }
    const now = this.base.clock.now();
    const row: RoutersTable = {
      id: this.base.ids(),
      name: input.name,
      location: input.location,
      host: input.host,
      port: input.port,
      tls: input.tls ? 1 : 0,
      username: input.username,
      password_enc: this.base.secrets.encrypt(input.password),
      identity: null,
      version_text: null,
      board: null,
      last_seen_at: null,
      last_error: null,
      enabled: input.enabled ? 1 : 0,
      created_at: now,
      updated_at: now,
      version: 1,
      reconcile_interval_min: DEFAULT_RECONCILE_POLICY.intervalMinutes,
      reconcile_missing: DEFAULT_RECONCILE_POLICY.missing,
      reconcile_different: DEFAULT_RECONCILE_POLICY.different,
      reconcile_extra: DEFAULT_RECONCILE_POLICY.extra,
      reconcile_last_json: null,
      tls_mode: input.tlsMode,
      // The fingerprint the person saw when testing: pinned from the very first connection.
      tls_fingerprint:
        input.tls && input.tlsMode === 'pinned' && input.tlsFingerprint
          ? normalizeFingerprint(input.tlsFingerprint)
          : null,
      tls_offered_fingerprint: null,
    };
    await this.base.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('routers').values(row).execute();
      await recordChange(trx, this.base, {
        actor,
        action: 'routers.create',
        entity: 'router',
        entityId: row.id,
        after: auditView(row),
        op: 'insert',
      });
    });
    this.load(row);
    this.planChanged(row.id);
    return this.view(row.id);
  }

  async update(
    actor: Actor,
    input: Partial<RouterInput> & { id: string; version: number },
  ): Promise<RouterView> {
    const e = this.entries.get(input.id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    const before = e.row;
    if (before.version !== input.version) {
      throw new AppError('CONFLICT', 'Router ini baru saja diubah orang lain. Muat ulang lalu coba lagi.', {
        currentVersion: before.version,
      });
    }
    if (input.name !== undefined && (await this.nameTaken(input.name, input.id))) {
      throw new AppError('VALIDATION', 'Nama router sudah dipakai', {
        issues: [{ path: 'name', message: 'Nama router sudah dipakai', code: 'duplicate' }],
      });
    }
    const now = this.base.clock.now();
    const after: RoutersTable = {
      ...before,
      name: input.name ?? before.name,
      location: input.location ?? before.location,
      host: input.host ?? before.host,
      port: input.port ?? before.port,
      tls: input.tls === undefined ? before.tls : input.tls ? 1 : 0,
      tls_mode: input.tlsMode ?? before.tls_mode,
      username: input.username ?? before.username,
      password_enc: input.password ? this.base.secrets.encrypt(input.password) : before.password_enc,
      enabled: input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0,
      updated_at: now,
      version: before.version + 1,
    };
    await this.base.database.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('routers')
        .set({
          name: after.name,
          location: after.location,
          host: after.host,
          port: after.port,
          tls: after.tls,
          tls_mode: after.tls_mode,
          username: after.username,
          password_enc: after.password_enc,
          enabled: after.enabled,
          updated_at: now,
          version: after.version,
        })
        .where('id', '=', input.id)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (res.numUpdatedRows !== 1n)
        throw new AppError('CONFLICT', 'Router ini baru saja diubah orang lain. Muat ulang lalu coba lagi.');
      await recordChange(trx, this.base, {
        actor,
        action: 'routers.update',
        entity: 'router',
        entityId: input.id,
        before: auditView(before),
        after: { ...auditView(after), passwordChanged: !!input.password },
        op: 'update',
      });
    });
    const reconnect =
      after.host !== before.host ||
      after.port !== before.port ||
      after.tls !== before.tls ||
      after.tls_mode !== before.tls_mode ||
      after.username !== before.username ||
      after.password_enc !== before.password_enc ||
      after.enabled !== before.enabled;
    if (reconnect) {
      await e.conn?.stop();
      e.conn = null;
      e.row = after;
      e.passwordEmpty = this.isEmpty(after);
      if (after.enabled === 1 && this.started) this.connect(e);
      this.emitStatus(e);
    } else {
      e.row = after;
    }
    if (after.enabled !== before.enabled) this.planChanged(input.id);
    return this.view(input.id);
  }

  /** The router's automatic reconcile (NOT_FOUND when unknown). */
  reconcilePolicy(id: string): ReconcilePolicy {
    const e = this.entries.get(id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    return policyOf(e.row);
  }

  lastReconcile(id: string): ReconcileOutcome | null {
    const e = this.entries.get(id);
    return e ? outcomeOf(e.row.reconcile_last_json) : null;
  }

  async setReconcilePolicy(
    actor: Actor,
    input: ReconcilePolicy & { id: string; version: number },
  ): Promise<RouterView> {
    const e = this.entries.get(input.id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    const before = e.row;
    if (before.version !== input.version) {
      throw new AppError('CONFLICT', 'Router ini baru saja diubah orang lain. Muat ulang lalu coba lagi.', {
        currentVersion: before.version,
      });
    }
    const now = this.base.clock.now();
    const after: RoutersTable = {
      ...before,
      reconcile_interval_min: input.intervalMinutes,
      reconcile_missing: input.missing,
      reconcile_different: input.different,
      reconcile_extra: input.extra,
      updated_at: now,
      version: before.version + 1,
    };
    await this.base.database.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('routers')
        .set({
          reconcile_interval_min: after.reconcile_interval_min,
          reconcile_missing: after.reconcile_missing,
          reconcile_different: after.reconcile_different,
          reconcile_extra: after.reconcile_extra,
          updated_at: now,
          version: after.version,
        })
        .where('id', '=', input.id)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (res.numUpdatedRows !== 1n)
        throw new AppError('CONFLICT', 'Router ini baru saja diubah orang lain. Muat ulang lalu coba lagi.');
      await recordChange(trx, this.base, {
        actor,
        action: 'routers.setReconcilePolicy',
        entity: 'router',
        entityId: input.id,
        before: { name: before.name, ...policyOf(before) },
        after: { name: after.name, ...policyOf(after) },
        op: 'update',
      });
    });
    // In place: the status poll and the reconciler write other columns of the same cached row meanwhile.
    Object.assign(e.row, {
      reconcile_interval_min: after.reconcile_interval_min,
      reconcile_missing: after.reconcile_missing,
      reconcile_different: after.reconcile_different,
      reconcile_extra: after.reconcile_extra,
      updated_at: now,
      version: after.version,
    });
    this.planChanged(input.id);
    return this.view(input.id);
  }

  /** Status, not configuration: no version bump and no audit entry (repairs are audited by the reconciler). */
  async recordReconcile(id: string, outcome: ReconcileOutcome): Promise<void> {
    const e = this.entries.get(id);
    if (!e) return;
    const json = JSON.stringify(outcome);
    e.row.reconcile_last_json = json;
    await this.base.database.db
      .updateTable('routers')
      .set({ reconcile_last_json: json })
      .where('id', '=', id)
      .execute();
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    await this.base.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('routers').where('id', '=', id).execute();
      await recordChange(trx, this.base, {
        actor,
        action: 'routers.remove',
        entity: 'router',
        entityId: id,
        before: auditView(e.row),
        op: 'delete',
      });
    });
    this.entries.delete(id);
    this.planChanged(id);
    await e.conn?.stop();
  }

  /**
   * An admin accepts the certificate the router now presents in place of the pinned one. `fingerprint` must be
   * the offered one the admin was shown: a certificate nobody has seen is never trusted.
   */
  async acceptCertificate(actor: Actor, input: { id: string; fingerprint: string }): Promise<RouterView> {
    const e = this.entries.get(input.id);
    if (!e) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    const offered = e.row.tls_offered_fingerprint;
    if (!offered) {
      throw new AppError(
        'CONFLICT',
        'Router ini tidak sedang menunjukkan sertifikat lain; tidak ada yang perlu diterima.',
      );
    }
    if (normalizeFingerprint(input.fingerprint) !== offered) {
      throw new AppError(
        'CONFLICT',
        'Sertifikat yang ditunjukkan router sudah berbeda lagi dari yang Anda lihat. Muat ulang halaman dan periksa sidik jarinya.',
        { offered },
      );
    }
    const before = e.row;
    const now = this.base.clock.now();
    const after: RoutersTable = {
      ...before,
      tls_fingerprint: offered,
      tls_offered_fingerprint: null,
      last_error: null,
      updated_at: now,
      version: before.version + 1,
    };
    await this.base.database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('routers')
        .set({
          tls_fingerprint: after.tls_fingerprint,
          tls_offered_fingerprint: null,
          last_error: null,
          updated_at: now,
          version: after.version,
        })
        .where('id', '=', input.id)
        .execute();
      await recordChange(trx, this.base, {
        actor,
        action: 'routers.acceptCertificate',
        entity: 'router',
        entityId: input.id,
        before: { name: before.name, tlsFingerprint: before.tls_fingerprint },
        after: { name: after.name, tlsFingerprint: after.tls_fingerprint },
        op: 'update',
      });
    });
    // Reconnect now with the new pin instead of waiting for the backoff.
    await e.conn?.stop();
    e.conn = null;
    e.row = after;
    if (after.enabled === 1 && this.started) this.connect(e);
    this.emitStatus(e);
    return this.view(input.id);
  }

  /**
   * Try parameters without saving: log in, read identity and resources, disconnect. Over API-SSL the result
   * carries the certificate's fingerprint to show; for a saved router the pinned certificate is checked first
   * (ROUTER_CERT_CHANGED, and the password is not sent to a certificate that is not the pinned one).
   */
  async test(input: {
    routerId?: string | undefined;
    host: string;
    port: number;
    tls: boolean;
    tlsMode?: TlsMode | undefined;
    username: string;
    password: string;
  }) {
    let password = input.password;
    const stored = input.routerId ? this.entries.get(input.routerId) : undefined;
    if (input.routerId && !stored) throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
    if (!password && stored) password = this.base.secrets.decrypt(stored.row.password_enc);
    const tlsMode = input.tlsMode ?? 'pinned';
    const client = new RouterOsClient({
      host: input.host,
      port: input.port,
      ...clientTls({
        tls: input.tls ? 1 : 0,
        tls_mode: tlsMode,
        tls_fingerprint: stored?.row.tls === 1 ? stored.row.tls_fingerprint : null,
      }),
      username: input.username,
      password,
      timeoutMs: 8000,
      connectTimeoutMs: 6000,
    });
    try {
      await client.connect();
      const [res] = await client.call('/system/resource/print');
      const [ident] = await client.call('/system/identity/print');
      return {
        identity: ident?.['name'] ?? '',
        rosVersion: res?.['version'] ?? '',
        board: res?.['board-name'] ?? '',
        uptime: Math.round((parseRosDuration(res?.['uptime'] ?? '0s') ?? 0) / 1000),
        tlsFingerprint: input.tls ? client.peerFingerprint : null,
        passwordEmpty: password === '',
      };
    } catch (e) {
      if (e instanceof CertificateChangedError) {
        throw new AppError('ROUTER_CERT_CHANGED', certChangedMessage(e.expected, e.actual), {
          expected: e.expected,
          actual: e.actual,
        });
      }
      if (e instanceof LoginFailedError) {
        throw new AppError('VALIDATION', 'User atau kata sandi API ditolak router', {
          issues: [
            { path: 'password', message: 'User atau kata sandi API ditolak router', code: 'login_failed' },
          ],
        });
      }
      if (e instanceof ConnectionClosedError || e instanceof TimeoutError) {
        throw new AppError(
          'ROUTER_UNREACHABLE',
          `Router tidak dapat dihubungi di ${input.host}:${input.port} — ${e.message}${tlsHint(input.tls, tlsMode, e)}`,
        );
      }
      throw new AppError(
        'ROUTER_ERROR',
        `Router menjawab dengan galat: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}

/** A TLS handshake that fails on ciphers usually means the router's API-SSL has no certificate (or has one). */
function tlsHint(tls: boolean, mode: TlsMode, e: Error): string {
  if (!tls || !/handshake|cipher|alert/i.test(e.message)) return '';
  return mode === 'pinned'
    ? '. Jika API-SSL router belum memakai sertifikat, pasang sertifikat di router (disarankan) atau pilih mode "tanpa sertifikat (anonymous DH)".'
    : '. Router ini memakai sertifikat: pilih mode "sertifikat disematkan".';
}
