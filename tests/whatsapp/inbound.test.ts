import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../src/shared/contract/index';
import { jakarta, waCore, type WaTest } from './helpers';

const cores: WaTest[] = [];
afterEach(async () => {
  for (const t of cores.splice(0)) await t.core.stop();
});

async function setup(): Promise<WaTest> {
  const t = await waCore({ at: jakarta('2026-11-23', '09:00') });
  cores.push(t);
  return t;
}

async function customer(t: WaTest, name: string, phone: string, whatsappOptOut = false): Promise<string> {
  return (await t.ok('customers.create', { name, phone, area: 'Sukamaju', whatsappOptOut }, t.token)).id;
}

async function optedOut(t: WaTest, id: string): Promise<boolean> {
  return (await t.ok('customers.get', { id }, t.token)).customer.whatsappOptOut;
}

/** What a customer gets from the queue, by kind and status. */
function queued(t: WaTest, phone: string): { kind: string; status: string; last_error: string | null }[] {
  return t.core.deps.database.sqlite
    .prepare('SELECT kind, status, last_error FROM wa_messages WHERE phone = ? ORDER BY created_at, kind')
    .all(phone) as { kind: string; status: string; last_error: string | null }[];
}

/** A customer replies through the (fake) WhatsApp connection; resolves once Rukun has handled it. */
async function reply(t: WaTest, phone: string, text: string, id?: string) {
  const m = t.fake.deliver({ phone, text, ...(id ? { id } : {}), pushName: 'HP Pelanggan' });
  await t.wa.api.inbound.idle();
  return m;
}

function reminders(t: WaTest, customerId: string, phone: string, n: number): void {
  t.wa.api.queue.enqueue(
    Array.from({ length: n }, (_, i) => ({
      kind: 'reminder' as const,
      phone,
      body: `Pengingat ${i}`,
      customerId,
      customerName: 'x',
      dedupeKey: `r:${customerId}:${i}`,
    })),
    { priority: 'paced' },
  );
}

