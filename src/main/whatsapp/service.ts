import { AppError } from '../../shared/contract/errors';
import type { MethodOutput, MethodParsedInput } from '../../shared/contract/index';
import type { MessageKind, MessageRow } from '../../shared/contract/whatsapp';
import { officeDate, officePeriod } from '../../shared/dates';
import { normalizePhone } from '../../shared/phone';
import { SAMPLE_VALUES, unknownVariables, type TemplateValues } from '../../shared/whatsapp/templates';
import { recordChange } from '../audit';
import type { BillingApi, BillingCustomerView, BillingInvoiceView } from '../billing/api';
import type { Actor } from '../context';
import type { FeatureBase } from '../feature';
import type { Messenger } from './messenger';
import { toMessageRow, type MessageQueue, type NewMessage } from './queue';
import type { WaMessagesTable } from './schema';
import type { WaSettingsStore } from './settings';
import type { TemplateStore } from './templates';
import { customerValues, invoiceValues, keywordValues, officeValues, periodText } from './values';

type In<M extends 'whatsapp.send' | 'whatsapp.bulk.send' | 'whatsapp.messages.list' | 'whatsapp.preview'> =
  MethodParsedInput<M>;

/** Operator actions: preview, manual and bulk sending, the message log, retry/cancel/mark sent. */
export class WhatsappService {
  constructor(
    private readonly base: FeatureBase,
    private readonly billing: BillingApi | null,
    private readonly templates: TemplateStore,
    private readonly queue: MessageQueue,
    private readonly messenger: () => Messenger,
    private readonly settings: WaSettingsStore,
  ) {}

  /** Office name, bank accounts, phone and the reply keywords: what every text may use. */
  private async commonValues(): Promise<TemplateValues> {
    return {
      ...officeValues(await this.base.settings.get()),
      ...keywordValues(this.settings.get().settings),
    };
  }

  private get sqlite() {
    return this.base.database.sqlite;
  }

  /** Oldest open invoice per customer (for texts sent without a specific invoice), loaded once per operation. */
  private async openInvoicesByCustomer(): Promise<Map<string, BillingInvoiceView>> {
    const map = new Map<string, BillingInvoiceView>();
    if (!this.billing) return map;
    const open = await this.billing.query.invoicesDueBetween('2000-01-01', '2999-12-31');
    for (const inv of [...open].sort((a, b) => a.dueDate.localeCompare(b.dueDate))) {
      if (!map.has(inv.customerId)) map.set(inv.customerId, inv);
    }
    return map;
  }

  /** Everything a template can say about a customer (and one of their invoices), from billing. */
  async valuesFor(
    customerId: string | null,
    invoiceId: string | null,
    openByCustomer?: Map<string, BillingInvoiceView>,
  ): Promise<{ values: TemplateValues; customer: BillingCustomerView | null }> {
    const office = await this.commonValues();
    if (!this.billing || !customerId) return { values: { ...SAMPLE_VALUES, ...office }, customer: null };
    const customer = await this.billing.query.customer(customerId);
    if (!customer) throw new AppError('NOT_FOUND', 'Pelanggan tidak ditemukan');
    return { values: await this.valuesOf(customer, invoiceId, openByCustomer), customer };
  }

  async valuesOf(
    customer: BillingCustomerView,
    invoiceId: string | null,
    openByCustomer?: Map<string, BillingInvoiceView>,
  ): Promise<TemplateValues> {
    const tz = this.base.settings.timeZone;
    const now = this.base.clock.now();
    const today = officeDate(now, tz);
    let values: TemplateValues = { ...(await this.commonValues()), ...customerValues(customer) };
    let invoice = invoiceId && this.billing ? await this.billing.query.invoice(invoiceId) : null;
    if (invoiceId && !invoice) throw new AppError('NOT_FOUND', 'Tagihan tidak ditemukan');
    invoice ??= (openByCustomer ?? (await this.openInvoicesByCustomer())).get(customer.id) ?? null;
    if (invoice) values = { ...values, ...invoiceValues(invoice, tz, today) };
    else values = { ...values, periode: periodText(officePeriod(now, tz), tz) };
    return values;
  }

  async preview(input: In<'whatsapp.preview'>): Promise<MethodOutput<'whatsapp.preview'>> {
    const body = input.body ?? this.templates.get(input.kind).body;
    const { values, customer } = await this.valuesFor(input.customerId ?? null, input.invoiceId ?? null);
    return {
      text: this.templates.render(body, values),
      sample: customer === null,
      customerName: customer?.name ?? null,
      unknownVariables: unknownVariables(body),
    };
  }

  private requireConnected(): void {
    if (this.messenger().state().status !== 'connected') {
      throw new AppError('MESSENGER_UNAVAILABLE', 'Hubungkan WhatsApp terlebih dahulu.');
    }
  }

