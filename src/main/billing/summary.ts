import { addMonths } from '../../shared/billing/periods';
import { officePeriod } from '../../shared/dates';
import type { Reader } from '../db/reader';
import type { BillingContext } from './context';
import { stmt } from './sql';

/** The period and office date a summary is for (worked out on the main thread, which has the clock). */
export function summaryScope(c: BillingContext, period?: string): { period: string; today: string } {
  return { period: period ?? officePeriod(c.clock.now(), c.settings.timeZone), today: c.today() };
}

/**
 * Figures for the invoices page: one period and the 12 months before it (invoiced vs. collected). Sums a year
 * of invoices, so it runs on a read worker in the app.
 */
export function billingSummary(r: Reader, scope: { period: string; today: string }) {
  const p = scope.period;
  const sqlite = r.sqlite;
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
    ).get(scope.today) as { n: number }
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
