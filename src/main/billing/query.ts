import { addDays, daysBetween } from '../../shared/billing/periods';
import type {
  BillingCustomerFilter,
  BillingCustomerView,
  BillingInvoiceView,
  BillingQuery,
  ReminderInvoice,
} from './api';
import type { BillingContext } from './context';
import { customerWhere } from './customers';
import { getInvoice, invoicesWhere } from './invoices';
import type { InvoiceView } from '../../shared/contract/billing';
import { stmt } from './sql';

const CUSTOMER_SQL = `SELECT cu.id, cu.code, cu.name, cu.phone, cu.whatsapp_opt_out, cu.status, cu.area, cu.router_id,
  p.id AS package_id, p.name AS package_name, p.price AS price,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries l WHERE l.customer_id = cu.id) AS balance
  FROM customers cu
  LEFT JOIN subscriptions s ON s.id = (SELECT id FROM subscriptions WHERE customer_id = cu.id AND status <> 'inactive' ORDER BY created_at LIMIT 1)
  LEFT JOIN packages p ON p.id = s.package_id`;

interface CustomerSqlRow {
  id: string;
  code: string;
  name: string;
  phone: string | null;
  whatsapp_opt_out: number;
  status: BillingCustomerView['status'];
  area: string;
  router_id: string | null;
  package_id: string | null;
  package_name: string | null;
  price: number | null;
  balance: number;
}

const toCustomer = (r: CustomerSqlRow): BillingCustomerView => ({
  id: r.id,
  code: r.code,
  name: r.name,
  phone: r.phone,
  whatsappOptOut: r.whatsapp_opt_out === 1,
  status: r.status,
  area: r.area || null,
  routerId: r.router_id,
  packageId: r.package_id,
  packageName: r.package_name,
  monthlyPrice: r.price,
  balance: r.balance,
});

/** The read API other features use (WhatsApp reminders, receipts, bulk messages). */
export function createQuery(c: BillingContext): BillingQuery {
  const url = (path: string) => {
    const base = c.lanUrl();
    return base ? `${base}${path}` : null;
  };
  const withUrl = (v: InvoiceView): BillingInvoiceView => ({
    id: v.id,
    number: v.number,
    customerId: v.customerId,
    subscriptionId: v.subscriptionId,
    period: v.period,
    periodStart: v.periodStart,
    periodEnd: v.periodEnd,
    dueDate: v.dueDate,
    subtotal: v.subtotal,
    discount: v.discount,
    tax: v.tax,
    total: v.total,
    paid: v.paid,
    balanceDue: v.balanceDue,
    status: v.status,
    publicToken: v.publicToken,
    url: url(`/invoice/${v.publicToken}`),
  });
  const customer = async (id: string) => {
    const r = stmt(c.database.sqlite, `${CUSTOMER_SQL} WHERE cu.id = ?`).get(id) as
      CustomerSqlRow | undefined;
    return r ? toCustomer(r) : null;
  };
  return {
    customer,
    async invoice(id) {
      const v = getInvoice(c.database.sqlite, id);
      return v ? withUrl(v) : null;
    },
    async invoicesDueBetween(fromDate, toDate) {
      return invoicesWhere(
        c.database.sqlite,
        "i.status IN ('open','partial') AND i.due_date BETWEEN ? AND ?",
        [fromDate, toDate],
        'ORDER BY i.due_date, i.number',
      ).map(withUrl);
    },
    async openInvoicesForReminder({ offsetsDays, today }) {
      const day = today ?? c.today();
      const dates = [...new Set(offsetsDays.map((d) => addDays(day, d)))];
      if (dates.length === 0) return [];
      const rows = invoicesWhere(
        c.database.sqlite,
        `i.status IN ('open','partial') AND i.due_date IN (${dates.map(() => '?').join(',')}) AND c.whatsapp_opt_out = 0`,
        dates,
        'ORDER BY i.due_date, i.number',
      );
      const out: ReminderInvoice[] = [];
      for (const v of rows) {
        const cust = await customer(v.customerId);
        if (cust) out.push({ ...withUrl(v), customer: cust, daysUntilDue: daysBetween(day, v.dueDate) });
      }
      return out;
    },
    async openInvoicesIssuedSince(sinceMs) {
      return invoicesWhere(
        c.database.sqlite,
        "i.issued_at >= ? AND i.status IN ('open','partial')",
        [sinceMs],
        'ORDER BY i.issued_at, i.number',
      ).map(withUrl);
    },
    receiptUrl: (token) => url(`/receipt/${token}`),
    invoiceUrl: (token) => url(`/invoice/${token}`),
    async findCustomers(f: BillingCustomerFilter) {
      const { where, params } = customerWhere({
        offset: 0,
        limit: 0,
        ...(f.search !== undefined ? { search: f.search } : {}),
        ...(f.area !== undefined ? { area: f.area } : {}),
        ...(f.packageId !== undefined ? { packageId: f.packageId } : {}),
        ...(f.routerId !== undefined ? { routerId: f.routerId } : {}),
        ...(f.unpaidPeriod !== undefined ? { unpaidPeriod: f.unpaidPeriod } : {}),
        ...(f.owing !== undefined ? { owing: f.owing } : {}),
        includeOptedOut: f.includeOptedOut ?? false,
      });
      const statuses = f.status?.length ? ` AND cu.status IN (${f.status.map(() => '?').join(',')})` : '';
      const rows = c.database.sqlite
        .prepare(`${CUSTOMER_SQL} WHERE ${where}${statuses} ORDER BY cu.name COLLATE NOCASE LIMIT ? OFFSET ?`)
        .all(...params, ...(f.status ?? []), f.limit ?? 100_000, f.offset ?? 0) as CustomerSqlRow[];
      return rows.map(toCustomer);
    },
  };
}
