/**
 * Writes an import's validated rows in small transactions under a durable job (migration 0010), so a
 * 50,000-row file never holds the event loop for long (router callbacks, /health and colleagues' calls go on
 * between chunks) and a crash part-way loses nothing and doubles nothing:
 *
 * - stage: the rows are stored in chunks of IMPORT_CHUNK_ROWS, a few per transaction, then the job turns
 *   `running` in one last transaction. A crash before that leaves no customer written; the job is dropped at
 *   the next start and the operator imports the file again.
 * - write: each transaction takes the first unwritten chunk, inserts its customers (codes from the same
 *   number series as customers.create, in the same transaction, so numbering stays gapless) and their
 *   subscriptions, and marks the chunk done. The marks and the rows commit together: a chunk is written
 *   exactly once, whatever moment a crash picks.
 * - resume: at start every `running` job goes on from its first unwritten chunk (also when the same jobId is
 *   committed again from the UI).
 *
 * Colleagues keep working meanwhile; rows whose phone number was registered, or whose package or router was
 * deleted, while the import ran are skipped with their line and reason, never written half.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../../shared/contract/errors';
import type { Role } from '../../shared/contract/permissions';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Trx } from '../db/database';
import { AfterCommit, type BillingContext } from './context';
import { customerCode, insertCustomerRaw } from './customers';
import { createSubscriptionsInTrx } from './subscriptions';
import { stmt } from './sql';

/** Rows per write transaction: small enough for a chunk with subscriptions to take a few tens of ms. */
export const IMPORT_CHUNK_ROWS = 100;
/** Chunks stored per staging transaction (staging only inserts the rows' JSON). */
const STAGE_CHUNKS_PER_TRX = 10;

/** One validated row, as stored until it is written. */
export interface StagedRow {
  line: number;
  name: string;
  phone: string | null;
  nik: string | null;
  address: string;
  area: string;
  registeredOn: string | null;
  packageId: string | null;
  billingDay: number | null;
  discount: number;
}

export interface LateSkip {
  line: number;
  reason: string;
}

export interface ImportOutcome {
  jobId: string;
  fileName: string;
  imported: number;
  /** Rows refused when the file was checked plus rows skipped while writing. */
  skipped: number;
  late: LateSkip[];
}

export interface StageInput {
  jobId: string;
  fileName: string;
  routerId: string | null;
  routerCode: string;
  /** Rows of the file that were refused by the checks (counted in the report). */
  invalid: number;
}

interface JobRow {
  id: string;
  file_name: string;
  router_id: string | null;
  router_code: string;
  today: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string | null;
  actor_via: string;
  status: 'staging' | 'running' | 'done';
  total: number;
  invalid: number;
  written: number;
  imported: number;
  late_json: string | null;
}

const ACTOR_VIAS: readonly Actor['via'][] = ['ipc', 'http', 'system'];

export class ImportJobs {
  /**
   * Test seam: called inside each chunk's transaction after its writes, before it commits. A throw there is
   * a crash at the worst moment: the chunk must roll back whole and be written again on resume.
   */
  beforeChunkCommit: ((jobId: string, seq: number) => void) | null = null;
  private readonly running = new Map<string, Promise<ImportOutcome>>();
  private stopping = false;

  constructor(private readonly c: BillingContext) {}

  job(jobId: string): JobRow | null {
    return (
      (stmt(this.c.database.sqlite, 'SELECT * FROM import_jobs WHERE id = ?').get(jobId) as
        JobRow | undefined) ?? null
    );
  }

  /** Stores the rows under a new job, a few chunks per transaction; the job is `running` when this returns. */
  async stage(actor: Actor, input: StageInput, rows: readonly StagedRow[]): Promise<void> {
    const db = this.c.database.db;
    const sqlite = this.c.database.sqlite;
    const chunks = Math.ceil(rows.length / IMPORT_CHUNK_ROWS);
    const now = this.c.clock.now();
    await db.transaction().execute(async () => {
      if (this.job(input.jobId)) throw new AppError('CONFLICT', 'Impor ini sudah pernah dimulai');
      stmt(
        sqlite,
        `INSERT INTO import_jobs (id, file_name, router_id, router_code, today, actor_id, actor_name, actor_role, actor_via,
           status, total, invalid, chunks, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,'staging',?,?,?,?,?)`,
      ).run(
        input.jobId,
        input.fileName,
        input.routerId,
        input.routerCode,
        this.c.today(),
        actor.userId,
        actor.name,
        actor.role,
        actor.via,
        rows.length,
        input.invalid,
        chunks,
        now,
        now,
      );
    });
    const insert = stmt(sqlite, 'INSERT INTO import_job_chunks (job_id, seq, rows_json) VALUES (?,?,?)');
    for (let seq = 0; seq < chunks; seq += STAGE_CHUNKS_PER_TRX) {
      await nextTurn();
      // Nothing is imported yet: a stop here leaves a `staging` job, dropped at the next start.
      if (this.stopping) throw this.paused(input.jobId);
      await db.transaction().execute(async () => {
        for (let s = seq; s < Math.min(chunks, seq + STAGE_CHUNKS_PER_TRX); s++) {
          const part = rows.slice(s * IMPORT_CHUNK_ROWS, (s + 1) * IMPORT_CHUNK_ROWS);
          insert.run(input.jobId, s, JSON.stringify(part));
        }
      });
    }
    await db.transaction().execute(async () => {
      stmt(sqlite, "UPDATE import_jobs SET status = 'running', updated_at = ? WHERE id = ?").run(
        this.c.clock.now(),
        input.jobId,
      );
    });
  }

