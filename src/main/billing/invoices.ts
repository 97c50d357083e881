import type BetterSqlite3 from 'better-sqlite3';
import type { InvoiceView } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import {
  addDays,
  addMonths,
  firstPeriod,
  periodContaining,
  periodOf,
  prorate,
  type Period,
} from '../../shared/billing/periods';
import { applyTax } from '../../shared/billing/tax';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import { allocate, applyCredit, netAllocations } from './allocations';
import { denseMatch, pageOf, type Reader } from '../db/reader';
import { AfterCommit, type BillingContext } from './context';
import { ftsQuery } from './customers';
import { addLedgerEntry } from './ledger';
import { NumberBatch, auditRaw, nextNumber, stmt } from './sql';

export interface BillableSubscription {
  id: string;
  customer_id: string;
  billing_day: number;
  discount: number;
  start_date: string;
  package_name: string;
  speed: string;
  price: number;
  taxable: number;
  tax_inclusive: number;
}

const BILLABLE_SQL = `SELECT s.id, s.customer_id, s.billing_day, s.discount, s.start_date, p.name AS package_name, p.speed, p.price, p.taxable, p.tax_inclusive
  FROM subscriptions s JOIN packages p ON p.id = s.package_id WHERE s.status <> 'inactive'`;

/**
 * The invoice a subscription should have for the office date `target` (today + days-before): the regular
 * prepaid period containing it, or — for the period the subscription started in — the (prorated) first one.
 * Null when the subscription has not started by then.
 */
export function dueInvoiceFor(
  sub: BillableSubscription,
  target: string,
  prorateFirst: boolean,
  memo?: Map<string, Period | ReturnType<typeof firstPeriod>>,
): { period: Period; subtotal: number; dueDate: string } | null {
  if (target < sub.start_date) return null;
  // A run over 20,000 subscriptions meets only 28 billing days and a few start dates: memoise the calendar.
  const rk = `r${sub.billing_day}`;
  const regular = (memo?.get(rk) as Period | undefined) ?? periodContaining(target, sub.billing_day);
  memo?.set(rk, regular);
  const fk = `f${sub.start_date}|${sub.billing_day}`;
  const first =
    (memo?.get(fk) as ReturnType<typeof firstPeriod> | undefined) ??
    firstPeriod(sub.start_date, sub.billing_day);
  memo?.set(fk, first);
  if (regular.period === first.period) {
    const subtotal =
      first.partial && prorateFirst ? prorate(sub.price, first.days, first.fullDays) : sub.price;
    return {
      period: { period: first.period, start: first.start, end: first.end },
      subtotal,
      dueDate: first.start,
    };
  }
  return { period: regular, subtotal: sub.price, dueDate: regular.start };
}

/** Inserts one invoice + its ledger charge + audit row with raw statements. Null when it already exists. */
export function issueInvoiceRaw(
  c: BillingContext,
  actor: Actor,
  sub: BillableSubscription,
  due: { period: Period; subtotal: number; dueDate: string },
  issueDate: string,
  now: number,
  numbers?: NumberBatch,
): { id: string; customerId: string } | null {
  const sqlite = c.database.sqlite;
  const exists = stmt(sqlite, 'SELECT 1 FROM invoices WHERE subscription_id = ? AND period = ?').get(
    sub.id,
    due.period.period,
  );
  if (exists) return null;
  const settings = c.store.get();
  // The discount never takes an invoice below zero (a first, prorated period can be smaller than it).
  const discount = Math.min(sub.discount, due.subtotal);
  const taxed = applyTax(
    due.subtotal - discount,
    settings.taxRate,
    sub.taxable === 1,
    sub.tax_inclusive === 1,
  );
  const id = c.ids();
  const number = numbers
    ? numbers.next(issueDate)
    : nextNumber(sqlite, settings.invoiceNumberPattern, issueDate);
  // The period has its own fields (and its own line on every document, in the office's date format).
  const description = `${sub.package_name} (${sub.speed})`;
  stmt(
    sqlite,
    `INSERT INTO invoices (id, number, customer_id, subscription_id, period, period_start, period_end, issued_at, issue_date, due_date, description,
       subtotal, discount, tax, total, paid, status, overdue, public_token, created_at, updated_at, version)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,0,?,?,?,1)`,
  ).run(
    id,
    number,
    sub.customer_id,
    sub.id,
    due.period.period,
    due.period.start,
    due.period.end,
    now,
    issueDate,
    due.dueDate,
    description,
    due.subtotal,
    discount,
    taxed.tax,
    taxed.total,
    taxed.total === 0 ? 'paid' : 'open',
    c.token(),
    now,
    now,
  );
  addLedgerEntry(sqlite, c.ids, {
    customerId: sub.customer_id,
    at: now,
    kind: 'charge',
    amount: taxed.total,
    invoiceId: id,
    memo: number,
  });
  auditRaw(sqlite, c.ids, now, actor, {
    action: 'invoices.issue',
    entity: 'invoice',
    entityId: id,
    after: {
      number,
      customerId: sub.customer_id,
      subscriptionId: sub.id,
      period: due.period.period,
      total: taxed.total,
      dueDate: due.dueDate,
    },
    op: 'insert',
  });
  return { id, customerId: sub.customer_id };
}

