import type { SubscriptionView } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { generatePassword, usernameFromPattern } from '../../shared/billing/patterns';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Trx } from '../db/database';
import { AfterCommit, type BillingContext } from './context';
import { routerCode } from './customers';
import { dueInvoiceFor, issueInvoiceRaw, type BillableSubscription } from './invoices';
import { ensureIsolationProfile, isolateSubscription, policyFor, restoreSubscription } from './isolation';
import { applyCredit } from './allocations';
import { stmt } from './sql';

const VIEW_SELECT = `SELECT s.*, c.name AS customer_name, c.code AS customer_code, p.name AS package_name, p.price AS price
  FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN packages p ON p.id = s.package_id`;

interface ViewRow {
  id: string;
  customer_id: string;
  customer_name: string;
  customer_code: string;
  package_id: string;
  package_name: string;
  price: number;
  router_id: string;
  username: string;
  remote_address: string;
  billing_day: number;
  discount: number;
  status: SubscriptionView['status'];
  start_date: string;
  isolation_method: string | null;
  original_profile: string | null;
  isolated_at: number | null;
  version: number;
}

const toView = (r: ViewRow): SubscriptionView => ({
  id: r.id,
  customerId: r.customer_id,
  customerName: r.customer_name,
  customerCode: r.customer_code,
  packageId: r.package_id,
  packageName: r.package_name,
  price: r.price,
  routerId: r.router_id,
  username: r.username,
  remoteAddress: r.remote_address,
  billingDay: r.billing_day,
  discount: r.discount,
  status: r.status,
  startDate: r.start_date,
  isolationMethod: r.isolation_method,
  originalProfile: r.original_profile,
  isolatedAt: r.isolated_at,
  version: r.version,
});

export function getSubscription(c: BillingContext, id: string): SubscriptionView | null {
  const r = stmt(c.database.sqlite, `${VIEW_SELECT} WHERE s.id = ?`).get(id) as ViewRow | undefined;
  return r ? toView(r) : null;
}

export function subscriptionsWhere(
  c: BillingContext,
  where: string,
  params: unknown[],
  tail = '',
): SubscriptionView[] {
  return (stmt(c.database.sqlite, `${VIEW_SELECT} WHERE ${where} ${tail}`).all(...params) as ViewRow[]).map(
    toView,
  );
}

export function listSubscriptions(
  c: BillingContext,
  q: {
    offset: number;
    limit: number;
    search?: string;
    status?: string;
    routerId?: string;
    packageId?: string;
  },
): { rows: SubscriptionView[]; total: number } {
  const where = ['1=1'];
  const params: unknown[] = [];
  if (q.status) {
    where.push('s.status = ?');
    params.push(q.status);
  }
  if (q.routerId) {
    where.push('s.router_id = ?');
    params.push(q.routerId);
  }
  if (q.packageId) {
    where.push('s.package_id = ?');
    params.push(q.packageId);
  }
  const s = q.search?.trim();
  if (s) {
    where.push('(s.username LIKE ? OR c.name LIKE ? OR c.code LIKE ?)');
    params.push(`${s}%`, `%${s}%`, `${s}%`);
  }
  const w = where.join(' AND ');
  const total = (
    c.database.sqlite
      .prepare(
        `SELECT COUNT(*) AS n FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE ${w}`,
      )
      .get(...params) as { n: number }
  ).n;
  return {
    total,
    rows: subscriptionsWhere(
      c,
      w,
      [...params, q.limit, q.offset],
      'ORDER BY c.name COLLATE NOCASE LIMIT ? OFFSET ?',
    ),
  };
}

export interface SubscriptionFields {
  customerId: string;
  packageId: string;
  routerId: string;
  username?: string;
  password?: string;
  remoteAddress: string;
  billingDay?: number;
  discount: number;
  startDate?: string;
  invoiceNow: boolean;
}

function usernameTaken(c: BillingContext, routerId: string, name: string): boolean {
  if (
    stmt(c.database.sqlite, 'SELECT 1 FROM subscriptions WHERE router_id = ? AND username = ?').get(
      routerId,
      name,
    )
  )
    return true;
  return c.routers
    ? !!stmt(c.database.sqlite, 'SELECT 1 FROM ppp_secrets WHERE router_id = ? AND name = ?').get(
        routerId,
        name,
      )
    : false;
}

/**
 * Creates subscriptions inside one transaction: rows, PPP secrets (router jobs through the routers API)
 * and, when asked, the first invoice. Returns ids; hooks are queued on `after`.
 */
