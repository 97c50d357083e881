/**
 * Reconciler: reads what a router holds (one print per menu with only the compared properties; 20,000 rows is
 * one pass with Map lookups), compares it with the desired state from every registered provider, reports the
 * drift and repairs it by policy — always through router jobs, so a repair survives an offline router too.
 * A manual change on the router never changes billing: the database is the desired state.
 */
import { AppError } from '../../shared/contract/errors';
import type { DriftItem, DriftKind, DriftReport } from '../../shared/contract/routers';
import { recordChange } from '../audit';
import { systemActor, type Actor } from '../context';
import type { FeatureBase } from '../feature';
import type { RosRow } from '../routeros/index';
import type { DesiredStateProvider, JobInput } from './api';
import type { JobQueue } from './jobs';
import { sameValue } from './operations';
import type { RouterRegistry } from './registry';

/** How many rows of each list a report carries (the counts are always exact). */
const SAMPLE = 500;

interface FullDrift {
  provider: DesiredStateProvider;
  actualCount: number;
  desired: Map<string, Record<string, string>>;
  missing: string[];
  extra: { key: string; managed: boolean }[];
  different: { key: string; fields: { field: string; desired: string; actual: string }[] }[];
}

export interface RepairPolicy {
  pushMissing: boolean;
  fixDifferent: boolean;
  removeExtra: boolean;
}

export interface ReconcilerOptions {
  /** Scheduled reconcile period. Default 15 minutes; 0 disables. */
  intervalMs?: number;
  /** Reconcile when a router comes online. Default true. */
  onConnect?: boolean;
  /** What the automatic runs repair. Default: push missing and fix different; never remove. */
  autoPolicy?: RepairPolicy;
}

export class Reconciler {
  private readonly providers = new Map<string, DesiredStateProvider>();
  private readonly running = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly base: FeatureBase,
    private readonly registry: RouterRegistry,
    private readonly jobs: JobQueue,
    private readonly opts: ReconcilerOptions = {},
  ) {}

  register(p: DesiredStateProvider): void {
    if (this.providers.has(p.menu)) throw new Error(`desired state for ${p.menu} registered twice`);
    this.providers.set(p.menu, p);
  }

  start(): void {
    const every = this.opts.intervalMs ?? 15 * 60_000;
    if (every > 0) {
      this.timer = setInterval(() => {
        for (const r of this.registry.infos()) if (r.online) void this.auto(r.id);
      }, every);
      this.timer.unref?.();
    }
    if (this.opts.onConnect ?? true) this.registry.onOnline((r) => void this.auto(r.id));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async auto(routerId: string): Promise<void> {
    try {
      await this.repair(systemActor, routerId, this.opts.autoPolicy ?? { pushMissing: true, fixDifferent: true, removeExtra: false });
    } catch (e) {
      this.base.log.warn('automatic reconcile failed', { router: routerId, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One reconcile per router at a time: a second caller waits for the first. */
  private exclusive<T>(routerId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.running.get(routerId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.running.set(routerId, next);
    void next.finally(() => {
      if (this.running.get(routerId) === next) this.running.delete(routerId);
    }).catch(() => undefined);
    return next;
  }

  private select(menus?: readonly string[]): DesiredStateProvider[] {
    const all = [...this.providers.values()];
    return menus && menus.length > 0 ? all.filter((p) => menus.includes(p.menu)) : all;
  }

  private async read(routerId: string, p: DesiredStateProvider, proplist?: readonly string[]): Promise<RosRow[]> {
    const conn = this.registry.onlineConnection(routerId);
    const rows = await conn.call(`${p.menu}/print`, undefined, { ...(proplist ? { proplist } : {}), timeoutMs: 120_000 });
    return rows.filter((r) => r['.id'] !== undefined);
  }

  private async diff(routerId: string, p: DesiredStateProvider): Promise<FullDrift> {
    const proplist = [...new Set(['.id', p.key, 'comment', ...p.fields])];
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
        if (!sameValue(have[f], d)) fields.push({ field: f, desired: f === 'password' ? '••••' : d, actual: f === 'password' ? '••••' : (have[f] ?? '') });
      }
      if (fields.length > 0) different.push({ key, fields });
    }
    const extra: FullDrift['extra'] = [];
    for (const [key, row] of actual) if (!desired.has(key) && !known.has(key)) extra.push({ key, managed: p.managed(row) });
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

  async run(routerId: string, menus?: readonly string[]): Promise<DriftReport> {
    this.registry.mustInfo(routerId);
    return this.exclusive(routerId, async () => {
      const t0 = performance.now();
      const kinds: DriftKind[] = [];
      for (const p of this.select(menus)) kinds.push(this.toKind(await this.diff(routerId, p)));
      return { routerId, at: this.base.clock.now(), durationMs: Math.round(performance.now() - t0), kinds };
    });
  }

  async repair(actor: Actor, routerId: string, policy: RepairPolicy & { menus?: readonly string[] | undefined }): Promise<{ batchId: string | null; jobs: number }> {
    this.registry.mustInfo(routerId);
    return this.exclusive(routerId, async () => {
      const jobs: JobInput[] = [];
      const batchId = `reconcile-${this.base.ids()}`;
      const summary: Record<string, { missing: number; different: number; extra: number }> = {};
      for (const p of this.select(policy.menus)) {
        const d = await this.diff(routerId, p);
        const push = (key: string) => {
          const values = d.desired.get(key) ?? {};
          const job = p.pushJob ? p.pushJob(key, values) : { operation: 'menu.upsert', payload: { menu: p.menu, match: { [p.key]: key }, values } };
          jobs.push({ routerId, batchId, ...job });
        };
        const s = { missing: 0, different: 0, extra: 0 };
        if (policy.pushMissing) {
          for (const k of d.missing) push(k);
          s.missing = d.missing.length;
        }
        if (policy.fixDifferent) {
          for (const x of d.different) push(x.key);
          s.different = d.different.length;
        }
        if (policy.removeExtra) {
          for (const x of d.extra) {
            if (!x.managed) continue;
            jobs.push({ routerId, batchId, operation: 'menu.remove', payload: { menu: p.menu, match: { [p.key]: x.key } } });
            s.extra++;
          }
        }
        summary[p.menu] = s;
      }
      if (jobs.length === 0) return { batchId: null, jobs: 0 };
      await this.base.database.db.transaction().execute(async (trx) => {
        await this.jobs.enqueueMany(trx, jobs);
        await recordChange(trx, this.base, { actor, action: 'reconcile.repair', entity: 'router', entityId: routerId, after: { policy, summary, jobs: jobs.length } });
      });
      return { batchId, jobs: jobs.length };
    });
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
        adopted[menu] = await p.adopt(routerId, rows.filter((r) => r[p.key] !== undefined && !desired.has(r[p.key]!)), actor);
      }
      return adopted;
    });
  }
}
