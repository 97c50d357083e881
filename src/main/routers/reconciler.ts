/**
 * Reconciler: reads what a router holds (one print per menu with only the compared properties; 20,000 rows is
 * one pass with Map lookups), compares it with the desired state from every registered provider, reports the
 * drift and repairs it by the router's own policy — always through router jobs, so a repair survives an offline
 * router too. A manual change on the router never changes billing: the database is the desired state.
 *
 * Automatic runs happen when a router comes online and on the router's own interval (5–60 minutes, or off).
 * The schedule lives on the injected clock: one timer is armed for the earliest due router and re-armed when a
 * policy changes, so a new interval takes effect without a restart.
 */
import { AppError } from '../../shared/contract/errors';
import type {
  DriftItem,
  DriftKind,
  DriftReport,
  ReconcileOutcome,
  RepairChoice,
} from '../../shared/contract/routers';
import { recordChange } from '../audit';
import { systemActor, type Actor } from '../context';
import type { FeatureBase } from '../feature';
import type { RosRow } from '../routeros/index';
import type { DesiredStateProvider, JobInput } from './api';
import { classifyError, type JobQueue } from './jobs';
import { sameValue } from './operations';
import type { RouterRegistry } from './registry';

/** How many rows of each list a report carries (the counts are always exact). */
const SAMPLE = 500;

/**
 * Menus whose extra rows are ONLY EVER REPORTED, whatever a policy or a button says. A PPP secret Rukun does not
 * know is an office's existing customer (made in Winbox before Rukun, or by another tool): disabling or deleting
 * it would cut someone's internet, so no automatic run and no repair may touch it. (Its provider also never
 * calls a secret "managed"; this is the second lock on the same door.)
 */
export const REPORT_ONLY_EXTRA_MENUS: ReadonlySet<string> = new Set(['/ppp/secret']);

/** Menus whose rows carry RouterOS's `disabled` flag, so a managed extra row can be disabled instead of removed. */
export const DISABLABLE_MENUS: ReadonlySet<string> = new Set(['/ip/hotspot/user']);

interface FullDrift {
  provider: DesiredStateProvider;
  actualCount: number;
  desired: Map<string, Record<string, string>>;
  missing: string[];
  extra: { key: string; managed: boolean; disabled?: boolean }[];
  different: { key: string; fields: { field: string; desired: string; actual: string }[] }[];
}

export type ReconcileTrigger = ReconcileOutcome['trigger'];

const emptyOutcome = (at: number, trigger: ReconcileTrigger, policy: RepairChoice): ReconcileOutcome => ({
  at,
  trigger,
  durationMs: 0,
  policy,
  error: null,
  missing: 0,
  extra: 0,
  extraManaged: 0,
  different: 0,
  pushed: 0,
  fixed: 0,
  disabled: 0,
  removed: 0,
  batchId: null,
  kinds: [],
});

/** The timer the schedule uses; tests inject their own and fire it after moving the fake clock. */
export interface ReconcileTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: ReconcileTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ReconcilerOptions {
  /** Reconcile (with the router's policy) when a router comes online. Default true. */
  onConnect?: boolean;
  /**
   * Longest single sleep of the schedule timer. The due times come from the injected clock, which may jump
   * (a laptop waking up); waking at least this often keeps a run from being late by more than this. Default 60 s.
   */
  maxSleepMs?: number;
  timers?: ReconcileTimers;
}

/** A manual repair from the Reconcile tab, in the contract's words. */
export interface ManualRepair {
  pushMissing: boolean;
  fixDifferent: boolean;
  extra: 'report' | 'disable' | 'remove';
  menus?: readonly string[] | undefined;
}

interface RunSpec {
  choice: RepairChoice;
  trigger: ReconcileTrigger;
  menus?: readonly string[] | undefined;
  /** Audit action for the repairs it queues, and the policy written with them. */
  action: string;
  auditPolicy: Record<string, unknown>;
}

