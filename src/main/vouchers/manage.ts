/** The voucher list and what an operator does to vouchers: disable, enable, delete, extend. */
import { AppError } from '../../shared/contract/errors';
import type { Voucher } from '../../shared/contract/vouchers';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Trx } from '../db/database';
import { denseMatch, pageOf, type Reader } from '../db/reader';
import { voucherUserValues, type VouchersContext } from './common';
import type { VoucherStatus, VouchersTable } from './schema';

type Row = VouchersTable & { batch_code: string | null };

/** Sort columns; the username ends every order, so pages of equal timestamps never overlap. */
const SORTS: Record<string, string> = {
  username: 'v.username',
  createdAt: 'v.created_at',
  firstLoginAt: 'v.first_login_at',
  validUntil: 'v.valid_until',
  profile: 'v.profile',
  status: 'v.status',
  priceSell: 'v.price_sell',
};

export interface ListInput {
  offset: number;
  limit: number;
  search?: string | undefined;
  sort?: { field: string; dir: 'asc' | 'desc' } | undefined;
  batchId?: string | undefined;
  routerId?: string | undefined;
  profile?: string | undefined;
  status?: VoucherStatus | undefined;
}

/**
 * The voucher list, newest first, read in index order (migration 0009 gives each filter an index ending in
 * created_at, username). Runs on a read worker's connection in the app, so it takes a Reader, not the context.
 */
