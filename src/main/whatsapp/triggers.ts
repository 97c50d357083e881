import { Cron } from 'croner';
import { daysBetween } from '../../shared/billing/periods';
import { officeDate } from '../../shared/dates';
import { formatRupiah } from '../../shared/money';
import type { MessageKind } from '../../shared/contract/whatsapp';
import { OfficeTime, hhmmToMinutes } from '../../shared/whatsapp/pacing';
import { dueStatusText, type TemplateValues } from '../../shared/whatsapp/templates';
import type { BillingApi, BillingCustomerView, BillingInvoiceView } from '../billing/api';
import type { FeatureBase } from '../feature';
import type { MessageQueue, NewMessage } from './queue';
import type { WhatsappService } from './service';
import type { WaSettingsStore } from './settings';
import type { TemplateStore } from './templates';
import { customerValues, dateText, keywordValues, officeValues, periodText } from './values';

type HookItem =
  | { kind: 'invoiceIssued'; invoiceId: string; customerId: string }
  | {
      kind: 'paymentRecorded';
      paymentId: string;
      customerId: string;
      invoiceIds: string[];
      receiptToken: string;
    }
  | { kind: 'isolated' | 'restored'; customerId: string; subscriptionId: string };

/** Invoices issued this long ago are still noticed by the start-up catch-up (see `catchUpInvoiceNotices`). */
const INVOICE_CATCH_UP_MS = 24 * 3_600_000;

/**
 * Billing events → messages. Every trigger carries a dedupe key, so a hook delivered twice or a reminder run
 * repeated after a restart never queues a second message. Opted-out customers and those without a number
 * are skipped; a disabled template or trigger sends nothing.
 *
 * Hooks are not handled one by one as billing fires them: a monthly run fires 20,000 `invoiceIssued` hooks
 * right after its commit, and rendering + queueing each on its own (template and settings lookups, date
 * formatting, one queue transaction and one pacing plan per message) doubled the run's time. The listeners
 * only buffer; one flush per turn of the event loop (`setImmediate`) renders the buffered invoices with the
 * template, settings and date texts looked up once and queues them in ONE transaction with one pacing plan.
 *
 * Why buffer in memory instead of persisting the pending notices inside billing's transaction: that would
 * make billing write WhatsApp's tables (or WhatsApp reach into billing's transaction), coupling the two
 * features for a window of one event-loop turn. Instead the few things that can be lost are caught up:
 * if Rukun dies between billing's commit and the flush, `catchUpInvoiceNotices` (at start-up) queues the
 * notice of every open invoice issued in the last 24 hours that has none yet — the dedupe key
 * `invoice_issued:<invoice>` makes it a no-op for those already queued — and the daily reminders cover
 * the due dates as before. Receipts and isolation notices are sent at once and are not caught up (the
 * window is one event-loop turn, as it was when they were handled inline after the commit).
 */
export class Triggers {
  private readonly unsubscribe: (() => void)[] = [];
  private cron: Cron | null = null;
  private plannedZone: string | null = null;
  private buffer: HookItem[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly base: FeatureBase,
    private readonly billing: BillingApi,
    private readonly settings: WaSettingsStore,
    private readonly templates: TemplateStore,
    private readonly service: WhatsappService,
    private readonly queue: MessageQueue,
  ) {}