  /** Writes the job's remaining chunks (once per job at a time: a second caller waits for the same run). */
  run(jobId: string): Promise<ImportOutcome> {
    let p = this.running.get(jobId);
    if (!p) {
      p = this.drive(jobId).finally(() => this.running.delete(jobId));
      this.running.set(jobId, p);
    }
    return p;
  }

  /** At start: drops jobs cut while staging (nothing of them was written) and resumes the running ones. */
  async resumeAll(): Promise<void> {
    await this.c.database.db.transaction().execute(async () => {
      stmt(this.c.database.sqlite, "DELETE FROM import_jobs WHERE status = 'staging'").run();
    });
    const open = stmt(
      this.c.database.sqlite,
      "SELECT id, file_name FROM import_jobs WHERE status = 'running' ORDER BY created_at",
    ).all() as { id: string; file_name: string }[];
    for (const j of open) {
      this.c.log.info('resuming customer import', { jobId: j.id, file: j.file_name });
      this.run(j.id).catch((e: unknown) =>
        this.c.log.error('customer import failed', {
          jobId: j.id,
          error: e instanceof Error ? e.message : String(e),
        }),
      );
    }
  }

  /** Stops between chunks and waits; the jobs stay `running` and resume at the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  outcome(job: JobRow): ImportOutcome {
    const late = job.late_json ? (JSON.parse(job.late_json) as LateSkip[]) : [];
    return {
      jobId: job.id,
      fileName: job.file_name,
      imported: job.imported,
      skipped: job.invalid + late.length,
      late,
    };
  }

  private paused(jobId: string): AppError {
    return new AppError(
      'INTERNAL',
      'Rukun sedang berhenti; impor yang sudah mulai disimpan akan dilanjutkan otomatis saat Rukun dijalankan lagi',
      { reason: 'import_paused', jobId },
    );
  }

  private async drive(jobId: string): Promise<ImportOutcome> {
    const job = this.job(jobId);
    if (!job) throw new AppError('NOT_FOUND', 'Impor tidak ditemukan');
    if (job.status === 'done') return this.outcome(job);
    if (job.status !== 'running') throw new AppError('CONFLICT', 'Impor ini belum siap ditulis');
    const role = job.actor_role as Role | null;
    const via = ACTOR_VIAS.find((v) => v === job.actor_via) ?? 'system';
    const actor: Actor = { userId: job.actor_id, name: job.actor_name, role, via };
    for (;;) {
      // Yield first: timers, router callbacks and colleagues' calls run between every two chunks.
      await nextTurn();
      if (this.stopping) throw this.paused(jobId);
      const after = new AfterCommit(this.c.hooks);
      const wrote = await this.c.database.db
        .transaction()
        .execute((trx) => this.writeChunk(trx, job, actor, after));
      if (!wrote) break;
      after.flush();
      this.c.routers?.poke();
      this.progress(jobId, 'running');
    }
    await this.finish(job, actor);
    this.progress(jobId, 'done');
    this.c.events.emit('billing.changed', { entity: 'customer', id: null });
    const done = this.job(jobId);
    if (!done) throw new AppError('NOT_FOUND', 'Impor tidak ditemukan');
    return this.outcome(done);
  }

  /** One chunk in the caller's transaction; false when every chunk is written. */
  private async writeChunk(trx: Trx, job: JobRow, actor: Actor, after: AfterCommit): Promise<boolean> {
    const c = this.c;
    const sqlite = c.database.sqlite;
    const chunk = stmt(
      sqlite,
      'SELECT seq, rows_json FROM import_job_chunks WHERE job_id = ? AND done = 0 ORDER BY seq LIMIT 1',
    ).get(job.id) as { seq: number; rows_json: string } | undefined;
    if (!chunk) return false;
    const rows = JSON.parse(chunk.rows_json) as StagedRow[];
    const now = c.clock.now();
    const withSubs = job.router_id !== null;
    const routerGone = withSubs && !(await this.routerExists(job.router_id));
    const packages = new Set(
      (stmt(sqlite, 'SELECT id FROM packages').all() as { id: string }[]).map((p) => p.id),
    );
    const phoneTaken = stmt(sqlite, 'SELECT 1 FROM customers WHERE phone = ? LIMIT 1');
    const late: LateSkip[] = [];
    const subs = [];
    let imported = 0;
    for (const r of rows) {
      const reason =
        r.phone && phoneTaken.get(r.phone)
          ? 'Duplikat: nomor telepon didaftarkan saat impor berjalan'
          : withSubs && routerGone
            ? 'Router dihapus saat impor berjalan'
            : withSubs && r.packageId && !packages.has(r.packageId)
              ? 'Paket dihapus saat impor berjalan'
              : null;
      if (reason) {
        late.push({ line: r.line, reason });
        continue;
      }
      const f = {
        name: r.name,
        phone: r.phone,
        nik: r.nik,
        address: r.address,
        area: r.area,
        routerId: job.router_id,
        notes: `Impor ${job.file_name}`,
        whatsappOptOut: false,
        // The job's start date, not the day a resumed chunk happens to be written.
        registeredOn: r.registeredOn ?? job.today,
      };
      const id = insertCustomerRaw(c, f, customerCode(c, f, job.router_code), now);
      imported += 1;
      if (job.router_id && r.packageId && r.billingDay !== null) {
        subs.push({
          customerId: id,
          packageId: r.packageId,
          routerId: job.router_id,
          remoteAddress: '',
          billingDay: r.billingDay,
          discount: r.discount,
          invoiceNow: false,
        });
      }
    }
    if (subs.length) await createSubscriptionsInTrx(c, trx, actor, subs, after);
    // The rows are in customers now: the staged copy is emptied with the same commit.
    stmt(
      sqlite,
      "UPDATE import_job_chunks SET done = 1, rows_json = '[]', skipped_json = ? WHERE job_id = ? AND seq = ?",
    ).run(late.length ? JSON.stringify(late) : null, job.id, chunk.seq);
    stmt(
      sqlite,
      'UPDATE import_jobs SET written = written + ?, imported = imported + ?, updated_at = ? WHERE id = ?',
    ).run(rows.length, imported, now, job.id);
    this.beforeChunkCommit?.(job.id, chunk.seq);
    return true;
  }

