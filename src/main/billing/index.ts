import { randomBytes, randomInt } from 'node:crypto';
import { AppError } from '../../shared/contract/errors';
import { officeDate } from '../../shared/dates';
import type { Feature, FeatureBase } from '../feature';
import type { RoutersApi } from '../routers/api';
import type { Handlers } from '../rpc/dispatcher';
import type { BillingApi } from './api';
import { AfterCommit, HookEmitter, type BillingContext } from './context';
import { createCustomer, getCustomer, listAreas, updateCustomer } from './customers';
import { documentPdf } from './documents';
import { exportCustomers, exportInvoices } from './export';
import { closeImportWorkers, commitImport, parseImport } from './import';
import { ImportJobs } from './import-jobs';
import { getInvoice, invoicesWhere, runInvoices, voidInvoice } from './invoices';
import { installNoticeRule, restoreIfSettled } from './isolation';
import { ledgerEntries } from './ledger';
import { createPackage, deletePackage, listPackages, updatePackage } from './packages';
import { getPayment, recordPayment, reversePayment } from './payments';
import { createQuery } from './query';
import { registerReceiptRoutes } from './receipts';
import { BillingScheduler, listRuns } from './schedules';
import { BillingSettingsStore } from './settings';
import {
  adoptSecret,
  createSubscriptions,
  getSubscription,
  listSubscriptions,
  manualIsolation,
  subscriptionsWhere,
  updateSubscription,
} from './subscriptions';
import { summaryScope } from './summary';
import { stmt } from './sql';

type BillingMethods =
  | 'billing.settings.get'
  | 'billing.settings.update'
  | 'billing.summary'
  | 'billing.runs.list'
  | 'billing.runs.start'
  | 'packages.list'
  | 'packages.create'
  | 'packages.update'
  | 'packages.delete'
  | 'customers.list'
  | 'customers.areas'
  | 'customers.get'
  | 'customers.create'
  | 'customers.update'
  | 'customers.import.preview'
  | 'customers.import.commit'
  | 'customers.export'
  | 'subscriptions.list'
  | 'subscriptions.create'
  | 'subscriptions.createBulk'
  | 'subscriptions.update'
  | 'subscriptions.password'
  | 'subscriptions.adoptable'
  | 'subscriptions.adopt'
  | 'subscriptions.isolate'
  | 'subscriptions.restore'
  | 'subscriptions.installIsolationNotice'
  | 'invoices.list'
  | 'invoices.get'
  | 'invoices.generate'
  | 'invoices.void'
  | 'invoices.export'
  | 'billing.documentPdf'
  | 'payments.list'
  | 'payments.record'
  | 'payments.reverse';

export interface BillingFeature extends Feature, BillingApi {
  handlers: Pick<Handlers, BillingMethods>;
  scheduler: BillingScheduler;
  context: BillingContext;
  /** Durable customer imports (tests reach the chunk hook through it). */
  imports: ImportJobs;
}

export interface BillingOptions {
  /** Deterministic randomness for tests (usernames, passwords). */
  random?: (max: number) => number;
}

/**
 * Tokens for public links: a 6-byte time prefix (so a 20,000-invoice run writes its tokens into one corner of
 * the unique index instead of dirtying every page of it) + 15 random bytes (120 bits: unguessable), drawn
 * from a pooled buffer. 28 characters of base64url.
 */
function tokens(now: () => number): () => string {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + 15 > pool.length) {
      pool = randomBytes(15 * 1024);
      at = 0;
    }
    const buf = Buffer.allocUnsafe(21);
    buf.writeUIntBE(Math.floor(now()) % 2 ** 48, 0, 6);
    pool.copy(buf, 6, at, at + 15);
    at += 15;
    return buf.toString('base64url');
  };
}

/**
 * Customers, packages, PPPoE subscriptions, prepaid invoices on a ledger, payments, receipts and isolation.
 * Router changes go through the routers feature's durable jobs (null = no routers feature: billing only).
 */