  start(): void {
    this.stopped = false;
    const h = this.billing.hooks;
    this.unsubscribe.push(
      h.on('invoiceIssued', (p) => this.collect({ kind: 'invoiceIssued', ...p })),
      h.on('paymentRecorded', (p) => this.collect({ kind: 'paymentRecorded', ...p })),
      h.on('isolated', (p) => this.collect({ kind: 'isolated', ...p })),
      h.on('restored', (p) => this.collect({ kind: 'restored', ...p })),
    );
    // The reminder time is in office time: follow a change of the office time zone.
    this.unsubscribe.push(
      this.base.events.subscribe((msg) => {
        if (msg.name === 'settings.changed') this.followTimeZone();
      }),
    );
    this.scheduleReminders();
    this.catchUpReminders();
    void this.catchUpInvoiceNotices().catch((e: unknown) =>
      this.base.log.error('invoice notice catch-up failed', {
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  }

  private collect(item: HookItem): void {
    // The trigger switch counts as it was when billing fired the hook (the settings are cached: cheap per hook).
    const t = this.settings.get().settings.triggers;
    const on = {
      invoiceIssued: t.invoiceIssued,
      paymentRecorded: t.receipt,
      isolated: t.isolation,
      restored: t.restore,
    }[item.kind];
    if (!on) return;
    this.buffer.push(item);
    if (this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      void this.flush();
    });
  }

  /**
   * Handles every buffered hook (in order) and resolves when they are queued. Tests and callers that need
   * the messages queued now await this instead of waiting a turn of the event loop.
   */
  flush(): Promise<void> {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = null;
    }
    // Serialised: a flush never overlaps the previous one (both would plan paced send times).
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const items = this.buffer.splice(0);
      let i = 0;
      while (i < items.length) {
        const item = items[i];
        if (!item) break;
        if (item.kind === 'invoiceIssued') {
          // Consecutive invoice notices form one batch.
          let j = i;
          const batch: { invoiceId: string; customerId: string }[] = [];
          for (let it = items[j]; it?.kind === 'invoiceIssued'; it = items[++j]) batch.push(it);
          await this.guard('invoiceIssued', () => this.onInvoicesIssued(batch));
          i = j;
          continue;
        }
        if (item.kind === 'paymentRecorded') await this.guard(item.kind, () => this.onPayment(item));
        else
          await this.guard(item.kind, () =>
            this.onIsolation(
              item.kind === 'isolated' ? 'isolation' : 'restore',
              item.customerId,
              item.subscriptionId,
            ),
          );
        i += 1;
      }
    }
  }