export interface RunResult {
  created: number;
  skipped: number;
  credited: number;
  /** Invoices of periods a run should have issued while the office PC was off (counted in `created` too). */
  caughtUp: number;
}

/** At most this many missed periods per subscription are issued in one catch-up (a year off is not billing). */
const MAX_CATCH_UP_PERIODS = 12;

/**
 * Regular periods of billing day `day` that a daily run should have issued after `since` (the office date of
 * the last successful run) and before the current target period, oldest first.
 */
export function missedPeriodStarts(since: string, target: string, day: number, daysBefore: number): string[] {
  const after = addDays(since, daysBefore);
  const out: string[] = [];
  let p = periodOf(addMonths(periodContaining(target, day).period, -1), day);
  while (p.start > after && out.length < MAX_CATCH_UP_PERIODS) {
    out.push(p.start);
    p = periodOf(addMonths(p.period, -1), day);
  }
  return out.reverse();
}

/**
 * Issues every invoice that is due by `date` (default: today) — one transaction, prepared statements.
 * Idempotent: the unique (subscription, period) key and the existence check make a second run issue nothing.
 */
export async function runInvoices(
  c: BillingContext,
  actor: Actor,
  opts: { date?: string; subscriptionId?: string; since?: string } = {},
): Promise<RunResult> {
  const sqlite = c.database.sqlite;
  const settings = c.store.get();
  const today = opts.date ?? c.today();
  const target = addDays(today, settings.generateDaysBefore);
  const now = c.clock.now();
  const after = new AfterCommit(c.hooks);
  const result: RunResult = { created: 0, skipped: 0, credited: 0, caughtUp: 0 };
  // A month's run touches every invoice index at random places (tokens, customers): give SQLite a cache
  // that holds them for the run (the default 2 MB makes a 20,000-invoice run re-read pages from disk).
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  if (cacheSize > -65_536 && !opts.subscriptionId) sqlite.pragma('cache_size = -65536');
  await c.database.db
    .transaction()
    .execute(async () => {
      const subs = (
        opts.subscriptionId
          ? stmt(sqlite, `${BILLABLE_SQL} AND s.id = ?`).all(opts.subscriptionId)
          : stmt(sqlite, BILLABLE_SQL).all()
      ) as BillableSubscription[];
      const credit = stmt(sqlite, 'SELECT 1 FROM payments WHERE customer_id = ? AND unallocated > 0 LIMIT 1');
      const numbers = new NumberBatch(sqlite, settings.invoiceNumberPattern);
      const memo = new Map<string, Period | ReturnType<typeof firstPeriod>>();
      // Days without a run (the PC was off at night, or for weeks): issue the periods those runs would have.
      // Only periods after the last good run count, so a subscription that was inactive while runs went on
      // (and was skipped by them) is not back-billed when it comes back.
      const missed = new Map<number, string[]>();
      const missedFor = (day: number): string[] => {
        if (!opts.since || opts.since >= today) return [];
        let m = missed.get(day);
        if (!m)
          missed.set(day, (m = missedPeriodStarts(opts.since, target, day, settings.generateDaysBefore)));
        return m;
      };
      const issue = (
        sub: BillableSubscription,
        due: { period: Period; subtotal: number; dueDate: string },
      ): boolean => {
        // An invoice a missed run should have issued is due today at the earliest: the customer never saw it.
        const missedRun =
          !!opts.since && addDays(due.period.start, -settings.generateDaysBefore) > opts.since;
        if (missedRun && due.dueDate < today) due = { ...due, dueDate: today };
        const issued = issueInvoiceRaw(c, actor, sub, due, today, now, numbers);
        if (!issued) return false;
        result.created++;
        after.push({
          name: 'invoiceIssued',
          payload: { invoiceId: issued.id, customerId: issued.customerId },
        });
        return true;
      };
      for (const sub of subs) {
        let issuedAny = false;
        for (const start of missedFor(sub.billing_day)) {
          const late = dueInvoiceFor(sub, start, settings.prorateFirstPeriod);
          if (late && issue(sub, late)) {
            result.caughtUp++;
            issuedAny = true;
          }
        }
        const due = dueInvoiceFor(sub, target, settings.prorateFirstPeriod, memo);
        if (due && issue(sub, due)) issuedAny = true;
        else result.skipped++;
        if (issuedAny && credit.get(sub.customer_id)) {
          const paid = applyCredit(sqlite, c.ids, now, sub.customer_id);
          if (paid.size > 0) result.credited++;
        }
      }
      numbers.flush();
    })
    .finally(() => {
      if (cacheSize > -65_536 && !opts.subscriptionId) sqlite.pragma(`cache_size = ${cacheSize}`);
    });
  after.flush();
  if (result.created > 0) c.events.emit('billing.changed', { entity: 'invoice', id: null });
  return result;
}

