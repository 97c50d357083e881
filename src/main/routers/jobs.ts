/**
 * Durable router jobs and the per-router worker that runs them.
 *
 * Every intended router change is a row in `router_jobs`, written in the caller's transaction. A worker per
 * router claims pending jobs (same key strictly in order, different keys concurrently, at most `concurrency`
 * in flight, pipelined over the router's one connection) and records the outcome. Offline or timed-out
 * routers make a job wait with exponential backoff; a router that comes back retries its waiting jobs at once.
 * A refused command (invalid value, unknown parameter) fails the job at once with an Indonesian message.
 * `running` rows found at start go back to `pending`: operations are idempotent, so running one twice is safe.
 *
 * SQLite is one better-sqlite3 connection shared with Kysely. The worker reads and writes only through
 * `db.connection()` (which waits for any open transaction to finish), so it never sees another feature's
 * uncommitted jobs and never writes inside someone else's transaction.
 */
import { sql } from 'kysely';
import { AppError } from '../../shared/contract/errors';
import type { Db, Trx } from '../db/database';
import type { FeatureBase } from '../feature';
import {
  backoffDelay,
  ConnectionClosedError,
  RouterOsError,
  TimeoutError,
  type RouterConnection,
} from '../routeros/index';
import type { BatchProgress, FinishedJob, JobInput, OperationRun, RouterInfo } from './api';
import type { JobState } from './schema';

export interface JobHost {
  info(routerId: string): RouterInfo | undefined;
  conn(routerId: string): RouterConnection | undefined;
}

export interface OperationOptions {
  /**
   * The operation reads the desired state from the database when it runs (its payload only names the row),
   * so it must not run while a profile change it may depend on is still waiting, even one enqueued later.
   */
  readsCurrentState?: boolean;
}

export interface JobQueueOptions {
  /** Jobs in flight per router. Default 32. */
  concurrency?: number;
  /** Backoff of a waiting job. */
  backoff?: { initialMs?: number; maxMs?: number };
}

interface ClaimRow {
  id: string;
  operation: string;
  payload_json: string;
  key: string | null;
  batch_id: string | null;
}

const json = (v: unknown): string => JSON.stringify(v ?? null);

/** Default ordering key: jobs touching the same router row must not overtake each other. */
export function defaultKey(operation: string, payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  if (
    operation.startsWith('menu.') &&
    typeof p['menu'] === 'string' &&
    p['match'] &&
    typeof p['match'] === 'object'
  ) {
    const m = p['match'] as Record<string, unknown>;
    return `${p['menu']}|${Object.keys(m)
      .sort()
      .map((k) => `${k}=${String(m[k])}`)
      .join('&')}`;
  }
  if (operation === 'ppp.kick' && typeof p['name'] === 'string') return `/ppp/active|name=${p['name']}`;
  if (operation === 'hotspot.kick' && typeof p['user'] === 'string')
    return `/ip/hotspot/active|user=${p['user']}`;
  if (operation === 'ppp.secret.sync' && typeof p['name'] === 'string')
    return `/ppp/secret|name=${p['name']}`;
  return null;
}

/**
 * Profile changes are barriers: jobs enqueued after one wait until it has run, so a secret or user never
 * reaches the router before the profile it names (they have different keys and would otherwise race).
 */
export function isBarrier(key: string | null): boolean {
  return key !== null && /\/profile\|/.test(key);
}

/** Turn an operation failure into (transient?, Indonesian message). */
export function classifyError(e: unknown): { transient: boolean; message: string } {
  if (e instanceof ConnectionClosedError)
    return { transient: true, message: `Router tidak terhubung: ${e.message}` };
  if (e instanceof TimeoutError)
    return { transient: true, message: `Router tidak menjawab tepat waktu: ${e.message}` };
  if (e instanceof RouterOsError) {
    switch (e.kind) {
      case 'invalid_value':
        return { transient: false, message: `Nilai ditolak router: ${e.message}` };
      case 'unknown_parameter':
        return { transient: false, message: `Parameter tidak dikenal router: ${e.message}` };
      case 'not_found':
        return { transient: false, message: `Data tidak ditemukan di router: ${e.message}` };
      case 'duplicate':
        return { transient: false, message: `Data sudah ada di router: ${e.message}` };
      default:
        return { transient: false, message: `Router menolak perintah: ${e.message}` };
    }
  }
  if (e instanceof AppError) return { transient: e.code === 'ROUTER_UNREACHABLE', message: e.message };
  return { transient: false, message: `Kesalahan internal: ${e instanceof Error ? e.message : String(e)}` };
}

