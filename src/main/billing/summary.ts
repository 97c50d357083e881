import { addMonths } from '../../shared/billing/periods';
import { officePeriod } from '../../shared/dates';
import type { BillingContext } from './context';
import { stmt } from './sql';

/** Figures for the invoices page: one period and the 12 months before it (invoiced vs. collected). */
export function billingSummary(c: BillingContext, period?: string) {
  const p = period ?? officePeriod(c.clock.now(), c.settings.timeZone);
  const sqlite = c.database.sqlite;
  const count = (status: string) =>
    (stmt(sqlite, 'SELECT COUNT(*) AS n FROM customers WHERE status = ?').get(status) as { n: number }).n;
  const from = addMonths(p, -11);
  const rows = stmt(
    sqlite,
    "SELECT period, SUM(total) AS invoiced, SUM(paid) AS collected FROM invoices WHERE status <> 'void' AND period BETWEEN ? AND ? GROUP BY period",
  ).all(from, p) as { period: string; invoiced: number; collected: number }[];
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const months = Array.from({ length: 12 }, (_, i) => {
    const m = addMonths(from, i);
    const r = byPeriod.get(m);
    return { period: m, invoiced: r?.invoiced ?? 0, collected: r?.collected ?? 0 };
  });
  const cur = byPeriod.get(p);
  const overdue = (
    stmt(
      sqlite,
      "SELECT COUNT(*) AS n FROM invoices WHERE status IN ('open','partial') AND due_date < ?",
    ).get(c.today()) as { n: number }
  ).n;
  return {
    period: p,
    activeCustomers: count('active'),
    isolatedCustomers: count('isolated'),
    invoiced: cur?.invoiced ?? 0,
    collected: cur?.collected ?? 0,
    outstanding: (cur?.invoiced ?? 0) - (cur?.collected ?? 0),
    overdueInvoices: overdue,
    months,
  };
}
