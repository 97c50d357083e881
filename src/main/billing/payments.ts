import type { PaymentView } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type BetterSqlite3 from 'better-sqlite3';
import type { Trx } from '../db/database';
import { denseMatch, pageOf, type Reader } from '../db/reader';
import { ftsQuery } from './customers';
import { allocate, applyCredit, netAllocations } from './allocations';
import { AfterCommit, type BillingContext } from './context';
import { addLedgerEntry } from './ledger';
import { nextNumber, stmt } from './sql';

interface PaymentRow {
  id: string;
  receipt_number: string;
  customer_id: string;
  customer_name: string;
  customer_code: string;
  amount: number;
  method: 'cash' | 'transfer';
  reference: string;
  note: string;
  paid_at: number;
  recorded_by_name: string;
  receipt_token: string;
  reversed_at: number | null;
  reverse_reason: string | null;
  version: number;
}

const PAYMENT_COLUMNS = `SELECT p.id, p.receipt_number, p.customer_id, c.name AS customer_name, c.code AS customer_code, p.amount, p.method, p.reference, p.note,
  p.paid_at, p.recorded_by_name, p.receipt_token, p.reversed_at, p.reverse_reason, p.version`;
const PAYMENT_FROM = 'FROM payments p JOIN customers c ON c.id = p.customer_id';
const PAYMENT_SELECT = `${PAYMENT_COLUMNS} ${PAYMENT_FROM}`;

type Allocation = PaymentView['allocations'][number];

/** What each payment paid (positive allocations per invoice, in the order they were made), in one query. */
function allocationsOf(
  sqlite: BetterSqlite3.Database,
  paymentIds: readonly string[],
): Map<string, Allocation[]> {
  const out = new Map<string, Allocation[]>();
  if (paymentIds.length === 0) return out;
  const rows = stmt(
    sqlite,
    `SELECT a.payment_id AS paymentId, a.invoice_id AS invoiceId, i.number AS invoiceNumber, SUM(a.amount) AS amount, MIN(a.at) AS first
     FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id
     WHERE a.payment_id IN (SELECT value FROM json_each(?)) AND a.amount > 0 GROUP BY a.payment_id, a.invoice_id`,
  ).all(JSON.stringify(paymentIds)) as (Allocation & { paymentId: string; first: number })[];
  rows.sort((a, b) => a.first - b.first);
  for (const r of rows) {
    let list = out.get(r.paymentId);
    if (!list) out.set(r.paymentId, (list = []));
    list.push({ invoiceId: r.invoiceId, invoiceNumber: r.invoiceNumber, amount: r.amount });
  }
  return out;
}

function toView(r: PaymentRow, allocations: Allocation[]): PaymentView {
  return {
    id: r.id,
    receiptNumber: r.receipt_number,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerCode: r.customer_code,
    amount: r.amount,
    method: r.method,
    reference: r.reference,
    note: r.note,
    paidAt: r.paid_at,
    recordedBy: r.recorded_by_name,
    receiptToken: r.receipt_token,
    reversed: r.reversed_at !== null,
    reverseReason: r.reverse_reason,
    allocations,
    version: r.version,
  };
}

function withAllocations(sqlite: BetterSqlite3.Database, rows: PaymentRow[]): PaymentView[] {
  const allocs = allocationsOf(
    sqlite,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toView(r, allocs.get(r.id) ?? []));
}

export function getPayment(c: BillingContext, id: string): PaymentView | null {
  const r = stmt(c.database.sqlite, `${PAYMENT_SELECT} WHERE p.id = ?`).get(id) as PaymentRow | undefined;
  return r ? (withAllocations(c.database.sqlite, [r])[0] ?? null) : null;
}

export function paymentByToken(c: BillingContext, token: string): PaymentView | null {
  const r = stmt(c.database.sqlite, `${PAYMENT_SELECT} WHERE p.receipt_token = ?`).get(token) as
    PaymentRow | undefined;
  return r ? (withAllocations(c.database.sqlite, [r])[0] ?? null) : null;
}

