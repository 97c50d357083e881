import { Cron } from 'croner';
import { systemActor, type Actor } from '../context';
import type { BillingContext } from './context';
import { markOverdue, runInvoices } from './invoices';
import { runIsolation } from './isolation';
import { officeDate, startOfOfficeDay } from '../../shared/dates';
import { stmt } from './sql';

export type BillingJobName = 'invoices' | 'overdue' | 'isolation';

export interface BillingRunView {
  id: string;
  job: BillingJobName;
  startedAt: number;
  finishedAt: number | null;
  ok: boolean | null;
  result: Record<string, number> | null;
  error: string | null;
  trigger: string;
}

interface RunRow {
  id: string;
  job: BillingJobName;
  started_at: number;
  finished_at: number | null;
  ok: number | null;
  result_json: string | null;
  error: string | null;
  trigger: string;
}

const toView = (r: RunRow): BillingRunView => ({
  id: r.id,
  job: r.job,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  ok: r.ok === null ? null : r.ok === 1,
  result: r.result_json ? (JSON.parse(r.result_json) as Record<string, number>) : null,
  error: r.error,
  trigger: r.trigger,
});

export function listRuns(c: BillingContext, limit: number): BillingRunView[] {
  return (
    stmt(c.database.sqlite, 'SELECT * FROM billing_runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(
      limit,
    ) as RunRow[]
  ).map(toView);
}

/**
 * Runs one job and records it (started, finished, result or error) so the UI shows when each ran last.
 * Every job is idempotent; two runs of the same job never overlap in one process.
 */
export class BillingScheduler {
  private readonly running = new Map<BillingJobName, Promise<BillingRunView>>();
  private crons: Cron[] = [];
  private plannedZone: string | null = null;

  constructor(private readonly c: BillingContext) {}

  run(job: BillingJobName, trigger: string, actor: Actor = systemActor): Promise<BillingRunView> {
    const current = this.running.get(job);
    if (current) return current;
    const p = this.execute(job, trigger, actor).finally(() => this.running.delete(job));
    this.running.set(job, p);
    return p;
  }

  private async execute(job: BillingJobName, trigger: string, actor: Actor): Promise<BillingRunView> {
    const c = this.c;
    const id = c.ids();
    const sqlite = c.database.sqlite;
    stmt(sqlite, 'INSERT INTO billing_runs (id, job, started_at, trigger) VALUES (?,?,?,?)').run(
      id,
      job,
      c.clock.now(),
      trigger,
    );
    try {
      let result: Record<string, number>;
      if (job === 'invoices') {
        // Periods that runs on days without one (PC off) would have issued are caught up from the last good run.
        const since = this.lastGoodRunDate('invoices');
        // Issued invoices are charges on the ledger: commit them as durably as a payment from the dispatcher.
        result = { ...(await c.database.durably(() => runInvoices(c, actor, since ? { since } : {}))) };
      } else if (job === 'overdue') result = await markOverdue(c, actor);
      else result = { ...(await runIsolation(c, actor)) };
      stmt(sqlite, 'UPDATE billing_runs SET finished_at = ?, ok = 1, result_json = ? WHERE id = ?').run(
        c.clock.now(),
        JSON.stringify(result),
        id,
      );
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      c.log.error('billing job failed', { job, error: msg });
      stmt(sqlite, 'UPDATE billing_runs SET finished_at = ?, ok = 0, error = ? WHERE id = ?').run(
        c.clock.now(),
        msg,
        id,
      );
    }
    c.events.emit('billing.changed', { entity: 'run', id });
    const row = stmt(sqlite, 'SELECT * FROM billing_runs WHERE id = ?').get(id) as RunRow;
    return toView(row);
  }

  /**
   * Daily crons in the office time zone; rescheduled when billing settings change (run times) and when the
   * office settings change (time zone: `followTimeZone`).
   */
  /** `catchUp` on the feature's own start only: a re-plan (new run time, new time zone) never runs a job by itself. */
  start(opts: { catchUp?: boolean } = {}): void {
    this.stop();
    this.plannedZone = this.c.settings.timeZone;
    const s = this.c.store.get();
    const tz = this.c.settings.timeZone;
    const at = (hhmm: string) => {
      const [h, m] = hhmm.split(':');
      return `${Number(m)} ${Number(h)} * * *`;
    };
    this.crons = [
      new Cron(
        at(s.invoiceRunAt),
        { timezone: tz, protect: true },
        () => void this.run('invoices', 'jadwal'),
      ),
      new Cron(at(s.isolationRunAt), { timezone: tz, protect: true }, async () => {
        await this.run('overdue', 'jadwal');
        await this.run('isolation', 'jadwal');
      }),
    ];
    if (opts.catchUp) this.catchUp();
  }

  /** Office date of the job's last successful run (any trigger), null when it never ran. */
  private lastGoodRunDate(job: BillingJobName): string | null {
    const r = stmt(
      this.c.database.sqlite,
      'SELECT MAX(started_at) AS at FROM billing_runs WHERE job = ? AND ok = 1',
    ).get(job) as {
      at: number | null;
    };
    return r.at === null ? null : officeDate(r.at, this.c.settings.timeZone);
  }

  /**
   * An office PC is often off at the planned time (the invoice run is at 00:10), and croner does not replay a
   * missed tick: on start, a job whose time has passed today without a successful run today runs now
   * ("susulan"). A new office (the job never ran) has nothing to catch up.
   */
  private catchUp(): void {
    const c = this.c;
    const s = c.store.get();
    const now = c.clock.now();
    const tz = c.settings.timeZone;
    const today = officeDate(now, tz);
    const passed = (hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number);
      return now >= startOfOfficeDay(today, tz) + (h ?? 0) * 3_600_000 + (m ?? 0) * 60_000;
    };
    const missed = (job: BillingJobName) => {
      const last = this.lastGoodRunDate(job);
      return last !== null && last < today;
    };
    const runs: Promise<unknown>[] = [];
    if (passed(s.invoiceRunAt) && missed('invoices')) runs.push(this.run('invoices', 'susulan'));
    if (passed(s.isolationRunAt) && missed('isolation'))
      runs.push(
        (async () => {
          await runs[0]; // the day's invoices first, as the planned times order them
          await this.run('overdue', 'susulan');
          await this.run('isolation', 'susulan');
        })(),
      );
    this.catchingUp = Promise.all(runs).then(() => undefined);
  }

  /** Resolves when the catch-up started by `start()` has finished (tests and the demo wait on it). */
  catchingUp: Promise<void> = Promise.resolve();

  stop(): void {
    for (const cr of this.crons) cr.stop();
    this.crons = [];
  }

  /** Re-plans the crons when the office time zone is no longer the one they were planned in. */
  followTimeZone(): void {
    if (this.crons.length > 0 && this.plannedZone !== this.c.settings.timeZone) this.start();
  }

  /** Next planned runs after the clock's now (epoch ms), null when not scheduled — shown and tested. */
  nextRuns(): { invoices: number | null; isolation: number | null } {
    const from = new Date(this.c.clock.now());
    const [inv, iso] = this.crons;
    return {
      invoices: inv?.nextRun(from)?.getTime() ?? null,
      isolation: iso?.nextRun(from)?.getTime() ?? null,
    };
  }
}
