import type { MethodOutput, MethodParsedInput } from '../../shared/contract/index';
import type { InboundRow, MessageKind } from '../../shared/contract/whatsapp';
import { matchKeyword, type KeywordAction } from '../../shared/whatsapp/keywords';
import { recordChange } from '../audit';
import { systemActor, type Actor } from '../context';
import type { Trx } from '../db/database';
import type { FeatureBase } from '../feature';
import type { IncomingMessage } from './messenger';
import { PRIORITY, type MessageQueue } from './queue';
import type { WaInboundTable } from './schema';
import type { WaSettingsStore } from './settings';
import type { TemplateStore } from './templates';
import { keywordValues, officeValues } from './values';

/** WhatsApp allows 65,536 characters; the inbox keeps what an operator can read. */
const MAX_TEXT = 4096;

/** Who changed the customer in the audit log: the customer, by replying; recorded as a system action. */
export const REPLY_ACTOR: Actor = { ...systemActor, name: 'Balasan WhatsApp' };

interface CustomerMatch {
  id: string;
  name: string;
  code: string;
}

export function toInboundRow(r: WaInboundTable): InboundRow {
  return {
    id: r.id,
    phone: r.phone,
    pushName: r.push_name,
    customerId: r.customer_id,
    customerName: r.customer_name,
    text: r.text,
    receivedAt: r.received_at,
    action: r.action,
    cancelledMessages: r.cancelled_messages,
    replyMessageId: r.reply_message_id,
    read: r.read_at !== null,
  };
}

/**
 * Messages customers send to the office number: stored once per WhatsApp message id (WhatsApp redelivers
 * after a reconnect), matched to the customer by number, and acted on when the whole message is a reply
 * keyword. An opt-out sets the customer's `whatsapp_opt_out`, cancels their pending paced messages
 * (reminders, notices, bulk; receipts and other immediate messages already queued still go: they answer
 * something the customer did) and queues one confirmation — the last message they get. An opt-in clears the
 * flag and confirms. Everything for one message commits in one transaction, so a crash never leaves a
 * message stored but not acted on (or acted on twice).
 *
 * A keyword that changes nothing (STOP from someone already opted out) gets no reply: an auto-responder on
 * the other side can never start a ping-pong. An unknown number gets no reply either.
 */
