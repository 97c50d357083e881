import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type Setup } from '../routers/helpers';
import { billingOf, routerJobsSettled } from './helpers';

/** Money rules: gapless numbers, one invoice per period, concurrency, credit, voids, reversals. */
describe('billing rules', () => {
  let s: Setup;
  let pkgId = '';
  beforeAll(async () => {
    s = await setup({ version: '7.15' });
    pkgId = (
      await s.t.ok(
        'packages.create',
        { name: 'Paket 20 Mbps', speed: '20 Mbps', price: 200_000, pppProfile: 'PAKET-20M' },
        s.token,
      )
    ).id;
  });
  afterAll(async () => s.close());

  async function subscriber(name: string, phone: string, billingDay = 21) {
    const { t, token, routerId } = s;
    const c = await t.ok('customers.create', { name, phone, area: 'Sukamaju', routerId }, token);
    const sub = await t.ok(
      'subscriptions.create',
      { customerId: c.id, packageId: pkgId, routerId, billingDay, startDate: '2026-11-21' },
      token,
    );
    return { c, sub };
  }

  it('issues the first invoice at creation and a second run makes none', async () => {
    const { t, token } = s;
    const { c } = await subscriber('Siti Nurhaliza', '089876543210');
    expect((await t.ok('invoices.list', { customerId: c.id }, token)).total).toBe(1);
    const r = await t.ok('invoices.generate', {}, token);
    expect(r.created).toBe(0);
    expect((await t.ok('invoices.list', { customerId: c.id }, token)).total).toBe(1);
  });

  it('two cashiers paying the same invoice: one succeeds, the other gets CONFLICT', async () => {
    const { t, token } = s;
    const cashier = await t.staff(token, 'cashier', 'kasir1');
    const { c } = await subscriber('Budi Hartono', '081122334455');
    const inv = (await t.ok('invoices.list', { customerId: c.id }, token)).rows[0]!;
    const pay = (tok: string) =>
      t.raw(
        'payments.record',
        {
          customerId: c.id,
          amount: inv.total,
          method: 'cash',
          invoiceId: inv.id,
          invoiceVersion: inv.version,
        },
        tok,
      );
    const [a, b] = await Promise.all([pay(token), pay(cashier)]);
    const codes = [a, b].map((r) => (r.ok ? 'OK' : r.error.code)).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const detail = await t.ok('customers.get', { id: c.id }, token);
    expect(detail.payments).toHaveLength(1);
    expect(detail.customer.balance).toBe(0);
  });

  it('an overpayment becomes credit that pays the next invoice by itself', async () => {
    const { t, token } = s;
    const { c } = await subscriber('Dewi Lestari', '087766554433');
    await t.ok('payments.record', { customerId: c.id, amount: 300_000, method: 'transfer' }, token);
    let d = await t.ok('customers.get', { id: c.id }, token);
    expect(d.customer.balance).toBe(-100_000);
    expect(d.invoices[0]?.status).toBe('paid');
    // Next period (21 Dec): the invoice is issued and half-paid from the credit, no one retypes anything.
    const dec = await t.ok('invoices.generate', { date: '2026-12-21' }, token);
    expect(dec.created).toBeGreaterThanOrEqual(1);
    d = await t.ok('customers.get', { id: c.id }, token);
    const next = d.invoices.find((i) => i.period === '2026-12')!;
    expect(next).toMatchObject({ status: 'partial', paid: 100_000, balanceDue: 100_000 });
    expect(d.customer.balance).toBe(100_000);
  });

  it('a voided invoice keeps its number, the next number has no gap, and its payment becomes credit', async () => {
    const { t, token } = s;
    const { c, sub } = await subscriber('Rina Marlina', '081298765432', 22);
    const first = (await t.ok('invoices.list', { customerId: c.id }, token)).rows[0]!;
    await t.ok('payments.record', { customerId: c.id, amount: 50_000, method: 'cash' }, token);
    const voided = await t.ok(
      'invoices.void',
      {
        id: first.id,
        version: (await t.ok('invoices.get', { id: first.id }, token)).version,
        reason: 'Salah paket',
      },
      token,
    );
    expect(voided).toMatchObject({ status: 'void', number: first.number, balanceDue: 0 });
    expect(voided.creditNoteNumber).toMatch(/^CN\/2026\/\d{5}$/);
    const d = await t.ok('customers.get', { id: c.id }, token);
    expect(d.customer.balance).toBe(-50_000);
    const seqOf = (n: string) => Number(n.split('/').at(-1));
    const r = await t.ok('invoices.generate', { subscriptionId: sub.id, date: '2026-12-22' }, token);
    expect(r.created).toBe(1);
    const all = await t.ok('invoices.list', { limit: 1000, sort: { field: 'number', dir: 'asc' } }, token);
    const seqs = all.rows.filter((i) => i.number.startsWith('INV/2026/11/')).map((i) => seqOf(i.number));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const next = (await t.ok('invoices.list', { customerId: c.id, period: '2026-12' }, token)).rows[0]!;
    expect(next.paid).toBe(50_000);
  });

  it('a reversal undoes a payment in the ledger but keeps it on record', async () => {
    const { t, token } = s;
    const { c } = await subscriber('Agus Salim', '081234500001');
    const p = await t.ok('payments.record', { customerId: c.id, amount: 200_000, method: 'cash' }, token);
    const cashier = (await t.ok('auth.login', { username: 'kasir1', password: 'rahasia-kuat-1' })).token;
    expect(
      (await t.raw('payments.reverse', { id: p.id, version: p.version, reason: 'Salah input' }, cashier)).ok,
    ).toBe(false);
    const r = await t.ok('payments.reverse', { id: p.id, version: p.version, reason: 'Salah input' }, token);
    expect(r.reversed).toBe(true);
    const d = await t.ok('customers.get', { id: c.id }, token);
    expect(d.customer.balance).toBe(200_000);
    expect(d.invoices[0]?.status).toBe('open');
    expect(d.ledger.map((l) => l.kind)).toEqual(['charge', 'payment', 'reversal']);
  });

  it('search finds customers by word prefix, code and local phone; WhatsApp query filters unpaid this month', async () => {
    const { t, token } = s;
    expect((await t.ok('customers.list', { search: 'siti nur' }, token)).rows.map((r) => r.name)).toEqual([
      'Siti Nurhaliza',
    ]);
    expect((await t.ok('customers.list', { search: '0898765' }, token)).rows.map((r) => r.name)).toEqual([
      'Siti Nurhaliza',
    ]);
    const q = billingOf(s.t.core).query;
    const unpaid = await q.findCustomers({ unpaidPeriod: '2026-11' });
    expect(unpaid.map((u) => u.name)).toContain('Siti Nurhaliza');
    expect(unpaid.map((u) => u.name)).not.toContain('Budi Hartono');
    const reminders = await q.openInvoicesForReminder({ offsetsDays: [0], today: '2026-11-21' });
    expect(reminders.some((r) => r.customer.name === 'Siti Nurhaliza' && r.daysUntilDue === 0)).toBe(true);
  });

  it('a package in use cannot be deleted', async () => {
    const res = await s.t.raw('packages.delete', { id: pkgId }, s.token);
    expect(res.ok ? 'OK' : res.error.code).toBe('CONFLICT');
  });

  it('serves the receipt on the LAN listener at its token', async () => {
    // Receipt routes render from the same data; exercised through fastify inject.
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    await billingOf(s.t.core).routes?.(app);
    const pays = await s.t.ok('payments.list', { limit: 1 }, s.token);
    const p = pays.rows[0]!;
    const res = await app.inject({ url: `/receipt/${p.receiptToken}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(p.receiptNumber);
    expect(res.body).toContain(p.customerName);
    expect((await app.inject({ url: '/receipt/AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
    await app.close();
  });

  it('installs the notice-page NAT rule for the isolation address list, once however often it is asked', async () => {
    const { t, token, routerId, emu } = s;
    const input = { routerId, host: '192.168.88.10', port: 3210 };
    const r = await t.ok('subscriptions.installIsolationNotice', input, token);
    await t.ok('subscriptions.installIsolationNotice', input, token);
    await routerJobsSettled(t.core);
    expect(r.url).toBe('http://192.168.88.10:3210/isolir');
    const rules = emu
      .menu('/ip/firewall/nat')
      .rows()
      .filter((x) => (x['comment'] ?? '').includes('isolir-notice'));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      chain: 'dstnat',
      'src-address-list': 'ISOLIR',
      'to-addresses': '192.168.88.10',
      'to-ports': '3210',
    });
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    await billingOf(t.core).routes?.(app);
    const page = await app.inject({ url: '/isolir' });
    expect(page.body).toContain('LAYANAN DIISOLIR');
    await app.close();
  });

  it('prints a receipt and an invoice as PDFs (A4 and 80 mm) with the same fields as the page', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const p = (await s.t.ok('payments.list', { limit: 1 }, s.token)).rows[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'rukun-pdf-'));
    for (const paper of ['a4', '80mm'] as const) {
      const r = await s.t.ok('billing.documentPdf', { kind: 'receipt', id: p.id, paper }, s.token);
      const file = join(dir, `${paper}.pdf`);
      writeFileSync(file, Buffer.from(r.dataBase64, 'base64'));
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain(p.receiptNumber);
      expect(text).toContain(p.customerName);
      expect(text.replace(/\s+/g, ' ')).toContain('Dicatat oleh');
    }
    const inv = (await s.t.ok('invoices.list', { limit: 1 }, s.token)).rows[0]!;
    const r = await s.t.ok('billing.documentPdf', { kind: 'invoice', id: inv.id, paper: 'a4' }, s.token);
    writeFileSync(join(dir, 'inv.pdf'), Buffer.from(r.dataBase64, 'base64'));
    expect(execFileSync('pdftotext', [join(dir, 'inv.pdf'), '-']).toString()).toContain(inv.number);
  });
});
