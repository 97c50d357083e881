/**
 * The vouchers feature: voucher profiles, batches pushed through router jobs, the router's on-login callback,
 * the poller that applies expiry policies and counts sales, printing, the sales report and the Mikhmon import.
 * Built on the routers feature (RoutersApi).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/contract/errors';
import { ConnectionClosedError, RouterOsError, TimeoutError } from '../routeros/index';
import { assessCodeSpace } from '../../shared/vouchers/codegen';
import { decodeVoucherComment } from '../../shared/vouchers/comment-codec';
import type { Feature, FeatureBase } from '../feature';
import type { RoutersApi } from '../routers/api';
import type { Handlers } from '../rpc/dispatcher';
import { Batches, PUSH_OPERATION, type PushPayload } from './batches';
import { CALLBACK_PATH, callbackQuery, voucherMeta, type VouchersContext } from './common';
import { actOn } from './manage';
import { adoptUsers, importMikhmon } from './mikhmon-import';
import { printPdf } from './print';
import {
  adoptProfiles,
  enqueueRouterScripts,
  listProfiles,
  parseProfileInput,
  saveProfile,
} from './profiles';
import { exportSales, salesReport, voucherStats } from './sales';
import { handleLoginCallback, syncRouter } from './sync';
import { getTemplate, resetTemplate, saveTemplate } from './templates';
import type { RandomSource } from '../../shared/vouchers/codegen';

type VoucherMethods = Extract<keyof Handlers, `vouchers.${string}`>;

/** Reads from the router inside a contract call: a dead link or a refusal becomes the fixed error codes. */
async function routerCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ConnectionClosedError || e instanceof TimeoutError) {
      throw new AppError('ROUTER_UNREACHABLE', `Router tidak terhubung: ${e.message}`);
    }
    if (e instanceof RouterOsError)
      throw new AppError('ROUTER_ERROR', `Router menolak perintah: ${e.message}`);
    throw e;
  }
}

export interface VouchersOptions {
  /** Poll interval of the router sync (ms). Default 60 s; 0 disables the timer (tests call `sync`). */
  syncIntervalMs?: number;
  random?: RandomSource;
}

export interface VouchersApi {
  /** Reads the router now: first logins, sales, expiry policy. */
  sync(routerId: string): ReturnType<typeof syncRouter>;
}

export interface VouchersFeature extends Feature {
  api: VouchersApi;
  internals: { batches: Batches; ctx: VouchersContext };
}