/** Marks unpaid invoices past their due date as overdue (idempotent). */
export async function markOverdue(c: BillingContext, actor: Actor): Promise<{ marked: number }> {
  const today = c.today();
  const now = c.clock.now();
  let marked = 0;
  await c.database.db.transaction().execute(async (trx) => {
    const res = stmt(
      c.database.sqlite,
      "UPDATE invoices SET overdue = 1, version = version + 1, updated_at = ? WHERE status IN ('open','partial') AND due_date < ? AND overdue = 0",
    ).run(now, today);
    marked = res.changes;
    if (marked > 0)
      await recordChange(trx, c, {
        actor,
        action: 'invoices.markOverdue',
        entity: 'invoice',
        entityId: null,
        after: { marked, today },
      });
  });
  if (marked > 0) c.events.emit('billing.changed', { entity: 'invoice', id: null });
  return { marked };
}

interface InvoiceRow {
  id: string;
  number: string;
  customer_id: string;
  customer_name: string;
  customer_code: string;
  subscription_id: string | null;
  period: string;
  period_start: string;
  period_end: string;
  issued_at: number;
  due_date: string;
  description: string;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  paid: number;
  status: InvoiceView['status'];
  overdue: number;
  void_reason: string | null;
  credit_note_number: string | null;
  public_token: string;
  version: number;
}

const INVOICE_COLUMNS = `SELECT i.id, i.number, i.customer_id, c.name AS customer_name, c.code AS customer_code, i.subscription_id, i.period, i.period_start,
  i.period_end, i.issued_at, i.due_date, i.description, i.subtotal, i.discount, i.tax, i.total, i.paid, i.status, i.overdue, i.void_reason,
  i.credit_note_number, i.public_token, i.version`;
export const INVOICE_SELECT = `${INVOICE_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id`;