describe('WhatsApp replies: opt-out and opt-in by keyword', () => {
  it('"STOP." opts the customer out: flag set and audited, pending reminders cancelled, queued receipt still goes, one confirmation; a redelivery does nothing more', async () => {
    const t = await setup();
    const siti = await customer(t, 'Siti Nurhaliza', '0812-1111-2222');
    const joko = await customer(t, 'Joko Susilo', '0812-3333-4444');
    const events: EventMessage[] = [];
    t.core.deps.events.subscribe((e) => events.push(e));
    // Held while disconnected, so what is pending at the reply is visible.
    t.fake.setConnected(false);
    reminders(t, siti, '6281211112222', 2);
    reminders(t, joko, '6281233334444', 1);
    t.wa.api.queue.enqueue(
      [
        {
          kind: 'receipt',
          phone: '6281211112222',
          body: 'Nota',
          customerId: siti,
          customerName: 'Siti Nurhaliza',
        },
      ],
      { priority: 'immediate' },
    );

    await reply(t, '6281211112222', '  stop. ', 'WAID-1');

    expect(await optedOut(t, siti)).toBe(true);
    expect(await optedOut(t, joko)).toBe(false);
    const siteQueue = queued(t, '6281211112222');
    expect(siteQueue.filter((m) => m.kind === 'reminder').map((m) => m.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(siteQueue.find((m) => m.kind === 'reminder')?.last_error).toMatch(/pelanggan membalas "stop\."/);
    expect(siteQueue.filter((m) => m.kind === 'receipt').map((m) => m.status)).toEqual(['pending']);
    expect(siteQueue.filter((m) => m.kind === 'optout_confirm')).toHaveLength(1);
    expect(queued(t, '6281233334444').map((m) => m.status)).toEqual(['pending']);

    const audit = await t.ok('audit.list', { action: 'whatsapp.inbound.optOut' }, t.token);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      entity: 'customer',
      entityId: siti,
      actorName: 'Balasan WhatsApp',
      via: 'system',
    });
    expect(
      (await t.ok('audit.list', { action: 'whatsapp.messages.cancel' }, t.token)).rows[0]?.after,
    ).toMatchObject({ count: 2 });
    expect(
      events.some((e) => e.name === 'billing.changed' && (e.payload as { id: string }).id === siti),
    ).toBe(true);
    const live = events.find((e) => e.name === 'whatsapp.inbound');
    expect(live?.payload).toMatchObject({
      message: { customerName: 'Siti Nurhaliza', action: 'opt_out' },
      unread: 1,
    });

    const inbox = await t.ok('whatsapp.inbox.list', {}, t.token);
    expect(inbox.total).toBe(1);
    expect(inbox.rows[0]).toMatchObject({
      phone: '6281211112222',
      customerId: siti,
      text: 'stop.',
      action: 'opt_out',
      cancelledMessages: 2,
      pushName: 'HP Pelanggan',
      read: false,
    });

    // Back online: the receipt and the confirmation go out, the reminders never.
    t.fake.setConnected(true);
    await expect.poll(() => t.fake.sent.length).toBe(2);
    await t.wa.api.queue.idle();
    expect(t.fake.sent.map((m) => m.phone)).toEqual(['6281211112222', '6281211112222']);
    expect(t.fake.sent.map((m) => m.text)).toContain('Nota');
    const confirmation = t.fake.sent.find((m) => m.text !== 'Nota')?.text ?? '';
    expect(confirmation).toContain('*Siti Nurhaliza*');
    expect(confirmation).toContain('tidak menerima pesan WhatsApp otomatis');
    expect(confirmation).toContain('Balas *MULAI*');

    // WhatsApp delivers the same message again after a reconnect: nothing more happens.
    await reply(t, '6281211112222', 'stop.', 'WAID-1');
    expect((await t.ok('whatsapp.inbox.list', {}, t.token)).total).toBe(1);
    expect(queued(t, '6281211112222').filter((m) => m.kind === 'optout_confirm')).toHaveLength(1);
    expect((await t.ok('audit.list', { action: 'whatsapp.inbound.optOut' }, t.token)).rows).toHaveLength(1);

    // Another STOP from someone already opted out is kept, changes nothing and gets no reply.
    await reply(t, '6281211112222', 'STOP', 'WAID-2');
    const again = await t.ok('whatsapp.inbox.list', {}, t.token);
    expect(again.total).toBe(2);
    expect(again.rows[0]).toMatchObject({ text: 'STOP', action: null, replyMessageId: null });
    expect(queued(t, '6281211112222').filter((m) => m.kind === 'optout_confirm')).toHaveLength(1);
  });

  it('"Mulai!" opts back in: flag cleared, audited, one confirmation that says how to stop', async () => {
    const t = await setup();
    const id = await customer(t, 'Bu Ani', '081255556666', true);
    await reply(t, '6281255556666', 'Mulai!');
    expect(await optedOut(t, id)).toBe(false);
    expect(
      (await t.ok('audit.list', { action: 'whatsapp.inbound.optIn' }, t.token)).rows.map((r) => r.entityId),
    ).toEqual([id]);
    const row = (await t.ok('whatsapp.inbox.list', {}, t.token)).rows[0];
    expect(row).toMatchObject({ action: 'opt_in', customerName: 'Bu Ani' });
    await t.wa.api.queue.runDue();
    expect(t.fake.sent).toHaveLength(1);
    expect(t.fake.sent[0]?.text).toContain('balas *BERHENTI*');
    const log = await t.ok('whatsapp.messages.list', { customerId: id }, t.token);
    expect(log.rows.map((r) => [r.kind, r.id])).toEqual([['optin_confirm', row?.replyMessageId]]);
  });

  it('an unknown number is stored with no reply; a keyword inside a sentence is just a message', async () => {
    const t = await setup();
    const id = await customer(t, 'Pak Budi', '081277778888');
    await reply(t, '6289900001111', 'STOP');
    await reply(t, '6281277778888', 'jangan stop dulu ya, besok saya bayar');
    const inbox = await t.ok('whatsapp.inbox.list', {}, t.token);
    expect(inbox.rows.map((r) => [r.phone, r.customerName, r.action])).toEqual([
      ['6281277778888', 'Pak Budi', null],
      ['6289900001111', null, null],
    ]);
    expect(await optedOut(t, id)).toBe(false);
    await t.wa.api.queue.runDue();
    expect(t.fake.sent).toHaveLength(0);
    expect((await t.ok('whatsapp.messages.list', {}, t.token)).total).toBe(0);
  });

  it('customers sharing one number are all opted out, with one confirmation', async () => {
    const t = await setup();
    const home = await customer(t, 'Rudi (rumah)', '0813-2000-3000');
    const shop = await customer(t, 'Rudi (warung)', '0813-2000-3000');
    await reply(t, '6281320003000', 'Berhenti');
    expect([await optedOut(t, home), await optedOut(t, shop)]).toEqual([true, true]);
    expect((await t.ok('audit.list', { action: 'whatsapp.inbound.optOut' }, t.token)).total).toBe(2);
    expect(queued(t, '6281320003000').map((m) => m.kind)).toEqual(['optout_confirm']);
  });

  it('keywords and the confirmation text come from the settings and templates', async () => {
    const t = await setup();
    const id = await customer(t, 'Dewi Lestari', '081240005000');
    const cur = await t.ok('whatsapp.settings.get', {}, t.token);
    expect(cur.settings.inbound).toEqual({
      optOutKeywords: ['BERHENTI', 'STOP', 'UNREG'],
      optInKeywords: ['MULAI', 'START'],
    });
    // The same word in both lists is refused.
    const both = await t.raw(
      'whatsapp.settings.update',
      {
        version: cur.version,
        settings: { ...cur.settings, inbound: { optOutKeywords: ['STOP'], optInKeywords: ['stop!'] } },
      },
      t.token,
    );
    expect(both.ok ? null : both.error.code).toBe('VALIDATION');
    await t.ok(
      'whatsapp.settings.update',
      {
        version: cur.version,
        settings: {
          ...cur.settings,
          inbound: { optOutKeywords: ['Jangan kirim lagi'], optInKeywords: ['Kirim lagi'] },
        },
      },
      t.token,
    );
    const tpl = (await t.ok('whatsapp.templates.list', {}, t.token)).find((x) => x.kind === 'optout_confirm');
    await t.ok(
      'whatsapp.templates.update',
      {
        kind: 'optout_confirm',
        body: 'Oke {nama}, ketik {kata_mulai} untuk kembali.',
        enabled: true,
        version: tpl?.version ?? 0,
      },
      t.token,
    );

    await reply(t, '6281240005000', 'STOP');
    expect(await optedOut(t, id)).toBe(false);
    await reply(t, '6281240005000', 'jangan kirim lagi!');
    expect(await optedOut(t, id)).toBe(true);
    await t.wa.api.queue.runDue();
    expect(t.fake.sent.map((m) => m.text)).toEqual(['Oke Dewi Lestari, ketik Kirim lagi untuk kembali.']);
  });

  it('a disabled confirmation template still opts out, silently', async () => {
    const t = await setup();
    const id = await customer(t, 'Eko Prasetyo', '081260007000');
    const tpl = (await t.ok('whatsapp.templates.list', {}, t.token)).find((x) => x.kind === 'optout_confirm');
    await t.ok(
      'whatsapp.templates.update',
      { kind: 'optout_confirm', body: tpl?.body ?? '', enabled: false, version: tpl?.version ?? 0 },
      t.token,
    );
    await reply(t, '6281260007000', 'UNREG');
    expect(await optedOut(t, id)).toBe(true);
    expect(queued(t, '6281260007000')).toEqual([]);
  });

  it('the inbox: search by name, number as typed or text; unread count; who may read it', async () => {
    const t = await setup();
    await customer(t, 'Siti Aminah', '081211110001');
    await reply(t, '6281211110001', 'Internet mati sejak pagi');
    await reply(t, '6285799990000', 'Berapa harga paket 20 Mbps?');
    const search = async (q: string) =>
      (await t.ok('whatsapp.inbox.list', { search: q }, t.token)).rows.map((r) => r.text);
    expect(await search('aminah')).toEqual(['Internet mati sejak pagi']);
    expect(await search('0857-9999')).toEqual(['Berapa harga paket 20 Mbps?']);
    expect(await search('paket')).toEqual(['Berapa harga paket 20 Mbps?']);
    expect((await t.ok('whatsapp.inbox.list', { action: 'none' }, t.token)).total).toBe(2);
    expect((await t.ok('whatsapp.inbox.list', { action: 'opt_out' }, t.token)).total).toBe(0);

    const cashier = await t.staff(t.token, 'cashier');
    expect(await t.ok('whatsapp.inbox.unread', {}, cashier)).toEqual({ unread: 2 });
    expect(await t.ok('whatsapp.inbox.markRead', {}, cashier)).toEqual({ updated: 2, unread: 0 });
    expect(await t.ok('whatsapp.inbox.unread', {}, t.token)).toEqual({ unread: 0 });
    expect((await t.ok('whatsapp.inbox.list', {}, t.token)).rows.every((r) => r.read)).toBe(true);
    const technician = await t.staff(t.token, 'technician');
    const denied = await t.raw('whatsapp.inbox.list', {}, technician);
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
  });

  it('a staff edit form opened before the reply cannot silently tick the customer back in', async () => {
    const t = await setup();
    const id = await customer(t, 'Agus Hidayat', '081280009000');
    const before = (await t.ok('customers.get', { id }, t.token)).customer;
    await reply(t, '6281280009000', 'stop');
    const stale = await t.raw(
      'customers.update',
      { id, version: before.version, whatsappOptOut: false, notes: 'ganti paket' },
      t.token,
    );
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
    expect(await optedOut(t, id)).toBe(true);
  });

  it('a reminder queued before staff ticked the opt-out box is cancelled when it comes due, not sent', async () => {
    const t = await setup();
    const id = await customer(t, 'Wati Suryani', '081290001000');
    reminders(t, id, '6281290001000', 1);
    const c = (await t.ok('customers.get', { id }, t.token)).customer;
    await t.ok('customers.update', { id, version: c.version, whatsappOptOut: true }, t.token);
    t.clock.set(jakarta('2026-11-23', '12:00'));
    await t.wa.api.queue.runDue();
    await t.wa.api.queue.idle();
    expect(t.fake.sent).toHaveLength(0);
    expect(queued(t, '6281290001000')).toEqual([
      {
        kind: 'reminder',
        status: 'cancelled',
        last_error: 'Dibatalkan: pelanggan tidak mau menerima pesan WhatsApp',
      },
    ]);
  });
});
