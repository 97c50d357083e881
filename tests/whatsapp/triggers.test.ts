import { afterEach, describe, expect, it } from 'vitest';
import { createWhatsappFeature, type WhatsappFeature } from '../../src/main/whatsapp/index';
import { FakeMessenger } from '../../src/main/whatsapp/fake-messenger';
import { seededRandom } from '../../src/shared/whatsapp/pacing';
import { FakeBilling } from './fake-billing';
import { jakarta, waCore, type WaTest } from './helpers';

interface TriggerTest {
  t: WaTest;
  billing: FakeBilling;
  wa: WhatsappFeature;
  fake: FakeMessenger;
}

const open: TriggerTest[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) {
    await x.wa.stop?.();
    await x.t.core.stop();
  }
});

/** A second WhatsApp feature on the test core's database, wired to a fake billing API. */
async function setup(): Promise<TriggerTest> {
  const t = await waCore({ at: jakarta('2026-11-23', '09:00') });
  await t.wa.stop?.();
  const billing = new FakeBilling();
  const core = t.core;
  const wa = createWhatsappFeature(
    {
      ...core.deps,
      secrets: core.secrets,
      settings: core.settings,
      accounts: core.accounts,
      dataDir: ':memory:',
      headless: false,
      lanUrl: () => null,
    },
    billing,
    { random: seededRandom(7) },
  );
  const fake = new FakeMessenger(t.clock, { connected: true });
  await wa.api.setMessenger(fake);
  await wa.start?.();
  await core.settings.update(
    { userId: null, name: 'test', role: null, via: 'system' },
    {
      bankAccounts: [{ bank: 'BRI', number: '1234-5678-90', holder: 'Budi Santoso' }],
      version: (await core.settings.get()).version,
    },
  );
  const x = { t, billing, wa, fake };
  open.push(x);
  return x;
}