  async send(actor: Actor, input: In<'whatsapp.send'>): Promise<MessageRow> {
    this.requireConnected();
    const body = input.body ?? this.templates.get(input.kind).body;
    const unknown = unknownVariables(body);
    if (unknown.length > 0)
      throw validation('body', `Variabel tidak dikenal: ${unknown.map((u) => `{${u}}`).join(', ')}`);
    let msg: NewMessage;
    if ('customerId' in input.to) {
      const { values, customer } = await this.valuesFor(input.to.customerId, input.to.invoiceId ?? null);
      if (!customer)
        throw new AppError(
          'MESSENGER_UNAVAILABLE',
          'Data pelanggan belum tersedia (modul tagihan belum aktif).',
        );
      if (!customer.phone) throw validation('to', 'Pelanggan ini belum punya nomor WhatsApp.');
      msg = {
        kind: input.kind,
        phone: customer.phone,
        body: this.templates.render(body, values),
        customerId: customer.id,
        customerName: customer.name,
        invoiceId: input.to.invoiceId ?? null,
      };
    } else {
      const phone = normalizePhone(input.to.phone);
      if (!phone) throw validation('to.phone', 'Nomor WhatsApp tidak valid (contoh: 081234567890)');
      const office = await this.commonValues();
      const name = input.to.name?.trim() || 'Pelanggan';
      msg = {
        kind: input.kind,
        phone,
        body: this.templates.render(body, { ...office, nama: name }),
        customerName: input.to.name ?? null,
      };
    }
    let id = '';
    await this.base.database.db.transaction().execute(async (trx) => {
      id = this.queue.enqueue([msg], { priority: 'immediate', createdBy: actor.userId }).ids[0] ?? '';
      await recordChange(trx, this.base, {
        actor,
        action: 'whatsapp.send',
        entity: 'whatsapp_message',
        entityId: id,
        after: { kind: msg.kind, phone: msg.phone, customerId: msg.customerId ?? null },
      });
    });
    this.queue.kick();
    // The operator waits for the outcome of a single message (it is sent at once, not paced).
    await this.queue.runDue();
    return this.row(id);
  }

  private async bulkRecipients(input: In<'whatsapp.bulk.send'>) {
    if (!this.billing)
      throw new AppError(
        'MESSENGER_UNAVAILABLE',
        'Data pelanggan belum tersedia (modul tagihan belum aktif).',
      );
    let customers: BillingCustomerView[];
    if ('customerIds' in input.target) {
      const found = await Promise.all(input.target.customerIds.map((id) => this.billing?.query.customer(id)));
      customers = found.filter((c): c is BillingCustomerView => Boolean(c));
    } else {
      const f = input.target.filter;
      customers = await this.billing.query.findCustomers({
        unpaidPeriod: f.unpaidPeriod,
        owing: f.owing,
        status: f.status,
        area: f.area,
        search: f.search,
        includeOptedOut: true,
        limit: 100_000,
      });
    }
    const optedOut = customers.filter((c) => c.whatsappOptOut).length;
    const reachable = customers.filter((c) => !c.whatsappOptOut && c.phone);
    return { reachable, optedOut, noPhone: customers.filter((c) => !c.whatsappOptOut && !c.phone).length };
  }

  private async bulkMessages(
    input: In<'whatsapp.bulk.send'>,
    customers: BillingCustomerView[],
  ): Promise<NewMessage[]> {
    const body = input.body ?? this.templates.get(input.kind).body;
    const unknown = unknownVariables(body);
    if (unknown.length > 0)
      throw validation('body', `Variabel tidak dikenal: ${unknown.map((u) => `{${u}}`).join(', ')}`);
    const out: NewMessage[] = [];
    const open = await this.openInvoicesByCustomer();
    for (const c of customers) {
      const values = await this.valuesOf(c, null, open);
      out.push({
        kind: input.kind,
        phone: c.phone ?? '',
        body: this.templates.render(body, values),
        customerId: c.id,
        customerName: c.name,
      });
    }
    return out;
  }

  async bulkPreview(input: In<'whatsapp.bulk.send'>): Promise<MethodOutput<'whatsapp.bulk.preview'>> {
    const { reachable, optedOut, noPhone } = await this.bulkRecipients(input);
    const samples = await this.bulkMessages(input, reachable.slice(0, 3));
    const plan = this.queue.plan(reachable.length);
    return {
      recipients: reachable.length,
      skippedOptOut: optedOut,
      skippedNoPhone: noPhone,
      samples: samples.map((m) => ({ customerName: m.customerName ?? '', phone: m.phone, text: m.body })),
      firstAt: plan[0] ?? null,
      lastAt: plan.at(-1) ?? null,
    };
  }

