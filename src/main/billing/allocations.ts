import type BetterSqlite3 from 'better-sqlite3';
import type { IdGen } from '../lib/ids';
import { stmt } from './sql';

export function statusOf(total: number, paid: number): 'open' | 'partial' | 'paid' {
  if (paid >= total) return 'paid';
  return paid > 0 ? 'partial' : 'open';
}

/** Adds `amount` (may be negative) to an invoice's allocations and refreshes its cached paid/status. */
export function allocate(
  sqlite: BetterSqlite3.Database,
  ids: IdGen,
  at: number,
  paymentId: string,
  invoiceId: string,
  amount: number,
): void {
  stmt(
    sqlite,
    'INSERT INTO payment_allocations (id, payment_id, invoice_id, amount, at) VALUES (?,?,?,?,?)',
  ).run(ids(), paymentId, invoiceId, amount, at);
  const inv = stmt(sqlite, 'SELECT total, paid, status FROM invoices WHERE id = ?').get(invoiceId) as {
    total: number;
    paid: number;
    status: string;
  };
  const paid = inv.paid + amount;
  const status = inv.status === 'void' ? 'void' : statusOf(inv.total, paid);
  stmt(
    sqlite,
    'UPDATE invoices SET paid = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?',
  ).run(paid, status, at, invoiceId);
  stmt(sqlite, 'UPDATE payments SET unallocated = unallocated - ? WHERE id = ?').run(amount, paymentId);
}

/**
 * Applies a customer's unallocated payments (credit) to their open invoices, oldest payment to oldest
 * invoice first. Returns, per payment, the invoices it paid. Cheap when there is no credit (a partial
 * index holds only payments with something left).
 */
export function applyCredit(
  sqlite: BetterSqlite3.Database,
  ids: IdGen,
  at: number,
  customerId: string,
): Map<string, string[]> {
  const touched = new Map<string, string[]>();
  const credits = stmt(
    sqlite,
    'SELECT id, unallocated FROM payments WHERE customer_id = ? AND unallocated > 0 ORDER BY paid_at, rowid',
  ).all(customerId) as {
    id: string;
    unallocated: number;
  }[];
  if (credits.length === 0) return touched;
  const open = stmt(
    sqlite,
    "SELECT id, total - paid AS due FROM invoices WHERE customer_id = ? AND status IN ('open','partial') ORDER BY due_date, issued_at, number",
  ).all(customerId) as { id: string; due: number }[];
  let i = 0;
  for (const c of credits) {
    let rem = c.unallocated;
    while (rem > 0 && i < open.length) {
      const inv = open[i];
      if (!inv) break;
      const take = Math.min(rem, inv.due);
      if (take > 0) {
        allocate(sqlite, ids, at, c.id, inv.id, take);
        rem -= take;
        inv.due -= take;
        const list = touched.get(c.id) ?? [];
        list.push(inv.id);
        touched.set(c.id, list);
      }
      if (inv.due <= 0) i++;
    }
    if (i >= open.length) break;
  }
  return touched;
}

/** Net allocations of one payment per invoice (after reversals/voids). */
export function netAllocations(
  sqlite: BetterSqlite3.Database,
  paymentId: string,
): { invoiceId: string; amount: number }[] {
  return stmt(
    sqlite,
    'SELECT invoice_id AS invoiceId, SUM(amount) AS amount FROM payment_allocations WHERE payment_id = ? GROUP BY invoice_id HAVING SUM(amount) <> 0 ORDER BY MIN(at)',
  ).all(paymentId) as { invoiceId: string; amount: number }[];
}
