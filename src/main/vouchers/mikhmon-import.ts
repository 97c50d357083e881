/**
 * Import from a router set up by Mikhmon: its profiles (on-login header `:put (",mode,price,validity,sell,,lock,")`),
 * its users (`vc-…`/`up-…` comments = generated, `<date> <time>` = stamped at first login with the expiry) and its
 * sales (`/system script` entries with comment `mikhmon`, name `date-|-time-|-user-|-price-|-…`). Re-running is safe.
 *
 * - A voucher is in use when its comment carries an expiry, or when it has uptime or a session although its
 *   comment is still `vc-…` (a profile with expiry mode "None" never rewrites it). Its first login happened under
 *   Mikhmon, so Rukun records it (estimated from the uptime when nothing better is known) and never counts it as a
 *   sale of its own later: the sale is Mikhmon's record, if Mikhmon kept one.
 * - A sales record is linked to its voucher and counted at the voucher's price (one voucher, one price, one sale):
 *   importing again, or a poll that saw the same first login, cannot count it twice. A record whose voucher is gone
 *   (Mikhmon removed it at expiry) stands alone, at the profile's prices when they match the record.
 */
import { officeDate } from '../../shared/dates';
import { decodeUserComment, decodeVoucherComment } from '../../shared/vouchers/comment-codec';
import { parseMikhmonSaleScript, type MikhmonSale } from '../../shared/vouchers/mikhmon';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Trx } from '../db/database';
import { parseRosDuration, type RosRow } from '../routeros/index';
import type { VoucherProfileMeta, VouchersContext } from './common';
import { mikhmonRecordPrices } from './mikhmon-meta';
import { adoptProfiles, getProfile } from './profiles';
import type { VoucherStatus } from './schema';

