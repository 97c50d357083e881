import type { IsolationPolicy } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { addDays, weekday } from '../../shared/billing/periods';
import { officeDate } from '../../shared/dates';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Trx } from '../db/database';
import { PPPOE_MARKER } from '../routers/api';
import { AfterCommit, type BillingContext } from './context';
import type { SubscriptionsTable } from './schema';
import { stmt } from './sql';

const ADDRESS_LIST_MENU = '/ip/firewall/address-list';
/** What marks the address-list entry isolation adds for a subscription (restore finds it by this). */
const addressListComment = (username: string) => `${PPPOE_MARKER} ${username}`;

export function policyFor(c: BillingContext, routerId: string): IsolationPolicy {
  const s = c.store.get();
  return s.routerIsolation[routerId] ?? s.defaultIsolation;
}

/**
 * The router's isolation profile (method `profile`), enqueued as a managed PPP profile — a barrier job, so
 * secrets enqueued after it wait for it. Called when a subscription's secret is first pushed to a router
 * (`force` false: only when Rukun has not planned that profile on the router yet) as well as at isolation
 * (`force` true). Ensuring it up front matters: a secret's sync job reads the secret's desired profile when
 * it RUNS, so a sync queued before an isolation (e.g. the new customer's first push, still waiting) would
 * otherwise push the isolation profile before the isolation's own profile job created it, and fail with
 * "input does not match any value of profile" (seen in the demo on router Cikampek).
 */
export async function ensureIsolationProfile(
  c: BillingContext,
  trx: Trx,
  actor: Actor,
  routerId: string,
  force: boolean,
): Promise<void> {
  const routers = c.routers;
  if (!routers) return;
  const policy = policyFor(c, routerId);
  if (policy.method !== 'profile') return;
  if (!force) {
    const planned = await trx
      .selectFrom('ppp_profiles')
      .select('id')
      .where('router_id', '=', routerId)
      .where('name', '=', policy.isolationProfile)
      .executeTakeFirst();
    if (planned) return;
  }
  await routers.profiles.ppp.upsert(trx, actor, {
    routerId,
    name: policy.isolationProfile,
    rateLimit: '256k/256k',
    comment: `${PPPOE_MARKER} isolir`,
    managed: true,
    // Sessions on the isolation profile land in the address list, which the notice-page NAT rule matches.
    extra: { 'address-list': policy.addressList },
  });
}

/** Weekends/holidays the office configured: nobody is cut off on those days (restores still run). */
export function isNoIsolationDay(c: BillingContext, date: string): boolean {
  const s = c.store.get();
  return s.noIsolationWeekdays.includes(weekday(date)) || s.holidays.includes(date);
}

type Sub = Pick<
  SubscriptionsTable,
  | 'id'
  | 'customer_id'
  | 'router_id'
  | 'username'
  | 'remote_address'
  | 'status'
  | 'isolation_method'
  | 'original_profile'
>;

function packageProfile(c: BillingContext, subId: string): string {
  const r = stmt(
    c.database.sqlite,
    'SELECT p.ppp_profile FROM subscriptions s JOIN packages p ON p.id = s.package_id WHERE s.id = ?',
  ).get(subId) as { ppp_profile: string } | undefined;
  return r?.ppp_profile ?? 'default';
}

/**
 * Isolates one subscription by its router's policy, all through router jobs in the caller's transaction:
 * switch the secret to the isolation profile and kick the session (the original profile is remembered),
 * add its address to the isolation address list, or disable the secret.
 */