  private async routerExists(routerId: string | null): Promise<boolean> {
    if (!routerId || !this.c.routers) return true;
    try {
      await this.c.routers.get(routerId);
      return true;
    } catch {
      return false;
    }
  }

  /** Marks the job done with its late skips and its one audit entry (as a single-transaction import had). */
  private async finish(job: JobRow, actor: Actor): Promise<void> {
    const c = this.c;
    const sqlite = c.database.sqlite;
    await c.database.db.transaction().execute(async (trx) => {
      const current = this.job(job.id);
      if (!current || current.status === 'done') return;
      const late = (
        stmt(
          sqlite,
          'SELECT skipped_json FROM import_job_chunks WHERE job_id = ? AND skipped_json IS NOT NULL ORDER BY seq',
        ).all(job.id) as { skipped_json: string }[]
      ).flatMap((r) => JSON.parse(r.skipped_json) as LateSkip[]);
      const now = c.clock.now();
      stmt(
        sqlite,
        "UPDATE import_jobs SET status = 'done', late_json = ?, finished_at = ?, updated_at = ? WHERE id = ?",
      ).run(late.length ? JSON.stringify(late) : null, now, now, job.id);
      stmt(sqlite, 'DELETE FROM import_job_chunks WHERE job_id = ?').run(job.id);
      await recordChange(trx, c, {
        actor,
        action: 'customers.import',
        entity: 'customer',
        entityId: null,
        after: {
          file: job.file_name,
          imported: current.imported,
          skipped: current.invalid + late.length,
          jobId: job.id,
        },
      });
    });
  }

  private progress(jobId: string, status: 'running' | 'done'): void {
    const j = this.job(jobId);
    if (!j) return;
    this.c.events.emit('customers.importProgress', {
      jobId,
      fileName: j.file_name,
      total: j.total,
      written: j.written,
      imported: j.imported,
      status,
    });
  }
}
