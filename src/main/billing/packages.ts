import type { PackageView } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Trx } from '../db/database';
import { PPPOE_MARKER } from '../routers/api';
import type { BillingContext } from './context';
import type { PackagesTable } from './schema';
import { stmt } from './sql';

export interface PackageFields {
  name: string;
  speed: string;
  price: number;
  pppProfile: string;
  rateLimit: string;
  localAddress: string;
  remotePool: string;
  taxable: boolean;
  taxInclusive: boolean;
  active: boolean;
}

function toView(r: PackagesTable & { subs: number }): PackageView {
  return {
    id: r.id,
    name: r.name,
    speed: r.speed,
    price: r.price,
    pppProfile: r.ppp_profile,
    rateLimit: r.rate_limit,
    localAddress: r.local_address,
    remotePool: r.remote_pool,
    taxable: r.taxable === 1,
    taxInclusive: r.tax_inclusive === 1,
    active: r.active === 1,
    subscriptions: r.subs,
    version: r.version,
  };
}

const SELECT = `SELECT p.*, (SELECT COUNT(*) FROM subscriptions s WHERE s.package_id = p.id AND s.status <> 'inactive') AS subs FROM packages p`;

export function listPackages(c: BillingContext, includeInactive: boolean): PackageView[] {
  const rows = stmt(
    c.database.sqlite,
    `${SELECT} ${includeInactive ? '' : 'WHERE p.active = 1'} ORDER BY p.price, p.name`,
  ).all() as (PackagesTable & { subs: number })[];
  return rows.map(toView);
}

export function getPackage(c: BillingContext, id: string): PackageView | null {
  const r = stmt(c.database.sqlite, `${SELECT} WHERE p.id = ?`).get(id) as
    (PackagesTable & { subs: number }) | undefined;
  return r ? toView(r) : null;
}

/** The package's PPP profile on every router (a managed profile: rate limit and pools come from the package). */
async function pushProfile(c: BillingContext, trx: Trx, actor: Actor, p: PackageFields): Promise<void> {
  if (!c.routers) return;
  for (const r of await c.routers.list()) {
    await c.routers.profiles.ppp.upsert(trx, actor, {
      routerId: r.id,
      name: p.pppProfile,
      rateLimit: p.rateLimit,
      localAddress: p.localAddress,
      remoteAddress: p.remotePool,
      comment: `${PPPOE_MARKER} ${p.name}`,
      managed: true,
    });
  }
}

export async function createPackage(
  c: BillingContext,
  actor: Actor,
  input: PackageFields,
): Promise<PackageView> {
  const id = c.ids();
  const now = c.clock.now();
  await c.database.db.transaction().execute(async (trx) => {
    const dup = await trx
      .selectFrom('packages')
      .select('id')
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (dup)
      throw new AppError('VALIDATION', 'Nama paket sudah dipakai', {
        issues: [{ path: 'name', message: 'Nama paket sudah dipakai', code: 'duplicate' }],
      });
    await trx
      .insertInto('packages')
      .values({
        id,
        name: input.name,
        speed: input.speed,
        price: input.price,
        ppp_profile: input.pppProfile,
        rate_limit: input.rateLimit,
        local_address: input.localAddress,
        remote_pool: input.remotePool,
        taxable: input.taxable ? 1 : 0,
        tax_inclusive: input.taxInclusive ? 1 : 0,
        active: input.active ? 1 : 0,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    await pushProfile(c, trx, actor, input);
    await recordChange(trx, c, {
      actor,
      action: 'packages.create',
      entity: 'package',
      entityId: id,
      after: input,
      op: 'insert',
    });
  });
  c.events.emit('billing.changed', { entity: 'package', id });
  return getPackage(c, id) as PackageView;
}

export async function updatePackage(
  c: BillingContext,
  actor: Actor,
  input: Partial<PackageFields> & { id: string; version: number },
): Promise<PackageView> {
  const before = getPackage(c, input.id);
  if (!before) throw new AppError('NOT_FOUND', 'Paket tidak ditemukan');
  if (before.version !== input.version)
    throw new AppError('CONFLICT', 'Paket baru saja diubah orang lain. Muat ulang lalu coba lagi.');
  const { id: _id, version: _v, ...patch } = input;
  const next: PackageFields = { ...before, ...patch };
  const now = c.clock.now();
  await c.database.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('packages')
      .set({
        name: next.name,
        speed: next.speed,
        price: next.price,
        ppp_profile: next.pppProfile,
        rate_limit: next.rateLimit,
        local_address: next.localAddress,
        remote_pool: next.remotePool,
        taxable: next.taxable ? 1 : 0,
        tax_inclusive: next.taxInclusive ? 1 : 0,
        active: next.active ? 1 : 0,
        updated_at: now,
        version: input.version + 1,
      })
      .where('id', '=', input.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0)
      throw new AppError('CONFLICT', 'Paket baru saja diubah orang lain.');
    await pushProfile(c, trx, actor, next);
    // A new profile name moves every subscriber of the package (isolated ones keep their isolation profile).
    if (c.routers && next.pppProfile !== before.pppProfile) {
      const subs = await trx
        .selectFrom('subscriptions')
        .select(['router_id', 'username', 'status'])
        .where('package_id', '=', input.id)
        .execute();
      for (const s of subs) {
        if (s.status === 'active')
          await c.routers.pppSecrets.setProfile(trx, actor, s.router_id, s.username, next.pppProfile);
      }
      await trx
        .updateTable('subscriptions')
        .set({ original_profile: next.pppProfile })
        .where('package_id', '=', input.id)
        .where('status', '=', 'isolated')
        .execute();
    }
    await recordChange(trx, c, {
      actor,
      action: 'packages.update',
      entity: 'package',
      entityId: input.id,
      before,
      after: next,
      op: 'update',
    });
  });
  c.events.emit('billing.changed', { entity: 'package', id: input.id });
  return getPackage(c, input.id) as PackageView;
}

export async function deletePackage(c: BillingContext, actor: Actor, id: string): Promise<void> {
  await c.database.db.transaction().execute(async (trx) => {
    const p = getPackage(c, id);
    if (!p) throw new AppError('NOT_FOUND', 'Paket tidak ditemukan');
    const used = await trx
      .selectFrom('subscriptions')
      .select('id')
      .where('package_id', '=', id)
      .executeTakeFirst();
    if (used) throw new AppError('CONFLICT', 'Paket masih dipakai pelanggan. Nonaktifkan saja paketnya.');
    await trx.deleteFrom('packages').where('id', '=', id).execute();
    await recordChange(trx, c, {
      actor,
      action: 'packages.delete',
      entity: 'package',
      entityId: id,
      before: p,
      op: 'delete',
    });
  });
  c.events.emit('billing.changed', { entity: 'package', id });
}