  private async guard(name: string, fn: () => Promise<unknown>): Promise<void> {
    if (this.stopped) return;
    try {
      await fn();
    } catch (e) {
      this.base.log.error('whatsapp trigger failed', {
        trigger: name,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  /**
   * At start-up: notices of open invoices issued in the last 24 hours that never got one (Rukun stopped
   * between billing's commit and the flush). Invoices whose notice was queued, sent or cancelled keep it.
   */
  async catchUpInvoiceNotices(): Promise<number> {
    if (!this.settings.get().settings.triggers.invoiceIssued || !this.enabled('invoice_issued')) return 0;
    const since = this.base.clock.now() - INVOICE_CATCH_UP_MS;
    const issued = await this.billing.query.openInvoicesIssuedSince(since);
    const has = this.base.database.sqlite.prepare('SELECT 1 FROM wa_messages WHERE dedupe_key = ?').pluck();
    const missing = issued.filter((i) => !has.get(`invoice_issued:${i.id}`));
    if (missing.length === 0) return 0;
    return this.onInvoicesIssued(
      missing.map((i) => ({ invoiceId: i.id, customerId: i.customerId })),
      new Map(missing.map((i) => [i.id, i])),
    );
  }

  /**
   * An office PC is often switched on after the reminder time: run today's reminders at start-up when the
   * time has passed (the per-day dedupe key makes a second run queue nothing).
   */
  catchUpReminders(): void {
    const tz = this.base.settings.timeZone;
    const minute = new OfficeTime(tz).minuteOfDay(this.base.clock.now());
    if (minute < hhmmToMinutes(this.settings.get().settings.triggers.reminderTime)) return;
    void this.runReminders().catch((e: unknown) =>
      this.base.log.error('reminder catch-up failed', { error: e instanceof Error ? e.message : String(e) }),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    // What is still buffered is dropped: the start-up catch-up queues those invoice notices.
    this.buffer = [];
    this.cron?.stop();
    this.cron = null;
  }

  /** (Re)plans the daily reminder run at the configured office time, in the office time zone. */
  scheduleReminders(): void {
    this.cron?.stop();
    this.plannedZone = this.base.settings.timeZone;
    const [hh, mm] = this.settings.get().settings.triggers.reminderTime.split(':');
    this.cron = new Cron(
      `${Number(mm)} ${Number(hh)} * * *`,
      { timezone: this.base.settings.timeZone, protect: true, unref: true },
      () => {
        void this.runReminders().catch((e: unknown) =>
          this.base.log.error('reminder run failed', { error: e instanceof Error ? e.message : String(e) }),
        );
      },
    );
  }

  /** Re-plans the reminder run when the office time zone changed since it was planned. */
  followTimeZone(): void {
    if (this.cron && this.plannedZone !== this.base.settings.timeZone) this.scheduleReminders();
  }

  /** The next planned reminder run after the clock's now (epoch ms), or null when none is planned. */
  nextReminderRun(): number | null {
    return this.cron?.nextRun(new Date(this.base.clock.now()))?.getTime() ?? null;
  }

  private enabled(kind: MessageKind): string | null {
    const t = this.templates.get(kind);
    return t.enabled ? t.body : null;
  }

  private reachable(c: BillingCustomerView | null): c is BillingCustomerView & { phone: string } {
    return Boolean(c && c.phone && !c.whatsappOptOut);
  }

  private push(msg: NewMessage, priority: 'immediate' | 'paced'): void {
    const res = this.queue.enqueue([msg], { priority });
    if (res.ids.length > 0) this.queue.kick();
  }

  /** One invoice notice (the hook path batches them; see `onInvoicesIssued`). */
  async onInvoiceIssued(invoiceId: string, customerId: string): Promise<void> {
    await this.onInvoicesIssued([{ invoiceId, customerId }]);
  }

  /**
   * Invoice notices for a batch of issued invoices: template, settings and office values looked up once,
   * period/date texts cached per batch, every message queued in one transaction with one pacing plan.
   * `known` may carry invoice views the caller already has. Returns how many were queued.
   */
  async onInvoicesIssued(
    items: { invoiceId: string; customerId: string }[],
    known?: Map<string, BillingInvoiceView>,
  ): Promise<number> {
    const body = this.enabled('invoice_issued');
    if (!this.settings.get().settings.triggers.invoiceIssued || !body || items.length === 0) return 0;
    const tz = this.base.settings.timeZone;
    const today = officeDate(this.base.clock.now(), tz);
    const office = {
      ...officeValues(await this.base.settings.get()),
      ...keywordValues(this.settings.get().settings),
    };
    // Already queued (a hook delivered twice, the catch-up): skipped before rendering, so no pacing slot is
    // spent on them. One statement for the whole batch.
    const queued = new Set(
      this.base.database.sqlite
        .prepare('SELECT dedupe_key FROM wa_messages WHERE dedupe_key IN (SELECT value FROM json_each(?))')
        .pluck()
        .all(JSON.stringify(items.map((i) => `invoice_issued:${i.invoiceId}`))) as string[],
    );
    const periods = new Map<string, string>();
    const dates = new Map<string, string>();
    const memo = (m: Map<string, string>, k: string, f: (k: string) => string) => {
      let v = m.get(k);
      if (v === undefined) m.set(k, (v = f(k)));
      return v;
    };
    const customers = new Map<string, BillingCustomerView | null>();
    const messages: NewMessage[] = [];
    for (const { invoiceId, customerId } of items) {
      const dedupeKey = `invoice_issued:${invoiceId}`;
      if (queued.has(dedupeKey)) continue;
      let customer = customers.get(customerId);
      if (customer === undefined)
        customers.set(customerId, (customer = await this.billing.query.customer(customerId)));
      if (!this.reachable(customer)) continue;
      const inv = known?.get(invoiceId) ?? (await this.billing.query.invoice(invoiceId));
      if (!inv) continue;
      const values: TemplateValues = {
        ...office,
        ...customerValues(customer),
        periode: memo(periods, inv.period, (p) => periodText(p, tz)),
        no_tagihan: inv.number,
        total: formatRupiah(inv.balanceDue > 0 ? inv.balanceDue : inv.total),
        jatuh_tempo: memo(dates, inv.dueDate, (d) => dateText(d, tz)),
        link_bayar: inv.url ?? '',
        status_jatuh_tempo: dueStatusText(daysBetween(today, inv.dueDate)),
      };
      messages.push({
        kind: 'invoice_issued',
        phone: customer.phone,
        body: this.templates.render(body, values),
        customerId,
        customerName: customer.name,
        invoiceId,
        dedupeKey,
      });
    }
    if (messages.length === 0) return 0;
    const res = this.queue.enqueue(messages, { priority: 'paced' });
    if (res.ids.length > 0) this.queue.kick();
    return res.ids.length;
  }

  async onPayment(p: {
    paymentId: string;
    customerId: string;
    invoiceIds: string[];
    receiptToken: string;
  }): Promise<void> {
    const body = this.enabled('receipt');
    if (!this.settings.get().settings.triggers.receipt || !body) return;
    const customer = await this.billing.query.customer(p.customerId);
    if (!this.reachable(customer)) return;
    const first = p.invoiceIds[0] ?? null;
    const values: TemplateValues = await this.service.valuesOf(customer, first);
    const paid = await this.payment(p.paymentId, p.invoiceIds);
    const tz = this.base.settings.timeZone;
    values.jumlah_bayar = paid.amount === null ? values.total : formatRupiah(paid.amount);
    values.tanggal_bayar = dateText(officeDate(paid.paidAt ?? this.base.clock.now(), tz), tz);
    values.link_nota = this.billing.query.receiptUrl(p.receiptToken) ?? '';
    this.push(
      {
        kind: 'receipt',
        phone: customer.phone,
        body: this.templates.render(body, values),
        customerId: customer.id,
        customerName: customer.name,
        invoiceId: first,
        dedupeKey: `receipt:${p.paymentId}`,
      },
      'immediate',
    );
  }

  /**
   * The paid amount and date. Billing's query API has no payment lookup, so this reads billing's `payments`
   * table directly (amount, paid_at), else falls back to what the invoices show as paid.
   */
  private async payment(
    paymentId: string,
    invoiceIds: string[],
  ): Promise<{ amount: number | null; paidAt: number | null }> {
    try {
      const row = this.base.database.sqlite
        .prepare('SELECT amount, paid_at FROM payments WHERE id = ?')
        .get(paymentId) as { amount?: number; paid_at?: number } | undefined;
      if (row && typeof row.amount === 'number') return { amount: row.amount, paidAt: row.paid_at ?? null };
    } catch {
      // No such table/column in this build: fall back below.
    }
    let paid = 0;
    for (const id of invoiceIds) paid += (await this.billing.query.invoice(id))?.paid ?? 0;
    return { amount: paid > 0 ? paid : null, paidAt: null };
  }

  async onIsolation(
    kind: 'isolation' | 'restore',
    customerId: string,
    subscriptionId: string,
  ): Promise<void> {
    const body = this.enabled(kind);
    const t = this.settings.get().settings.triggers;
    if (!body || !(kind === 'isolation' ? t.isolation : t.restore)) return;
    const customer = await this.billing.query.customer(customerId);
    if (!this.reachable(customer)) return;
    const values = await this.service.valuesOf(customer, null);
    const day = officeDate(this.base.clock.now(), this.base.settings.timeZone);
    this.push(
      {
        kind,
        phone: customer.phone,
        body: this.templates.render(body, values),
        customerId,
        customerName: customer.name,
        dedupeKey: `${kind}:${subscriptionId}:${day}`,
      },
      'immediate',
    );
  }

  /**
   * Queues today's reminders: open invoices due N days from today (before), today, and N days ago (after).
   * Safe to run more than once a day: the key `reminder:<invoice>:<days until due>` is unique.
   */
  async runReminders(today?: string): Promise<{ queued: number; duplicates: number }> {
    const body = this.enabled('reminder');
    const t = this.settings.get().settings.triggers;
    if (!body) return { queued: 0, duplicates: 0 };
    const offsets = [
      ...t.reminderDaysBefore,
      ...(t.reminderOnDue ? [0] : []),
      ...t.reminderDaysAfter.map((d) => -d),
    ];
    if (offsets.length === 0) return { queued: 0, duplicates: 0 };
    const invoices = await this.billing.query.openInvoicesForReminder({
      offsetsDays: offsets,
      ...(today ? { today } : {}),
    });
    const tz = this.base.settings.timeZone;
    const day = today ?? officeDate(this.base.clock.now(), tz);
    const messages: NewMessage[] = [];
    for (const inv of invoices) {
      if (!this.reachable(inv.customer)) continue;
      const values = await this.service.valuesOf(inv.customer, null, new Map([[inv.customerId, inv]]));
      values.status_jatuh_tempo = dueStatusText(inv.daysUntilDue);
      messages.push({
        kind: 'reminder',
        phone: inv.customer.phone,
        body: this.templates.render(body, values),
        customerId: inv.customerId,
        customerName: inv.customer.name,
        invoiceId: inv.id,
        dedupeKey: `reminder:${inv.id}:${inv.daysUntilDue}:${day}`,
      });
    }
    const res = this.queue.enqueue(messages, { priority: 'paced' });
    if (res.ids.length > 0) this.queue.kick();
    return { queued: res.ids.length, duplicates: res.duplicates };
  }
}
