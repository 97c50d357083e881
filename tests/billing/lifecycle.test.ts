import { afterEach, describe, expect, it } from 'vitest';
import { setup, type Setup } from '../routers/helpers';
import { PASSWORD } from '../helpers/core';
import { billingOf, routerJobsSettled } from './helpers';

const DAY = 86_400_000;

describe('billing lifecycle against the RouterOS emulator', () => {
  let s: Setup | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it('secret → invoice on the billing day → isolated past grace → partial keeps it → full payment restores', async () => {
    s = await setup({ version: '7.18' });
    const { t, emu, routerId } = s;
    let token = s.token;
    // Moving the fake clock by days ends sessions; log in again as an office would the next morning.
    const advance = async (ms: number) => {
      t.clock.advance(ms);
      token = (await t.ok('auth.login', { username: 'budi', password: PASSWORD })).token;
    };
    const billing = billingOf(t.core);
    const hooks: string[] = [];
    billing.hooks.on('invoiceIssued', () => void hooks.push('invoice'));
    billing.hooks.on('isolated', () => void hooks.push('isolated'));
    billing.hooks.on('restored', () => void hooks.push('restored'));
    billing.hooks.on('paymentRecorded', () => void hooks.push('payment'));
    // Saturday 21 Nov 2026 10:00 WIB in the fake clock; isolation allowed every day for this test.
    const settings = await t.ok('billing.settings.get', {}, token);
    await t.ok(
      'billing.settings.update',
      { version: settings.version, noIsolationWeekdays: [], graceDays: 3 },
      token,
    );

    const pkg = await t.ok(
      'packages.create',
      {
        name: 'Paket 10 Mbps',
        speed: '10 Mbps',
        price: 150_000,
        pppProfile: 'PAKET-10M',
        rateLimit: '10M/10M',
      },
      token,
    );
    const cust = await t.ok(
      'customers.create',
      { name: 'Ahmad Fauzi', phone: '0812-3456-7890', area: 'Kampung Cibogo', locationCode: 'KCB', routerId },
      token,
    );
    expect(cust.code).toMatch(/^KCB-ROU211126-001$/);
    expect(cust.phone).toBe('6281234567890');
    const sub = await t.ok(
      'subscriptions.create',
      {
        customerId: cust.id,
        packageId: pkg.id,
        routerId,
        billingDay: 25,
        startDate: '2026-11-25',
        invoiceNow: false,
      },
      token,
    );
    expect(sub.username).toMatch(/^ROU\d{3}$/);
    await routerJobsSettled(t.core);
    const secret = emu
      .menu('/ppp/secret')
      .rows()
      .find((r) => r.name === sub.username);
    expect(secret?.profile).toBe('PAKET-10M');
    expect(
      emu
        .menu('/ppp/profile')
        .rows()
        .some((r) => r.name === 'PAKET-10M' && r['rate-limit'] === '10M/10M'),
    ).toBe(true);

    // Before the billing day nothing is issued; on the day exactly one invoice, however often the run goes.
    await t.ok('billing.runs.start', { job: 'invoices' }, token);
    expect((await t.ok('invoices.list', { customerId: cust.id }, token)).total).toBe(0);
    await advance(4 * DAY); // 25 Nov
    const run1 = await t.ok('billing.runs.start', { job: 'invoices' }, token);
    const run2 = await t.ok('billing.runs.start', { job: 'invoices' }, token);
    expect(run1.result?.created).toBe(1);
    expect(run2.result?.created).toBe(0);
    const invoices = await t.ok('invoices.list', { customerId: cust.id }, token);
    expect(invoices.total).toBe(1);
    const inv = invoices.rows[0]!;
    expect(inv).toMatchObject({
      period: '2026-11',
      periodStart: '2026-11-25',
      periodEnd: '2026-12-24',
      dueDate: '2026-11-25',
      total: 150_000,
      balanceDue: 150_000,
    });
    expect(inv.number).toBe('INV/2026/11/00001');

    // Within grace: nothing happens. After grace (due 25 + 3 days → 29 Nov): isolated, kicked, original profile remembered.
    emu.pppConnect({
      name: sub.username,
      password: (await t.ok('subscriptions.password', { id: sub.id }, token)).password,
      callerId: 'AA:BB:CC:00:00:01',
      address: '10.10.0.2',
    });
    await advance(3 * DAY); // 28 Nov
    expect((await t.ok('billing.runs.start', { job: 'isolation' }, token)).result?.isolated).toBe(0);
    await advance(DAY); // 29 Nov
    expect((await t.ok('billing.runs.start', { job: 'isolation' }, token)).result?.isolated).toBe(1);
    await routerJobsSettled(t.core);
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .find((r) => r.name === sub.username)?.profile,
    ).toBe('ISOLIR');
    // The isolation profile puts sessions into the ISOLIR address list (the notice page's NAT rule matches it).
    expect(
      emu
        .menu('/ppp/profile')
        .rows()
        .find((r) => r.name === 'ISOLIR')?.['address-list'],
    ).toBe('ISOLIR');
    expect(
      emu
        .menu('/ppp/active')
        .rows()
        .some((r) => r.name === sub.username),
    ).toBe(false);
    let detail = await t.ok('customers.get', { id: cust.id }, token);
    expect(detail.customer.status).toBe('isolated');
    expect(detail.subscriptions[0]?.originalProfile).toBe('PAKET-10M');
    expect(detail.customer.balance).toBe(150_000);

    // A partial payment leaves it isolated (policy: full) and the rest open.
    const fresh = await t.ok('invoices.get', { id: inv.id }, token);
    const p1 = await t.ok(
      'payments.record',
      {
        customerId: cust.id,
        amount: 100_000,
        method: 'cash',
        invoiceId: inv.id,
        invoiceVersion: fresh.version,
      },
      token,
    );
    expect(p1.receiptNumber).toBe('KW/2026/11/00001');
    detail = await t.ok('customers.get', { id: cust.id }, token);
    expect(detail.customer.status).toBe('isolated');
    expect(detail.customer.balance).toBe(50_000);
    expect(detail.invoices[0]).toMatchObject({ status: 'partial', balanceDue: 50_000 });

    // The rest: restored to the original profile through a router job.
    await t.ok(
      'payments.record',
      { customerId: cust.id, amount: 50_000, method: 'transfer', reference: 'BCA 123' },
      token,
    );
    await routerJobsSettled(t.core);
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .find((r) => r.name === sub.username)?.profile,
    ).toBe('PAKET-10M');
    detail = await t.ok('customers.get', { id: cust.id }, token);
    expect(detail.customer.status).toBe('active');
    expect(detail.customer.balance).toBe(0);
    expect(detail.invoices[0]).toMatchObject({ status: 'paid', balanceDue: 0, paid: 150_000 });
    // Ledger, receipts and audit agree.
    expect(detail.ledger.map((l) => [l.kind, l.amount])).toEqual([
      ['charge', 150_000],
      ['payment', -100_000],
      ['payment', -50_000],
    ]);
    expect(detail.payments.reduce((a, p) => a + p.amount, 0)).toBe(150_000);
    const audit = await t.ok('audit.list', { limit: 200 }, token);
    const actions = audit.rows.map((r) => r.action);
    for (const a of ['invoices.issue', 'subscriptions.isolate', 'payments.record', 'subscriptions.restore'])
      expect(actions).toContain(a);
    expect(hooks.filter((h) => h === 'invoice')).toHaveLength(1);
    expect(hooks.filter((h) => h === 'isolated')).toHaveLength(1);
    expect(hooks.filter((h) => h === 'restored')).toHaveLength(1);
    expect(hooks.filter((h) => h === 'payment')).toHaveLength(2);
  });
});
