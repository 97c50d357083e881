/**
 * Voucher profiles: hotspot user profiles marked VOUCHER_SYSTEM, stored by the routers feature
 * (hotspot_profiles) with the voucher settings in meta_json. Saving one pushes the profile with Rukun's
 * on-login script and refreshes the router's expiry scheduler, both through router jobs.
 */
import { AppError } from '../../shared/contract/errors';
import type { VoucherProfile, VoucherProfileInput } from '../../shared/contract/vouchers';
import { parseMikhmonProfileHeader } from '../../shared/vouchers/mikhmon';
import { profileMarker } from '../../shared/vouchers/comment-codec';
import type { Actor } from '../context';
import type { Db, Trx } from '../db/database';
import { parseRosDuration } from '../routeros/index';
import {
  CALLBACK_PATH,
  profileView,
  routerNames,
  routerToken,
  voucherMeta,
  type VoucherProfileMeta,
  type VouchersContext,
} from './common';
import { mikhmonProfileMeta } from './mikhmon-meta';
import { EXPIRY_SCHEDULER_NAME, voucherExpiryScript, voucherOnLoginScript } from './router-scripts';

export function callbackUrl(ctx: VouchersContext): string | null {
  const base = ctx.base.lanUrl();
  return base ? base.replace(/\/$/, '') + CALLBACK_PATH : null;
}

export async function listProfiles(ctx: VouchersContext, routerId?: string): Promise<VoucherProfile[]> {
  const db = ctx.base.database.db;
  let q = db.selectFrom('hotspot_profiles').selectAll();
  if (routerId) q = q.where('router_id', '=', routerId);
  const rows = await q.orderBy('name').execute();
  const names = await routerNames(db);
  const out: VoucherProfile[] = [];
  for (const r of rows) {
    const meta = voucherMeta(r);
    if (meta) out.push(profileView(r, meta, names.get(r.router_id) ?? ''));
  }
  return out;
}

export async function getProfile(db: Db | Trx, routerId: string, name: string) {
  const row = await db
    .selectFrom('hotspot_profiles')
    .selectAll()
    .where('router_id', '=', routerId)
    .where('name', '=', name)
    .executeTakeFirst();
  const meta = row ? voucherMeta(row) : null;
  return row && meta ? { row, meta } : null;
}

/** Enqueues the on-login script of every voucher profile of the router and the expiry scheduler. Idempotent. */
export async function enqueueRouterScripts(
  ctx: VouchersContext,
  trx: Db | Trx,
  routerId: string,
): Promise<void> {
  const rows = await trx
    .selectFrom('hotspot_profiles')
    .selectAll()
    .where('router_id', '=', routerId)
    .orderBy('name')
    .execute();
  const token = await routerToken(ctx, trx, routerId);
  const url = callbackUrl(ctx);
  const policies: Array<{ name: string; policy: VoucherProfileMeta['expiryPolicy'] }> = [];
  for (const r of rows) {
    const meta = voucherMeta(r);
    // Mikhmon profiles keep Mikhmon's own scripts until the office saves them in Rukun.
    if (!meta || meta.origin === 'mikhmon') continue;
    policies.push({ name: r.name, policy: meta.expiryPolicy });
    await ctx.routers.enqueue(trx, {
      routerId,
      operation: 'menu.set',
      payload: {
        menu: '/ip/hotspot/user/profile',
        match: { name: r.name },
        values: {
          'on-login': voucherOnLoginScript({
            validitySeconds: meta.validitySeconds,
            callbackUrl: url,
            routerId,
            token,
            lockMac: meta.lockMac,
          }),
        },
        ifExists: true,
      },
    });
  }
  await ctx.routers.enqueue(trx, {
    routerId,
    operation: 'menu.upsert',
    payload: {
      menu: '/system/scheduler',
      match: { name: EXPIRY_SCHEDULER_NAME },
      values: {
        interval: '1m',
        'on-event': voucherExpiryScript({ profiles: policies }),
        comment: 'Rukun: voucher kedaluwarsa dihapus/dinonaktifkan walau PC kantor mati',
      },
    },
  });
}

