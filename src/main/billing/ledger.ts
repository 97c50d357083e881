import type BetterSqlite3 from 'better-sqlite3';
import type { IdGen } from '../lib/ids';
import { stmt } from './sql';

/**
 * The ledger is the source of truth for balances. Amounts are signed: a charge (invoice) is positive, a
 * payment or credit note negative, a reversal undoes a payment. Balance > 0: the customer owes; < 0: credit.
 */
export type LedgerKind = 'charge' | 'payment' | 'credit' | 'reversal';

export interface LedgerEntry {
  customerId: string;
  at: number;
  kind: LedgerKind;
  amount: number;
  invoiceId?: string | null;
  paymentId?: string | null;
  memo?: string;
}

export function addLedgerEntry(sqlite: BetterSqlite3.Database, ids: IdGen, e: LedgerEntry): void {
  stmt(
    sqlite,
    'INSERT INTO ledger_entries (id, customer_id, at, kind, amount, invoice_id, payment_id, memo) VALUES (?,?,?,?,?,?,?,?)',
  ).run(ids(), e.customerId, e.at, e.kind, e.amount, e.invoiceId ?? null, e.paymentId ?? null, e.memo ?? '');
}

/** A customer's balance from the ledger (a covering index makes this a short range scan). */
export function ledgerBalance(sqlite: BetterSqlite3.Database, customerId: string): number {
  const row = stmt(
    sqlite,
    'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entries WHERE customer_id = ?',
  ).get(customerId) as { b: number };
  return row.b;
}

export interface LedgerRow {
  id: string;
  at: number;
  kind: LedgerKind;
  amount: number;
  memo: string;
  invoiceId: string | null;
  paymentId: string | null;
  runningBalance: number;
}

export function ledgerEntries(sqlite: BetterSqlite3.Database, customerId: string): LedgerRow[] {
  const rows = stmt(
    sqlite,
    'SELECT id, at, kind, amount, memo, invoice_id, payment_id FROM ledger_entries WHERE customer_id = ? ORDER BY at, rowid',
  ).all(customerId) as {
    id: string;
    at: number;
    kind: LedgerKind;
    amount: number;
    memo: string;
    invoice_id: string | null;
    payment_id: string | null;
  }[];
  let running = 0;
  return rows.map((r) => {
    running += r.amount;
    return {
      id: r.id,
      at: r.at,
      kind: r.kind,
      amount: r.amount,
      memo: r.memo,
      invoiceId: r.invoice_id,
      paymentId: r.payment_id,
      runningBalance: running,
    };
  });
}