export class InboundService {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly base: FeatureBase,
    private readonly settings: WaSettingsStore,
    private readonly templates: TemplateStore,
    private readonly queue: MessageQueue,
    private readonly opts: { onQueueChange: () => void },
  ) {}

  private get sqlite() {
    return this.base.database.sqlite;
  }

  /** The messenger's listener: messages are handled one after another, in the order they arrived. */
  accept(m: IncomingMessage): void {
    this.chain = this.chain
      .then(() => this.receive(m))
      .catch((e: unknown) =>
        this.base.log.error('incoming WhatsApp message failed', {
          error: e instanceof Error ? e.message : String(e),
        }),
      );
  }

  /** Resolves once every accepted message is handled (tests, the demo). */
  async idle(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  private stored(waMessageId: string): boolean {
    return (
      this.sqlite.prepare('SELECT 1 FROM wa_inbound WHERE wa_message_id = ?').pluck().get(waMessageId) !==
      undefined
    );
  }

  /** Customers with this number, oldest first (one person may hold several accounts). */
  private customersByPhone(phone: string): CustomerMatch[] {
    return this.sqlite
      .prepare('SELECT id, name, code FROM customers WHERE phone = ? ORDER BY created_at, id')
      .all(phone) as CustomerMatch[];
  }

  /** Stores and handles one message; null when it was already stored (a redelivery). */
  async receive(m: IncomingMessage): Promise<InboundRow | null> {
    // WhatsApp numbers always carry the country code (62… for Indonesia, as customers' numbers are stored);
    // the local-format rules of normalizePhone (0812…, 812…) would misread a foreign number.
    const phone = m.phone.replace(/\D/g, '');
    if (!m.id || !phone || this.stored(m.id)) return null;
    const now = this.base.clock.now();
    const text = m.text.trim().slice(0, MAX_TEXT);
    const customers = this.customersByPhone(phone);
    const first = customers[0] ?? null;
    const s = this.settings.get().settings;
    const keyword = first
      ? matchKeyword(text, { optOut: s.inbound.optOutKeywords, optIn: s.inbound.optInKeywords })
      : null;
    // Rendered before the transaction: the office settings are read through Kysely, which would wait for
    // the connection the transaction holds.
    const kind: MessageKind = keyword === 'opt_in' ? 'optin_confirm' : 'optout_confirm';
    const template = keyword ? this.templates.get(kind) : null;
    const reply =
      first && template?.enabled
        ? this.templates.render(template.body, {
            ...officeValues(await this.base.settings.get()),
            ...keywordValues(s),
            nama: first.name,
            kode_pelanggan: first.code,
          })
        : null;

    const id = this.base.ids();
    const changed: string[] = [];
    let row: WaInboundTable | null = null;
    await this.base.database.db.transaction().execute(async (trx) => {
      // Checked again inside the transaction: receive() awaited above, and callers other than accept() do
      // not go through its one-at-a-time chain. The unique wa_message_id is the last guard.
      if (this.stored(m.id)) return;
      let action: KeywordAction | null = null;
      let cancelled = 0;
      let replyId: string | null = null;
      if (keyword && first) {
        changed.push(...(await this.setOptOut(trx, customers, keyword, now)));
        if (changed.length > 0) {
          action = keyword;
          if (keyword === 'opt_out') cancelled = await this.cancelPaced(trx, changed, phone, text, now);
          if (reply) {
            replyId =
              this.queue.enqueue(
                [
                  {
                    kind,
                    phone,
                    body: reply,
                    customerId: first.id,
                    customerName: first.name,
                    dedupeKey: `inbound:${id}`,
                  },
                ],
                {
                  priority: 'immediate',
                },
              ).ids[0] ?? null;
          }
        }
      }
      row = {
        id,
        wa_message_id: m.id,
        phone,
        push_name: m.pushName?.trim().slice(0, 100) || null,
        customer_id: first?.id ?? null,
        customer_name: first?.name ?? null,
        text,
        received_at: Number.isFinite(m.at) && m.at > 0 ? m.at : now,
        action,
        cancelled_messages: cancelled,
        reply_message_id: replyId,
        read_at: null,
        created_at: now,
      };
      await trx.insertInto('wa_inbound').values(row).execute();
    });
    const stored = row as WaInboundTable | null;
    if (!stored) return null;
    const out = toInboundRow(stored);
    for (const customerId of changed)
      this.base.events.emit('billing.changed', { entity: 'customer', id: customerId });
    if (stored.reply_message_id || stored.cancelled_messages > 0) {
      this.opts.onQueueChange();
      this.queue.kick();
    }
    this.base.events.emit('whatsapp.inbound', { message: out, unread: this.unread().unread });
    return out;
  }

  /** Sets or clears the flag of every customer with the number; returns those whose flag changed. */
  private async setOptOut(
    trx: Trx,
    customers: CustomerMatch[],
    keyword: KeywordAction,
    now: number,
  ): Promise<string[]> {
    const optOut = keyword === 'opt_out';
    const want = optOut ? 1 : 0;
    const changed: string[] = [];
    for (const c of customers) {
      const cur = await trx
        .selectFrom('customers')
        .select(['whatsapp_opt_out', 'version'])
        .where('id', '=', c.id)
        .executeTakeFirst();
      if (!cur || cur.whatsapp_opt_out === want) continue;
      // The version moves on, so a staff member saving an edit form opened before the reply gets a
      // conflict instead of silently ticking the customer back in.
      const version = cur.version + 1;
      await trx
        .updateTable('customers')
        .set({ whatsapp_opt_out: want, updated_at: now, version })
        .where('id', '=', c.id)
        .execute();
      await recordChange(trx, this.base, {
        actor: REPLY_ACTOR,
        action: optOut ? 'whatsapp.inbound.optOut' : 'whatsapp.inbound.optIn',
        entity: 'customer',
        entityId: c.id,
        before: { name: c.name, code: c.code, whatsapp_opt_out: cur.whatsapp_opt_out, version: cur.version },
        after: { whatsapp_opt_out: want, updated_at: now, version },
        op: 'update',
      });
      changed.push(c.id);
    }
    return changed;
  }

  /** Pending paced messages to the customers or the number are cancelled, with the reason on each. */
  private async cancelPaced(
    trx: Trx,
    customerIds: string[],
    phone: string,
    text: string,
    now: number,
  ): Promise<number> {
    const ids = this.sqlite
      .prepare(
        `SELECT id FROM wa_messages WHERE status = 'pending' AND priority = ?
           AND (phone = ? OR customer_id IN (SELECT value FROM json_each(?)))`,
      )
      .pluck()
      .all(PRIORITY.paced, phone, JSON.stringify(customerIds)) as string[];
    if (ids.length === 0) return 0;
    const reason = `Dibatalkan: pelanggan membalas "${text.slice(0, 40)}" (berhenti menerima pesan WhatsApp)`;
    const updated = this.sqlite
      .prepare(
        `UPDATE wa_messages SET status = 'cancelled', last_error = ?, updated_at = ?, version = version + 1
         WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?))`,
      )
      .run(reason, now, JSON.stringify(ids)).changes;
    await recordChange(trx, this.base, {
      actor: REPLY_ACTOR,
      action: 'whatsapp.messages.cancel',
      entity: 'whatsapp_message',
      entityId: ids.length === 1 ? (ids[0] ?? null) : null,
      after: { ids: ids.slice(0, 100), count: ids.length, updated, reason },
    });
    return updated;
  }

  list(input: MethodParsedInput<'whatsapp.inbox.list'>): MethodOutput<'whatsapp.inbox.list'> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (input.customerId) {
      where.push('customer_id = ?');
      args.push(input.customerId);
    }
    if (input.action === 'none') where.push('action IS NULL');
    else if (input.action) {
      where.push('action = ?');
      args.push(input.action);
    }
    const search = input.search?.trim();
    if (search) {
      const like = (v: string) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const cols = ['customer_name', 'push_name', 'phone', 'text'].map((c) => `${c} LIKE ? ESCAPE '\\'`);
      args.push(...cols.map(() => like(search)));
      // Operators type numbers as 0812…; they are stored as 62812….
      const digits = search.replace(/[\s\-+().]/g, '');
      if (/^\d{3,}$/.test(digits) && digits.startsWith('0')) {
        cols.push("phone LIKE ? ESCAPE '\\'");
        args.push(like(`62${digits.slice(1)}`));
      }
      where.push(`(${cols.join(' OR ')})`);
    }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const sortable: Record<string, string> = {
      receivedAt: 'received_at',
      customerName: 'customer_name',
      action: 'action',
    };
    const col = (input.sort && sortable[input.sort.field]) || 'received_at';
    const dir = input.sort?.dir === 'asc' ? 'ASC' : 'DESC';
    const total = this.sqlite
      .prepare(`SELECT COUNT(*) FROM wa_inbound ${w}`)
      .pluck()
      .get(...args) as number;
    const rows = this.sqlite
      .prepare(`SELECT * FROM wa_inbound ${w} ORDER BY ${col} ${dir}, id ${dir} LIMIT ? OFFSET ?`)
      .all(...args, input.limit, input.offset) as WaInboundTable[];
    return { rows: rows.map(toInboundRow), total };
  }

  unread(): { unread: number } {
    return {
      unread: this.sqlite
        .prepare('SELECT COUNT(*) FROM wa_inbound WHERE read_at IS NULL')
        .pluck()
        .get() as number,
    };
  }

  /** The office shares one inbox: whoever opens it marks what is there as seen, for everyone. */
  markRead(): { updated: number; unread: number } {
    const updated = this.sqlite
      .prepare('UPDATE wa_inbound SET read_at = ? WHERE read_at IS NULL')
      .run(this.base.clock.now()).changes;
    const unread = this.unread().unread;
    if (updated > 0) this.base.events.emit('whatsapp.inbound', { message: null, unread });
    return { updated, unread };
  }
}