export class Reconciler {
  private readonly providers = new Map<string, DesiredStateProvider>();
  private readonly running = new Map<string, Promise<unknown>>();
  /** Start of each router's current schedule period: its last automatic run, or when it was planned. */
  private readonly periodStart = new Map<string, number>();
  private timers: ReconcileTimers;
  private handle: unknown = null;
  private started = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly base: FeatureBase,
    private readonly registry: RouterRegistry,
    private readonly jobs: JobQueue,
    private readonly opts: ReconcilerOptions = {},
  ) {
    this.timers = opts.timers ?? realTimers;
  }

  register(p: DesiredStateProvider): void {
    if (this.providers.has(p.menu)) throw new Error(`desired state for ${p.menu} registered twice`);
    this.providers.set(p.menu, p);
  }

  start(): void {
    this.started = true;
    const now = this.base.clock.now();
    for (const r of this.registry.infos()) if (r.enabled) this.periodStart.set(r.id, now);
    if (this.opts.onConnect ?? true)
      this.unsubscribe.push(this.registry.onOnline((r) => void this.auto(r.id, 'connect')));
    this.unsubscribe.push(this.registry.onPlanChanged((id) => this.replan(id)));
    this.arm();
  }

  stop(): void {
    this.started = false;
    for (const off of this.unsubscribe.splice(0)) off();
    this.disarm();
  }

  /** Swap the schedule's timer (tests); the pending wake-up moves to the new one. */
  useTimers(timers: ReconcileTimers): void {
    this.disarm();
    this.timers = timers;
    this.arm();
  }

  /** When the router's next scheduled run is due, or null when its schedule is off or it is disabled. */
  nextAt(routerId: string): number | null {
    const info = this.registry.info(routerId);
    if (!info?.enabled) return null;
    const minutes = this.registry.reconcilePolicy(routerId).intervalMinutes;
    if (minutes === 0) return null;
    return (this.periodStart.get(routerId) ?? this.base.clock.now()) + minutes * 60_000;
  }

  /** A router was added or removed, or its policy or enabled state changed: plan it again. */
  replan(routerId: string): void {
    // A disabled router has no period; enabling it starts one now. A changed interval counts from the last run.
    if (!this.registry.info(routerId)?.enabled) this.periodStart.delete(routerId);
    else if (!this.periodStart.has(routerId)) this.periodStart.set(routerId, this.base.clock.now());
    this.arm();
  }

  private disarm(): void {
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
  }

  private arm(): void {
    this.disarm();
    if (!this.started) return;
    let earliest = Infinity;
    for (const r of this.registry.infos()) {
      const at = this.nextAt(r.id);
      if (at !== null) earliest = Math.min(earliest, at);
    }
    if (earliest === Infinity) return;
    const delay = Math.max(0, Math.min(earliest - this.base.clock.now(), this.opts.maxSleepMs ?? 60_000));
    this.handle = this.timers.set(() => {
      this.handle = null;
      this.tick();
    }, delay);
  }

  /** Runs every router whose period is over; an offline router waits for its on-connect run. */
  private tick(): void {
    const now = this.base.clock.now();
    for (const r of this.registry.infos()) {
      const at = this.nextAt(r.id);
      if (at === null || at > now) continue;
      this.periodStart.set(r.id, now);
      if (r.online) void this.auto(r.id, 'schedule');
    }
    this.arm();
  }

  private async auto(routerId: string, trigger: Exclude<ReconcileTrigger, 'manual'>): Promise<void> {
    try {
      await this.runPolicy(systemActor, routerId, trigger);
    } catch (e) {
      this.base.log.warn('automatic reconcile failed', {
        router: routerId,
        trigger,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  /**
   * One reconcile with the router's own policy: on connect, on schedule, or when someone presses "Jalankan
   * sekarang". Its repairs are audited as `reconcile.autoRepair` with the policy that caused them.
   */
  async runPolicy(
    actor: Actor,
    routerId: string,
    trigger: ReconcileTrigger = 'manual',
  ): Promise<ReconcileOutcome> {
    this.registry.mustInfo(routerId);
    this.periodStart.set(routerId, this.base.clock.now());
    this.arm();
    return this.exclusive(routerId, async () => {
      // Read inside the lock: a policy saved while an earlier run was going applies to this one.
      const policy = this.registry.reconcilePolicy(routerId);
      const { intervalMinutes: _interval, ...choice } = policy;
      return this.reconcile(actor, routerId, {
        choice,
        trigger,
        action: 'reconcile.autoRepair',
        auditPolicy: { ...policy },
      });
    });
  }

  /** One reconcile per router at a time: a second caller waits for the first. */
  private exclusive<T>(routerId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.running.get(routerId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.running.set(routerId, next);
    void next
      .finally(() => {
        if (this.running.get(routerId) === next) this.running.delete(routerId);
      })
      .catch(() => undefined);
    return next;
  }

  private select(menus?: readonly string[]): DesiredStateProvider[] {
    const all = [...this.providers.values()];
    return menus && menus.length > 0 ? all.filter((p) => menus.includes(p.menu)) : all;
  }

  private async read(
    routerId: string,
    p: DesiredStateProvider,
    proplist?: readonly string[],
  ): Promise<RosRow[]> {
    const conn = this.registry.onlineConnection(routerId);
    const rows = await conn.call(`${p.menu}/print`, undefined, {
      ...(proplist ? { proplist } : {}),
      timeoutMs: 120_000,
    });
    return rows.filter((r) => r['.id'] !== undefined);
  }

  private async diff(routerId: string, p: DesiredStateProvider): Promise<FullDrift> {
    const disablable = DISABLABLE_MENUS.has(p.menu);
    const proplist = [
      ...new Set(['.id', p.key, 'comment', ...p.fields, ...(disablable ? ['disabled'] : [])]),
    ];
    const [actualRows, desired, known] = await Promise.all([
      this.read(routerId, p, proplist),
      p.desired(routerId),
      p.known ? p.known(routerId) : Promise.resolve(new Set<string>()),
    ]);
    const actual = new Map<string, RosRow>();
    for (const r of actualRows) {
      const k = r[p.key];
      if (k !== undefined) actual.set(k, r);
    }
    const missing: string[] = [];
    const different: FullDrift['different'] = [];
    for (const [key, want] of desired) {
      const have = actual.get(key);
      if (!have) {
        missing.push(key);
        continue;
      }
      const fields: FullDrift['different'][number]['fields'] = [];
      for (const f of p.fields) {
        const d = want[f];
        if (d === undefined) continue;
        if (!sameValue(have[f], d))
          fields.push({
            field: f,
            desired: f === 'password' ? '••••' : d,
            actual: f === 'password' ? '••••' : (have[f] ?? ''),
          });
      }
      if (fields.length > 0) different.push({ key, fields });
    }
    const extra: FullDrift['extra'] = [];
    for (const [key, row] of actual) {
      if (desired.has(key) || known.has(key)) continue;
      extra.push(
        disablable
          ? { key, managed: p.managed(row), disabled: sameValue(row['disabled'], 'yes') }
          : { key, managed: p.managed(row) },
      );
    }
    return { provider: p, actualCount: actual.size, desired, missing, extra, different };
  }

  private toKind(d: FullDrift): DriftKind {
    const items = (keys: string[]): DriftItem[] => keys.slice(0, SAMPLE).map((key) => ({ key }));
    return {
      menu: d.provider.menu,
      label: d.provider.label ?? d.provider.menu,
      desiredCount: d.desired.size,
      actualCount: d.actualCount,
      missingCount: d.missing.length,
      extraCount: d.extra.length,
      extraManagedCount: d.extra.filter((e) => e.managed).length,
      differentCount: d.different.length,
      missing: items(d.missing),
      extra: d.extra.slice(0, SAMPLE),
      different: d.different.slice(0, SAMPLE),
      adoptable: d.provider.adopt !== undefined,
    };
  }

  /** A report only: reads the router, changes nothing and records nothing. */
  async run(routerId: string, menus?: readonly string[]): Promise<DriftReport> {
    this.registry.mustInfo(routerId);
    return this.exclusive(routerId, async () => {
      const t0 = performance.now();
      const kinds: DriftKind[] = [];
      for (const p of this.select(menus)) kinds.push(this.toKind(await this.diff(routerId, p)));
      return { routerId, at: this.base.clock.now(), durationMs: Math.round(performance.now() - t0), kinds };
    });
  }

  /** The Reconcile tab's "Perbaiki": what the person ticked, audited as `reconcile.repair`. */
  async repair(
    actor: Actor,
    routerId: string,
    policy: ManualRepair,
  ): Promise<{ batchId: string | null; jobs: number }> {
    this.registry.mustInfo(routerId);
    const choice: RepairChoice = {
      missing: policy.pushMissing ? 'push' : 'report',
      different: policy.fixDifferent ? 'fix' : 'report',
      extra: policy.extra,
    };
    const outcome = await this.exclusive(routerId, () =>
      this.reconcile(actor, routerId, {
        choice,
        trigger: 'manual',
        menus: policy.menus,
        action: 'reconcile.repair',
        auditPolicy: { ...policy },
      }),
    );
    return {
      batchId: outcome.batchId,
      jobs: outcome.pushed + outcome.fixed + outcome.disabled + outcome.removed,
    };
  }

  /** Compare every selected menu, queue the repairs the choice allows, audit them, record the outcome. Call inside `exclusive`. */
  private async reconcile(actor: Actor, routerId: string, spec: RunSpec): Promise<ReconcileOutcome> {
    const t0 = performance.now();
    const at = this.base.clock.now();
    const { choice } = spec;
    // A run over every menu is the router's state of affairs; one over a few menus is not kept as "the last run".
    const whole = !spec.menus || spec.menus.length === 0;
    const kinds: ReconcileOutcome['kinds'] = [];
    const jobs: JobInput[] = [];
    const batchId = `reconcile-${this.base.ids()}`;
    let extraManaged = 0;
    try {
      for (const p of this.select(spec.menus)) {
        const d = await this.diff(routerId, p);
        extraManaged += d.extra.filter((x) => x.managed).length;
        const k = {
          menu: p.menu,
          label: p.label ?? p.menu,
          missing: d.missing.length,
          extra: d.extra.length,
          different: d.different.length,
          pushed: 0,
          fixed: 0,
          disabled: 0,
          removed: 0,
        };
        const push = (key: string) => {
          const values = d.desired.get(key) ?? {};
          const job = p.pushJob
            ? p.pushJob(key, values)
            : { operation: 'menu.upsert', payload: { menu: p.menu, match: { [p.key]: key }, values } };
          jobs.push({ routerId, batchId, ...job });
        };
        if (choice.missing === 'push') {
          for (const key of d.missing) push(key);
          k.pushed = d.missing.length;
        }
        if (choice.different === 'fix') {
          for (const x of d.different) push(x.key);
          k.fixed = d.different.length;
        }
        if (choice.extra !== 'report' && !REPORT_ONLY_EXTRA_MENUS.has(p.menu)) {
          for (const x of d.extra) {
            // Only rows carrying Rukun's marker; anything else on the router belongs to someone else.
            if (!x.managed) continue;
            const match = { [p.key]: x.key };
            if (choice.extra === 'remove') {
              jobs.push({ routerId, batchId, operation: 'menu.remove', payload: { menu: p.menu, match } });
              k.removed++;
            } else if (DISABLABLE_MENUS.has(p.menu) && !x.disabled) {
              // Profiles have no `disabled` flag: under "disable" they are reported only.
              jobs.push({
                routerId,
                batchId,
                operation: 'menu.set',
                payload: { menu: p.menu, match, values: { disabled: 'yes' }, ifExists: true },
              });
              k.disabled++;
            }
          }
        }
        kinds.push(k);
      }
    } catch (e) {
      // An automatic run that broke off (the router dropped mid-read) is shown as such; a person sees the error.
      if (whole && spec.trigger !== 'manual') {
        await this.finish(routerId, {
          ...emptyOutcome(at, spec.trigger, choice),
          durationMs: Math.round(performance.now() - t0),
          error: classifyError(e).message,
        });
      }
      throw e;
    }
    if (jobs.length > 0) {
      await this.base.database.db.transaction().execute(async (trx) => {
        await this.jobs.enqueueMany(trx, jobs);
        const summary = Object.fromEntries(kinds.map(({ menu, label: _l, ...counts }) => [menu, counts]));
        await recordChange(trx, this.base, {
          actor,
          action: spec.action,
          entity: 'router',
          entityId: routerId,
          after: { trigger: spec.trigger, policy: spec.auditPolicy, summary, jobs: jobs.length, batchId },
        });
      });
    }
    const sum = (f: 'missing' | 'extra' | 'different' | 'pushed' | 'fixed' | 'disabled' | 'removed') =>
      kinds.reduce((n, k) => n + k[f], 0);
    const outcome: ReconcileOutcome = {
      at,
      trigger: spec.trigger,
      durationMs: Math.round(performance.now() - t0),
      policy: choice,
      error: null,
      missing: sum('missing'),
      extra: sum('extra'),
      extraManaged,
      different: sum('different'),
      pushed: sum('pushed'),
      fixed: sum('fixed'),
      disabled: sum('disabled'),
      removed: sum('removed'),
      batchId: jobs.length > 0 ? batchId : null,
      kinds,
    };
    if (whole) await this.finish(routerId, outcome);
    return outcome;
  }

  private async finish(routerId: string, outcome: ReconcileOutcome): Promise<void> {
    try {
      await this.registry.recordReconcile(routerId, outcome);
    } catch (e) {
      this.base.log.warn('reconcile outcome not stored', {
        router: routerId,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    this.base.events.emit('reconcile.finished', { routerId, ...outcome });
  }

  async adopt(actor: Actor, routerId: string, menus: readonly string[]): Promise<Record<string, number>> {
    this.registry.mustInfo(routerId);
    return this.exclusive(routerId, async () => {
      const adopted: Record<string, number> = {};
      for (const menu of menus) {
        const p = this.providers.get(menu);
        if (!p?.adopt) throw new AppError('VALIDATION', `Menu ${menu} tidak bisa diadopsi`);
        const rows = await this.read(routerId, p);
        const desired = await p.desired(routerId);
        adopted[menu] = await p.adopt(
          routerId,
          rows.filter((r) => r[p.key] !== undefined && !desired.has(r[p.key]!)),
          actor,
        );
      }
      return adopted;
    });
  }
}