export async function createSubscriptionsInTrx(
  c: BillingContext,
  trx: Trx,
  actor: Actor,
  items: SubscriptionFields[],
  after: AfterCommit,
): Promise<string[]> {
  const settings = c.store.get();
  const sqlite = c.database.sqlite;
  const now = c.clock.now();
  const codes = new Map<string, string>();
  const ids: string[] = [];
  for (const it of items) {
    const pkg = stmt(
      sqlite,
      'SELECT id, name, speed, price, ppp_profile, taxable, tax_inclusive FROM packages WHERE id = ?',
    ).get(it.packageId) as
      | {
          id: string;
          name: string;
          speed: string;
          price: number;
          ppp_profile: string;
          taxable: number;
          tax_inclusive: number;
        }
      | undefined;
    if (!pkg) throw new AppError('NOT_FOUND', 'Paket tidak ditemukan');
    const cust = stmt(sqlite, 'SELECT id, router_id FROM customers WHERE id = ?').get(it.customerId) as
      { id: string; router_id: string | null } | undefined;
    if (!cust) throw new AppError('NOT_FOUND', 'Pelanggan tidak ditemukan');
    if (c.routers) await c.routers.get(it.routerId);
    let code = codes.get(it.routerId);
    if (!code) codes.set(it.routerId, (code = await routerCode(c, it.routerId)));
    let username = it.username;
    if (username) {
      if (usernameTaken(c, it.routerId, username)) {
        throw new AppError('VALIDATION', 'Username PPPoE sudah dipakai di router ini', {
          issues: [{ path: 'username', message: 'Username sudah dipakai', code: 'duplicate' }],
        });
      }
    } else {
      for (let i = 0; i < 50 && (!username || usernameTaken(c, it.routerId, username)); i++) {
        // After 20 clashes, widen the random part: a router with 900+ subscribers needs more than 3 digits.
        const pattern =
          i < 20 ? settings.usernamePattern : settings.usernamePattern.replace(/\{(R+)\}/, '{$1RR}');
        username = usernameFromPattern(pattern, code, c.random);
      }
      if (!username || usernameTaken(c, it.routerId, username))
        throw new AppError('CONFLICT', 'Tidak menemukan username PPPoE yang masih kosong');
    }
    const password = it.password ?? generatePassword(c.random);
    const startDate = it.startDate ?? c.today();
    const billingDay = it.billingDay ?? Math.min(28, Number(startDate.slice(8, 10)));
    const id = c.ids();
    stmt(
      sqlite,
      `INSERT INTO subscriptions (id, customer_id, package_id, router_id, username, password_enc, remote_address, billing_day, discount, status, start_date,
         prorate_first, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,'active',?,?,?,?,1)`,
    ).run(
      id,
      it.customerId,
      it.packageId,
      it.routerId,
      username,
      c.secrets.encrypt(password),
      it.remoteAddress,
      billingDay,
      it.discount,
      startDate,
      settings.prorateFirstPeriod ? 1 : 0,
      now,
      now,
    );
    if (!cust.router_id)
      stmt(sqlite, 'UPDATE customers SET router_id = ? WHERE id = ?').run(it.routerId, it.customerId);
    if (c.routers) {
      await ensureIsolationProfile(c, trx, actor, it.routerId, false);
      await c.routers.pppSecrets.upsert(trx, actor, {
        routerId: it.routerId,
        name: username,
        password,
        profile: pkg.ppp_profile,
        service: 'pppoe',
        ...(it.remoteAddress ? { remoteAddress: it.remoteAddress } : {}),
        comment: `${pkg.name}`,
        subscriptionId: id,
      });
    }
    await recordChange(trx, c, {
      actor,
      action: 'subscriptions.create',
      entity: 'subscription',
      entityId: id,
      after: {
        customerId: it.customerId,
        packageId: it.packageId,
        routerId: it.routerId,
        username,
        billingDay,
        discount: it.discount,
        startDate,
      },
      op: 'insert',
    });
    if (it.invoiceNow) {
      const sub: BillableSubscription = {
        id,
        customer_id: it.customerId,
        billing_day: billingDay,
        discount: it.discount,
        start_date: startDate,
        package_name: pkg.name,
        speed: pkg.speed,
        price: pkg.price,
        taxable: pkg.taxable,
        tax_inclusive: pkg.tax_inclusive,
      };
      const due = dueInvoiceFor(sub, startDate, settings.prorateFirstPeriod);
      const issued = due ? issueInvoiceRaw(c, actor, sub, due, c.today(), now) : null;
      if (issued) {
        after.push({
          name: 'invoiceIssued',
          payload: { invoiceId: issued.id, customerId: issued.customerId },
        });
        applyCredit(sqlite, c.ids, now, it.customerId);
      }
    }
    ids.push(id);
  }
  return ids;
}

