/**
 * Import from a router set up by Mikhmon: its profiles (on-login header `:put (",mode,price,validity,sell,,lock,")`),
 * its users (`vc-…`/`up-…` comments = unused, `<date> <time> [N|X]` = in use with an expiry) and its sales
 * (`/system script` entries with comment `mikhmon`, name `date-|-time-|-user-|-price-|-…`). Re-running is safe.
 */
import { officeDate } from '../../shared/dates';
import { decodeUserComment, decodeVoucherComment } from '../../shared/vouchers/comment-codec';
import { parseMikhmonSaleScript } from '../../shared/vouchers/mikhmon';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import { parseRosDuration, type RosRow } from '../routeros/index';
import type { VouchersContext } from './common';
import { adoptProfiles, getProfile } from './profiles';
import type { VoucherStatus } from './schema';

export async function importMikhmon(
  ctx: VouchersContext,
  actor: Actor,
  routerId: string,
): Promise<{ profiles: number; vouchers: number; sales: number }> {
  const profiles = await adoptProfiles(ctx, actor, routerId);
  const conn = ctx.routers.connection(routerId);
  const [users, scripts] = await Promise.all([
    conn.call('/ip/hotspot/user/print', {
      '.proplist': 'name,password,profile,server,comment,uptime,disabled,limit-uptime,limit-bytes-total',
    }),
    conn.call('/system/script/print', { '.proplist': 'name,comment' }, { query: ['?comment=mikhmon'] }),
  ]);
  const tz = (await ctx.base.settings.get()).timeZone;
  const db = ctx.base.database.db;
  const now = ctx.base.clock.now();
  let vouchers = 0;
  let sales = 0;
  await db.transaction().execute(async (trx) => {
    const profileCache = new Map<string, Awaited<ReturnType<typeof getProfile>>>();
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
      if (!profileCache.has(profileName))
        profileCache.set(profileName, await getProfile(trx, routerId, profileName));
      const meta = profileCache.get(profileName)?.meta;
      const validityS = meta?.validitySeconds ?? 0;
      const expiresAt = c.kind === 'mikhmon-active' ? c.expiresAt : null;
      const status: VoucherStatus =
        u['disabled'] === 'true'
          ? 'disabled'
          : expiresAt !== null
            ? expiresAt <= now
              ? 'expired'
              : 'active'
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
          first_login_at: expiresAt !== null ? expiresAt - validityS * 1000 : null,
          valid_until: expiresAt,
          uptime_s: Math.floor((parseRosDuration(u['uptime'] ?? '0s') ?? 0) / 1000),
          bytes_total: 0,
          last_mac: null,
          last_ip: null,
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
      const res = await trx
        .insertInto('voucher_sales')
        .values({
          id: ctx.base.ids(),
          voucher_id: null,
          router_id: routerId,
          username: sale.username,
          profile: sale.profile,
          batch_id: null,
          at: sale.soldAt,
          office_date: officeDate(sale.soldAt, tz),
          price_sell: sale.price ?? 0,
          price_cost: (await getProfile(trx, routerId, sale.profile))?.meta.priceCost ?? 0,
          source: 'mikhmon',
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) sales++;
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