export function createBillingFeature(
  base: FeatureBase,
  routers: RoutersApi | null,
  opts: BillingOptions = {},
): BillingFeature {
  const hooks = new HookEmitter((name, e) =>
    base.log.error('billing hook failed', { hook: name, error: e instanceof Error ? e.message : String(e) }),
  );
  const c: BillingContext = {
    ...base,
    routers,
    store: new BillingSettingsStore(base),
    hooks,
    today: () => officeDate(base.clock.now(), base.settings.timeZone),
    random: opts.random ?? ((max) => randomInt(max)),
    token: tokens(() => base.clock.now()),
  };
  const scheduler = new BillingScheduler(c);
  const imports = new ImportJobs(c);
  let unsubscribeSettings: (() => void) | null = null;
  const query = createQuery(c);

  const settleAfter =
    (actor: Parameters<typeof restoreIfSettled>[2], after: AfterCommit) =>
    (customerId: string, trx: Parameters<typeof restoreIfSettled>[1]) =>
      restoreIfSettled(c, trx, actor, customerId, after, true);

  const notFound = <T>(v: T | null, what: string): T => {
    if (v === null) throw new AppError('NOT_FOUND', `${what} tidak ditemukan`);
    return v;
  };

  const handlers: Pick<Handlers, BillingMethods> = {
    'billing.settings.get': () => c.store.get(),
    'billing.settings.update': async (input, ctx) => {
      const v = await c.store.update(ctx.actor, input);
      if (input.invoiceRunAt || input.isolationRunAt) scheduler.start();
      c.events.emit('billing.changed', { entity: 'settings', id: null });
      return v;
    },
    'billing.summary': (input) => c.reads.run('billing.summary', summaryScope(c, input.period)),
    'billing.runs.list': (input) => listRuns(c, input.limit),
    'billing.runs.start': (input, ctx) => scheduler.run(input.job, `manual: ${ctx.actor.name}`, ctx.actor),

    'packages.list': (input) => listPackages(c, input.includeInactive),
    'packages.create': (input, ctx) => createPackage(c, ctx.actor, input),
    'packages.update': (input, ctx) => updatePackage(c, ctx.actor, input),
    'packages.delete': async (input, ctx) => {
      await deletePackage(c, ctx.actor, input.id);
      return { ok: true as const };
    },

    'customers.list': (input) => c.reads.run('customers.list', input),
    'customers.areas': () => listAreas(c),
    'customers.get': (input) => {
      const customer = notFound(getCustomer(c, input.id), 'Pelanggan');
      const sqlite = c.database.sqlite;
      const paymentIds = stmt(
        sqlite,
        'SELECT id FROM payments WHERE customer_id = ? ORDER BY paid_at DESC LIMIT 100',
      ).all(input.id) as { id: string }[];
      return {
        customer,
        subscriptions: subscriptionsWhere(c, 's.customer_id = ?', [input.id], 'ORDER BY s.created_at'),
        invoices: invoicesWhere(
          sqlite,
          'i.customer_id = ?',
          [input.id],
          'ORDER BY i.issued_at DESC, i.number DESC LIMIT 100',
        ),
        payments: paymentIds.map((p) => getPayment(c, p.id)).filter((p) => p !== null),
        ledger: ledgerEntries(sqlite, input.id).slice(-200),
      };
    },
    'customers.create': (input, ctx) => createCustomer(c, ctx.actor, input),
    'customers.update': async (input, ctx) =>
      updateCustomer(c, ctx.actor, input, async (customerId) => {
        const after = new AfterCommit(hooks);
        await c.database.db
          .transaction()
          .execute((trx) => restoreIfSettled(c, trx, ctx.actor, customerId, after, false));
        after.flush();
        c.routers?.poke();
      }),
    'customers.import.preview': async (input) => {
      const p = await parseImport(c, input);
      return { columns: p.columns, mapping: p.mapping, rows: p.rows, valid: p.valid, invalid: p.invalid };
    },
    'customers.import.commit': (input, ctx) => commitImport(c, imports, ctx.actor, input),
    'customers.export': (input) => exportCustomers(c, input.format),

    'subscriptions.list': (input) => listSubscriptions(c, input),
    'subscriptions.create': async (input, ctx) => {
      const [id] = await createSubscriptions(c, ctx.actor, [input]);
      return notFound(id ? getSubscription(c, id) : null, 'Langganan');
    },
    'subscriptions.createBulk': async (input, ctx) => ({
      created: (await createSubscriptions(c, ctx.actor, input.items)).length,
    }),
    'subscriptions.update': (input, ctx) => updateSubscription(c, ctx.actor, input),
    'subscriptions.password': async (input, ctx) => {
      const row = stmt(c.database.sqlite, 'SELECT password_enc FROM subscriptions WHERE id = ?').get(
        input.id,
      ) as { password_enc: string } | undefined;
      if (!row) throw new AppError('NOT_FOUND', 'Langganan tidak ditemukan');
      await c.database.db
        .insertInto('audit_log')
        .values({
          id: c.ids(),
          at: c.clock.now(),
          actor_id: ctx.actor.userId,
          actor_name: ctx.actor.name,
          action: 'subscriptions.showPassword',
          entity: 'subscription',
          entity_id: input.id,
          before_json: null,
          after_json: null,
          via: ctx.actor.via,
        })
        .execute();
      return { password: c.secrets.decrypt(row.password_enc) };
    },
    'subscriptions.adoptable': async (input) => {
      if (!routers) return [];
      const list = await routers.pppSecrets.list({
        unlinked: true,
        ...(input.routerId ? { routerId: input.routerId } : {}),
      });
      return list.map((s) => ({
        routerId: s.routerId,
        name: s.name,
        profile: s.profile,
        remoteAddress: s.remoteAddress,
        comment: s.comment,
      }));
    },
    'subscriptions.adopt': (input, ctx) => adoptSecret(c, ctx.actor, input),
    'subscriptions.isolate': (input, ctx) => manualIsolation(c, ctx.actor, input.id, true),
    'subscriptions.restore': (input, ctx) => manualIsolation(c, ctx.actor, input.id, false),
    'subscriptions.installIsolationNotice': (input, ctx) => installNoticeRule(c, ctx.actor, input),

    'invoices.list': (input) => c.reads.run('invoices.list', input),
    'invoices.get': (input) => notFound(getInvoice(c.database.sqlite, input.id), 'Tagihan'),
    'invoices.generate': async (input, ctx) => {
      const r = await runInvoices(c, ctx.actor, {
        ...(input.subscriptionId ? { subscriptionId: input.subscriptionId } : {}),
        ...(input.date ? { date: input.date } : {}),
      });
      return { created: r.created, skipped: r.skipped };
    },
    'invoices.void': (input, ctx) => voidInvoice(c, ctx.actor, input),
    'invoices.export': (input) => exportInvoices(c, input.format, input.period),

    'billing.documentPdf': (input) => documentPdf(c, input),
    'payments.list': (input) => c.reads.run('payments.list', input),
    'payments.record': async (input, ctx) => {
      const after = new AfterCommit(hooks);
      const v = await recordPayment(c, ctx.actor, input, settleAfter(ctx.actor, after));
      after.flush();
      c.routers?.poke();
      return v;
    },
    'payments.reverse': async (input, ctx) => {
      const after = new AfterCommit(hooks);
      const v = await reversePayment(c, ctx.actor, input, async () => undefined);
      after.flush();
      return v;
    },
  };

  return {
    name: 'billing',
    handlers,
    hooks,
    query,
    scheduler,
    context: c,
    imports,
    routes: registerReceiptRoutes(c),
    start() {
      scheduler.start({ catchUp: true });
      // An import cut by a crash or a stop goes on where it stopped.
      imports.resumeAll().catch((e: unknown) =>
        base.log.error('resuming customer imports failed', {
          error: e instanceof Error ? e.message : String(e),
        }),
      );
      // The office time zone is read when the crons are planned: re-plan when it changes.
      unsubscribeSettings = base.events.subscribe((msg) => {
        if (msg.name === 'settings.changed') scheduler.followTimeZone();
      });
    },
    stop() {
      unsubscribeSettings?.();
      unsubscribeSettings = null;
      scheduler.stop();
      return imports.stop().then(() => closeImportWorkers(c));
    },
  };
}

export type { BillingApi } from './api';
