import { createHash } from 'node:crypto';
import type { MessageKind, MessageRow, MessageStatus, QueueStats } from '../../shared/contract/whatsapp';
import { MESSAGE_STATUSES } from '../../shared/contract/whatsapp';
import {
  OfficeTime,
  PacerState,
  dailyCapOn,
  fitRules,
  planNext,
  type PacingRules,
} from '../../shared/whatsapp/pacing';
import type { FeatureBase } from '../feature';
import { MessengerError, type Messenger } from './messenger';
import type { WaMessagesTable } from './schema';
import type { WaSettingsStore } from './settings';

export const PRIORITY = { immediate: 0, paced: 1 } as const;
const HOUR = 3_600_000;

export interface NewMessage {
  kind: MessageKind;
  phone: string;
  body: string;
  customerId?: string | null;
  customerName?: string | null;
  invoiceId?: string | null;
  /** Same key twice (a trigger running again) never queues a second message. */
  dedupeKey?: string | null;
}

export interface EnqueueResult {
  ids: string[];
  /** Rows skipped because their dedupe key was already queued. */
  duplicates: number;
  firstAt: number | null;
  lastAt: number | null;
}

/**
 * The WhatsApp message id we send with. Derived from the queue row id, so every attempt of one row carries
 * the same id (shaped like Baileys' own `3EB0…` ids).
 */
export function waIdFor(rowId: string): string {
  return `3EB0${createHash('sha256').update(rowId).digest('hex').slice(0, 20).toUpperCase()}`;
}

export function toMessageRow(r: WaMessagesTable): MessageRow {
  return {
    id: r.id,
    kind: r.kind as MessageKind,
    status: r.status,
    priority: r.priority === PRIORITY.immediate ? 'immediate' : 'paced',
    customerId: r.customer_id,
    customerName: r.customer_name,
    invoiceId: r.invoice_id,
    phone: r.phone,
    body: r.body,
    dueAt: r.due_at,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    waitingConnection: r.wait_connection === 1,
    sentAt: r.sent_at,
    ack: r.ack,
    batchId: r.batch_id,
    createdAt: r.created_at,
  };
}

/**
 * The durable, paced queue (one WhatsApp number per office).
 *
 * Never twice: a row is claimed (`pending` → `sending`) in its own committed statement before the messenger
 * is called, and marked `sent` with the WhatsApp id right after. If Rukun dies between the two, the row is
 * still `sending` at the next start; we cannot know whether WhatsApp got it (the phone may have sent it), so
 * `recoverInterrupted()` turns it into `unknown` and it is NOT resent automatically. The operator checks the
 * phone and marks it sent or retries; a retry reuses the same WhatsApp message id (derived from the row), so
 * WhatsApp sees the same message key, not a new message.
 */
export class MessageQueue {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private time: OfficeTime | null = null;

  constructor(
    private readonly base: FeatureBase,
    private readonly settings: WaSettingsStore,
    private readonly messenger: () => Messenger,
    private readonly opts: {
      random: () => number;
      /** Linked-at of the current number (for the warm-up), or null. */
      linkedAt: () => number | null;
      onChange: () => void;
      sendTimeoutMs?: number;
    },
  ) {}

  private get sqlite() {
    return this.base.database.sqlite;
  }

  private officeTime(): OfficeTime {
    const tz = this.base.settings.timeZone;
    if (!this.time || this.time.timeZone !== tz) this.time = new OfficeTime(tz);
    return this.time;
  }

  rules(): PacingRules {
    return this.settings.rules(this.opts.linkedAt());
  }

  /** Sends made in the last 25 hours plus (optionally) every paced message still waiting, as a pacer state. */
  private pacerState(includePlanned: boolean): PacerState {
    const rules = this.rules();
    const state = new PacerState(
      this.officeTime(),
      Math.max(rules.cooldownMs, rules.maxDelayMs + rules.jitterMs + 1),
    );
    const since = this.base.clock.now() - 25 * HOUR;
    const sent = this.sqlite
      .prepare('SELECT sent_at FROM wa_messages WHERE sent_at IS NOT NULL AND sent_at >= ? ORDER BY sent_at')
      .pluck()
      .all(since) as number[];
    for (const t of sent) state.add(t);
    if (includePlanned) {
      const planned = this.sqlite
        .prepare("SELECT due_at FROM wa_messages WHERE status = 'pending' AND priority = ? ORDER BY due_at")
        .pluck()
        .all(PRIORITY.paced) as number[];
      for (const t of planned) state.add(t);
    }
    return state;
  }

