/**
 * Voucher batches: secure unique codes, stored in one transaction with the router jobs that push them, in chunks
 * of PUSH_CHUNK users per job. A push job is idempotent: it adds each user with pipelined commands; a user that is
 * already there and carries this batch's comment is brought up to date (a retry after a dropped connection);
 * a name held by a FOREIGN user gets a fresh code, so a batch never comes out short.
 */
import { AppError } from '../../shared/contract/errors';
import type { BatchProgress, CreateBatchInput, VoucherBatch } from '../../shared/contract/vouchers';
import {
  CHARSETS,
  generateVoucherCodes,
  VoucherCodegenError,
  type RandomSource,
  cryptoRandomSource,
} from '../../shared/vouchers/codegen';
import { decodeVoucherComment } from '../../shared/vouchers/comment-codec';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import { DuplicateError, type RosRow, ConnectionClosedError, TimeoutError } from '../routeros/index';
import type { OperationRun } from '../routers/api';
import { diffValues } from '../routers/operations';
import { routerNames, voucherUserValues, type VouchersContext } from './common';
import { getProfile, profileRouterValues } from './profiles';
import type { VouchersTable } from './schema';

export const PUSH_CHUNK = 100;
export const PUSH_OPERATION = 'vouchers.push';

export interface PushPayload {
  batchId: string | null;
  usernames: string[];
}

type ParsedBatchInput = {
  routerId: string;
  profile: string;
  server: string;
  count: number;
  length: number;
  charset: keyof typeof CHARSETS;
  prefix: string;
  passwordMode: 'same' | 'separate';
  password?: { length: number; charset: keyof typeof CHARSETS } | undefined;
  note: string;
};

export class Batches {
  constructor(
    private readonly ctx: VouchersContext,
    private readonly random: RandomSource = cryptoRandomSource,
  ) {}

  private get db() {
    return this.ctx.base.database.db;
  }

  /** Usernames Rukun already knows (all routers) — a code is unique across Rukun. */
  private takenInRukun(): Set<string> {
    const rows = this.ctx.base.database.sqlite
      .prepare('SELECT username FROM vouchers')
      .pluck()
      .all() as string[];
    return new Set(rows);
  }

  /** Names on the router right now, when it answers quickly; the push job handles what we could not see. */
  private async takenOnRouter(routerId: string): Promise<string[]> {
    try {
      // An offline router would make the operator wait for a timeout; the push job deals with collisions.
      if (!(await this.ctx.routers.get(routerId)).online) return [];
      const rows = await this.ctx.routers
        .connection(routerId)
        .call('/ip/hotspot/user/print', { '.proplist': 'name' }, { timeoutMs: 5000 });
      return rows.map((r) => r['name'] ?? '').filter((n) => n !== '');
    } catch {
      return [];
    }
  }