export async function createSubscriptions(
  c: BillingContext,
  actor: Actor,
  items: SubscriptionFields[],
): Promise<string[]> {
  const after = new AfterCommit(c.hooks);
  let ids: string[] = [];
  await c.database.db.transaction().execute(async (trx) => {
    ids = await createSubscriptionsInTrx(c, trx, actor, items, after);
  });
  after.flush();
  c.routers?.poke();
  c.events.emit('billing.changed', { entity: 'subscription', id: null });
  return ids;
}

export interface SubscriptionPatch {
  id: string;
  version: number;
  packageId?: string;
  password?: string;
  remoteAddress?: string;
  billingDay?: number;
  discount?: number;
  status?: 'active' | 'inactive';
}

/** Edits propagate: a package change switches the secret's profile, a new password updates the secret. */
export async function updateSubscription(
  c: BillingContext,
  actor: Actor,
  p: SubscriptionPatch,
): Promise<SubscriptionView> {
  const after = new AfterCommit(c.hooks);
  await c.database.db.transaction().execute(async (trx) => {
    const before = getSubscription(c, p.id);
    if (!before) throw new AppError('NOT_FOUND', 'Langganan tidak ditemukan');
    if (before.version !== p.version)
      throw new AppError('CONFLICT', 'Langganan baru saja diubah orang lain. Muat ulang lalu coba lagi.');
    const now = c.clock.now();
    const set: Record<string, unknown> = { updated_at: now, version: p.version + 1 };
    let profile: string | null = null;
    if (p.packageId && p.packageId !== before.packageId) {
      const pkg = stmt(c.database.sqlite, 'SELECT ppp_profile FROM packages WHERE id = ?').get(
        p.packageId,
      ) as { ppp_profile: string } | undefined;
      if (!pkg) throw new AppError('NOT_FOUND', 'Paket tidak ditemukan');
      set.package_id = p.packageId;
      profile = pkg.ppp_profile;
      if (before.status === 'isolated') set.original_profile = pkg.ppp_profile;
    }
    if (p.remoteAddress !== undefined) set.remote_address = p.remoteAddress;
    if (p.billingDay !== undefined) set.billing_day = p.billingDay;
    if (p.discount !== undefined) set.discount = p.discount;
    if (p.password !== undefined) set.password_enc = c.secrets.encrypt(p.password);
    if (p.status === 'inactive' && before.status !== 'inactive') set.status = 'inactive';
    if (p.status === 'active' && before.status === 'inactive') set.status = 'active';
    await trx
      .updateTable('subscriptions')
      .set(set)
      .where('id', '=', p.id)
      .where('version', '=', p.version)
      .execute();
    const r = c.routers;
    if (r) {
      const secret = await r.pppSecrets.get(before.routerId, before.username, trx);
      if (
        secret &&
        (p.password !== undefined || p.remoteAddress !== undefined || (profile && before.status === 'active'))
      ) {
        await r.pppSecrets.upsert(trx, actor, {
          routerId: before.routerId,
          name: before.username,
          password: p.password ?? (await r.pppSecrets.password(before.routerId, before.username)) ?? '',
          profile: profile && before.status === 'active' ? profile : secret.profile,
          service: secret.service,
          ...((p.remoteAddress ?? secret.remoteAddress)
            ? { remoteAddress: p.remoteAddress ?? secret.remoteAddress }
            : {}),
          disabled: secret.disabled,
          comment: secret.comment,
          subscriptionId: p.id,
        });
      }
      if (set.status === 'inactive') {
        await r.pppSecrets.setDisabled(trx, actor, before.routerId, before.username, true);
        await r.enqueue(trx, {
          routerId: before.routerId,
          operation: 'ppp.kick',
          payload: { name: before.username },
        });
      } else if (set.status === 'active') {
        await r.pppSecrets.setDisabled(trx, actor, before.routerId, before.username, false);
      }
    }
    const { password: _pw, ...safe } = p;
    await recordChange(trx, c, {
      actor,
      action: 'subscriptions.update',
      entity: 'subscription',
      entityId: p.id,
      before,
      after: { ...safe, passwordChanged: p.password !== undefined },
      op: 'update',
    });
  });
  after.flush();
  c.routers?.poke();
  c.events.emit('billing.changed', { entity: 'subscription', id: p.id });
  return getSubscription(c, p.id) as SubscriptionView;
}

export async function manualIsolation(
  c: BillingContext,
  actor: Actor,
  id: string,
  isolate: boolean,
): Promise<SubscriptionView> {
  const after = new AfterCommit(c.hooks);
  await c.database.db.transaction().execute(async (trx) => {
    const sub = await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!sub) throw new AppError('NOT_FOUND', 'Langganan tidak ditemukan');
    if (isolate) {
      if (sub.status !== 'active') throw new AppError('CONFLICT', 'Hanya langganan aktif yang bisa diisolir');
      await isolateSubscription(c, trx, actor, sub, after, 'manual');
    } else {
      if (sub.status !== 'isolated') throw new AppError('CONFLICT', 'Langganan ini tidak sedang diisolir');
      await restoreSubscription(c, trx, actor, sub, after, 'manual');
    }
  });
  after.flush();
  c.routers?.poke();
  c.events.emit('billing.changed', { entity: 'subscription', id });
  return getSubscription(c, id) as SubscriptionView;
}

