import type {
  BillingApi,
  BillingCustomerView,
  BillingHookEvents,
  BillingHookListener,
  BillingHookName,
  BillingInvoiceView,
  ReminderInvoice,
} from '../../src/main/billing/api';
import { startOfOfficeDay } from '../../src/shared/dates';

/** An in-memory billing API for exercising the WhatsApp triggers without the billing feature. */
export class FakeBilling implements BillingApi {
  readonly customers = new Map<string, BillingCustomerView>();
  readonly invoices = new Map<string, BillingInvoiceView>();
  private readonly listeners = new Map<string, Set<(p: never) => void | Promise<void>>>();
  today = '2026-11-23';

  hooks = {
    on: <E extends BillingHookName>(name: E, listener: BillingHookListener<E>) => {
      const set = this.listeners.get(name) ?? new Set();
      set.add(listener as (p: never) => void);
      this.listeners.set(name, set);
      return () => set.delete(listener as (p: never) => void);
    },
  };

  async fire<E extends BillingHookName>(name: E, payload: BillingHookEvents[E]): Promise<void> {
    for (const l of this.listeners.get(name) ?? []) await (l as BillingHookListener<E>)(payload);
  }

  addCustomer(c: Partial<BillingCustomerView> & { id: string; name: string }): BillingCustomerView {
    const full: BillingCustomerView = {
      code: `RTN-${c.id.slice(-4)}`,
      phone: '6281234567890',
      whatsappOptOut: false,
      status: 'active',
      area: 'Sukamaju',
      routerId: null,
      packageId: 'p1',
      packageName: 'Paket 20 Mbps',
      monthlyPrice: 150000,
      balance: 150000,
      ...c,
    };
    this.customers.set(full.id, full);
    return full;
  }

  addInvoice(
    i: Partial<BillingInvoiceView> & { id: string; customerId: string; dueDate: string },
  ): BillingInvoiceView {
    const full: BillingInvoiceView = {
      number: `INV/2026/11/${i.id.slice(-4)}`,
      subscriptionId: 's1',
      period: '2026-12',
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      subtotal: 150000,
      discount: 0,
      tax: 0,
      total: 150000,
      paid: 0,
      balanceDue: 150000,
      status: 'open',
      publicToken: `tok${i.id}`,
      url: `http://192.168.1.10:3210/i/tok${i.id}`,
      ...i,
    };
    this.invoices.set(full.id, full);
    return full;
  }

  query = {
    customer: async (id: string) => this.customers.get(id) ?? null,
    invoice: async (id: string) => this.invoices.get(id) ?? null,
    invoicesDueBetween: async (from: string, to: string) =>
      [...this.invoices.values()].filter(
        (i) => i.status !== 'paid' && i.status !== 'void' && i.dueDate >= from && i.dueDate <= to,
      ),
    openInvoicesForReminder: async (opts: {
      offsetsDays: number[];
      today?: string;
    }): Promise<ReminderInvoice[]> => {
      const today = opts.today ?? this.today;
      const out: ReminderInvoice[] = [];
      for (const inv of this.invoices.values()) {
        if (inv.status === 'paid' || inv.status === 'void') continue;
        const days = Math.round(
          (startOfOfficeDay(inv.dueDate, 'Asia/Jakarta') - startOfOfficeDay(today, 'Asia/Jakarta')) /
            86_400_000,
        );
        const customer = this.customers.get(inv.customerId);
        if (!customer || customer.whatsappOptOut || !opts.offsetsDays.includes(days)) continue;
        out.push({ ...inv, customer, daysUntilDue: days });
      }
      return out;
    },
    openInvoicesIssuedSince: async (_sinceMs: number): Promise<BillingInvoiceView[]> => [],
    receiptUrl: (token: string) => `http://192.168.1.10:3210/r/${token}`,
    invoiceUrl: (token: string) => `http://192.168.1.10:3210/i/${token}`,
    findCustomers: async (f: { unpaidPeriod?: string; includeOptedOut?: boolean }) =>
      [...this.customers.values()].filter(
        (c) =>
          (f.includeOptedOut || !c.whatsappOptOut) &&
          (!f.unpaidPeriod ||
            [...this.invoices.values()].some(
              (i) => i.customerId === c.id && i.period === f.unpaidPeriod && i.status !== 'paid',
            )),
      ),
  };
}