  /** The paced send times `count` more messages would get, without queueing anything. */
  plan(count: number): number[] {
    const rules = this.rules();
    const state = this.pacerState(true);
    const now = this.base.clock.now();
    const out: number[] = [];
    for (let i = 0; i < count; i++)
      out.push(planNext(now, rules, state, this.officeTime(), this.opts.random));
    return out;
  }

  /**
   * Queues messages in one transaction (the caller's, when it passes one in via `inTransaction`): paced ones
   * get deterministic send times from the pacing rules, immediate ones are due now.
   */
  enqueue(
    items: NewMessage[],
    o: { priority: 'immediate' | 'paced'; batchId?: string | null; createdBy?: string | null },
  ): EnqueueResult {
    const now = this.base.clock.now();
    const maxAttempts = this.settings.get().settings.pacing.maxAttempts;
    const insert = this.sqlite.prepare(
      `INSERT INTO wa_messages (id, kind, priority, status, customer_id, customer_name, invoice_id, phone, body, due_at,
         max_attempts, wa_id, dedupe_key, batch_id, created_by, created_at, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    const result: EnqueueResult = { ids: [], duplicates: 0, firstAt: null, lastAt: null };
    const run = () => {
      const rules = this.rules();
      const state = o.priority === 'paced' ? this.pacerState(true) : null;
      const time = this.officeTime();
      for (const m of items) {
        const id = this.base.ids();
        const due = state ? planNext(now, rules, state, time, this.opts.random) : now;
        const info = insert.run(
          id,
          m.kind,
          PRIORITY[o.priority],
          m.customerId ?? null,
          m.customerName ?? null,
          m.invoiceId ?? null,
          m.phone,
          m.body,
          due,
          maxAttempts,
          waIdFor(id),
          m.dedupeKey ?? null,
          o.batchId ?? null,
          o.createdBy ?? null,
          now,
          now,
        );
        if (info.changes === 0) {
          result.duplicates += 1;
          continue;
        }
        result.ids.push(id);
        result.firstAt = result.firstAt === null ? due : Math.min(result.firstAt, due);
        result.lastAt = result.lastAt === null ? due : Math.max(result.lastAt, due);
      }
    };
    if (this.sqlite.inTransaction) run();
    else this.sqlite.transaction(run)();
    return result;
  }

  /** At start-up: rows left in `sending` by a crash become `unknown` (see the class comment). */
  recoverInterrupted(): number {
    const now = this.base.clock.now();
    return this.sqlite.transaction(() => {
      const rows = this.sqlite
        .prepare("SELECT id FROM wa_messages WHERE status = 'sending'")
        .pluck()
        .all() as string[];
      const mark = this.sqlite.prepare(
        "UPDATE wa_messages SET status = 'unknown', last_error = ?, updated_at = ?, version = version + 1 WHERE id = ?",
      );
      const attempt = this.sqlite.prepare(
        "INSERT INTO wa_attempts (id, message_id, at, outcome, error) VALUES (?, ?, ?, 'unknown', ?)",
      );
      const why = 'Rukun berhenti saat pesan sedang dikirim — periksa di HP apakah sudah terkirim.';
      for (const id of rows) {
        mark.run(why, now, id);
        attempt.run(this.base.ids(), id, now, why);
      }
      return rows.length;
    })();
  }

  nextDueAt(): number | null {
    const row = this.sqlite
      .prepare("SELECT MIN(due_at) FROM wa_messages WHERE status = 'pending' AND wait_connection = 0")
      .pluck()
      .get() as number | null;
    return row ?? null;
  }

  start(): void {
    this.stopped = false;
    // First run deferred: never block start-up on sending.
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Something changed (queued, connected, settings): run now. */
  kick(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.runDue();
      },
      Math.max(0, Math.min(ms, 60_000)),
    );
    this.timer.unref();
  }

  /** Sends everything due now, one at a time. Single-flight: concurrent callers share one run. */
  runDue(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.loop();
        } while (this.again);
      } catch (e) {
        this.base.log.error('whatsapp queue run failed', {
          error: e instanceof Error ? e.message : String(e),
        });
      } finally {
        this.running = null;
      }
      if (!this.stopped) {
        const next = this.nextDueAt();
        if (next !== null) this.schedule(next - this.base.clock.now());
      }
    })();
    return this.running;
  }

  /** Resolves once no run is in progress (tests, and the receipt path that wants to report the result). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    const pick = this.sqlite.prepare(
      "SELECT * FROM wa_messages WHERE status = 'pending' AND wait_connection = 0 AND due_at <= ? ORDER BY priority, due_at LIMIT 1",
    );
    for (let guard = 0; guard < 100_000; guard++) {
      const now = this.base.clock.now();
      if (this.messenger().state().status !== 'connected') {
        this.parkUntilConnected(now);
        return;
      }
      const row = pick.get(now) as WaMessagesTable | undefined;
      if (!row) return;
      if (row.priority === PRIORITY.paced) {
        if (row.customer_id && this.optedOut(row.customer_id)) {
          this.cancelOptedOut(row.id, now);
          continue;
        }
        const allowed = this.allowedAt(now);
        if (allowed > now) {
          this.sqlite
            .prepare('UPDATE wa_messages SET due_at = ?, updated_at = ? WHERE id = ?')
            .run(allowed, now, row.id);
          continue;
        }
      }
      await this.sendOne(row);
    }
  }

  /**
   * Paced messages are checked against the customer's opt-out when they come due, not only when queued: a
   * reminder queued yesterday must not go to someone who has since replied STOP or been unticked by staff.
   * Immediate messages (receipts, confirmations) answer something that just happened and still go.
   */
  private optedOut(customerId: string): boolean {
    return (
      this.sqlite.prepare('SELECT whatsapp_opt_out FROM customers WHERE id = ?').pluck().get(customerId) === 1
    );
  }

  private cancelOptedOut(id: string, now: number): void {
    this.sqlite
      .prepare(
        "UPDATE wa_messages SET status = 'cancelled', last_error = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'pending'",
      )
      .run('Dibatalkan: pelanggan tidak mau menerima pesan WhatsApp', now, id);
    this.opts.onChange();
  }

  /** The worker's own check of the pacing rules against sends that really happened. */
  allowedAt(now: number): number {
    const rules = this.rules();
    const state = this.pacerState(false);
    const t = state.last === null ? now : Math.max(now, state.last + rules.minDelayMs);
    return fitRules(t, rules, state, this.officeTime());
  }

  /**
   * Messages that come due while WhatsApp is not connected: one failed attempt is logged, and they wait
   * (not counted against their retry limit) until the session is back — then `resumeAfterConnect` frees them.
   */
  private parkUntilConnected(now: number): void {
    const rows = this.sqlite
      .prepare("SELECT id FROM wa_messages WHERE status = 'pending' AND wait_connection = 0 AND due_at <= ?")
      .pluck()
      .all(now) as string[];
    if (rows.length === 0) return;
    const why = 'WhatsApp tidak terhubung — menunggu koneksi';
    this.sqlite.transaction(() => {
      const mark = this.sqlite.prepare(
        'UPDATE wa_messages SET wait_connection = 1, last_error = ?, updated_at = ? WHERE id = ?',
      );
      const attempt = this.sqlite.prepare(
        "INSERT INTO wa_attempts (id, message_id, at, outcome, error) VALUES (?, ?, ?, 'failed', ?)",
      );
      for (const id of rows) {
        mark.run(why, now, id);
        attempt.run(this.base.ids(), id, now, why);
      }
    })();
    this.opts.onChange();
  }

  resumeAfterConnect(): void {
    const now = this.base.clock.now();
    const n = this.sqlite
      .prepare(
        "UPDATE wa_messages SET wait_connection = 0, updated_at = ? WHERE status = 'pending' AND wait_connection = 1",
      )
      .run(now).changes;
    if (n > 0) this.opts.onChange();
    this.kick();
  }

  private async sendOne(row: WaMessagesTable): Promise<void> {
    const claimedAt = this.base.clock.now();
    // Committed before the messenger is called (better-sqlite3 autocommits each statement).
    const claimed = this.sqlite
      .prepare(
        "UPDATE wa_messages SET status = 'sending', attempts = attempts + 1, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'pending'",
      )
      .run(claimedAt, row.id).changes;
    if (claimed !== 1) return;
    const attempts = row.attempts + 1;
    let outcome: {
      status: MessageStatus;
      error: string | null;
      waId?: string;
      due?: number;
      waiting?: boolean;
      uncount?: boolean;
    };
    try {
      const res = await this.withTimeout(this.messenger().send(row.phone, row.body, row.wa_id));
      outcome = { status: 'sent', error: null, waId: res.id };
    } catch (e) {
      const now = this.base.clock.now();
      if (e instanceof SendTimeout) {
        outcome = {
          status: 'unknown',
          error: 'Tidak ada jawaban dari WhatsApp — periksa di HP apakah sudah terkirim.',
        };
      } else if (e instanceof MessengerError && e.kind === 'not_connected') {
        outcome = { status: 'pending', error: e.message, waiting: true, uncount: true };
      } else if (e instanceof MessengerError && e.kind === 'invalid_number') {
        outcome = { status: 'failed', error: e.message };
      } else {
        const msg = e instanceof Error ? e.message : String(e);
        if (attempts >= row.max_attempts) outcome = { status: 'failed', error: msg };
        else {
          const base = this.settings.get().settings.pacing.retryBaseMin * 60_000;
          outcome = { status: 'pending', error: msg, due: now + base * 2 ** (attempts - 1) };
        }
      }
    }
    const now = this.base.clock.now();
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `UPDATE wa_messages SET status = ?, last_error = ?, sent_at = ?, wa_id = COALESCE(?, wa_id), due_at = COALESCE(?, due_at),
             wait_connection = ?, attempts = attempts - ?, updated_at = ?, version = version + 1 WHERE id = ?`,
        )
        .run(
          outcome.status,
          outcome.error,
          outcome.status === 'sent' ? now : null,
          outcome.waId ?? null,
          outcome.due ?? null,
          outcome.waiting ? 1 : 0,
          outcome.uncount ? 1 : 0,
          now,
          row.id,
        );
      this.sqlite
        .prepare('INSERT INTO wa_attempts (id, message_id, at, outcome, error) VALUES (?, ?, ?, ?, ?)')
        .run(
          this.base.ids(),
          row.id,
          now,
          outcome.status === 'sent' ? 'sent' : outcome.status === 'unknown' ? 'unknown' : 'failed',
          outcome.error,
        );
    })();
    this.opts.onChange();
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    const ms = this.opts.sendTimeoutMs ?? 60_000;
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new SendTimeout()), ms);
      p.then(
        (v) => {
          clearTimeout(t);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(t);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  markAck(waId: string, ack: number): void {
    const n = this.sqlite
      .prepare('UPDATE wa_messages SET ack = MAX(ack, ?) WHERE wa_id = ?')
      .run(ack, waId).changes;
    if (n > 0) this.opts.onChange();
  }

  stats(): QueueStats {
    const now = this.base.clock.now();
    const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>;
    for (const r of this.sqlite
      .prepare('SELECT status, COUNT(*) AS n FROM wa_messages GROUP BY status')
      .all() as {
      status: MessageStatus;
      n: number;
    }[])
      counts[r.status] = r.n;
    const waiting = this.sqlite
      .prepare("SELECT COUNT(*) FROM wa_messages WHERE status = 'pending' AND wait_connection = 1")
      .pluck()
      .get() as number;
    const time = this.officeTime();
    const today = time.day(now);
    const dayStart = time.at(today, 0);
    const sentToday = this.sqlite
      .prepare('SELECT COUNT(*) FROM wa_messages WHERE sent_at >= ?')
      .pluck()
      .get(dayStart) as number;
    const lastSent =
      (this.sqlite.prepare("SELECT MAX(at) FROM wa_attempts WHERE outcome = 'sent'").pluck().get() as
        number | null) ?? 0;
    const failedStreak = this.sqlite
      .prepare("SELECT COUNT(*) FROM wa_attempts WHERE outcome = 'failed' AND at >= ?")
      .pluck()
      .get(lastSent) as number;
    const threshold = this.settings.get().settings.failureAlertThreshold;
    const from = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
    const hourly = Array.from({ length: 24 }, (_, i) => ({ hour: from + i * HOUR, sent: 0, failed: 0 }));
    for (const r of this.sqlite
      .prepare(
        // Bound JS numbers arrive as REAL in SQLite: cast, or every attempt becomes its own group.
        "SELECT CAST((at - ?) / 3600000 AS INTEGER) AS h, SUM(outcome = 'sent') AS sent, SUM(outcome = 'failed') AS failed FROM wa_attempts WHERE at >= ? GROUP BY h",
      )
      .all(from, from) as { h: number; sent: number; failed: number }[]) {
      const slot = hourly[Math.floor(r.h)];
      if (slot) {
        slot.sent = r.sent;
        slot.failed = r.failed;
      }
    }
    return {
      counts,
      waitingConnection: waiting,
      sentToday,
      dailyCapToday: dailyCapOn(this.rules(), today, time),
      failedStreak,
      alert: failedStreak >= threshold,
      nextDueAt: this.nextDueAt(),
      hourly,
    };
  }
}

class SendTimeout extends Error {
  constructor() {
    super('send timed out');
    this.name = 'SendTimeout';
  }
}