/** Profile names offices (and the billing tools before Rukun) give the profile that cuts a customer off. */
const CUT_OFF_PROFILE =
  /isol|expir|kadaluars|kedaluwars|block|blokir|suspend|nunggak|tunggak|jatuh.?tempo|putus/i;

/**
 * Where an adopted secret stands against the package it is adopted into. Rukun does not move a customer at
 * adoption; it says what it found:
 * - on the package's profile: active;
 * - on a cut-off profile (Rukun's isolation profile for the router, or one named like one — an incumbent's
 *   "expired"/"isolir"): isolated, by profile, so that restoring (or a payment) moves it to the package's profile;
 * - on any other profile (another package's, `default`): active, but Rukun wants the package's profile, so the
 *   reconciler reports the difference as drift until someone fixes it (or the router's policy does).
 */
export function adoptedSecretStanding(
  secretProfile: string,
  packageProfile: string,
  isolationProfile: string,
): 'on-package' | 'cut-off' | 'drift' {
  if (secretProfile === packageProfile) return 'on-package';
  if (secretProfile === isolationProfile || CUT_OFF_PROFILE.test(secretProfile)) return 'cut-off';
  return 'drift';
}

/** Attach a secret found on the router (adopted, no subscription yet) to a customer. */
export async function adoptSecret(
  c: BillingContext,
  actor: Actor,
  input: {
    routerId: string;
    name: string;
    customerId: string;
    packageId: string;
    billingDay?: number;
    discount: number;
  },
): Promise<SubscriptionView> {
  const r = c.routers;
  if (!r) throw new AppError('ROUTER_UNREACHABLE', 'Fitur router belum tersedia');
  const secret = await r.pppSecrets.get(input.routerId, input.name);
  if (!secret) throw new AppError('NOT_FOUND', 'Secret PPP tidak ditemukan');
  if (secret.subscriptionId) throw new AppError('CONFLICT', 'Secret ini sudah terhubung ke langganan');
  const password = (await r.pppSecrets.password(input.routerId, input.name)) ?? '';
  const id = c.ids();
  const now = c.clock.now();
  const today = c.today();
  await c.database.db.transaction().execute(async (trx) => {
    const cust = await trx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', input.customerId)
      .executeTakeFirst();
    if (!cust) throw new AppError('NOT_FOUND', 'Pelanggan tidak ditemukan');
    const pkg = await trx
      .selectFrom('packages')
      .select(['id', 'ppp_profile'])
      .where('id', '=', input.packageId)
      .executeTakeFirst();
    if (!pkg) throw new AppError('NOT_FOUND', 'Paket tidak ditemukan');
    const standing = adoptedSecretStanding(
      secret.profile,
      pkg.ppp_profile,
      policyFor(c, input.routerId).isolationProfile,
    );
    const cutOff = !secret.disabled && standing === 'cut-off';
    await trx
      .insertInto('subscriptions')
      .values({
        id,
        customer_id: input.customerId,
        package_id: input.packageId,
        router_id: input.routerId,
        username: input.name,
        password_enc: c.secrets.encrypt(password),
        remote_address: secret.remoteAddress,
        billing_day: input.billingDay ?? Math.min(28, Number(today.slice(8, 10))),
        discount: input.discount,
        status: secret.disabled ? 'inactive' : cutOff ? 'isolated' : 'active',
        start_date: today,
        prorate_first: 0,
        isolation_method: cutOff ? 'profile' : null,
        original_profile: cutOff ? pkg.ppp_profile : null,
        isolated_at: cutOff ? now : null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    // Drift: Rukun now wants the package's profile, which the reconciler compares with the router's (no push).
    await r.pppSecrets.link(
      trx,
      actor,
      input.routerId,
      input.name,
      id,
      standing === 'drift' ? pkg.ppp_profile : undefined,
    );
    if (cutOff) {
      await trx
        .updateTable('customers')
        .set((eb) => ({ status: 'isolated', updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', input.customerId)
        .execute();
    }
    await recordChange(trx, c, {
      actor,
      action: 'subscriptions.adopt',
      entity: 'subscription',
      entityId: id,
      after: { ...input, routerProfile: secret.profile, packageProfile: pkg.ppp_profile, standing },
      op: 'insert',
    });
  });
  c.events.emit('billing.changed', { entity: 'subscription', id });
  return getSubscription(c, id) as SubscriptionView;
}
