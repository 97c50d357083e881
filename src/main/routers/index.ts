/**
 * The routers feature: routers in the app, durable router jobs, the reconciler and the live monitor.
 * Other features receive `routers.api` (RoutersApi, see api.ts).
 */
import { sql } from 'kysely';
import { AppError } from '../../shared/contract/errors';
import type { RouterJobView } from '../../shared/contract/routers';
import { recordChange } from '../audit';
import type { Feature, FeatureBase } from '../feature';
import { ConnectionClosedError, RouterOsError, TimeoutError } from '../routeros/index';
import type { Handlers } from '../rpc/dispatcher';
import type { RoutersApi } from './api';
import { createDesiredState } from './desired';
import { JobQueue, type JobQueueOptions } from './jobs';
import { Monitor, type MonitorOptions } from './monitor';
import { hotspotKick, menuRemove, menuSet, menuUpsert, pppKick, scriptRun } from './operations';
import { Reconciler, type ReconcilerOptions } from './reconciler';
import { RouterRegistry, type RegistryOptions } from './registry';

export type { RoutersApi } from './api';

export interface RoutersOptions {
  jobs?: JobQueueOptions;
  registry?: RegistryOptions;
  reconciler?: ReconcilerOptions;
  monitor?: MonitorOptions;
}

type RouterMethods = Extract<
  keyof Handlers,
  `routers.${string}` | `routerJobs.${string}` | `reconcile.${string}` | `monitor.${string}`
>;

export interface RoutersFeature extends Feature {
  api: RoutersApi;
  /** For tests and benches. */
  internals: { registry: RouterRegistry; jobs: JobQueue; reconciler: Reconciler; monitor: Monitor };
}

/** Router failures inside a contract call become the fixed error codes. */
async function routerCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof ConnectionClosedError || e instanceof TimeoutError) {
      throw new AppError('ROUTER_UNREACHABLE', `Router tidak terhubung: ${e.message}`);
    }
    if (e instanceof RouterOsError)
      throw new AppError('ROUTER_ERROR', `Router menolak perintah: ${e.message}`);
    throw e;
  }
}

/** A short description of what a job touches, without any secret value. */
export function jobTarget(operation: string, payloadJson: string): string {
  try {
    const p = JSON.parse(payloadJson) as Record<string, unknown>;
    if (typeof p['menu'] === 'string' && p['match'] && typeof p['match'] === 'object') {
      const m = Object.entries(p['match'] as Record<string, unknown>)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      return `${p['menu']} ${m}`;
    }
    if (operation === 'ppp.secret.sync') return `/ppp/secret name=${String(p['name'])}`;
    if (operation === 'ppp.kick') return `/ppp/active name=${String(p['name'])}`;
    if (operation === 'hotspot.kick') return `/ip/hotspot/active user=${String(p['user'])}`;
    if (typeof p['name'] === 'string') return p['name'];
    return '';
  } catch {
    return '';
  }
}

