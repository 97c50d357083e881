/**
 * How Rukun learns what happened on the router:
 * - the on-login callback (`GET /hooks/hotspot/login?r=&t=&u=&f=&ip=&mac=`), authenticated by the per-router token,
 *   tells it at once about a first login;
 * - the poller reads hotspot users (comment stamps, uptime, bytes, disabled) and active sessions: the source of
 *   truth. It records first logins the callback missed, counts each first login once as a sale, and applies each
 *   profile's expiry policy (remove, disable, or keep with a notice) through router jobs.
 */
import { officeDate } from '../../shared/dates';
import { decodeUserComment } from '../../shared/vouchers/comment-codec';
import { recordChange } from '../audit';
import { systemActor } from '../context';
import type { Trx } from '../db/database';
import { parseRosDuration } from '../routeros/index';
import { sameSecret, voucherMeta, type VouchersContext } from './common';
import { parseSaleRecordName, SALE_COMMENT_PREFIX, saleRecordName } from './router-scripts';
import type { VoucherStatus, VouchersTable } from './schema';

export interface SyncResult {
  seen: number;
  /** Sale records (`rukun-sale|…` scripts) read from the router and queued for removal. */
  saleRecords: number;
  firstLogins: number;
  sales: number;
  expired: number;
  missing: number;
}