export async function importMikhmon(
  ctx: VouchersContext,
  actor: Actor,
  routerId: string,
): Promise<{ profiles: number; vouchers: number; sales: number }> {
  const profiles = await adoptProfiles(ctx, actor, routerId);
  const conn = ctx.routers.connection(routerId);
  const [users, active, scripts] = await Promise.all([
    conn.call('/ip/hotspot/user/print', {
      '.proplist':
        'name,password,profile,server,comment,uptime,disabled,limit-uptime,limit-bytes-total,mac-address',
    }),
    conn.call('/ip/hotspot/active/print', { '.proplist': 'user,address,mac-address' }),
    conn.call('/system/script/print', { '.proplist': 'name,comment' }, { query: ['?comment=mikhmon'] }),
  ]);
  const sessions = new Map(active.map((a) => [a['user'] ?? '', a]));
  const tz = (await ctx.base.settings.get()).timeZone;
  const db = ctx.base.database.db;
  const now = ctx.base.clock.now();
  let vouchers = 0;
  let sales = 0;
  await db.transaction().execute(async (trx) => {
    const profileCache = new Map<string, Awaited<ReturnType<typeof getProfile>>>();
    const profileOf = async (name: string) => {
      if (!profileCache.has(name)) profileCache.set(name, await getProfile(trx, routerId, name));
      return profileCache.get(name) ?? null;
    };
    for (const u of users) {
      const name = u['name'];
      if (!name) continue;
      const c = decodeUserComment(u['comment'], { timeZone: tz });
      if (c.kind !== 'mikhmon' && c.kind !== 'mikhmon-active') continue;
      const exists = await trx
        .selectFrom('vouchers')
        .select('id')
        .where('router_id', '=', routerId)
        .where('username', '=', name)
        .executeTakeFirst();
      if (exists) continue;
      const profileName = u['profile'] ?? 'default';
      const meta = (await profileOf(profileName))?.meta;
      const validityS = meta?.validitySeconds ?? 0;
      const uptimeS = Math.floor((parseRosDuration(u['uptime'] ?? '0s') ?? 0) / 1000);
      const session = sessions.get(name);
      const expiresAt = c.kind === 'mikhmon-active' ? c.expiresAt : null;
      const firstLoginAt =
        expiresAt !== null
          ? expiresAt - validityS * 1000
          : uptimeS > 0 || session
            ? now - uptimeS * 1000
            : null;
      const status: VoucherStatus =
        u['disabled'] === 'true'
          ? 'disabled'
          : expiresAt !== null && expiresAt <= now
            ? 'expired'
            : firstLoginAt !== null
              ? 'active'
              : 'unused';
      await trx
        .insertInto('vouchers')
        .values({
          id: ctx.base.ids(),
          batch_id: null,
          router_id: routerId,
          username: name,
          password: u['password'] ?? '',
          profile: profileName,
          server: u['server'] ?? 'all',
          price_sell: meta?.priceSell ?? 0,
          price_cost: meta?.priceCost ?? 0,
          validity_s: validityS,
          uptime_limit_s: Math.floor((parseRosDuration(u['limit-uptime'] ?? '') ?? 0) / 1000),
          quota_bytes: Number(u['limit-bytes-total'] ?? 0) || 0,
          status,
          push_state: 'pushed',
          push_error: null,
          first_login_at: firstLoginAt,
          valid_until: expiresAt,
          uptime_s: uptimeS,
          bytes_total: 0,
          // A voucher Mikhmon locked to a device keeps that binding on the router; Rukun shows it.
          last_mac: session?.['mac-address'] || u['mac-address'] || null,
          last_ip: session?.['address'] || null,
          source: 'mikhmon',
          note: c.kind === 'mikhmon' ? `Mikhmon ${c.mode}-${c.batchCode}` : 'Mikhmon',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      vouchers++;
    }
    for (const s of scripts) {
      const sale = parseMikhmonSaleScript(s['name'] ?? '', tz);
      if (!sale || sale.soldAt === null) continue;
      if (await importSale(ctx, trx, routerId, sale, sale.soldAt, tz, profileOf)) sales++;
    }
    await recordChange(trx, ctx.base, {
      actor,
      action: 'vouchers.importMikhmon',
      entity: 'router',
      entityId: routerId,
      after: { profiles: profiles.adopted, vouchers, sales },
    });
  });
  ctx.base.events.emit('vouchers.changed', { routerId, batchId: null, reason: 'import' });
  return { profiles: profiles.adopted, vouchers, sales };
}

/** One Mikhmon sales record into voucher_sales; returns whether it is a sale Rukun did not count yet. */
async function importSale(
  ctx: VouchersContext,
  trx: Trx,
  routerId: string,
  sale: MikhmonSale,
  at: number,
  tz: string,
  profileOf: (name: string) => Promise<{ meta: VoucherProfileMeta } | null>,
): Promise<boolean> {
  const v = await trx
    .selectFrom('vouchers')
    .selectAll()
    .where('router_id', '=', routerId)
    .where('username', '=', sale.username)
    .executeTakeFirst();
  // The same record imported before it could be linked (an older import, or its voucher imported since).
  const loose = await trx
    .selectFrom('voucher_sales')
    .select('id')
    .where('router_id', '=', routerId)
    .where('username', '=', sale.username)
    .where('at', '=', at)
    .where('voucher_id', 'is', null)
    .executeTakeFirst();
  if (!v) {
    if (loose) return false;
    const prices = mikhmonRecordPrices(sale.price, (await profileOf(sale.profile))?.meta ?? null);
    const res = await trx
      .insertInto('voucher_sales')
      .values({
        id: ctx.base.ids(),
        voucher_id: null,
        router_id: routerId,
        username: sale.username,
        profile: sale.profile,
        batch_id: null,
        at,
        office_date: officeDate(at, tz),
        price_sell: prices.priceSell,
        price_cost: prices.priceCost,
        source: 'mikhmon',
        created_at: ctx.base.clock.now(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const counted = await trx
    .selectFrom('voucher_sales')
    .select('id')
    .where('voucher_id', '=', v.id)
    .executeTakeFirst();
  if (counted) {
    // The voucher's first login is counted already (polled, called back, or imported): a loose copy of it goes.
    if (loose) await trx.deleteFrom('voucher_sales').where('id', '=', loose.id).execute();
    return false;
  }
  const linked = {
    voucher_id: v.id,
    profile: v.profile,
    batch_id: v.batch_id,
    price_sell: v.price_sell,
    price_cost: v.price_cost,
  };
  if (loose) {
    await trx.updateTable('voucher_sales').set(linked).where('id', '=', loose.id).execute();
  } else {
    await trx
      .insertInto('voucher_sales')
      .values({
        id: ctx.base.ids(),
        router_id: routerId,
        username: v.username,
        at,
        office_date: officeDate(at, tz),
        source: 'mikhmon',
        created_at: ctx.base.clock.now(),
        ...linked,
      })
      .execute();
  }
  if (v.first_login_at === null) {
    // Mikhmon's record is the best witness of the first login; a voucher gone from the router was sold, so expired.
    await trx
      .updateTable('vouchers')
      .set({
        first_login_at: at,
        valid_until: v.valid_until ?? (v.validity_s > 0 ? at + v.validity_s * 1000 : null),
        status: v.status === 'removed' ? 'expired' : v.status === 'unused' ? 'active' : v.status,
        updated_at: ctx.base.clock.now(),
        version: v.version + 1,
      })
      .where('id', '=', v.id)
      .execute();
  }
  return !loose;
}

/**
 * The reconciler's adoption of VOUCHER_SYSTEM users that exist only on the router (made by another Rukun install
 * or a seed-format tool): they become Rukun vouchers with the price and stamps their comment carries.
 */
export async function adoptUsers(
  ctx: VouchersContext,
  routerId: string,
  rows: readonly RosRow[],
  actor: Actor,
): Promise<number> {
  const now = ctx.base.clock.now();
  let adopted = 0;
  await ctx.base.database.db.transaction().execute(async (trx) => {
    for (const r of rows) {
      const name = r['name'];
      const meta = decodeVoucherComment(r['comment']);
      if (!name || !meta) continue;
      const exists = await trx
        .selectFrom('vouchers')
        .select('id')
        .where('router_id', '=', routerId)
        .where('username', '=', name)
        .executeTakeFirst();
      if (exists) continue;
      const profile = await getProfile(trx, routerId, r['profile'] ?? 'default');
      const expired = meta.validUntil !== null && meta.validUntil <= now;
      const status: VoucherStatus =
        r['disabled'] === 'true'
          ? expired
            ? 'expired'
            : 'disabled'
          : expired
            ? 'expired'
            : meta.firstLoginAt !== null
              ? 'active'
              : 'unused';
      await trx
        .insertInto('vouchers')
        .values({
          id: ctx.base.ids(),
          batch_id: null,
          router_id: routerId,
          username: name,
          password: r['password'] ?? '',
          profile: r['profile'] ?? 'default',
          server: r['server'] ?? 'all',
          price_sell: meta.price ?? profile?.meta.priceSell ?? 0,
          price_cost: meta.cost ?? profile?.meta.priceCost ?? 0,
          validity_s: Math.floor((meta.validityMs ?? (profile?.meta.validitySeconds ?? 0) * 1000) / 1000),
          uptime_limit_s: Math.floor((parseRosDuration(r['limit-uptime'] ?? '') ?? 0) / 1000),
          quota_bytes: Number(r['limit-bytes-total'] ?? 0) || 0,
          status,
          push_state: 'pushed',
          push_error: null,
          first_login_at: meta.firstLoginAt,
          valid_until: meta.validUntil,
          uptime_s: Math.floor((parseRosDuration(r['uptime'] ?? '0s') ?? 0) / 1000),
          bytes_total: Number(r['bytes-in'] ?? 0) + Number(r['bytes-out'] ?? 0),
          last_mac: null,
          last_ip: null,
          source: 'adopted',
          note: meta.batch ? `Batch ${meta.batch}` : '',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      adopted++;
    }
    if (adopted > 0) {
      await recordChange(trx, ctx.base, {
        actor,
        action: 'vouchers.adoptUsers',
        entity: 'router',
        entityId: routerId,
        after: { adopted },
      });
    }
  });
  if (adopted > 0) ctx.base.events.emit('vouchers.changed', { routerId, batchId: null, reason: 'adopt' });
  return adopted;
}