  async create(
    actor: Actor,
    input: ParsedBatchInput & CreateBatchInput,
  ): Promise<{ batchId: string; code: string; count: number }> {
    const router = await this.ctx.routers.get(input.routerId);
    const profile = await getProfile(this.db, input.routerId, input.profile);
    if (!profile)
      throw new AppError('NOT_FOUND', `Profil voucher ${input.profile} tidak ada di router ${router.name}`);
    const taken = this.takenInRukun();
    for (const n of await this.takenOnRouter(input.routerId)) taken.add(n);
    let codes;
    try {
      codes = generateVoucherCodes(
        {
          length: input.length,
          charset: input.charset,
          prefix: input.prefix,
          count: input.count,
          passwordMode: input.passwordMode,
          ...(input.password ? { password: input.password } : {}),
        },
        taken,
        this.random,
      );
    } catch (e) {
      if (e instanceof VoucherCodegenError) {
        throw new AppError('VALIDATION', e.message, {
          issues: [{ path: 'length', message: e.message, code: e.code }],
        });
      }
      throw e;
    }
    const now = this.ctx.base.clock.now();
    const batchId = this.ctx.base.ids();
    const code = this.batchCode();
    const meta = profile.meta;
    const sqlite = this.ctx.base.database.sqlite;
    const insert = sqlite.prepare(
      `INSERT INTO vouchers (id, batch_id, router_id, username, password, profile, server, price_sell, price_cost, validity_s,
        uptime_limit_s, quota_bytes, status, push_state, created_at, updated_at, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unused', 'pending', ?, ?, ?)`,
    );
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('voucher_batches')
        .values({
          id: batchId,
          code,
          router_id: input.routerId,
          profile: input.profile,
          server: input.server,
          count: input.count,
          options_json: JSON.stringify({
            length: input.length,
            charset: input.charset,
            prefix: input.prefix,
            passwordMode: input.passwordMode,
            password: input.password ?? null,
          }),
          price_sell: meta.priceSell,
          price_cost: meta.priceCost,
          note: input.note,
          created_by: actor.userId,
          created_by_name: actor.name,
          created_at: now,
          version: 1,
        })
        .execute();
      // 10,000 rows: one prepared statement on the same connection, inside this transaction.
      for (const c of codes) {
        insert.run(
          this.ctx.base.ids(),
          batchId,
          input.routerId,
          c.username,
          c.password,
          input.profile,
          input.server,
          meta.priceSell,
          meta.priceCost,
          meta.validitySeconds,
          meta.uptimeLimitSeconds,
          meta.quotaBytes,
          now,
          now,
          '',
        );
      }
      await recordChange(trx, this.ctx.base, {
        actor,
        action: 'vouchers.createBatch',
        entity: 'voucher_batch',
        entityId: batchId,
        after: {
          code,
          routerId: input.routerId,
          profile: input.profile,
          count: input.count,
          priceSell: meta.priceSell,
          note: input.note,
        },
        op: 'insert',
      });
      const jobs = [];
      for (let i = 0; i < codes.length; i += PUSH_CHUNK) {
        const payload: PushPayload = {
          batchId,
          usernames: codes.slice(i, i + PUSH_CHUNK).map((c) => c.username),
        };
        jobs.push({ routerId: input.routerId, operation: PUSH_OPERATION, payload, batchId });
      }
      await this.ctx.routers.enqueueMany(trx, jobs);
    });
    this.ctx.routers.poke(input.routerId);
    this.ctx.base.events.emit('vouchers.batchProgress', {
      batchId,
      total: input.count,
      pushed: 0,
      failed: 0,
      pending: input.count,
    });
    return { batchId, code, count: codes.length };
  }

  private batchCode(): string {
    const alphabet = CHARSETS.alnumUpper;
    const exists = this.ctx.base.database.sqlite.prepare('SELECT 1 FROM voucher_batches WHERE code = ?');
    for (;;) {
      const buf = new Uint32Array(5);
      this.random(buf);
      const code = Array.from(buf, (n) => alphabet[n % alphabet.length]).join('');
      if (!exists.get(code)) return code;
    }
  }

  progress(batchId: string): BatchProgress {
    const rows = this.ctx.base.database.sqlite
      .prepare(
        'SELECT push_state AS state, COUNT(*) AS n FROM vouchers WHERE batch_id = ? GROUP BY push_state',
      )
      .all(batchId) as Array<{ state: string; n: number }>;
    const by = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
    const pushed = by('pushed');
    const failed = by('failed');
    const pending = by('pending');
    return { batchId, total: pushed + failed + pending, pushed, failed, pending };
  }

  async list(input: {
    offset: number;
    limit: number;
    search?: string | undefined;
  }): Promise<{ rows: VoucherBatch[]; total: number }> {
    const sqlite = this.ctx.base.database.sqlite;
    const where = input.search ? `WHERE b.code LIKE @q OR b.profile LIKE @q OR b.note LIKE @q` : '';
    const q = `%${(input.search ?? '').replace(/[%_]/g, '')}%`;
    const total = (
      sqlite.prepare(`SELECT COUNT(*) AS n FROM voucher_batches b ${where}`).get({ q }) as { n: number }
    ).n;
    const rows = sqlite
      .prepare(
        `SELECT b.*,
           (SELECT COUNT(*) FROM vouchers v WHERE v.batch_id = b.id AND v.push_state = 'pushed') AS pushed,
           (SELECT COUNT(*) FROM vouchers v WHERE v.batch_id = b.id AND v.push_state = 'failed') AS failed,
           (SELECT COUNT(*) FROM vouchers v WHERE v.batch_id = b.id AND v.push_state = 'pending') AS pending,
           (SELECT COUNT(*) FROM vouchers v WHERE v.batch_id = b.id AND v.first_login_at IS NOT NULL) AS used
         FROM voucher_batches b ${where} ORDER BY b.created_at DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ q, limit: input.limit, offset: input.offset }) as Array<Record<string, unknown>>;
    const names = await routerNames(this.db);
    return {
      total,
      rows: rows.map((r) => ({
        id: String(r['id']),
        code: String(r['code']),
        routerId: String(r['router_id']),
        routerName: names.get(String(r['router_id'])) ?? '',
        profile: String(r['profile']),
        server: String(r['server']),
        count: Number(r['count']),
        priceSell: Number(r['price_sell']),
        priceCost: Number(r['price_cost']),
        note: String(r['note']),
        createdAt: Number(r['created_at']),
        createdByName: r['created_by_name'] === null ? null : String(r['created_by_name']),
        pushed: Number(r['pushed']),
        failed: Number(r['failed']),
        pending: Number(r['pending']),
        used: Number(r['used']),
      })),
    };
  }

  /** Re-enqueues the vouchers of a batch whose push failed. */
  async retry(actor: Actor, batchId: string): Promise<{ requeued: number }> {
    const batch = await this.db
      .selectFrom('voucher_batches')
      .selectAll()
      .where('id', '=', batchId)
      .executeTakeFirst();
    if (!batch) throw new AppError('NOT_FOUND', 'Batch tidak ditemukan');
    const failed = await this.db
      .selectFrom('vouchers')
      .select('username')
      .where('batch_id', '=', batchId)
      .where('push_state', '=', 'failed')
      .execute();
    if (failed.length === 0) return { requeued: 0 };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('vouchers')
        .set({ push_state: 'pending', push_error: null })
        .where('batch_id', '=', batchId)
        .where('push_state', '=', 'failed')
        .execute();
      const jobs = [];
      for (let i = 0; i < failed.length; i += PUSH_CHUNK) {
        jobs.push({
          routerId: batch.router_id,
          operation: PUSH_OPERATION,
          batchId,
          payload: {
            batchId,
            usernames: failed.slice(i, i + PUSH_CHUNK).map((f) => f.username),
          } satisfies PushPayload,
        });
      }
      await this.ctx.routers.enqueueMany(trx, jobs);
      await recordChange(trx, this.ctx.base, {
        actor,
        action: 'vouchers.retryBatch',
        entity: 'voucher_batch',
        entityId: batchId,
        after: { requeued: failed.length },
      });
    });
    this.ctx.routers.poke(batch.router_id);
    return { requeued: failed.length };
  }

  /** The router operation that pushes a chunk of vouchers. */
  readonly push: OperationRun<PushPayload> = async ({ conn, router, payload }) => {
    const sqlite = this.ctx.base.database.sqlite;
    const placeholders = payload.usernames.map(() => '?').join(',');
    const rows = sqlite
      .prepare(
        `SELECT v.*, b.code AS batch_code FROM vouchers v LEFT JOIN voucher_batches b ON b.id = v.batch_id
         WHERE v.router_id = ? AND v.username IN (${placeholders}) AND v.status <> 'removed'`,
      )
      .all(router.id, ...payload.usernames) as Array<VouchersTable & { batch_code: string | null }>;
    // The profile job may not have run yet (router was offline, jobs of other keys run concurrently): vouchers
    // need their profile, so a missing one is created here from what Rukun holds.
    for (const profile of new Set(rows.map((r) => r.profile))) {
      const found = (
        await conn.call('/ip/hotspot/user/profile/print', undefined, { query: [`?name=${profile}`] })
      ).filter((r) => r['.id']);
      if (found.length > 0) continue;
      const values = await profileRouterValues(this.ctx, router.id, profile);
      if (!values) continue;
      try {
        await conn.exec('/ip/hotspot/user/profile/add', { name: profile, ...values });
      } catch (e) {
        if (!(e instanceof DuplicateError)) throw e;
      }
    }
    const pushed: string[] = [];
    const failed: Array<{ id: string; error: string }> = [];
    const collisions: Array<VouchersTable & { batch_code: string | null }> = [];
    let transient: unknown = null;
    await Promise.all(
      rows.map(async (v) => {
        const values = voucherUserValues(v, v.batch_code);
        if (v.status === 'disabled') values['disabled'] = 'yes';
        try {
          await conn.exec('/ip/hotspot/user/add', { name: v.username, ...values });
          pushed.push(v.id);
        } catch (e) {
          if (e instanceof DuplicateError) {
            try {
              const [existing] = (
                await conn.call('/ip/hotspot/user/print', undefined, { query: [`?name=${v.username}`] })
              ).filter((r) => r['.id']);
              if (existing && isOurs(existing, v.batch_code)) {
                const diff = diffValues(existing, values);
                // The router's first-login stamp is newer than ours: never overwrite it.
                delete diff['comment'];
                if (Object.keys(diff).length > 0)
                  await conn.call('/ip/hotspot/user/set', { '.id': existing['.id'], ...diff });
                pushed.push(v.id);
              } else {
                collisions.push(v);
              }
            } catch (e2) {
              if (isTransient(e2)) transient = e2;
              else failed.push({ id: v.id, error: errorText(e2) });
            }
          } else if (isTransient(e)) {
            transient = e;
          } else {
            failed.push({ id: v.id, error: errorText(e) });
          }
        }
      }),
    );
    const now = this.ctx.base.clock.now();
    const markPushed = sqlite.prepare(
      `UPDATE vouchers SET push_state = 'pushed', push_error = NULL, updated_at = ? WHERE id = ?`,
    );
    const markFailed = sqlite.prepare(
      `UPDATE vouchers SET push_state = 'failed', push_error = ?, updated_at = ? WHERE id = ?`,
    );
    sqlite.transaction(() => {
      for (const id of pushed) markPushed.run(now, id);
      for (const f of failed) markFailed.run(f.error, now, f.id);
    })();
    const renamed = collisions.length > 0 ? await this.replaceCollisions(router.id, collisions) : 0;
    if (payload.batchId) this.ctx.base.events.emit('vouchers.batchProgress', this.progress(payload.batchId));
    // A dropped connection: what reached the router is recorded; the job runs again for the rest.
    if (transient) throw transient;
    return { pushed: pushed.length, failed: failed.length, renamed };
  };

  /** Gives vouchers whose name a foreign router user holds a fresh code and queues their push. */
  private async replaceCollisions(
    routerId: string,
    list: Array<VouchersTable & { batch_code: string | null }>,
  ): Promise<number> {
    const taken = this.takenInRukun();
    for (const n of await this.takenOnRouter(routerId)) taken.add(n);
    const byBatch = new Map<string | null, typeof list>();
    for (const v of list) byBatch.set(v.batch_id, [...(byBatch.get(v.batch_id) ?? []), v]);
    const now = this.ctx.base.clock.now();
    for (const [batchId, vouchers] of byBatch) {
      const batch = batchId
        ? await this.db.selectFrom('voucher_batches').selectAll().where('id', '=', batchId).executeTakeFirst()
        : undefined;
      const opts = batch
        ? (JSON.parse(batch.options_json) as {
            length: number;
            charset: keyof typeof CHARSETS;
            prefix: string;
            passwordMode: 'same' | 'separate';
            password: { length: number; charset: keyof typeof CHARSETS } | null;
          })
        : null;
      const fresh = generateVoucherCodes(
        {
          length: opts?.length ?? 8,
          charset: opts?.charset ?? 'alnumUpper',
          prefix: opts?.prefix ?? '',
          count: vouchers.length,
          passwordMode: opts?.passwordMode ?? 'same',
          ...(opts?.password ? { password: opts.password } : {}),
        },
        taken,
        this.random,
      );
      await this.db.transaction().execute(async (trx) => {
        const usernames: string[] = [];
        for (const [i, v] of vouchers.entries()) {
          const c = fresh[i]!;
          await trx
            .updateTable('vouchers')
            .set({
              username: c.username,
              password: c.password,
              push_state: 'pending',
              updated_at: now,
              version: v.version + 1,
            })
            .where('id', '=', v.id)
            .execute();
          usernames.push(c.username);
        }
        await recordChange(trx, this.ctx.base, {
          actor: { userId: null, name: 'Sistem', role: null, via: 'system' },
          action: 'vouchers.renameCollisions',
          entity: 'voucher_batch',
          entityId: batchId,
          after: { replaced: vouchers.map((v) => v.username), with: usernames },
        });
        await this.ctx.routers.enqueue(trx, {
          routerId,
          operation: PUSH_OPERATION,
          batchId: batchId ?? undefined,
          payload: { batchId, usernames } satisfies PushPayload,
        });
      });
    }
    return list.length;
  }
}

function isOurs(row: RosRow, batchCode: string | null): boolean {
  const meta = decodeVoucherComment(row['comment']);
  return meta !== null && (batchCode === null || meta.batch === batchCode);
}

function isTransient(e: unknown): boolean {
  return e instanceof ConnectionClosedError || e instanceof TimeoutError;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