export function createRoutersFeature(base: FeatureBase, opts: RoutersOptions = {}): RoutersFeature {
  const registry = new RouterRegistry(base, opts.registry);
  const jobs = new JobQueue(
    base,
    { info: (id) => registry.info(id), conn: (id) => registry.conn(id) },
    opts.jobs,
  );
  registry.jobCounts = (id) => jobs.counts(id);
  const reconciler = new Reconciler(base, registry, jobs, opts.reconciler);
  registry.reconcileNextAt = (id) => reconciler.nextAt(id);
  const monitor = new Monitor(base, registry, opts.monitor);
  const desired = createDesiredState(base, jobs);

  jobs.registerOperation('menu.upsert', menuUpsert);
  jobs.registerOperation('menu.remove', menuRemove);
  jobs.registerOperation('menu.set', menuSet);
  jobs.registerOperation('ppp.kick', pppKick);
  jobs.registerOperation('hotspot.kick', hotspotKick);
  jobs.registerOperation('script.run', scriptRun);
  for (const [name, run] of Object.entries(desired.operations))
    jobs.registerOperation(name, run, { readsCurrentState: true });
  for (const p of desired.providers) reconciler.register(p);

  // A router that comes online retries the jobs waiting for it at once.
  registry.onOnline((r) => void jobs.routerOnline(r.id));

  const api: RoutersApi = {
    list: async () => registry.infos(),
    get: async (id) => registry.mustInfo(id),
    connection: (id) => registry.connection(id),
    registerOperation: (name, run, opts) => jobs.registerOperation(name, run, opts),
    enqueue: (trx, job) => jobs.enqueue(trx, job),
    enqueueMany: (trx, list) => jobs.enqueueMany(trx, list),
    onJobFinished: (l) => jobs.onJobFinished(l),
    batchProgress: (b) => jobs.batchProgress(b),
    waitForBatch: (b) => jobs.waitForBatch(b),
    poke: (id) => jobs.poke(id),
    registerDesiredState: (p) => reconciler.register(p),
    onRouterOnline: (l) => registry.onOnline(l),
    pppSecrets: desired.pppSecrets,
    profiles: desired.profiles,
  };

  const db = () => base.database.db;

  const handlers: Pick<Handlers, RouterMethods> = {
    'routers.list': () => registry.list(),
    'routers.get': (i) => registry.view(i.id),
    'routers.create': (i, ctx) => registry.create(ctx.actor, i),
    'routers.update': (i, ctx) => registry.update(ctx.actor, i),
    'routers.remove': async (i, ctx) => {
      await jobs.dropWorker(i.id);
      await registry.remove(ctx.actor, i.id);
      return { ok: true as const };
    },
    'routers.setReconcilePolicy': ({ id, version, intervalMinutes, missing, different, extra }, ctx) =>
      registry.setReconcilePolicy(ctx.actor, { id, version, intervalMinutes, missing, different, extra }),
    'routers.test': (i) => registry.test(i),
    'routers.acceptCertificate': (i, ctx) => registry.acceptCertificate(ctx.actor, i),
    'routerJobs.list': async (i) => {
      let q = db().selectFrom('router_jobs').innerJoin('routers', 'routers.id', 'router_jobs.router_id');
      if (i.routerId) q = q.where('router_jobs.router_id', '=', i.routerId);
      if (i.state) q = q.where('router_jobs.state', '=', i.state);
      if (i.open) q = q.where('router_jobs.state', 'in', ['pending', 'running', 'failed']);
      if (i.batchId) q = q.where('router_jobs.batch_id', '=', i.batchId);
      if (i.search) {
        const like = `%${i.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) =>
          eb.or([
            eb('router_jobs.key', 'like', sql<string>`${like} ESCAPE '\\'`),
            eb('router_jobs.operation', 'like', sql<string>`${like} ESCAPE '\\'`),
            eb('router_jobs.last_error', 'like', sql<string>`${like} ESCAPE '\\'`),
          ]),
        );
      }
      const total = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst();
      const dir = i.sort?.dir === 'asc' ? 'asc' : 'desc';
      const rows = await q
        .select([
          'router_jobs.id',
          'router_jobs.router_id',
          'routers.name as router_name',
          'router_jobs.operation',
          'router_jobs.payload_json',
          'router_jobs.key',
          'router_jobs.batch_id',
          'router_jobs.state',
          'router_jobs.attempts',
          'router_jobs.next_try_at',
          'router_jobs.last_error',
          'router_jobs.created_at',
          'router_jobs.finished_at',
        ])
        .orderBy('router_jobs.seq', dir)
        .limit(i.limit)
        .offset(i.offset)
        .execute();
      return {
        total: total?.n ?? 0,
        rows: rows.map((r): RouterJobView => ({
          id: r.id,
          routerId: r.router_id,
          routerName: r.router_name,
          operation: r.operation,
          target: jobTarget(r.operation, r.payload_json),
          key: r.key,
          batchId: r.batch_id,
          state: r.state,
          attempts: r.attempts,
          nextTryAt: r.next_try_at,
          lastError: r.last_error,
          createdAt: r.created_at,
          finishedAt: r.finished_at,
        })),
      };
    },
    'routerJobs.retry': async (i, ctx) => {
      const count = await jobs.retry(i.ids);
      await recordChange(db(), base, {
        actor: ctx.actor,
        action: 'routerJobs.retry',
        entity: 'router_job',
        entityId: null,
        after: { ids: i.ids, count },
      });
      return { count };
    },
    'routerJobs.retryFailed': async (i, ctx) => {
      registry.mustInfo(i.routerId);
      const ids = (
        await db()
          .selectFrom('router_jobs')
          .select('id')
          .where('router_id', '=', i.routerId)
          .where('state', '=', 'failed')
          .execute()
      ).map((r) => r.id);
      let count = 0;
      for (let k = 0; k < ids.length; k += 500) count += await jobs.retry(ids.slice(k, k + 500));
      await recordChange(db(), base, {
        actor: ctx.actor,
        action: 'routerJobs.retryFailed',
        entity: 'router',
        entityId: i.routerId,
        after: { count },
      });
      return { count };
    },
    'routerJobs.cancel': async (i, ctx) => {
      const count = await jobs.cancel(i.ids);
      await recordChange(db(), base, {
        actor: ctx.actor,
        action: 'routerJobs.cancel',
        entity: 'router_job',
        entityId: null,
        after: { ids: i.ids, count },
      });
      return { count };
    },
    'routerJobs.progress': (i) => jobs.batchProgress(i.batchId),
    'reconcile.run': (i) => routerCall(() => reconciler.run(i.routerId)),
    'reconcile.repair': (i, ctx) =>
      routerCall(() =>
        reconciler.repair(ctx.actor, i.routerId, {
          menus: i.menus,
          pushMissing: i.pushMissing,
          fixDifferent: i.fixDifferent,
          extra: i.extra ?? (i.removeExtra ? 'remove' : 'report'),
        }),
      ),
    'reconcile.runPolicy': (i, ctx) =>
      routerCall(() => reconciler.runPolicy(ctx.actor, i.routerId, 'manual')),
    'reconcile.adopt': (i, ctx) => {
      const menus = [
        ...(i.hotspotProfiles ? ['/ip/hotspot/user/profile'] : []),
        ...(i.pppProfiles ? ['/ppp/profile'] : []),
        ...(i.pppSecrets ? ['/ppp/secret'] : []),
        ...(i.menus ?? []),
      ];
      if (menus.length === 0)
        throw new AppError('VALIDATION', 'Pilih apa yang akan diadopsi', {
          issues: [{ path: 'menus', message: 'Pilih minimal satu', code: 'too_small' }],
        });
      return routerCall(async () => ({ adopted: await reconciler.adopt(ctx.actor, i.routerId, menus) }));
    },
    'monitor.sessions': (i) => routerCall(() => monitor.sessions(i.routerId)),
    'monitor.watch': (i) => {
      monitor.watch(i.routerId);
      return { ok: true as const };
    },
    'monitor.kick': async (i, ctx) => {
      await routerCall(() => monitor.kick(ctx.actor, i.routerId, i.kind, i.id));
      return { ok: true as const };
    },
  };

  return {
    name: 'routers',
    api,
    internals: { registry, jobs, reconciler, monitor },
    handlers,
    async start() {
      await jobs.start();
      await registry.start();
      reconciler.start();
      // Jobs of routers that are already online (none yet at start) and of those that come online are poked
      // by the online status; poke everyone once so a restarted app resumes at once.
      for (const r of registry.infos()) jobs.poke(r.id);
    },
    async stop() {
      monitor.stop();
      reconciler.stop();
      await jobs.stop();
      await registry.stop();
    },
  };
}