/** Records the sale of a voucher's first login (at most once per voucher). Returns whether it was new. */
export async function recordSale(
  ctx: VouchersContext,
  trx: Trx,
  v: Pick<
    VouchersTable,
    'id' | 'router_id' | 'username' | 'profile' | 'batch_id' | 'price_sell' | 'price_cost'
  >,
  at: number,
  source: 'callback' | 'poll',
  tz: string,
): Promise<boolean> {
  // `tz` is read by the caller BEFORE its transaction: the settings service queries through the one connection.
  const res = await trx
    .insertInto('voucher_sales')
    .values({
      id: ctx.base.ids(),
      voucher_id: v.id,
      router_id: v.router_id,
      username: v.username,
      profile: v.profile,
      batch_id: v.batch_id,
      at,
      office_date: officeDate(at, tz),
      price_sell: v.price_sell,
      price_cost: v.price_cost,
      source,
      created_at: ctx.base.clock.now(),
    })
    .onConflict((oc) => oc.column('voucher_id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type CallbackOutcome = 'ok' | 'forbidden' | 'unknown';

/** The router's on-login callback. A wrong token is refused; a known voucher gets its first login and sale. */
export async function handleLoginCallback(
  ctx: VouchersContext,
  q: {
    r?: string | undefined;
    t?: string | undefined;
    u?: string | undefined;
    f?: string | undefined;
    ip?: string | undefined;
    mac?: string | undefined;
  },
): Promise<CallbackOutcome> {
  const db = ctx.base.database.db;
  if (!q.r || !q.t || !q.u) return 'forbidden';
  const token = await db
    .selectFrom('voucher_router_tokens')
    .select('token_sha256')
    .where('router_id', '=', q.r)
    .executeTakeFirst();
  if (!token || !sameSecret(q.t, token.token_sha256)) return 'forbidden';
  const now = ctx.base.clock.now();
  const tz = (await ctx.base.settings.get()).timeZone;
  const changed = await db.transaction().execute(async (trx) => {
    const v = await trx
      .selectFrom('vouchers')
      .selectAll()
      .where('router_id', '=', q.r!)
      .where('username', '=', q.u!)
      .executeTakeFirst();
    if (!v) return null;
    const stamped = Number(q.f) * 1000;
    // Trust the router's stamp unless its clock is clearly wrong (then our clock is the better witness).
    const first = Number.isFinite(stamped) && Math.abs(stamped - now) < 2 * 86_400_000 ? stamped : now;
    const patch: Partial<VouchersTable> = {
      last_ip: q.ip ?? v.last_ip,
      last_mac: q.mac ?? v.last_mac,
      updated_at: now,
    };
    if (v.first_login_at === null) {
      patch.first_login_at = first;
      patch.valid_until = v.validity_s > 0 ? first + v.validity_s * 1000 : null;
      patch.status = 'active';
      patch.version = v.version + 1;
      await recordSale(ctx, trx, v, first, 'callback', tz);
      await recordChange(trx, ctx.base, {
        actor: { ...systemActor, name: 'Router' },
        action: 'vouchers.firstLogin',
        entity: 'voucher',
        entityId: v.id,
        before: { status: v.status },
        after: { status: 'active', firstLoginAt: first, validUntil: patch.valid_until, via: 'callback' },
        op: 'update',
      });
    }
    await trx.updateTable('vouchers').set(patch).where('id', '=', v.id).execute();
    // The on-login script wrote a sale record before calling back: the sale is known now, so it can go.
    if (q.f && /^\d+$/.test(q.f))
      await removeSaleRecord(ctx, trx, v.router_id, saleRecordName(v.username, q.f));
    return v;
  });
  if (!changed) return 'unknown';
  ctx.routers.poke(q.r);
  ctx.base.events.emit('vouchers.changed', { routerId: q.r, batchId: changed.batch_id, reason: 'login' });
  return 'ok';
}

/** Reads the router and brings Rukun's vouchers of that router up to date. */
export async function syncRouter(ctx: VouchersContext, routerId: string): Promise<SyncResult> {
  const conn = ctx.routers.connection(routerId);
  const [users, active, scripts] = await Promise.all([
    conn.call('/ip/hotspot/user/print', {
      '.proplist': '.id,name,comment,uptime,bytes-in,bytes-out,disabled,profile',
    }),
    conn.call('/ip/hotspot/active/print', { '.proplist': 'user,address,mac-address' }),
    conn.call('/system/script/print', { '.proplist': '.id,name,comment' }),
  ]);
  const saleRecords = scripts.flatMap((row) => {
    const parsed = row['comment']?.startsWith(SALE_COMMENT_PREFIX) ? parseSaleRecordName(row['name']) : null;
    return parsed ? [{ name: row['name']!, ...parsed }] : [];
  });
  const db = ctx.base.database.db;
  const tz = (await ctx.base.settings.get()).timeZone;
  const now = ctx.base.clock.now();
  const byName = new Map(users.filter((u) => u['name']).map((u) => [u['name']!, u]));
  const sessions = new Map(active.map((a) => [a['user'] ?? '', a]));
  const policies = new Map<string, 'remove' | 'disable' | 'keep'>();
  for (const p of await db
    .selectFrom('hotspot_profiles')
    .select(['name', 'meta_json'])
    .where('router_id', '=', routerId)
    .execute()) {
    policies.set(p.name, voucherMeta(p)?.expiryPolicy ?? 'keep');
  }
  const result: SyncResult = { seen: 0, saleRecords: 0, firstLogins: 0, sales: 0, expired: 0, missing: 0 };
  const batches = new Set<string | null>();
  await db.transaction().execute(async (trx) => {
    // Sale records first: a voucher the router already removed is then seen as sold ("expired"), not "removed".
    for (const rec of saleRecords) {
      const v = await trx
        .selectFrom('vouchers')
        .selectAll()
        .where('router_id', '=', routerId)
        .where('username', '=', rec.username)
        .executeTakeFirst();
      // Not one of ours (yet): left on the router, which drops it after 60 days.
      if (!v) continue;
      result.saleRecords++;
      if (v.first_login_at === null) {
        const first = rec.firstLoginAt;
        const until = v.valid_until ?? (v.validity_s > 0 ? first + v.validity_s * 1000 : null);
        const patch: Partial<VouchersTable> = {
          first_login_at: first,
          valid_until: until,
          updated_at: now,
          version: v.version + 1,
        };
        // Marked "removed" by an older poll: it was sold, so it is "expired". Any other status is settled by the
        // pass below, which reads the router's row (or its absence) with the first login now known.
        if (v.status === 'removed') patch.status = 'expired';
        await trx.updateTable('vouchers').set(patch).where('id', '=', v.id).execute();
        result.firstLogins++;
        if (await recordSale(ctx, trx, v, first, 'poll', tz)) result.sales++;
        await recordChange(trx, ctx.base, {
          actor: { ...systemActor, name: 'Router' },
          action: 'vouchers.firstLogin',
          entity: 'voucher',
          entityId: v.id,
          before: { status: v.status },
          after: {
            status: patch.status ?? v.status,
            firstLoginAt: first,
            validUntil: until,
            via: 'saleRecord',
          },
          op: 'update',
        });
        batches.add(v.batch_id);
      }
      // A first login Rukun knew already (the callback or an earlier poll) was counted then: the record just goes.
      await removeSaleRecord(ctx, trx, routerId, rec.name);
    }
    const vouchers = await trx
      .selectFrom('vouchers')
      .selectAll()
      .where('router_id', '=', routerId)
      .where('push_state', '=', 'pushed')
      .where('status', '!=', 'removed')
      .execute();
    for (const v of vouchers) {
      const row = byName.get(v.username);
      const patch: Partial<VouchersTable> = {};
      if (!row) {
        // Gone from the router: expired by the router's own scheduler, or deleted by hand.
        // A used voucher stays "expired" (it was sold); an unused one is "removed".
        const status: VoucherStatus = v.first_login_at !== null ? 'expired' : 'removed';
        if (v.status !== status) {
          patch.status = status;
          result.missing++;
        }
      } else {
        result.seen++;
        const comment = decodeUserComment(row['comment'], { timeZone: tz });
        const uptimeS = Math.floor((parseRosDuration(row['uptime'] ?? '0s') ?? 0) / 1000);
        const bytes = Number(row['bytes-in'] ?? 0) + Number(row['bytes-out'] ?? 0);
        const session = sessions.get(v.username);
        let first = v.first_login_at;
        let until = v.valid_until;
        if (comment.kind === 'rukun') {
          if (comment.firstLoginAt !== null) first = first ?? comment.firstLoginAt;
          if (comment.validUntil !== null && (until === null || comment.validUntil > until))
            until = comment.validUntil;
        } else if (comment.kind === 'mikhmon-active') {
          until = comment.expiresAt;
          first = first ?? comment.expiresAt - v.validity_s * 1000;
        }
        if (first === null && (uptimeS > 0 || session)) first = now - uptimeS * 1000;
        if (first !== null && until === null && v.validity_s > 0) until = first + v.validity_s * 1000;
        if (v.first_login_at === null && first !== null) {
          patch.first_login_at = first;
          result.firstLogins++;
          // A Mikhmon voucher first used before it was imported was sold under Mikhmon: that sale is Mikhmon's
          // record (imported with it), never one made up now at the voucher's price.
          const soldBeforeImport = v.source === 'mikhmon' && first < v.created_at;
          if (!soldBeforeImport && (await recordSale(ctx, trx, v, first, 'poll', tz))) result.sales++;
        }
        if (until !== v.valid_until) patch.valid_until = until;
        if (uptimeS !== v.uptime_s) patch.uptime_s = uptimeS;
        if (bytes !== v.bytes_total) patch.bytes_total = bytes;
        if (session) {
          patch.last_ip = session['address'] ?? v.last_ip;
          patch.last_mac = session['mac-address'] ?? v.last_mac;
        }
        const exhausted =
          (until !== null && until <= now) ||
          (v.uptime_limit_s > 0 && uptimeS >= v.uptime_limit_s) ||
          (v.quota_bytes > 0 && bytes >= v.quota_bytes);
        const disabledOnRouter = row['disabled'] === 'true';
        let status: VoucherStatus;
        if (exhausted && first !== null) {
          status = 'expired';
          const policy = policies.get(v.profile) ?? 'keep';
          if (v.status !== 'expired' || (policy === 'disable' && !disabledOnRouter) || policy === 'remove') {
            await applyPolicy(ctx, trx, v, policy, disabledOnRouter);
            if (v.status !== 'expired') result.expired++;
          }
        } else if (disabledOnRouter) status = 'disabled';
        else status = first !== null ? 'active' : 'unused';
        if (status !== v.status) patch.status = status;
      }
      if (Object.keys(patch).length > 0) {
        patch.updated_at = now;
        patch.version = v.version + 1;
        await trx.updateTable('vouchers').set(patch).where('id', '=', v.id).execute();
        if (patch.status && patch.status !== v.status) {
          await recordChange(trx, ctx.base, {
            actor: systemActor,
            action: 'vouchers.sync',
            entity: 'voucher',
            entityId: v.id,
            before: { status: v.status },
            after: {
              status: patch.status,
              firstLoginAt: patch.first_login_at ?? v.first_login_at,
              validUntil: patch.valid_until ?? v.valid_until,
            },
            op: 'update',
          });
        }
        batches.add(v.batch_id);
      }
    }
  });
  ctx.routers.poke(routerId);
  for (const b of batches) ctx.base.events.emit('vouchers.changed', { routerId, batchId: b, reason: 'sync' });
  return result;
}

async function applyPolicy(
  ctx: VouchersContext,
  trx: Trx,
  v: VouchersTable,
  policy: 'remove' | 'disable' | 'keep',
  disabledOnRouter: boolean,
): Promise<void> {
  const routerId = v.router_id;
  if (policy === 'keep') {
    // Kept for the record; the 1-second uptime limit makes the login page say the voucher is used up.
    await ctx.routers.enqueue(trx, {
      routerId,
      operation: 'menu.set',
      payload: {
        menu: '/ip/hotspot/user',
        match: { name: v.username },
        values: { 'limit-uptime': '1s' },
        ifExists: true,
      },
    });
    await ctx.routers.enqueue(trx, { routerId, operation: 'hotspot.kick', payload: { user: v.username } });
    return;
  }
  if (policy === 'remove') {
    await ctx.routers.enqueue(trx, { routerId, operation: 'hotspot.kick', payload: { user: v.username } });
    await ctx.routers.enqueue(trx, {
      routerId,
      operation: 'menu.remove',
      payload: { menu: '/ip/hotspot/user', match: { name: v.username } },
    });
  } else if (!disabledOnRouter) {
    await ctx.routers.enqueue(trx, {
      routerId,
      operation: 'menu.set',
      payload: {
        menu: '/ip/hotspot/user',
        match: { name: v.username },
        values: { disabled: 'yes' },
        ifExists: true,
      },
    });
    await ctx.routers.enqueue(trx, { routerId, operation: 'hotspot.kick', payload: { user: v.username } });
  }
}

/** Queues the removal of a collected sale record (idempotent: removing a record that is gone is a no-op). */
async function removeSaleRecord(
  ctx: VouchersContext,
  trx: Trx,
  routerId: string,
  name: string,
): Promise<void> {
  await ctx.routers.enqueue(trx, {
    routerId,
    operation: 'menu.remove',
    payload: { menu: '/system/script', match: { name } },
  });
}