export interface PaymentListQuery {
  offset: number;
  limit: number;
  search?: string | undefined;
  customerId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** Payments, newest first (the backward walk of payments_paid_at gives the newest rowid first among ties). */
export function listPayments(r: Reader, q: PaymentListQuery): { rows: PaymentView[]; total: number } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.customerId) {
    where.push('p.customer_id = ?');
    params.push(q.customerId);
  }
  if (q.from !== undefined) {
    where.push('p.paid_at >= ?');
    params.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('p.paid_at < ?');
    params.push(q.to);
  }
  const s = q.search?.trim();
  if (s) {
    // Receipt numbers by their start (KW/2026/11/00042 or KW/2026/11), customers through the full-text index.
    const terms: string[] = [];
    for (const v of new Set([s, s.toUpperCase()])) {
      terms.push('(p.receipt_number >= ? AND p.receipt_number < ?)');
      params.push(v, `${v}\uffff`);
    }
    const fts = ftsQuery(s);
    if (fts) {
      terms.push(
        'p.customer_id IN (SELECT id FROM customers WHERE rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?))',
      );
      params.push(fts);
    }
    where.push(`(${terms.join(' OR ')})`);
  }
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = r.count(`SELECT COUNT(*) AS n FROM payments p ${w}`, params);
  // A rare search match is sorted; a match of much of the table is read newest first until the page is full.
  const plus = s && !denseMatch(r, total, 'payments') ? '+' : '';
  const rows = pageOf<PaymentRow>(
    r,
    `SELECT p.rowid FROM payments p ${w} ORDER BY ${plus}p.paid_at DESC, ${plus}p.rowid DESC LIMIT ? OFFSET ?`,
    [...params, q.limit, q.offset],
    `${PAYMENT_COLUMNS}, p.rowid AS _rid ${PAYMENT_FROM} WHERE p.rowid IN (SELECT value FROM json_each(?))`,
  );
  return { rows: withAllocations(r.sqlite, rows), total };
}

export interface RecordPaymentInput {
  customerId: string;
  amount: number;
  method: 'cash' | 'transfer';
  reference: string;
  note: string;
  invoiceId?: string;
  invoiceVersion?: number;
}

/**
 * Records a payment: ledger entry, receipt number, allocation to open invoices oldest first; what is left
 * stays as credit and pays the next invoice when it is issued. Paying "this invoice" carries the version the
 * cashier saw: a second cashier paying the same invoice gets CONFLICT instead of a double payment.
 */
export async function recordPayment(
  c: BillingContext,
  actor: Actor,
  input: RecordPaymentInput,
  afterAllocate: (customerId: string, trx: Trx) => Promise<void>,
): Promise<PaymentView> {
  const sqlite = c.database.sqlite;
  const now = c.clock.now();
  const id = c.ids();
  const token = c.token();
  const after = new AfterCommit(c.hooks);
  let invoiceIds: string[] = [];
  await c.database.db.transaction().execute(async (trx) => {
    const customer = stmt(sqlite, 'SELECT id FROM customers WHERE id = ?').get(input.customerId);
    if (!customer) throw new AppError('NOT_FOUND', 'Pelanggan tidak ditemukan');
    if (input.invoiceId) {
      const inv = stmt(sqlite, 'SELECT customer_id, status, version FROM invoices WHERE id = ?').get(
        input.invoiceId,
      ) as { customer_id: string; status: string; version: number } | undefined;
      if (!inv || inv.customer_id !== input.customerId)
        throw new AppError('NOT_FOUND', 'Tagihan tidak ditemukan untuk pelanggan ini');
      if (input.invoiceVersion !== undefined && inv.version !== input.invoiceVersion) {
        throw new AppError(
          'CONFLICT',
          'Tagihan ini baru saja diubah (mungkin sudah dibayar kasir lain). Muat ulang lalu periksa.',
          {
            currentVersion: inv.version,
          },
        );
      }
      if (inv.status === 'paid' || inv.status === 'void')
        throw new AppError('CONFLICT', 'Tagihan ini sudah lunas atau dibatalkan');
    }
    const receipt = nextNumber(sqlite, c.store.get().receiptNumberPattern, c.today());
    stmt(
      sqlite,
      `INSERT INTO payments (id, receipt_number, customer_id, amount, method, reference, note, paid_at, recorded_by_id, recorded_by_name, receipt_token,
         unallocated, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1)`,
    ).run(
      id,
      receipt,
      input.customerId,
      input.amount,
      input.method,
      input.reference,
      input.note,
      now,
      actor.userId,
      actor.name,
      token,
      input.amount,
      now,
    );
    addLedgerEntry(sqlite, c.ids, {
      customerId: input.customerId,
      at: now,
      kind: 'payment',
      amount: -input.amount,
      paymentId: id,
      memo: receipt,
    });
    // The invoice the cashier chose is paid first; the rest goes oldest first.
    if (input.invoiceId) {
      const inv = stmt(sqlite, 'SELECT total - paid AS due FROM invoices WHERE id = ?').get(
        input.invoiceId,
      ) as { due: number };
      const take = Math.min(inv.due, input.amount);
      if (take > 0) allocate(sqlite, c.ids, now, id, input.invoiceId, take);
    }
    applyCredit(sqlite, c.ids, now, input.customerId);
    invoiceIds = netAllocations(sqlite, id).map((a) => a.invoiceId);
    await recordChange(trx, c, {
      actor,
      action: 'payments.record',
      entity: 'payment',
      entityId: id,
      after: {
        receipt,
        customerId: input.customerId,
        amount: input.amount,
        method: input.method,
        invoiceIds,
      },
      op: 'insert',
    });
    await afterAllocate(input.customerId, trx);
  });
  after.push({
    name: 'paymentRecorded',
    payload: { paymentId: id, customerId: input.customerId, invoiceIds, receiptToken: token },
  });
  after.flush();
  c.events.emit('billing.changed', { entity: 'payment', id });
  const v = getPayment(c, id);
  if (!v) throw new AppError('INTERNAL', 'Pembayaran hilang setelah disimpan');
  return v;
}