export async function saveProfile(
  ctx: VouchersContext,
  actor: Actor,
  input: ReturnType<typeof parseProfileInput>,
): Promise<VoucherProfile> {
  const db = ctx.base.database.db;
  await ctx.routers.get(input.routerId);
  const saved = await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('hotspot_profiles')
      .selectAll()
      .where('router_id', '=', input.routerId)
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing && input.version !== undefined && existing.version !== input.version) {
      throw new AppError('CONFLICT', 'Profil ini baru saja diubah orang lain. Muat ulang lalu coba lagi.');
    }
    if (!existing && input.version !== undefined) throw new AppError('NOT_FOUND', 'Profil tidak ditemukan');
    const previousMeta = existing ? (JSON.parse(existing.meta_json) as Record<string, unknown>) : {};
    const old = existing ? voucherMeta(existing) : null;
    const oldOrigin = old?.origin;
    const meta: VoucherProfileMeta = {
      validitySeconds: input.validitySeconds,
      uptimeLimitSeconds: input.uptimeLimitSeconds,
      quotaBytes: input.quotaBytes,
      priceCost: input.priceCost,
      priceSell: input.priceSell,
      expiryPolicy: input.expiryPolicy,
      // Saving a Mikhmon profile in Rukun makes it Rukun's: its on-login becomes ours (with Mikhmon's MAC lock kept).
      origin: oldOrigin === 'adopted' ? 'adopted' : 'rukun',
      lockMac: input.lockMac ?? old?.lockMac ?? false,
    };
    const token = await routerToken(ctx, trx, input.routerId);
    const view = await ctx.routers.profiles.hotspot.upsert(trx, actor, {
      routerId: input.routerId,
      name: input.name,
      rateLimit: input.rateLimit,
      sharedUsers: input.sharedUsers,
      managed: true,
      meta: { ...previousMeta, voucher: meta },
      extra: {
        'on-login': voucherOnLoginScript({
          validitySeconds: meta.validitySeconds,
          callbackUrl: callbackUrl(ctx),
          routerId: input.routerId,
          token,
          lockMac: meta.lockMac,
        }),
      },
    });
    await enqueueRouterScripts(ctx, trx, input.routerId);
    return view;
  });
  ctx.routers.poke(input.routerId);
  const names = await routerNames(db);
  const row = await db
    .selectFrom('hotspot_profiles')
    .selectAll()
    .where('id', '=', saved.id)
    .executeTakeFirstOrThrow();
  return profileView(row, voucherMeta(row)!, names.get(row.router_id) ?? '');
}

export function parseProfileInput(i: {
  routerId: string;
  name: string;
  rateLimit: string;
  sharedUsers: number;
  validitySeconds: number;
  uptimeLimitSeconds: number;
  quotaBytes: number;
  priceCost: number;
  priceSell: number;
  expiryPolicy: VoucherProfileMeta['expiryPolicy'];
  lockMac?: boolean | undefined;
  version?: number | undefined;
}) {
  if (i.priceSell < i.priceCost) {
    throw new AppError('VALIDATION', 'Harga jual lebih rendah dari harga modal', {
      issues: [{ path: 'priceSell', message: 'Harga jual tidak boleh di bawah harga modal', code: 'custom' }],
    });
  }
  if (i.validitySeconds === 0 && i.uptimeLimitSeconds === 0 && i.quotaBytes === 0) {
    throw new AppError('VALIDATION', 'Isi masa aktif, batas waktu pakai, atau kuota', {
      issues: [
        {
          path: 'validitySeconds',
          message: 'Voucher tanpa masa aktif, batas waktu, atau kuota tidak pernah habis',
          code: 'custom',
        },
      ],
    });
  }
  return i;
}

export type ProfileInput = VoucherProfileInput;

/** The router values of a voucher profile as Rukun holds it (for a push that finds the profile missing). */
export async function profileRouterValues(
  ctx: VouchersContext,
  routerId: string,
  name: string,
): Promise<Record<string, string> | null> {
  const db = ctx.base.database.db;
  const p = await getProfile(db, routerId, name);
  if (!p) return null;
  const values: Record<string, string> = {
    'shared-users': String(p.row.shared_users),
    comment: p.row.comment,
  };
  if (p.row.rate_limit) values['rate-limit'] = p.row.rate_limit;
  if (p.meta.origin !== 'mikhmon') {
    const token = await routerToken(ctx, db, routerId);
    values['on-login'] = voucherOnLoginScript({
      validitySeconds: p.meta.validitySeconds,
      callbackUrl: callbackUrl(ctx),
      routerId,
      token,
      lockMac: p.meta.lockMac,
    });
  }
  return values;
}

/**
 * Takes the router's voucher profiles into Rukun: those marked VOUCHER_SYSTEM (Rukun or a seed-format tool) and
 * Mikhmon's (their on-login header carries validity, prices and expiry mode). Existing Rukun profiles stay.
 */
export async function adoptProfiles(
  ctx: VouchersContext,
  actor: Actor,
  routerId: string,
): Promise<{ adopted: number; names: string[] }> {
  await ctx.routers.get(routerId);
  const rows = await ctx.routers.connection(routerId).call('/ip/hotspot/user/profile/print');
  const db = ctx.base.database.db;
  const names: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      const name = r['name'];
      if (!name || r['default'] === 'true') continue;
      const existing = await getProfile(trx, routerId, name);
      if (existing) continue;
      const mikhmon = parseMikhmonProfileHeader(r['on-login']);
      const marked = profileMarker(r['comment']) === 'hotspot';
      if (!mikhmon && !marked) continue;
      const meta: VoucherProfileMeta = mikhmon
        ? mikhmonProfileMeta(mikhmon)
        : {
            validitySeconds: Math.floor((parseRosDuration(r['session-timeout'] ?? '') ?? 0) / 1000),
            uptimeLimitSeconds: 0,
            quotaBytes: 0,
            priceCost: 0,
            priceSell: 0,
            expiryPolicy: 'remove',
            origin: 'adopted',
            lockMac: false,
          };
      await ctx.routers.profiles.hotspot.upsert(trx, actor, {
        routerId,
        name,
        rateLimit: r['rate-limit'] ?? '',
        sharedUsers: Number(r['shared-users'] ?? '1') || 1,
        managed: marked,
        comment: r['comment'] ?? '',
        meta: { voucher: meta },
      });
      names.push(name);
    }
  });
  return { adopted: names.length, names };
}
