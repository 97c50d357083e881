/**
 * The public, in-process API of the billing feature for other features (WhatsApp reminders and receipts,
 * reports, dashboard). Other features receive `BillingApi` as a constructor argument from buildFeatures().
 *
 * Hooks fire AFTER the transaction commits, once per committed change (a rolled-back payment never fires).
 * Listener errors are logged and swallowed: a failing WhatsApp send never undoes a payment.
 */

export type CustomerStatus = 'active' | 'isolated' | 'inactive';
export type InvoiceStatus = 'open' | 'partial' | 'paid' | 'void';

export interface BillingHookEvents {
  /** A new invoice (manual, scheduled run or first invoice of a subscription) was committed. */
  invoiceIssued: { invoiceId: string; customerId: string };
  /** A payment was recorded and allocated; `invoiceIds` are the invoices it (partly) paid, oldest first. */
  paymentRecorded: { paymentId: string; customerId: string; invoiceIds: string[]; receiptToken: string };
  /** A subscription was isolated (profile switched / address list / disabled) — router job enqueued. */
  isolated: { customerId: string; subscriptionId: string };
  /** An isolated subscription was restored (balance settled, exemption, promise to pay, manual). */
  restored: { customerId: string; subscriptionId: string };
}
export type BillingHookName = keyof BillingHookEvents;
export type BillingHookListener<E extends BillingHookName> = (
  payload: BillingHookEvents[E],
) => void | Promise<void>;

export interface BillingHooks {
  /** Subscribe; returns the unsubscribe function. */
  on<E extends BillingHookName>(name: E, listener: BillingHookListener<E>): () => void;
}

export interface BillingCustomerView {
  id: string;
  /** Generated customer code, e.g. `KCB-CKP010225-001`. */
  code: string;
  name: string;
  /** WhatsApp number as digits starting with 62, or null when none is known. */
  phone: string | null;
  whatsappOptOut: boolean;
  status: CustomerStatus;
  /** Area / location name (free text of the customer's location). */
  area: string | null;
  routerId: string | null;
  /** Package of the customer's first active subscription (most customers have one). */
  packageId: string | null;
  packageName: string | null;
  monthlyPrice: number | null;
  /** Ledger balance in rupiah: positive = the customer owes, negative = credit. */
  balance: number;
}

export interface BillingInvoiceView {
  id: string;
  number: string;
  customerId: string;
  subscriptionId: string | null;
  /** Billing period `YYYY-MM` (office time zone). */
  period: string;
  periodStart: string;
  periodEnd: string;
  /** Office-calendar due date `YYYY-MM-DD`. */
  dueDate: string;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  paid: number;
  balanceDue: number;
  status: InvoiceStatus;
  /** Unguessable token of the public invoice page. */
  publicToken: string;
  /** Public LAN link, or null while the LAN listener is not running. */
  url: string | null;
}

export interface ReminderInvoice extends BillingInvoiceView {
  customer: BillingCustomerView;
  /** Due date minus today, in office days: 3 = due in 3 days, 0 = due today, -2 = 2 days overdue. */
  daysUntilDue: number;
}

export interface BillingCustomerFilter {
  search?: string;
  status?: CustomerStatus[];
  area?: string;
  packageId?: string;
  routerId?: string;
  /** Only customers with an open (unpaid or partly paid) invoice for this period (`YYYY-MM`). */
  unpaidPeriod?: string;
  /** Only customers whose ledger balance is above zero. */
  owing?: boolean;
  /** Opted-out customers are left out unless this is true. */
  includeOptedOut?: boolean;
  limit?: number;
  offset?: number;
}

export interface BillingQuery {
  customer(id: string): Promise<BillingCustomerView | null>;
  invoice(id: string): Promise<BillingInvoiceView | null>;
  /** Open (not paid, not void) invoices whose due date is between the two office dates, inclusive. */
  invoicesDueBetween(fromDate: string, toDate: string): Promise<BillingInvoiceView[]>;
  /**
   * Open invoices for reminder runs: those whose due date is exactly `today + d` for one of `offsetsDays`
   * (e.g. [7, 3, 1, 0, -1, -3] = 7/3/1 days before, on the day, 1 and 3 days after). `today` defaults to
   * the office date now. Opted-out customers are left out.
   */
  openInvoicesForReminder(opts: { offsetsDays: number[]; today?: string }): Promise<ReminderInvoice[]>;
  /**
   * Open (not paid, not void) invoices issued at or after `sinceMs` (epoch ms), oldest first — for the
   * WhatsApp invoice-notice catch-up after a restart.
   */
  openInvoicesIssuedSince(sinceMs: number): Promise<BillingInvoiceView[]>;
  /** Public LAN links (null when the listener does not run). */
  receiptUrl(token: string): string | null;
  invoiceUrl(token: string): string | null;
  /** Customers for bulk messaging, e.g. `{ unpaidPeriod: '2026-11' }` = unpaid this month. */
  findCustomers(filter: BillingCustomerFilter): Promise<BillingCustomerView[]>;
}

export interface BillingApi {
  hooks: BillingHooks;
  query: BillingQuery;
}