describe('WhatsApp triggers from billing', () => {
  it('a receipt goes out at once on payment, with the public receipt link and the amount', async () => {
    const { billing, wa, fake } = await setup();
    billing.addCustomer({ id: 'c1', name: 'Siti Nurhaliza', phone: '6289876543210' });
    billing.addInvoice({
      id: 'i1',
      customerId: 'c1',
      dueDate: '2026-11-25',
      paid: 150000,
      balanceDue: 0,
      status: 'paid',
    });
    await billing.fire('paymentRecorded', {
      paymentId: 'p1',
      customerId: 'c1',
      invoiceIds: ['i1'],
      receiptToken: 'RCPT42',
    });
    await wa.api.triggers!.flush();
    await wa.api.queue.idle();
    await wa.api.queue.runDue();
    expect(fake.sent).toHaveLength(1);
    const msg = fake.sent[0]!;
    expect(msg.phone).toBe('6289876543210');
    expect(msg.text).toContain('*Siti Nurhaliza*');
    expect(msg.text).toContain('http://192.168.1.10:3210/r/RCPT42');
    expect(msg.text).toContain('Rp 150.000');
    expect(msg.text).toContain('Desember 2026');
    // The same payment hook twice never sends twice.
    await billing.fire('paymentRecorded', {
      paymentId: 'p1',
      customerId: 'c1',
      invoiceIds: ['i1'],
      receiptToken: 'RCPT42',
    });
    await wa.api.triggers!.flush();
    await wa.api.queue.runDue();
    expect(fake.sent).toHaveLength(1);
  });

  it('reminders 3 and 1 days before, on the day and after; opted-out customers are skipped; a rerun queues nothing new', async () => {
    const { billing, wa, fake, t } = await setup();
    billing.addCustomer({ id: 'c1', name: 'Ahmad', phone: '6281111111111' });
    billing.addCustomer({ id: 'c2', name: 'Dewi', phone: '6282222222222' });
    billing.addCustomer({ id: 'c3', name: 'Opted Out', phone: '6283333333333', whatsappOptOut: true });
    billing.addCustomer({ id: 'c4', name: 'Telat', phone: '6284444444444' });
    billing.addInvoice({ id: 'i1', customerId: 'c1', dueDate: '2026-11-26' }); // in 3 days
    billing.addInvoice({ id: 'i2', customerId: 'c2', dueDate: '2026-11-24' }); // tomorrow
    billing.addInvoice({ id: 'i3', customerId: 'c3', dueDate: '2026-11-24' });
    billing.addInvoice({ id: 'i4', customerId: 'c4', dueDate: '2026-11-22' }); // 1 day late
    billing.addInvoice({ id: 'i5', customerId: 'c1', dueDate: '2026-11-28' }); // 5 days: no reminder
    const triggers = wa.api.triggers!;
    expect(await triggers.runReminders('2026-11-23')).toEqual({ queued: 3, duplicates: 0 });
    expect(await triggers.runReminders('2026-11-23')).toEqual({ queued: 0, duplicates: 3 });
    for (let i = 0; i < 10; i++) {
      await wa.api.queue.runDue();
      const next = wa.api.queue.nextDueAt();
      if (next === null) break;
      t.clock.set(Math.max(next, t.clock.now()));
    }
    const byPhone = new Map(fake.sent.map((s) => [s.phone, s.text]));
    expect([...byPhone.keys()].sort()).toEqual(['6281111111111', '6282222222222', '6284444444444']);
    expect(byPhone.get('6281111111111')).toContain('akan jatuh tempo 3 hari lagi');
    expect(byPhone.get('6282222222222')).toContain('akan jatuh tempo besok');
    expect(byPhone.get('6284444444444')).toContain('sudah lewat jatuh tempo 1 hari');
    expect(byPhone.get('6281111111111')).toContain('BRI 1234-5678-90 a.n. Budi Santoso');
    expect(byPhone.get('6281111111111')).toContain('26 November 2026');
  });

  it('isolation and restore notices go out at once; invoice issued is paced; a disabled template sends nothing', async () => {
    const { billing, wa, fake, t } = await setup();
    billing.addCustomer({ id: 'c1', name: 'Rudi', phone: '6281111111111' });
    billing.addInvoice({ id: 'i1', customerId: 'c1', dueDate: '2026-12-05' });
    await billing.fire('isolated', { customerId: 'c1', subscriptionId: 's1' });
    await wa.api.triggers!.flush();
    await wa.api.queue.runDue();
    expect(fake.sent.at(-1)?.text).toContain('Pemberitahuan Isolir');
    await billing.fire('restored', { customerId: 'c1', subscriptionId: 's1' });
    await wa.api.triggers!.flush();
    await wa.api.queue.runDue();
    expect(fake.sent.at(-1)?.text).toContain('Layanan Aktif Kembali');

    await billing.fire('invoiceIssued', { invoiceId: 'i1', customerId: 'c1' });
    await wa.api.triggers!.flush();
    const pending = await t.ok('whatsapp.messages.list', { status: ['pending'] }, t.token);
    expect(pending.rows[0]).toMatchObject({ kind: 'invoice_issued', priority: 'paced' });
    expect(pending.rows[0]!.body).toContain('INV/2026/11/i1');

    const tpl = (await t.ok('whatsapp.templates.list', {}, t.token)).find((x) => x.kind === 'isolation')!;
    await t.ok(
      'whatsapp.templates.update',
      { kind: 'isolation', body: tpl.body, enabled: false, version: tpl.version },
      t.token,
    );
    const before = fake.sent.length;
    await billing.fire('isolated', { customerId: 'c1', subscriptionId: 's2' });
    await wa.api.triggers!.flush();
    await wa.api.queue.runDue();
    expect(fake.sent.length).toBe(before);
  });
});