export function toInvoiceView(r: InvoiceRow): InvoiceView {
  return {
    id: r.id,
    number: r.number,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerCode: r.customer_code,
    subscriptionId: r.subscription_id,
    period: r.period,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    issuedAt: r.issued_at,
    dueDate: r.due_date,
    description: r.description,
    subtotal: r.subtotal,
    discount: r.discount,
    tax: r.tax,
    total: r.total,
    paid: r.paid,
    balanceDue: r.status === 'void' ? 0 : Math.max(0, r.total - r.paid),
    status: r.status,
    overdue: r.overdue === 1,
    voidReason: r.void_reason,
    creditNoteNumber: r.credit_note_number,
    publicToken: r.public_token,
    version: r.version,
  };
}

export function getInvoice(sqlite: BetterSqlite3.Database, id: string): InvoiceView | null {
  const r = stmt(sqlite, `${INVOICE_SELECT} WHERE i.id = ?`).get(id) as InvoiceRow | undefined;
  return r ? toInvoiceView(r) : null;
}

export function invoicesWhere(
  sqlite: BetterSqlite3.Database,
  where: string,
  params: unknown[],
  tail = '',
): InvoiceView[] {
  return (stmt(sqlite, `${INVOICE_SELECT} WHERE ${where} ${tail}`).all(...params) as InvoiceRow[]).map(
    toInvoiceView,
  );
}

export interface InvoiceListQuery {
  offset: number;
  limit: number;
  search?: string | undefined;
  status?: string | undefined;
  period?: string | undefined;
  customerId?: string | undefined;
  overdue?: boolean | undefined;
  sort?: { field: string; dir: 'asc' | 'desc' } | undefined;
}

/**
 * Status filters as literal SQL, so SQLite can match them to the partial indexes of migration 0009 (a bound
 * parameter cannot be matched to `WHERE status = 'paid'`). `open` and `partial` repeat the unpaid condition
 * for the same reason.
 */
const STATUS_WHERE: Record<string, string> = {
  unpaid: "i.status IN ('open','partial')",
  open: "i.status = 'open' AND i.status IN ('open','partial')",
  partial: "i.status = 'partial' AND i.status IN ('open','partial')",
  paid: "i.status = 'paid'",
  void: "i.status = 'void'",
};

const INVOICE_SORTS: Record<string, string[]> = {
  number: ['i.number'],
  issuedAt: ['i.issued_at', 'i.number'],
  dueDate: ['i.due_date', 'i.number'],
  total: ['i.total', 'i.number'],
  // c.rowid tells SQLite each customer is one group, so each customer's invoices come in index order.
  customerName: ['c.name COLLATE NOCASE', 'c.code', 'c.rowid', 'i.issued_at', 'i.number'],
};

/**
 * Invoices in a stable order (newest run first; within a run, by number), read straight from the index that
 * matches the filter. A search finds customers through the full-text index and invoices by number prefix,
 * then sorts only what matched.
 */