export class JobQueue {
  private readonly ops = new Map<string, OperationRun<unknown>>();
  private readonly workers = new Map<string, RouterWorker>();
  private readonly finishedListeners = new Set<(job: FinishedJob) => void>();
  private readonly progressTimers = new Map<string, NodeJS.Timeout>();
  private readonly changedTimers = new Map<string, NodeJS.Timeout>();
  private readonly batchWaiters = new Map<string, Set<() => void>>();
  private readonly lateBinding = new Set<string>();
  private started = false;
  readonly concurrency: number;
  readonly backoff: { initialMs: number; maxMs: number };

  constructor(
    readonly base: FeatureBase,
    readonly host: JobHost,
    opts: JobQueueOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 32;
    this.backoff = { initialMs: opts.backoff?.initialMs ?? 2000, maxMs: opts.backoff?.maxMs ?? 5 * 60_000 };
  }

  get db(): Db {
    return this.base.database.db;
  }

  registerOperation<P>(name: string, run: OperationRun<P>, opts: OperationOptions = {}): void {
    if (this.ops.has(name)) throw new Error(`router operation ${name} registered twice`);
    this.ops.set(name, run as OperationRun<unknown>);
    if (opts.readsCurrentState) this.lateBinding.add(name);
  }

  /** Does this operation read the desired state when it runs (rather than carrying it in its payload)? */
  isLateBinding(name: string): boolean {
    return this.lateBinding.has(name);
  }

  operation(name: string): OperationRun<unknown> | undefined {
    return this.ops.get(name);
  }

  async enqueue(trx: Db | Trx, job: JobInput): Promise<string> {
    const [id] = await this.enqueueMany(trx, [job]);
    return id!;
  }