  async bulkSend(actor: Actor, input: In<'whatsapp.bulk.send'>): Promise<MethodOutput<'whatsapp.bulk.send'>> {
    const { reachable } = await this.bulkRecipients(input);
    if (reachable.length === 0) throw validation('target', 'Tidak ada pelanggan yang bisa dikirimi pesan.');
    const messages = await this.bulkMessages(input, reachable);
    const batchId = this.base.ids();
    let res = { ids: [] as string[], firstAt: null as number | null, lastAt: null as number | null };
    await this.base.database.db.transaction().execute(async (trx) => {
      res = this.queue.enqueue(messages, { priority: 'paced', batchId, createdBy: actor.userId });
      await recordChange(trx, this.base, {
        actor,
        action: 'whatsapp.bulk.send',
        entity: 'whatsapp_batch',
        entityId: batchId,
        after: {
          kind: input.kind,
          count: res.ids.length,
          target: 'customerIds' in input.target ? 'selection' : input.target.filter,
        },
      });
    });
    this.queue.kick();
    return { batchId, queued: res.ids.length, firstAt: res.firstAt, lastAt: res.lastAt };
  }

  row(id: string): MessageRow {
    const r = this.sqlite.prepare('SELECT * FROM wa_messages WHERE id = ?').get(id) as
      WaMessagesTable | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'Pesan tidak ditemukan');
    return toMessageRow(r);
  }

  list(input: In<'whatsapp.messages.list'>): MethodOutput<'whatsapp.messages.list'> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (input.status && input.status.length > 0) {
      where.push(`status IN (${input.status.map(() => '?').join(',')})`);
      args.push(...input.status);
    }
    if (input.kind) {
      where.push('kind = ?');
      args.push(input.kind);
    }
    if (input.customerId) {
      where.push('customer_id = ?');
      args.push(input.customerId);
    }
    if (input.batchId) {
      where.push('batch_id = ?');
      args.push(input.batchId);
    }
    if (input.search) {
      where.push("(customer_name LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\')");
      const q = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(q, q);
    }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const onlyPending = input.status?.length === 1 && input.status[0] === 'pending';
    const sortable: Record<string, string> = {
      createdAt: 'created_at',
      dueAt: 'due_at',
      sentAt: 'sent_at',
      customerName: 'customer_name',
      status: 'status',
    };
    const col = (input.sort && sortable[input.sort.field]) || (onlyPending ? 'due_at' : 'created_at');
    const dir = input.sort ? (input.sort.dir === 'asc' ? 'ASC' : 'DESC') : onlyPending ? 'ASC' : 'DESC';
    const total = this.sqlite
      .prepare(`SELECT COUNT(*) FROM wa_messages ${w}`)
      .pluck()
      .get(...args) as number;
    const rows = this.sqlite
      .prepare(`SELECT * FROM wa_messages ${w} ORDER BY ${col} ${dir}, id ${dir} LIMIT ? OFFSET ?`)
      .all(...args, input.limit, input.offset) as WaMessagesTable[];
    return { rows: rows.map(toMessageRow), total };
  }

  private async transition(
    actor: Actor,
    action: string,
    ids: string[],
    from: string[],
    set: string,
    params: (string | number | null)[],
  ) {
    let updated = 0;
    await this.base.database.db.transaction().execute(async (trx) => {
      const stmt = this.sqlite.prepare(
        `UPDATE wa_messages SET ${set}, updated_at = ?, version = version + 1 WHERE id = ? AND status IN (${from.map(() => '?').join(',')})`,
      );
      for (const id of ids) updated += stmt.run(...params, this.base.clock.now(), id, ...from).changes;
      await recordChange(trx, this.base, {
        actor,
        action,
        entity: 'whatsapp_message',
        entityId: ids.length === 1 ? (ids[0] ?? null) : null,
        after: { ids: ids.slice(0, 100), count: ids.length, updated },
      });
    });
    this.queue.kick();
    return { updated };
  }

  /** Failed, cancelled and unknown messages go back to the queue now, with a fresh attempt budget. */
  retry(actor: Actor, ids: string[]) {
    return this.transition(
      actor,
      'whatsapp.messages.retry',
      ids,
      ['failed', 'cancelled', 'unknown'],
      "status = 'pending', attempts = 0, wait_connection = 0, due_at = ?, last_error = NULL",
      [this.base.clock.now()],
    );
  }

  cancel(actor: Actor, ids: string[]) {
    return this.transition(actor, 'whatsapp.messages.cancel', ids, ['pending'], "status = 'cancelled'", []);
  }

  markSent(actor: Actor, ids: string[]) {
    return this.transition(
      actor,
      'whatsapp.messages.markSent',
      ids,
      ['unknown'],
      "status = 'sent', sent_at = ?, last_error = NULL",
      [this.base.clock.now()],
    );
  }
}

function validation(path: string, message: string): AppError {
  return new AppError('VALIDATION', message, { issues: [{ path, message, code: 'custom' }] });
}

export type { MessageKind };