export function listInvoices(r: Reader, q: InvoiceListQuery): { rows: InvoiceView[]; total: number } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    const w = STATUS_WHERE[q.status];
    if (!w) throw new AppError('VALIDATION', 'Status tagihan tidak dikenal');
    where.push(w);
  }
  if (q.period) {
    where.push('i.period = ?');
    params.push(q.period);
  }
  if (q.customerId) {
    where.push('i.customer_id = ?');
    params.push(q.customerId);
  }
  if (q.overdue) where.push("i.overdue = 1 AND i.status IN ('open','partial')");
  const s = q.search?.trim();
  let searching = false;
  if (s) {
    const terms: string[] = [];
    // Numbers are typed or pasted whole (INV/2026/11/00042) or by their start (INV/2026/11).
    for (const v of new Set([s, s.toUpperCase()])) {
      terms.push('(i.number >= ? AND i.number < ?)');
      params.push(v, `${v}\uffff`);
    }
    const fts = ftsQuery(s);
    if (fts) {
      terms.push(
        'i.customer_id IN (SELECT id FROM customers WHERE rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?))',
      );
      params.push(fts);
    }
    where.push(`(${terms.join(' OR ')})`);
    searching = true;
  }
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const sort = (q.sort && INVOICE_SORTS[q.sort.field]) || ['i.issued_at', 'i.number'];
  const dir = q.sort && INVOICE_SORTS[q.sort.field] ? (q.sort.dir === 'asc' ? 'ASC' : 'DESC') : 'DESC';
  const total = r.count(`SELECT COUNT(*) AS n FROM invoices i ${w}`, params);
  // A rare match is sorted (unary + keeps SQLite from walking the ordering index to look for it); a match of
  // much of the table is read in list order until the page is full.
  const plus = searching && !denseMatch(r, total, 'invoices') ? '+' : '';
  const order = sort.map((col) => `${plus}${col} ${dir}`).join(', ');
  const byCustomer = sort[0] === 'c.name COLLATE NOCASE';
  const from = byCustomer ? 'customers c CROSS JOIN invoices i ON i.customer_id = c.id' : 'invoices i';
  const rows = pageOf<InvoiceRow>(
    r,
    `SELECT i.rowid FROM ${from} ${w} ORDER BY ${order} LIMIT ? OFFSET ?`,
    [...params, q.limit, q.offset],
    `${INVOICE_COLUMNS}, i.rowid AS _rid FROM invoices i JOIN customers c ON c.id = i.customer_id
     WHERE i.rowid IN (SELECT value FROM json_each(?))`,
  );
  return { rows: rows.map(toInvoiceView), total };
}

/**
 * Voids an invoice with a credit note: the number stays, the ledger gets a credit of the total, and what
 * was paid on it goes back to the payments as credit (then pays the next open invoice by itself).
 */
export async function voidInvoice(
  c: BillingContext,
  actor: Actor,
  input: { id: string; version: number; reason: string },
): Promise<InvoiceView> {
  const sqlite = c.database.sqlite;
  const now = c.clock.now();
  await c.database.db.transaction().execute(async (trx) => {
    const inv = getInvoice(sqlite, input.id);
    if (!inv) throw new AppError('NOT_FOUND', 'Tagihan tidak ditemukan');
    if (inv.version !== input.version)
      throw new AppError('CONFLICT', 'Tagihan baru saja diubah orang lain. Muat ulang lalu coba lagi.');
    if (inv.status === 'void') throw new AppError('CONFLICT', 'Tagihan ini sudah dibatalkan');
    const released = stmt(
      sqlite,
      'SELECT payment_id AS paymentId, SUM(amount) AS amount FROM payment_allocations WHERE invoice_id = ? GROUP BY payment_id HAVING SUM(amount) > 0',
    ).all(inv.id) as { paymentId: string; amount: number }[];
    for (const r of released) allocate(sqlite, c.ids, now, r.paymentId, inv.id, -r.amount);
    const cn = nextNumber(sqlite, c.store.get().creditNotePattern, c.today());
    stmt(
      sqlite,
      "UPDATE invoices SET status = 'void', voided_at = ?, void_reason = ?, credit_note_number = ?, version = version + 1, updated_at = ? WHERE id = ?",
    ).run(now, input.reason, cn, now, inv.id);
    addLedgerEntry(sqlite, c.ids, {
      customerId: inv.customerId,
      at: now,
      kind: 'credit',
      amount: -inv.total,
      invoiceId: inv.id,
      memo: `${cn} (${inv.number})`,
    });
    applyCredit(sqlite, c.ids, now, inv.customerId);
    await recordChange(trx, c, {
      actor,
      action: 'invoices.void',
      entity: 'invoice',
      entityId: inv.id,
      before: { status: inv.status, paid: inv.paid },
      after: {
        status: 'void',
        creditNote: cn,
        reason: input.reason,
        released: released.reduce((a, r) => a + r.amount, 0),
      },
      op: 'update',
    });
  });
  c.events.emit('billing.changed', { entity: 'invoice', id: input.id });
  const v = getInvoice(sqlite, input.id);
  if (!v) throw new AppError('NOT_FOUND', 'Tagihan tidak ditemukan');
  return v;
}

export { netAllocations };