export async function isolateSubscription(
  c: BillingContext,
  trx: Trx,
  actor: Actor,
  sub: Sub,
  after: AfterCommit,
  reason: string,
): Promise<void> {
  if (sub.status !== 'active') return;
  const policy = policyFor(c, sub.router_id);
  // An address list needs a fixed address to list; without one the profile switch is the only lever.
  const method = policy.method === 'address-list' && !sub.remote_address ? 'profile' : policy.method;
  const original = packageProfile(c, sub.id);
  const routers = c.routers;
  if (routers) {
    if (method === 'profile') {
      await ensureIsolationProfile(c, trx, actor, sub.router_id, true);
      await routers.pppSecrets.setProfile(trx, actor, sub.router_id, sub.username, policy.isolationProfile);
    } else if (method === 'address-list') {
      await routers.enqueue(trx, {
        routerId: sub.router_id,
        operation: 'menu.upsert',
        payload: {
          menu: ADDRESS_LIST_MENU,
          match: { list: policy.addressList, address: sub.remote_address },
          values: {
            list: policy.addressList,
            address: sub.remote_address,
            comment: addressListComment(sub.username),
          },
        },
      });
    } else {
      await routers.pppSecrets.setDisabled(trx, actor, sub.router_id, sub.username, true);
    }
    if (method !== 'address-list')
      await routers.enqueue(trx, {
        routerId: sub.router_id,
        operation: 'ppp.kick',
        payload: { name: sub.username },
      });
  }
  const now = c.clock.now();
  await trx
    .updateTable('subscriptions')
    .set((eb) => ({
      status: 'isolated',
      isolation_method: method,
      original_profile: original,
      isolated_at: now,
      disabled_at: method === 'disable' ? now : null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', sub.id)
    .execute();
  await trx
    .updateTable('customers')
    .set((eb) => ({ status: 'isolated', updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', sub.customer_id)
    .execute();
  await recordChange(trx, c, {
    actor,
    action: 'subscriptions.isolate',
    entity: 'subscription',
    entityId: sub.id,
    before: { status: 'active', profile: original },
    after: {
      status: 'isolated',
      method,
      reason,
      profile: method === 'profile' ? policy.isolationProfile : original,
    },
    op: 'update',
  });
  after.push({ name: 'isolated', payload: { customerId: sub.customer_id, subscriptionId: sub.id } });
}

/** Puts back what isolation changed (original profile, address list entry, enabled secret). */
export async function restoreSubscription(
  c: BillingContext,
  trx: Trx,
  actor: Actor,
  sub: Sub,
  after: AfterCommit,
  reason: string,
): Promise<void> {
  if (sub.status !== 'isolated') return;
  const policy = policyFor(c, sub.router_id);
  const original = sub.original_profile ?? packageProfile(c, sub.id);
  const routers = c.routers;
  if (routers) {
    if (sub.isolation_method === 'address-list') {
      // Also by the comment isolation wrote: the office may have renamed its isolation list (or changed the
      // address) since, and a paying customer must not stay listed under the old name.
      for (const match of [
        { list: policy.addressList, address: sub.remote_address },
        { comment: addressListComment(sub.username) },
      ])
        await routers.enqueue(trx, {
          routerId: sub.router_id,
          operation: 'menu.remove',
          payload: { menu: ADDRESS_LIST_MENU, match },
        });
    } else {
      await routers.pppSecrets.setProfile(trx, actor, sub.router_id, sub.username, original);
      const secret = await routers.pppSecrets.get(sub.router_id, sub.username, trx);
      if (secret?.disabled)
        await routers.pppSecrets.setDisabled(trx, actor, sub.router_id, sub.username, false);
      // The new profile applies on the next login.
      await routers.enqueue(trx, {
        routerId: sub.router_id,
        operation: 'ppp.kick',
        payload: { name: sub.username },
      });
    }
  }
  const now = c.clock.now();
  await trx
    .updateTable('subscriptions')
    .set((eb) => ({
      status: 'active',
      isolation_method: null,
      isolated_at: null,
      disabled_at: null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', sub.id)
    .execute();
  const stillIsolated = await trx
    .selectFrom('subscriptions')
    .select('id')
    .where('customer_id', '=', sub.customer_id)
    .where('status', '=', 'isolated')
    .executeTakeFirst();
  if (!stillIsolated) {
    await trx
      .updateTable('customers')
      .set((eb) => ({ status: 'active', updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', sub.customer_id)
      .where('status', '=', 'isolated')
      .execute();
  }
  await recordChange(trx, c, {
    actor,
    action: 'subscriptions.restore',
    entity: 'subscription',
    entityId: sub.id,
    before: { status: 'isolated', method: sub.isolation_method },
    after: { status: 'active', profile: original, reason },
    op: 'update',
  });
  after.push({ name: 'restored', payload: { customerId: sub.customer_id, subscriptionId: sub.id } });
}

const SUB_COLS =
  's.id, s.customer_id, s.router_id, s.username, s.remote_address, s.status, s.isolation_method, s.original_profile';

/** Does the customer still owe something that is due? (restore policy `full`) */
function owesDue(c: BillingContext, customerId: string): boolean {
  return !!stmt(
    c.database.sqlite,
    "SELECT 1 FROM invoices WHERE customer_id = ? AND status IN ('open','partial') AND due_date <= ? LIMIT 1",
  ).get(customerId, c.today());
}

/** After a payment (or an exemption / promise): restore the customer's isolated subscriptions when the policy allows. */
export async function restoreIfSettled(
  c: BillingContext,
  trx: Trx,
  actor: Actor,
  customerId: string,
  after: AfterCommit,
  anyPayment: boolean,
): Promise<void> {
  const cust = stmt(
    c.database.sqlite,
    'SELECT isolation_exempt, promise_until FROM customers WHERE id = ?',
  ).get(customerId) as { isolation_exempt: number; promise_until: string | null } | undefined;
  if (!cust) return;
  const subs = stmt(
    c.database.sqlite,
    `SELECT ${SUB_COLS} FROM subscriptions s WHERE s.customer_id = ? AND s.status = 'isolated'`,
  ).all(customerId) as Sub[];
  if (subs.length === 0) return;
  const excused =
    cust.isolation_exempt === 1 || (cust.promise_until !== null && cust.promise_until >= c.today());
  const settled =
    c.store.get().restorePolicy === 'any' ? anyPayment || !owesDue(c, customerId) : !owesDue(c, customerId);
  if (!excused && !settled) return;
  for (const s of subs)
    await restoreSubscription(
      c,
      trx,
      actor,
      s,
      after,
      excused ? 'pengecualian/janji bayar' : 'tagihan lunas',
    );
}

export interface IsolationRunResult {
  isolated: number;
  restored: number;
  disabled: number;
  skippedDay: number;
}

/**
 * Restore policy `any`: a payment brings the customer back online even when part stays open. The next
 * daily run must not cut them off again for the same arrears, so an overdue invoice counts only when it fell
 * due after the customer's latest payment; a later invoice passing its grace days isolates again as usual.
 */
function excusedByPayment(c: BillingContext, subscriptionId: string, cutoff: string): boolean {
  const sqlite = c.database.sqlite;
  const last = stmt(
    sqlite,
    `SELECT MAX(p.paid_at) AS at FROM payments p JOIN subscriptions s ON s.customer_id = p.customer_id
     WHERE s.id = ? AND p.reversed_at IS NULL`,
  ).get(subscriptionId) as { at: number | null };
  if (last.at === null) return false;
  const paidOn = officeDate(last.at, c.settings.timeZone);
  const unexcused = stmt(
    sqlite,
    `SELECT 1 FROM invoices WHERE subscription_id = ? AND status IN ('open','partial') AND due_date < ? AND due_date > ? LIMIT 1`,
  ).get(subscriptionId, cutoff, paidOn);
  return !unexcused;
}

/**
 * The daily isolation run: isolate subscriptions with an unpaid invoice past the grace days (not on
 * no-isolation days, not exempt, no promise to pay), restore those that are settled or excused, and disable
 * secrets isolated for more than N days. Idempotent.
 */
export async function runIsolation(c: BillingContext, actor: Actor): Promise<IsolationRunResult> {
  const s = c.store.get();
  const today = c.today();
  const res: IsolationRunResult = { isolated: 0, restored: 0, disabled: 0, skippedDay: 0 };
  const after = new AfterCommit(c.hooks);
  const sqlite = c.database.sqlite;
  await c.database.db.transaction().execute(async (trx) => {
    // Restores first: a customer who paid or was excused is back online whatever the day.
    const isolated = stmt(
      sqlite,
      `SELECT DISTINCT s.customer_id FROM subscriptions s WHERE s.status = 'isolated'`,
    ).all() as { customer_id: string }[];
    for (const r of isolated) {
      const before = after.size();
      await restoreIfSettled(c, trx, actor, r.customer_id, after, false);
      res.restored += after.size() - before;
    }
    if (s.autoIsolation) {
      if (isNoIsolationDay(c, today)) res.skippedDay = 1;
      else {
        const cutoff = addDays(today, -s.graceDays);
        const due = stmt(
          sqlite,
          `SELECT ${SUB_COLS} FROM subscriptions s JOIN customers cu ON cu.id = s.customer_id
           WHERE s.status = 'active' AND cu.isolation_exempt = 0 AND (cu.promise_until IS NULL OR cu.promise_until < ?)
             AND EXISTS (SELECT 1 FROM invoices i WHERE i.subscription_id = s.id AND i.status IN ('open','partial') AND i.due_date < ?)`,
        ).all(today, cutoff) as Sub[];
        for (const sub of s.restorePolicy === 'any'
          ? due.filter((x) => !excusedByPayment(c, x.id, cutoff))
          : due) {
          await isolateSubscription(c, trx, actor, sub, after, 'tunggakan melewati masa tenggang');
          res.isolated++;
        }
      }
    }
    if (s.disableAfterDays > 0 && c.routers) {
      const limit = c.clock.now() - s.disableAfterDays * 86_400_000;
      const old = stmt(
        sqlite,
        `SELECT ${SUB_COLS} FROM subscriptions s WHERE s.status = 'isolated' AND s.disabled_at IS NULL AND s.isolated_at <= ?`,
      ).all(limit) as Sub[];
      for (const sub of old) {
        await c.routers.pppSecrets.setDisabled(trx, actor, sub.router_id, sub.username, true);
        await c.routers.enqueue(trx, {
          routerId: sub.router_id,
          operation: 'ppp.kick',
          payload: { name: sub.username },
        });
        await trx
          .updateTable('subscriptions')
          .set({ disabled_at: c.clock.now() })
          .where('id', '=', sub.id)
          .execute();
        await recordChange(trx, c, {
          actor,
          action: 'subscriptions.disable',
          entity: 'subscription',
          entityId: sub.id,
          after: { disabled: true, afterDays: s.disableAfterDays },
        });
        res.disabled++;
      }
    }
  });
  after.flush();
  if (res.isolated + res.restored + res.disabled > 0)
    c.events.emit('billing.changed', { entity: 'subscription', id: null });
  c.routers?.poke();
  return res;
}

export const NOTICE_RULE_COMMENT = `${PPPOE_MARKER} isolir-notice`;

/**
 * Installs (idempotently, through a router job) the NAT rule that sends web traffic of isolated customers
 * (the isolation address list) to Rukun's notice page on the LAN listener. The isolation profile puts its
 * sessions into that list, so the profile and address-list methods both show the page.
 */
export async function installNoticeRule(
  c: BillingContext,
  actor: Actor,
  input: { routerId: string; host: string; port: number },
): Promise<{ url: string }> {
  const r = c.routers;
  if (!r) throw new AppError('ROUTER_UNREACHABLE', 'Fitur router belum tersedia');
  await r.get(input.routerId);
  const policy = policyFor(c, input.routerId);
  await c.database.db.transaction().execute(async (trx) => {
    await r.enqueue(trx, {
      routerId: input.routerId,
      operation: 'menu.upsert',
      payload: {
        menu: '/ip/firewall/nat',
        match: { comment: NOTICE_RULE_COMMENT },
        values: {
          chain: 'dstnat',
          protocol: 'tcp',
          'dst-port': '80',
          'src-address-list': policy.addressList,
          action: 'dst-nat',
          'to-addresses': input.host,
          'to-ports': String(input.port),
          comment: NOTICE_RULE_COMMENT,
        },
      },
    });
    await recordChange(trx, c, {
      actor,
      action: 'isolation.installNotice',
      entity: 'router',
      entityId: input.routerId,
      after: { ...input, addressList: policy.addressList },
    });
  });
  r.poke(input.routerId);
  return { url: `http://${input.host}:${input.port}/isolir` };
}