export function listVouchers(r: Reader, input: ListInput): { rows: Voucher[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: input.limit, offset: input.offset };
  if (input.batchId) {
    where.push('v.batch_id = @batchId');
    params['batchId'] = input.batchId;
  }
  if (input.routerId) {
    where.push('v.router_id = @routerId');
    params['routerId'] = input.routerId;
  }
  if (input.profile) {
    where.push('v.profile = @profile');
    params['profile'] = input.profile;
  }
  if (input.status) {
    where.push('v.status = @status');
    params['status'] = input.status;
  }
  const q = input.search?.trim().replace(/[%_\\]/g, '') ?? '';
  if (q !== '') {
    // Codes are typed from paper: a case-insensitive prefix search on the code, or on the last MAC/IP seen
    // (NOCASE indexes; the range on MAC/IP also tells SQLite their partial indexes apply).
    where.push(
      '(v.username LIKE @q OR (v.last_mac LIKE @q AND v.last_mac >= @lo) OR (v.last_ip LIKE @q AND v.last_ip >= @lo))',
    );
    params['q'] = `${q}%`;
    params['lo'] = '';
  }
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const sortCol = (input.sort && SORTS[input.sort.field]) || 'v.created_at';
  const dir = input.sort && SORTS[input.sort.field] ? (input.sort.dir === 'asc' ? 'ASC' : 'DESC') : 'DESC';
  const total = r.count(`SELECT COUNT(*) AS n FROM vouchers v ${w}`, [params]);
  // A rare search match is sorted (unary + keeps SQLite from walking the ordering index to look for it); a
  // match of much of the table is read in list order until the page is full.
  const plus = q !== '' && !denseMatch(r, total, 'vouchers') ? '+' : '';
  // Ties on created_at (a whole batch) go by code ascending; the index walks backwards for the oldest first.
  const tie = sortCol === 'v.created_at' ? (dir === 'DESC' ? 'ASC' : 'DESC') : dir;
  const order =
    sortCol === 'v.username'
      ? `${plus}v.username ${dir}`
      : `${plus}${sortCol} ${dir}, ${plus}v.username ${tie}`;
  const rows = pageOf<Row & { router_name: string | null }>(
    r,
    `SELECT v.rowid FROM vouchers v ${w} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    [params],
    `SELECT v.*, v.rowid AS _rid, b.code AS batch_code, ro.name AS router_name FROM vouchers v
     LEFT JOIN voucher_batches b ON b.id = v.batch_id LEFT JOIN routers ro ON ro.id = v.router_id
     WHERE v.rowid IN (SELECT value FROM json_each(?))`,
  );
  return { total, rows: rows.map((row) => view(row, row.router_name ?? '')) };
}

export function view(r: Row, routerName: string): Voucher {
  return {
    id: r.id,
    batchId: r.batch_id,
    batchCode: r.batch_code,
    routerId: r.router_id,
    routerName,
    username: r.username,
    password: r.password,
    profile: r.profile,
    server: r.server,
    priceSell: r.price_sell,
    priceCost: r.price_cost,
    validitySeconds: r.validity_s,
    status: r.status,
    pushState: r.push_state,
    pushError: r.push_error,
    firstLoginAt: r.first_login_at,
    validUntil: r.valid_until,
    uptimeSeconds: r.uptime_s,
    bytesTotal: r.bytes_total,
    lastMac: r.last_mac,
    lastIp: r.last_ip,
    source: r.source,
    createdAt: r.created_at,
    version: r.version,
  };
}

async function load(trx: Trx, ids: readonly string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = await trx
      .selectFrom('vouchers')
      .leftJoin('voucher_batches', 'voucher_batches.id', 'vouchers.batch_id')
      .selectAll('vouchers')
      .select('voucher_batches.code as batch_code')
      .where('vouchers.id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...part);
  }
  if (out.length === 0) throw new AppError('NOT_FOUND', 'Voucher tidak ditemukan');
  return out;
}

type Action = 'disable' | 'enable' | 'delete' | 'extend';

/** One router-changing action on many vouchers: rows and router jobs commit together. */
export async function actOn(
  ctx: VouchersContext,
  actor: Actor,
  action: Action,
  ids: readonly string[],
  seconds = 0,
): Promise<{ changed: number }> {
  const now = ctx.base.clock.now();
  const routers = new Set<string>();
  let changed = 0;
  await ctx.base.database.db.transaction().execute(async (trx) => {
    for (const v of await load(trx, ids)) {
      if (v.status === 'removed') continue;
      const routerId = v.router_id;
      const match = { name: v.username };
      let patch: Partial<VouchersTable> | null = null;
      if (action === 'disable' && v.status !== 'disabled') {
        patch = { status: 'disabled' };
        await ctx.routers.enqueue(trx, {
          routerId,
          operation: 'menu.set',
          payload: { menu: '/ip/hotspot/user', match, values: { disabled: 'yes' }, ifExists: true },
        });
        await ctx.routers.enqueue(trx, {
          routerId,
          operation: 'hotspot.kick',
          payload: { user: v.username },
        });
      } else if (action === 'enable' && v.status === 'disabled') {
        patch = { status: v.first_login_at !== null ? 'active' : 'unused' };
        await ctx.routers.enqueue(trx, {
          routerId,
          operation: 'menu.set',
          payload: { menu: '/ip/hotspot/user', match, values: { disabled: 'no' }, ifExists: true },
        });
      } else if (action === 'delete') {
        patch = { status: 'removed' };
        await ctx.routers.enqueue(trx, {
          routerId,
          operation: 'hotspot.kick',
          payload: { user: v.username },
        });
        await ctx.routers.enqueue(trx, {
          routerId,
          operation: 'menu.remove',
          payload: { menu: '/ip/hotspot/user', match },
        });
      } else if (action === 'extend') {
        if (v.first_login_at === null || v.valid_until === null) {
          // An unused voucher's validity starts at its first login: nothing to extend yet.
          continue;
        }
        const until = Math.max(v.valid_until, now) + seconds * 1000;
        patch = { valid_until: until, status: 'active' };
        const next = { ...v, valid_until: until };
        // Upsert: brings back a voucher the expiry already removed, and re-enables a disabled one.
        await ctx.routers.enqueue(trx, {
          routerId,
          operation: 'menu.upsert',
          // limit-uptime back to the voucher's own (0s = none): a "keep" expiry had set it to 1s.
          payload: {
            menu: '/ip/hotspot/user',
            match,
            values: { 'limit-uptime': '0s', ...voucherUserValues(next, v.batch_code), disabled: 'no' },
          },
        });
      }
      if (!patch) continue;
      await trx
        .updateTable('vouchers')
        .set({ ...patch, updated_at: now, version: v.version + 1 })
        .where('id', '=', v.id)
        .execute();
      await recordChange(trx, ctx.base, {
        actor,
        action: `vouchers.${action}`,
        entity: 'voucher',
        entityId: v.id,
        before: { username: v.username, status: v.status, validUntil: v.valid_until },
        after: { username: v.username, ...patch },
        op: 'update',
      });
      routers.add(routerId);
      changed++;
    }
  });
  for (const r of routers) {
    ctx.routers.poke(r);
    ctx.base.events.emit('vouchers.changed', { routerId: r, batchId: null, reason: action });
  }
  return { changed };
}
