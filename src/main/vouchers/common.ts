/** Shared pieces of the vouchers feature: deps, profile settings stored in hotspot_profiles.meta_json, mapping. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { VoucherProfile } from '../../shared/contract/vouchers';
import { encodeVoucherComment } from '../../shared/vouchers/comment-codec';
import { formatRouterOsDuration } from '../../shared/routeros-duration';
import type { Db, Trx } from '../db/database';
import type { FeatureBase } from '../feature';
import type { RoutersApi } from '../routers/api';
import type { HotspotProfilesTable } from '../routers/schema';
import type { ExpiryPolicy } from './router-scripts';
import type { VouchersTable } from './schema';

export interface VouchersContext {
  base: FeatureBase;
  routers: RoutersApi;
}

export const CALLBACK_PATH = '/hooks/hotspot/login';

export type CallbackQuery = Partial<Record<'r' | 't' | 'u' | 'f' | 'ip' | 'mac', string>>;

/**
 * The on-login callback's query, or null when a parameter is repeated (`?u=a&u=b` parses to an array) or is
 * not text: the router's script sends each once, so anything else is refused with 400 and no detail.
 */
export function callbackQuery(query: unknown): CallbackQuery | null {
  if (typeof query !== 'object' || query === null) return null;
  const q = query as Record<string, unknown>;
  const out: CallbackQuery = {};
  for (const key of ['r', 't', 'u', 'f', 'ip', 'mac'] as const) {
    const v = q[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') return null;
    out[key] = v;
  }
  return out;
}

/** What vouchers keep in a hotspot profile's meta_json, under `voucher`. */
export interface VoucherProfileMeta {
  validitySeconds: number;
  uptimeLimitSeconds: number;
  quotaBytes: number;
  priceCost: number;
  priceSell: number;
  expiryPolicy: ExpiryPolicy;
  origin: 'rukun' | 'adopted' | 'mikhmon';
  /** Bind a voucher to the MAC of its first login (kept from Mikhmon's "lock user"). */
  lockMac: boolean;
}

export function voucherMeta(row: Pick<HotspotProfilesTable, 'meta_json'>): VoucherProfileMeta | null {
  try {
    const meta = JSON.parse(row.meta_json) as { voucher?: Partial<VoucherProfileMeta> };
    const v = meta.voucher;
    if (!v || typeof v !== 'object') return null;
    return {
      validitySeconds: Number(v.validitySeconds ?? 0),
      uptimeLimitSeconds: Number(v.uptimeLimitSeconds ?? 0),
      quotaBytes: Number(v.quotaBytes ?? 0),
      priceCost: Number(v.priceCost ?? 0),
      priceSell: Number(v.priceSell ?? 0),
      expiryPolicy: v.expiryPolicy === 'disable' || v.expiryPolicy === 'keep' ? v.expiryPolicy : 'remove',
      origin: v.origin === 'adopted' || v.origin === 'mikhmon' ? v.origin : 'rukun',
      lockMac: v.lockMac === true,
    };
  } catch {
    return null;
  }
}

export function profileView(
  row: HotspotProfilesTable,
  meta: VoucherProfileMeta,
  routerName: string,
): VoucherProfile {
  return {
    id: row.id,
    routerId: row.router_id,
    routerName,
    name: row.name,
    rateLimit: row.rate_limit,
    sharedUsers: row.shared_users,
    validitySeconds: meta.validitySeconds,
    uptimeLimitSeconds: meta.uptimeLimitSeconds,
    quotaBytes: meta.quotaBytes,
    priceCost: meta.priceCost,
    priceSell: meta.priceSell,
    expiryPolicy: meta.expiryPolicy,
    origin: meta.origin,
    lockMac: meta.lockMac,
    version: row.version,
  };
}

/** The voucher's comment on the router (seed format head + v2 fields), from its row. */
export function voucherComment(
  v: Pick<
    VouchersTable,
    'price_sell' | 'price_cost' | 'first_login_at' | 'valid_until' | 'profile' | 'validity_s'
  >,
  batchCode: string | null,
): string {
  return encodeVoucherComment({
    price: v.price_sell,
    firstLoginAt: v.first_login_at,
    validUntil: v.valid_until,
    ...(batchCode ? { batch: batchCode } : {}),
    ...(v.validity_s > 0 ? { validityMs: v.validity_s * 1000 } : {}),
    cost: v.price_cost,
  });
}

/** Router values of a voucher's hotspot user (everything but the name). */
export function voucherUserValues(
  v: Pick<
    VouchersTable,
    | 'password'
    | 'profile'
    | 'server'
    | 'uptime_limit_s'
    | 'quota_bytes'
    | 'price_sell'
    | 'price_cost'
    | 'first_login_at'
    | 'valid_until'
    | 'validity_s'
  >,
  batchCode: string | null,
): Record<string, string> {
  const values: Record<string, string> = {
    password: v.password,
    profile: v.profile,
    server: v.server,
    comment: voucherComment(v, batchCode),
  };
  if (v.uptime_limit_s > 0) values['limit-uptime'] = formatRouterOsDuration(v.uptime_limit_s * 1000);
  if (v.quota_bytes > 0) values['limit-bytes-total'] = String(v.quota_bytes);
  return values;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameSecret(presented: string, expectedSha256: string): boolean {
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(expectedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The per-router callback token (created on first use, kept encrypted; only its hash is compared). */
export async function routerToken(ctx: VouchersContext, trx: Db | Trx, routerId: string): Promise<string> {
  const row = await trx
    .selectFrom('voucher_router_tokens')
    .selectAll()
    .where('router_id', '=', routerId)
    .executeTakeFirst();
  if (row) return ctx.base.secrets.decrypt(row.token_enc);
  const token = randomBytes(18).toString('base64url');
  await trx
    .insertInto('voucher_router_tokens')
    .values({
      router_id: routerId,
      token_enc: ctx.base.secrets.encrypt(token),
      token_sha256: sha256(token),
      created_at: ctx.base.clock.now(),
    })
    .execute();
  return token;
}

export async function routerNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('routers').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