export function createVouchersFeature(
  base: FeatureBase,
  routers: RoutersApi,
  opts: VouchersOptions = {},
): VouchersFeature {
  const ctx: VouchersContext = { base, routers };
  const batches = new Batches(ctx, opts.random);
  routers.registerOperation(PUSH_OPERATION, batches.push);

  routers.registerDesiredState({
    menu: '/ip/hotspot/user',
    label: 'Voucher hotspot',
    key: 'name',
    managed: (row) => decodeVoucherComment(row['comment']) !== null,
    fields: ['profile'],
    async desired(routerId) {
      const now = base.clock.now();
      const removeOnExpiry = new Set<string>();
      for (const p of await base.database.db
        .selectFrom('hotspot_profiles')
        .select(['name', 'meta_json'])
        .where('router_id', '=', routerId)
        .execute()) {
        if (voucherMeta(p)?.expiryPolicy === 'remove') removeOnExpiry.add(p.name);
      }
      const rows = await base.database.db
        .selectFrom('vouchers')
        .select(['username', 'profile', 'status', 'valid_until'])
        .where('router_id', '=', routerId)
        .where('push_state', '=', 'pushed')
        .where('status', '!=', 'removed')
        .execute();
      const out = new Map<string, Record<string, string>>();
      for (const r of rows) {
        const expired = r.status === 'expired' || (r.valid_until !== null && r.valid_until <= now);
        // An expired voucher of a "remove" profile must stay gone: the reconciler may not bring it back.
        if (expired && removeOnExpiry.has(r.profile)) continue;
        out.set(r.username, { profile: r.profile });
      }
      return out;
    },
    pushJob: (key) => ({
      operation: PUSH_OPERATION,
      payload: { batchId: null, usernames: [key] } satisfies PushPayload,
    }),
    adopt: (routerId, rows, actor) => adoptUsers(ctx, routerId, rows, actor),
  });

  let timer: NodeJS.Timeout | null = null;
  const unsubscribers: Array<() => void> = [];

  const syncAll = async (): Promise<void> => {
    for (const r of await routers.list()) {
      if (!r.online) continue;
      const has = base.database.sqlite
        .prepare(
          `SELECT 1 FROM vouchers WHERE router_id = ? AND status IN ('unused','active','disabled','expired') LIMIT 1`,
        )
        .get(r.id);
      if (!has) continue;
      try {
        await syncRouter(ctx, r.id);
      } catch (e) {
        base.log.warn('vouchers: sync failed', {
          err: e instanceof Error ? e.message : String(e),
          routerId: r.id,
        });
      }
    }
  };

  const handlers: Pick<Handlers, VoucherMethods> = {
    'vouchers.profiles.list': (i) => listProfiles(ctx, i.routerId),
    'vouchers.profiles.save': (i, c) => saveProfile(ctx, c.actor, parseProfileInput(i)),
    'vouchers.profiles.adopt': (i, c) => routerCall(() => adoptProfiles(ctx, c.actor, i.routerId)),
    'vouchers.assessCodes': (i) => {
      const taken = base.database.sqlite
        .prepare('SELECT COUNT(*) AS n FROM vouchers WHERE username LIKE ? AND length(username) = ?')
        .get(`${i.prefix.replace(/[%_]/g, '')}%`, i.prefix.length + i.length) as { n: number };
      return assessCodeSpace({ charset: i.charset, length: i.length, count: i.count, takenCount: taken.n });
    },
    'vouchers.createBatch': (i, c) => batches.create(c.actor, i),
    'vouchers.batches.list': (i) => batches.list(i),
    'vouchers.batches.progress': (i) => batches.progress(i.batchId),
    'vouchers.batches.retry': (i, c) => batches.retry(c.actor, i.batchId),
    'vouchers.list': (i) => base.reads.run('vouchers.list', i),
    'vouchers.disable': (i, c) => actOn(ctx, c.actor, 'disable', i.ids),
    'vouchers.enable': (i, c) => actOn(ctx, c.actor, 'enable', i.ids),
    'vouchers.delete': (i, c) => actOn(ctx, c.actor, 'delete', i.ids),
    'vouchers.extend': (i, c) => actOn(ctx, c.actor, 'extend', i.ids, i.seconds),
    'vouchers.printPdf': (i) => printPdf(ctx, i),
    'vouchers.templates.get': (i) => getTemplate(ctx, i.layout),
    'vouchers.templates.save': (i, c) => saveTemplate(ctx, c.actor, i.layout, i.template, i.version),
    'vouchers.templates.reset': (i, c) => resetTemplate(ctx, c.actor, i.layout),
    'vouchers.sales.report': (i) => salesReport(ctx, i),
    'vouchers.sales.export': (i) => exportSales(ctx, i),
    'vouchers.sync': async (i) => {
      await routers.get(i.routerId);
      return routerCall(() => syncRouter(ctx, i.routerId));
    },
    'vouchers.importMikhmon': (i, c) => routerCall(() => importMikhmon(ctx, c.actor, i.routerId)),
    'vouchers.stats': () => voucherStats(ctx),
  };

  const routes = (app: FastifyInstance): void => {
    // The routers' on-login callback (`/tool fetch` from the voucher profile's on-login script).
    app.get(CALLBACK_PATH, async (req, reply) => {
      const q = callbackQuery(req.query);
      if (!q) return reply.code(400).type('text/plain').send('bad request');
      const outcome = await handleLoginCallback(ctx, q);
      if (outcome === 'forbidden') return reply.code(403).type('text/plain').send('forbidden');
      if (outcome === 'unknown') return reply.code(404).type('text/plain').send('unknown voucher');
      return reply.type('text/plain').send('ok');
    });
  };

  return {
    name: 'vouchers',
    handlers,
    routes,
    api: { sync: (routerId) => syncRouter(ctx, routerId) },
    internals: { batches, ctx },
    start() {
      // A router coming online gets the current scripts (the LAN address may have changed) and a sync.
      unsubscribers.push(
        routers.onRouterOnline((r) => {
          void (async () => {
            const hasProfiles = (await listProfiles(ctx, r.id)).some((p) => p.origin !== 'mikhmon');
            if (hasProfiles) {
              await enqueueRouterScripts(ctx, base.database.db, r.id);
              routers.poke(r.id);
            }
          })().catch((e: unknown) => base.log.warn('vouchers: script refresh failed', { err: String(e) }));
        }),
      );
      // A new LAN address (Settings → Kantor) must reach every router's on-login callback at once.
      let lastLan = base.lanUrl();
      unsubscribers.push(
        base.events.subscribe((msg) => {
          if (msg.name !== 'settings.changed' || base.lanUrl() === lastLan) return;
          lastLan = base.lanUrl();
          void (async () => {
            for (const r of await routers.list()) {
              if ((await listProfiles(ctx, r.id)).some((p) => p.origin !== 'mikhmon'))
                await enqueueRouterScripts(ctx, base.database.db, r.id);
            }
          })().catch((e: unknown) =>
            base.log.warn('vouchers: script refresh after LAN change failed', { err: String(e) }),
          );
        }),
      );
      const every = opts.syncIntervalMs ?? 60_000;
      if (every > 0) {
        timer = setInterval(() => void syncAll(), every);
        timer.unref();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const u of unsubscribers.splice(0)) u();
    },
  };
}