  /**
   * Inside a Kysely transaction the connection is already held by the caller, so raw prepared statements join
   * that transaction. On a plain Db we take the connection (waiting for other transactions) and open our own.
   */
  async enqueueMany(trx: Db | Trx, jobs: readonly JobInput[]): Promise<string[]> {
    if (jobs.length === 0) return [];
    for (const j of jobs) {
      if (!this.ops.has(j.operation)) throw new Error(`unknown router operation ${j.operation}`);
    }
    const { sqlite } = this.base.database;
    const now = this.base.clock.now();
    const insertAll = (): string[] => {
      const maxSeq = (
        sqlite.prepare('SELECT coalesce(max(seq), 0) AS s FROM router_jobs').get() as { s: number }
      ).s;
      const stmt = sqlite.prepare(
        `INSERT INTO router_jobs (id, seq, router_id, operation, payload_json, key, batch_id, state, attempts, next_try_at,
           created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      );
      const ids: string[] = [];
      jobs.forEach((j, i) => {
        const id = this.base.ids();
        stmt.run(
          id,
          maxSeq + i + 1,
          j.routerId,
          j.operation,
          json(j.payload),
          j.key ?? defaultKey(j.operation, j.payload),
          j.batchId ?? null,
          now,
          now,
          now,
        );
        ids.push(id);
      });
      return ids;
    };
    let ids: string[];
    if (trx.isTransaction) {
      ids = insertAll();
      // Wake the workers once the caller's transaction has committed (its connection is released).
      void this.db
        .connection()
        .execute(async () => undefined)
        .then(() => this.afterEnqueue(jobs));
    } else {
      ids = await trx.connection().execute(async () => sqlite.transaction(insertAll)());
      this.afterEnqueue(jobs);
    }
    return ids;
  }

  private afterEnqueue(jobs: readonly JobInput[]): void {
    const routers = new Set(jobs.map((j) => j.routerId));
    for (const r of routers) {
      this.poke(r);
      this.scheduleChanged(r);
    }
    const batches = new Set(jobs.map((j) => j.batchId).filter((b): b is string => !!b));
    for (const b of batches) this.scheduleProgress(b);
  }

  onJobFinished(listener: (job: FinishedJob) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  async start(): Promise<void> {
    this.started = true;
    const now = this.base.clock.now();
    await this.db
      .updateTable('router_jobs')
      .set({ state: 'pending', next_try_at: now, updated_at: now })
      .where('state', '=', 'running')
      .execute();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of [...this.progressTimers.values(), ...this.changedTimers.values()]) clearTimeout(t);
    this.progressTimers.clear();
    this.changedTimers.clear();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
  }

  /** Start (or wake) the worker of a router; without an id, every known worker. */
  poke(routerId?: string): void {
    if (!this.started) return;
    if (routerId === undefined) {
      for (const w of this.workers.values()) w.poke();
      return;
    }
    let w = this.workers.get(routerId);
    if (!w) {
      w = new RouterWorker(this, routerId);
      this.workers.set(routerId, w);
    }
    w.poke();
  }

  /** The router is back: jobs waiting for it are retried now, not after their backoff. */
  async routerOnline(routerId: string): Promise<void> {
    const now = this.base.clock.now();
    await this.db
      .updateTable('router_jobs')
      .set({ next_try_at: now })
      .where('router_id', '=', routerId)
      .where('state', '=', 'pending')
      .where('next_try_at', '>', now)
      .execute();
    this.poke(routerId);
  }

  async dropWorker(routerId: string): Promise<void> {
    const w = this.workers.get(routerId);
    this.workers.delete(routerId);
    await w?.stop();
  }

  async batchProgress(batchId: string): Promise<BatchProgress> {
    const rows = await this.db
      .selectFrom('router_jobs')
      .select(['state', sql<number>`count(*)`.as('n')])
      .where('batch_id', '=', batchId)
      .groupBy('state')
      .execute();
    const c = (s: JobState): number => rows.find((r) => r.state === s)?.n ?? 0;
    const done = c('done');
    const failed = c('failed');
    const cancelled = c('cancelled');
    const pending = c('pending') + c('running');
    return { batchId, total: done + failed + cancelled + pending, done, failed, cancelled, pending };
  }

  async waitForBatch(batchId: string): Promise<BatchProgress> {
    for (;;) {
      const waiting = new Promise<void>((resolve) => {
        let set = this.batchWaiters.get(batchId);
        if (!set) this.batchWaiters.set(batchId, (set = new Set()));
        set.add(resolve);
      });
      const p = await this.batchProgress(batchId);
      if (p.pending === 0) {
        this.batchWaiters.get(batchId)?.clear();
        return p;
      }
      // Also look again now and then: another process (or a cancel) may have finished jobs without telling us.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([waiting, new Promise<void>((r) => (timer = setTimeout(r, 1000)))]);
      clearTimeout(timer);
    }
  }

  /** Called by workers after a job's final state is stored. */
  finished(job: FinishedJob): void {
    for (const l of this.finishedListeners) {
      try {
        l(job);
      } catch (e) {
        this.base.log.warn('job listener failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (job.batchId) this.scheduleProgress(job.batchId);
    this.scheduleChanged(job.routerId);
  }

  scheduleChanged(routerId: string): void {
    if (this.changedTimers.has(routerId)) return;
    const t = setTimeout(() => {
      this.changedTimers.delete(routerId);
      void this.emitChanged(routerId);
    }, 250);
    t.unref?.();
    this.changedTimers.set(routerId, t);
  }

  private async emitChanged(routerId: string): Promise<void> {
    if (!this.started) return;
    const counts = await this.counts(routerId);
    this.base.events.emit('routerJobs.changed', { routerId, ...counts });
  }

  async counts(routerId: string): Promise<{ pending: number; running: number; failed: number }> {
    const rows = await this.db
      .selectFrom('router_jobs')
      .select(['state', sql<number>`count(*)`.as('n')])
      .where('router_id', '=', routerId)
      .where('state', 'in', ['pending', 'running', 'failed'])
      .groupBy('state')
      .execute();
    const c = (s: JobState): number => rows.find((r) => r.state === s)?.n ?? 0;
    return { pending: c('pending'), running: c('running'), failed: c('failed') };
  }

  private scheduleProgress(batchId: string): void {
    // Waiters learn at once; UI events are throttled.
    const waiters = this.batchWaiters.get(batchId);
    if (waiters && waiters.size > 0) {
      const all = [...waiters];
      waiters.clear();
      for (const w of all) w();
    }
    if (this.progressTimers.has(batchId)) return;
    const t = setTimeout(() => {
      this.progressTimers.delete(batchId);
      if (!this.started) return;
      void this.batchProgress(batchId).then((p) => this.base.events.emit('routerJobs.progress', p));
    }, 200);
    t.unref?.();
    this.progressTimers.set(batchId, t);
  }

  /** Retry failed/cancelled (or waiting) jobs now. Returns how many were requeued. */
  async retry(ids: readonly string[]): Promise<number> {
    const now = this.base.clock.now();
    const rows = await this.db
      .updateTable('router_jobs')
      .set({ state: 'pending', next_try_at: now, updated_at: now, finished_at: null })
      .where('id', 'in', ids)
      .where('state', 'in', ['failed', 'cancelled', 'pending'])
      .returning(['router_id', 'batch_id'])
      .execute();
    for (const r of new Set(rows.map((r) => r.router_id))) {
      this.poke(r);
      this.scheduleChanged(r);
    }
    for (const b of new Set(rows.map((r) => r.batch_id))) if (b) this.scheduleProgress(b);
    return rows.length;
  }

  /** Cancel jobs that have not run yet. */
  async cancel(ids: readonly string[]): Promise<number> {
    const now = this.base.clock.now();
    const rows = await this.db
      .updateTable('router_jobs')
      .set({ state: 'cancelled', updated_at: now, finished_at: now, last_error: 'Dibatalkan' })
      .where('id', 'in', ids)
      .where('state', '=', 'pending')
      .returning(['id', 'router_id', 'operation', 'payload_json', 'key', 'batch_id'])
      .execute();
    for (const r of rows) {
      this.finished({
        id: r.id,
        routerId: r.router_id,
        operation: r.operation,
        payload: JSON.parse(r.payload_json) as unknown,
        key: r.key,
        batchId: r.batch_id,
        state: 'cancelled',
        result: null,
        lastError: 'Dibatalkan',
      });
    }
    return rows.length;
  }
}

/** Runs one router's jobs. */
class RouterWorker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly runningKeys = new Set<string>();
  /** Running profile jobs (id → seq): later jobs wait for them. */
  private readonly runningBarriers = new Map<string, number>();
  private pumping = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly claimStmt;
  private readonly markRunning;
  private readonly markDone;
  private readonly markFailed;
  private readonly markWaiting;
  private readonly getAttempts;

  constructor(
    private readonly q: JobQueue,
    private readonly routerId: string,
  ) {
    const { sqlite } = q.base.database;
    this.claimStmt = sqlite.prepare(
      `SELECT id, seq, operation, payload_json, key, batch_id, next_try_at FROM router_jobs
       WHERE router_id = ? AND state = 'pending' ORDER BY seq LIMIT 1000`,
    );
    this.markRunning = sqlite.prepare(
      `UPDATE router_jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`,
    );
    this.markDone = sqlite.prepare(
      `UPDATE router_jobs SET state = 'done', updated_at = ?, finished_at = ?, last_error = NULL, result_json = ?
       WHERE id = ? AND state = 'running'`,
    );
    this.markFailed = sqlite.prepare(
      `UPDATE router_jobs SET state = 'failed', updated_at = ?, finished_at = ?, last_error = ? WHERE id = ? AND state = 'running'`,
    );
    this.markWaiting = sqlite.prepare(
      `UPDATE router_jobs SET state = 'pending', updated_at = ?, next_try_at = ?, last_error = ?
       WHERE id = ? AND state = 'running'`,
    );
    this.getAttempts = sqlite.prepare(`SELECT attempts FROM router_jobs WHERE id = ? AND state = 'running'`);
  }

  poke(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    // Coalesce bursts of pokes (every finished job pokes) into one claim query.
    setImmediate(() => {
      void this.pump()
        .catch((e: unknown) =>
          this.q.base.log.error('router worker failed', { router: this.routerId, error: String(e) }),
        )
        .finally(() => {
          this.pumping = false;
          if (this.again && !this.stopped) {
            this.again = false;
            this.poke();
          }
        });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // In-flight calls settle quickly (answered, or rejected when the connection stops); their rows go back
    // to pending if the process ends first.
    await Promise.race([
      Promise.allSettled([...this.running.values()]),
      new Promise((r) => setTimeout(r, 3000).unref?.()),
    ]);
  }

  private async pump(): Promise<void> {
    const conn = this.q.host.conn(this.routerId);
    const router = this.q.host.info(this.routerId);
    if (!conn || !router || !conn.online) return; // the router's online status pokes us again
    const free = this.q.concurrency - this.running.size;
    if (free <= 0) return;
    const now = this.q.base.clock.now();
    const claimed = await this.q.db.connection().execute(async () => {
      const rows = this.claimStmt.all(this.routerId) as (ClaimRow & { seq: number; next_try_at: number })[];
      const blocked = new Set(this.runningKeys);
      const take: ClaimRow[] = [];
      let nextWake = Infinity;
      const barrierSeq = Math.min(Infinity, ...this.runningBarriers.values());
      // A job that reads the desired state when it runs (a PPP secret sync) would push whatever profile the
      // secret names *now* — possibly one whose profile job was enqueued after it and has not run yet. So it
      // waits for every profile change in sight, earlier or later, not just the earlier ones.
      // Worked out only when such a job is met: a 10,000-voucher push pumps often and has none.
      let profileChangePending: boolean | undefined;
      const waitsForProfiles = (operation: string): boolean =>
        this.q.isLateBinding(operation) &&
        (profileChangePending ??= this.runningBarriers.size > 0 || rows.some((x) => isBarrier(x.key)));
      for (const r of rows) {
        if (take.length >= free) break;
        // Everything enqueued after a profile change waits for it (a secret needs its profile on the router).
        if (r.seq > barrierSeq) break;
        if (this.running.has(r.id)) continue;
        if (r.key !== null && blocked.has(r.key)) continue;
        if (r.key !== null) blocked.add(r.key);
        if (waitsForProfiles(r.operation)) continue;
        const barrier = isBarrier(r.key);
        if (r.next_try_at > now) {
          nextWake = Math.min(nextWake, r.next_try_at);
          if (barrier) break;
          continue;
        }
        if (this.markRunning.run(now, r.id).changes === 1) {
          take.push(r);
          if (barrier) {
            this.runningBarriers.set(r.id, r.seq);
            break;
          }
        }
      }
      return { take, nextWake };
    });
    clearTimeout(this.timer);
    if (claimed.nextWake !== Infinity) {
      const delay = Math.min(60_000, Math.max(100, claimed.nextWake - now));
      this.timer = setTimeout(() => this.poke(), delay);
      this.timer.unref?.();
    }
    if (claimed.take.length > 0) this.q.scheduleChanged(this.routerId);
    for (const job of claimed.take) {
      if (job.key !== null) this.runningKeys.add(job.key);
      const p = this.run(job, conn, router).finally(() => {
        this.running.delete(job.id);
        this.runningBarriers.delete(job.id);
        if (job.key !== null) this.runningKeys.delete(job.key);
        this.poke();
      });
      this.running.set(job.id, p);
    }
  }

  private async run(job: ClaimRow, conn: RouterConnection, router: RouterInfo): Promise<void> {
    const payload = JSON.parse(job.payload_json) as unknown;
    const op = this.q.operation(job.operation);
    let result: unknown = null;
    let error: { transient: boolean; message: string } | null = null;
    try {
      if (!op) throw new AppError('VALIDATION', `Operasi router tidak dikenal: ${job.operation}`);
      result = await op({ conn, router, payload, jobId: job.id });
    } catch (e) {
      error = classifyError(e);
    }
    const now = this.q.base.clock.now();
    const base = {
      id: job.id,
      routerId: this.routerId,
      operation: job.operation,
      payload,
      key: job.key,
      batchId: job.batch_id,
    };
    if (!error) {
      const res = await this.q.db
        .connection()
        .execute(async () => this.markDone.run(now, now, json(result), job.id));
      if (res.changes === 1) this.q.finished({ ...base, state: 'done', result, lastError: null });
      return;
    }
    if (error.transient) {
      await this.q.db.connection().execute(async () => {
        const row = this.getAttempts.get(job.id) as { attempts: number } | undefined;
        if (row) {
          const delay = backoffDelay(row.attempts, { ...this.q.backoff, factor: 2, jitter: 0.3 });
          this.markWaiting.run(now, now + delay, error.message, job.id);
        }
      });
      this.q.scheduleChanged(this.routerId);
      return;
    }
    const res = await this.q.db
      .connection()
      .execute(async () => this.markFailed.run(now, now, error.message, job.id));
    if (res.changes === 1)
      this.q.finished({ ...base, state: 'failed', result: null, lastError: error.message });
  }
}