describe('templates, preview, manual send and permissions', () => {
  it('renders with greeting/closing variations, refuses unknown variables, previews with sample data', async () => {
    const t = await waCore({ at: jakarta('2026-11-23', '09:00') });
    try {
      const texts = new Set<string>();
      for (let i = 0; i < 12; i++)
        texts.add((await t.ok('whatsapp.preview', { kind: 'reminder' }, t.token)).text);
      expect(texts.size).toBeGreaterThan(3);
      const p = await t.ok('whatsapp.preview', { kind: 'reminder' }, t.token);
      expect(p.sample).toBe(true);
      expect(p.text).toContain('Ahmad Fauzi');
      expect(p.text).not.toMatch(/\{[a-z_]+\}/);

      const bad = await t.raw(
        'whatsapp.templates.update',
        { kind: 'custom', body: 'Halo {nama} {saldo}', enabled: true, version: 0 },
        t.token,
      );
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error).toMatchObject({ code: 'VALIDATION' });
      const saved = await t.ok(
        'whatsapp.templates.update',
        { kind: 'custom', body: '{salam} {nama}, info gangguan.', enabled: true, version: 0 },
        t.token,
      );
      expect(saved.version).toBe(1);
      const stale = await t.raw(
        'whatsapp.templates.update',
        { kind: 'custom', body: 'x', enabled: true, version: 0 },
        t.token,
      );
      expect(!stale.ok && stale.error.code).toBe('CONFLICT');
      const reset = await t.ok('whatsapp.templates.reset', { kind: 'custom' }, t.token);
      expect(reset.isDefault).toBe(true);
    } finally {
      await t.core.stop();
    }
  });

  it('manual send to a typed number goes out at once; refused while disconnected; roles are enforced', async () => {
    const t = await waCore({ at: jakarta('2026-11-23', '09:00') });
    try {
      const row = await t.ok(
        'whatsapp.send',
        {
          to: { phone: '0812-3456-7890', name: 'Pak RT' },
          kind: 'custom',
          body: '{salam} {nama}, besok ada perbaikan jaringan.',
        },
        t.token,
      );
      expect(row.status).toBe('sent');
      expect(t.fake.sent[0]).toMatchObject({ phone: '6281234567890' });
      expect(t.fake.sent[0]!.text).toContain('Pak RT, besok ada perbaikan jaringan.');

      const tech = await t.staff(t.token, 'technician');
      expect((await t.raw('whatsapp.status', {}, tech)).ok).toBe(false);
      const cashier = await t.staff(t.token, 'cashier');
      expect((await t.raw('whatsapp.status', {}, cashier)).ok).toBe(true);
      expect((await t.raw('whatsapp.logout', {}, cashier)).ok).toBe(false);

      t.fake.setConnected(false);
      const refused = await t.raw(
        'whatsapp.send',
        { to: { phone: '081234567890' }, kind: 'custom', body: 'x' },
        t.token,
      );
      expect(!refused.ok && refused.error.code).toBe('MESSENGER_UNAVAILABLE');
      const audit = await t.ok('audit.list', { action: 'whatsapp.send' }, t.token);
      expect(audit.total).toBe(1);
    } finally {
      await t.core.stop();
    }
  });

  it('shows the QR live as an image through the session event and status', async () => {
    const t = await waCore({ connected: false });
    try {
      const seen: string[] = [];
      t.core.deps.events.subscribe((m) => {
        if (m.name === 'whatsapp.session') seen.push((m.payload as { status: string }).status);
      });
      const v = await t.ok('whatsapp.link', { method: 'qr' }, t.token);
      expect(v.status).toBe('connecting');
      expect(v.qr).toMatch(/^data:image\/png;base64,/);
      t.fake.completeLink('6285550001111');
      await new Promise((r) => setTimeout(r, 5));
      const s = await t.ok('whatsapp.status', {}, t.token);
      expect(s).toMatchObject({ status: 'connected', phone: '6285550001111', qr: null });
      expect(s.linkedAt).toBe(t.clock.now());
      expect(seen).toContain('connected');
      const again = await t.raw('whatsapp.link', { method: 'qr' }, t.token);
      expect(!again.ok && again.error.code).toBe('CONFLICT');
    } finally {
      await t.core.stop();
    }
  });
});

describe('reminder catch-up', () => {
  it("a PC switched on after the reminder time still queues today's reminders, once", async () => {
    const { billing, wa, t } = await setup();
    billing.addCustomer({ id: 'c1', name: 'Ahmad', phone: '6281111111111' });
    billing.addInvoice({ id: 'i1', customerId: 'c1', dueDate: '2026-11-24' });
    // 09:00 is after the default 08:00 run.
    wa.api.triggers!.catchUpReminders();
    await expect
      .poll(async () => (await t.ok('whatsapp.messages.list', { kind: 'reminder' }, t.token)).total)
      .toBe(1);
    wa.api.triggers!.catchUpReminders();
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.ok('whatsapp.messages.list', { kind: 'reminder' }, t.token)).total).toBe(1);
  });
});