/** A reversing entry: the payment stays on record, its allocations and ledger effect are undone. */
export async function reversePayment(
  c: BillingContext,
  actor: Actor,
  input: { id: string; version: number; reason: string },
  afterAllocate: (customerId: string, trx: Trx) => Promise<void>,
): Promise<PaymentView> {
  const sqlite = c.database.sqlite;
  const now = c.clock.now();
  await c.database.db.transaction().execute(async (trx) => {
    const p = stmt(
      sqlite,
      'SELECT customer_id, amount, receipt_number, reversed_at, version FROM payments WHERE id = ?',
    ).get(input.id) as
      | {
          customer_id: string;
          amount: number;
          receipt_number: string;
          reversed_at: number | null;
          version: number;
        }
      | undefined;
    if (!p) throw new AppError('NOT_FOUND', 'Pembayaran tidak ditemukan');
    if (p.version !== input.version)
      throw new AppError('CONFLICT', 'Pembayaran baru saja diubah orang lain. Muat ulang lalu coba lagi.');
    if (p.reversed_at !== null) throw new AppError('CONFLICT', 'Pembayaran ini sudah dibatalkan');
    for (const a of netAllocations(sqlite, input.id))
      allocate(sqlite, c.ids, now, input.id, a.invoiceId, -a.amount);
    stmt(
      sqlite,
      'UPDATE payments SET reversed_at = ?, reversed_by_name = ?, reverse_reason = ?, unallocated = 0, version = version + 1 WHERE id = ?',
    ).run(now, actor.name, input.reason, input.id);
    addLedgerEntry(sqlite, c.ids, {
      customerId: p.customer_id,
      at: now,
      kind: 'reversal',
      amount: p.amount,
      paymentId: input.id,
      memo: `Koreksi ${p.receipt_number}`,
    });
    await recordChange(trx, c, {
      actor,
      action: 'payments.reverse',
      entity: 'payment',
      entityId: input.id,
      before: { reversed: false },
      after: { reversed: true, reason: input.reason, amount: p.amount },
      op: 'update',
    });
    await afterAllocate(p.customer_id, trx);
  });
  c.events.emit('billing.changed', { entity: 'payment', id: input.id });
  const v = getPayment(c, input.id);
  if (!v) throw new AppError('NOT_FOUND', 'Pembayaran tidak ditemukan');
  return v;
}
