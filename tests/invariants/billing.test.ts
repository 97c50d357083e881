/**
 * Money invariants, each through the contract on a real office (core + RouterOS emulator): PPN on issued
 * invoices and their ledger charge, proration only when the office enabled it, the version check on a stale
 * invoice view, payments never landing on another customer's invoice, oldest-first allocation, holidays as
 * no-isolation days, and restore of address-list isolation on the router.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingSettings } from '../../src/shared/contract/billing';
import { PASSWORD } from '../helpers/core';
import { setup, type Setup } from '../routers/helpers';
import { jakarta } from '../whatsapp/helpers';
import { routerJobsSettled } from '../billing/helpers';

let s: Setup | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

/** An office on the fake clock (Saturday 21 Nov 2026, 10:00 WIB) with one router on the emulator. */
async function office() {
  s = await setup({ version: '7.18' });
  const { t, routerId } = s;
  let token = s.token;
  const tok = () => token;
  return {
    s,
    t,
    tok,
    /** Moves the clock to an office instant and logs in again (sessions end when the clock jumps). */
    async at(instant: number) {
      t.clock.set(instant);
      token = (await t.ok('auth.login', { username: 'budi', password: PASSWORD })).token;
    },
    async settings(patch: Partial<BillingSettings>) {
      const cur = await t.ok('billing.settings.get', {}, token);
      await t.ok('billing.settings.update', { version: cur.version, ...patch }, token);
    },
    async pkg(name: string, price: number, tax: { taxable?: boolean; taxInclusive?: boolean } = {}) {
      return t.ok(
        'packages.create',
        { name, speed: '10 Mbps', price, pppProfile: 'PAKET-10M', ...tax },
        token,
      );
    },
    async subscriber(
      name: string,
      packageId: string,
      o: {
        billingDay?: number;
        startDate?: string;
        discount?: number;
        invoiceNow?: boolean;
        remoteAddress?: string;
      } = {},
    ) {
      const c = await t.ok('customers.create', { name, routerId }, token);
      const sub = await t.ok(
        'subscriptions.create',
        {
          customerId: c.id,
          packageId,
          routerId,
          billingDay: o.billingDay ?? 21,
          startDate: o.startDate ?? '2026-11-21',
          discount: o.discount ?? 0,
          invoiceNow: o.invoiceNow ?? true,
          remoteAddress: o.remoteAddress ?? '',
        },
        token,
      );
      return { c, sub };
    },
    /** The customer's invoices, oldest due first. */
    async invoices(customerId: string) {
      const d = await t.ok('customers.get', { id: customerId }, token);
      return [...d.invoices].sort((x, y) => x.dueDate.localeCompare(y.dueDate));
    },
    async detail(customerId: string) {
      return t.ok('customers.get', { id: customerId }, token);
    },
    async isolationRun() {
      return (await t.ok('billing.runs.start', { job: 'isolation' }, token)).result ?? {};
    },
    routerId,
  };
}

describe('PPN on a real invoice', () => {
  it('inclusive keeps the price and splits out the tax; exclusive adds it; the ledger charges the total', async () => {
    const o = await office();
    const inclusive = await o.pkg('Paket Inklusif', 111_000, { taxable: true, taxInclusive: true });
    const exclusive = await o.pkg('Paket Eksklusif', 100_000, { taxable: true, taxInclusive: false });
    const oddIncl = await o.pkg('Paket Ganjil Inklusif', 150_000, { taxable: true, taxInclusive: true });
    const oddExcl = await o.pkg('Paket Ganjil Eksklusif', 150_005, { taxable: true, taxInclusive: false });
    const untaxed = await o.pkg('Paket Bebas Pajak', 100_000, { taxable: false });

    // PPN 11% (the default rate). Expected figures worked out by hand, rounded to the rupiah, half up.
    const cases = [
      { pkg: inclusive.id, discount: 0, subtotal: 111_000, tax: 11_000, total: 111_000 },
      { pkg: exclusive.id, discount: 0, subtotal: 100_000, tax: 11_000, total: 111_000 },
      // 150,000 / 1.11 = 135,135.14 → base 135,135, PPN 14,865.
      { pkg: oddIncl.id, discount: 0, subtotal: 150_000, tax: 14_865, total: 150_000 },
      // 150,005 × 11% = 16,500.55 → 16,501.
      { pkg: oddExcl.id, discount: 0, subtotal: 150_005, tax: 16_501, total: 166_506 },
      // The discount comes off before PPN: (100,000 − 10,000) × 11% = 9,900.
      { pkg: exclusive.id, discount: 10_000, subtotal: 100_000, tax: 9_900, total: 99_900 },
      { pkg: untaxed.id, discount: 0, subtotal: 100_000, tax: 0, total: 100_000 },
    ];
    for (const [i, k] of cases.entries()) {
      const { c } = await o.subscriber(`Pelanggan Pajak ${i}`, k.pkg, { discount: k.discount });
      const [inv] = await o.invoices(c.id);
      expect(inv, `case ${i}`).toMatchObject({
        subtotal: k.subtotal,
        discount: k.discount,
        tax: k.tax,
        total: k.total,
        balanceDue: k.total,
      });
      const d = await o.detail(c.id);
      expect(
        d.ledger.map((l) => [l.kind, l.amount]),
        `case ${i}`,
      ).toEqual([['charge', k.total]]);
      expect(d.customer.balance, `case ${i}`).toBe(k.total);
    }

    // Paying the price without the added PPN leaves exactly the PPN due.
    const { c } = await o.subscriber('Pelanggan Bayar Harga', exclusive.id);
    await o.t.ok('payments.record', { customerId: c.id, amount: 100_000, method: 'cash' }, o.tok());
    expect((await o.invoices(c.id))[0]).toMatchObject({ status: 'partial', balanceDue: 11_000 });

    // The office's rate is the one used (PPN 12%).
    await o.settings({ taxRate: 12 });
    const twelveIncl = await o.pkg('Paket 12 Inklusif', 112_000, { taxable: true, taxInclusive: true });
    const a = await o.subscriber('Pelanggan 12 A', twelveIncl.id);
    const b = await o.subscriber('Pelanggan 12 B', exclusive.id);
    expect((await o.invoices(a.c.id))[0]).toMatchObject({ subtotal: 112_000, tax: 12_000, total: 112_000 });
    expect((await o.invoices(b.c.id))[0]).toMatchObject({ subtotal: 100_000, tax: 12_000, total: 112_000 });
    expect((await o.detail(b.c.id)).ledger.map((l) => l.amount)).toEqual([112_000]);
  });
});

describe('proration of the first period', () => {
  it('only when the office enabled it, only for a start off the billing day, only the first period', async () => {
    const o = await office();
    const pkg = await o.pkg('Paket 20 Mbps', 200_000);
    // Billing day 10, start 23 Nov: the period is 10 Nov – 9 Dec (30 days), the start covers 17 of them.
    const prorated = Math.round((200_000 * 17) / 30); // 113,333
    const mid = { billingDay: 10, startDate: '2026-11-23' };

    // Off (the default): the full price, whether issued at creation or by a run.
    const off = await o.subscriber('Pelanggan Tanpa Prorata', pkg.id, mid);
    expect((await o.invoices(off.c.id))[0]).toMatchObject({ periodStart: '2026-11-23', total: 200_000 });
    const offRun = await o.subscriber('Pelanggan Tanpa Prorata Run', pkg.id, { ...mid, invoiceNow: false });
    await o.t.ok('invoices.generate', { subscriptionId: offRun.sub.id, date: '2026-11-23' }, o.tok());
    expect((await o.invoices(offRun.c.id))[0]).toMatchObject({ total: 200_000 });

    // On: prorated by days, at creation and by a run.
    await o.settings({ prorateFirstPeriod: true });
    const on = await o.subscriber('Pelanggan Prorata', pkg.id, mid);
    expect((await o.invoices(on.c.id))[0]).toMatchObject({
      period: '2026-11',
      periodStart: '2026-11-23',
      periodEnd: '2026-12-09',
      subtotal: prorated,
      total: prorated,
    });
    expect((await o.detail(on.c.id)).ledger.map((l) => l.amount)).toEqual([prorated]);
    const onRun = await o.subscriber('Pelanggan Prorata Run', pkg.id, { ...mid, invoiceNow: false });
    await o.t.ok('invoices.generate', { subscriptionId: onRun.sub.id, date: '2026-11-23' }, o.tok());
    expect((await o.invoices(onRun.c.id))[0]).toMatchObject({ total: prorated });

    // On, but starting on the billing day: a whole period, the whole price.
    const onDay = await o.subscriber('Pelanggan Tepat Hari', pkg.id, {
      billingDay: 10,
      startDate: '2026-11-10',
    });
    expect((await o.invoices(onDay.c.id))[0]).toMatchObject({ total: 200_000 });

    // The next period is a regular one: full price.
    await o.t.ok('invoices.generate', { subscriptionId: on.sub.id, date: '2026-12-10' }, o.tok());
    expect((await o.invoices(on.c.id)).map((i) => [i.period, i.total])).toEqual([
      ['2026-11', prorated],
      ['2026-12', 200_000],
    ]);

    // Off again: a new mid-period start pays the full price.
    await o.settings({ prorateFirstPeriod: false });
    const offAgain = await o.subscriber('Pelanggan Prorata Mati', pkg.id, mid);
    expect((await o.invoices(offAgain.c.id))[0]).toMatchObject({ total: 200_000 });
  });
});

describe('payments', () => {
  it('two partial payments from a stale invoice view: the second is a CONFLICT and nothing is credited twice', async () => {
    const o = await office();
    const pkg = await o.pkg('Paket 20 Mbps', 200_000);
    const cashier = await o.t.staff(o.tok(), 'cashier', 'kasir1');
    const { c } = await o.subscriber('Siti Aminah', pkg.id);
    // Both cashiers opened the invoice screen now and saw the same version.
    const seen = (await o.invoices(c.id))[0]!;
    expect(seen).toMatchObject({ total: 200_000, status: 'open' });
    const pay = (token: string, amount: number, version: number) =>
      o.t.raw(
        'payments.record',
        { customerId: c.id, amount, method: 'cash', invoiceId: seen.id, invoiceVersion: version },
        token,
      );

    const first = await pay(o.tok(), 80_000, seen.version);
    expect(first.ok).toBe(true);
    const second = await pay(cashier, 80_000, seen.version);
    expect(second.ok ? 'OK' : second.error.code).toBe('CONFLICT');

    let d = await o.detail(c.id);
    expect(d.payments).toHaveLength(1);
    expect(d.invoices[0]).toMatchObject({ status: 'partial', paid: 80_000, balanceDue: 120_000 });
    expect(d.ledger.map((l) => [l.kind, l.amount])).toEqual([
      ['charge', 200_000],
      ['payment', -80_000],
    ]);
    expect(d.customer.balance).toBe(120_000);
    expect((await o.t.ok('payments.list', { customerId: c.id }, o.tok())).total).toBe(1);

    // Two at once from the same stale view: exactly one goes through.
    const fresh = await o.t.ok('invoices.get', { id: seen.id }, o.tok());
    const both = await Promise.all([
      pay(o.tok(), 50_000, fresh.version),
      pay(cashier, 50_000, fresh.version),
    ]);
    expect(both.map((r) => (r.ok ? 'OK' : r.error.code)).sort()).toEqual(['CONFLICT', 'OK']);
    d = await o.detail(c.id);
    expect(d.payments).toHaveLength(2);
    expect(d.invoices[0]).toMatchObject({ paid: 130_000, balanceDue: 70_000 });
    expect(d.customer.balance).toBe(70_000);

    // Reloaded, the cashier pays the rest.
    const reloaded = await o.t.ok('invoices.get', { id: seen.id }, cashier);
    expect((await pay(cashier, 70_000, reloaded.version)).ok).toBe(true);
    d = await o.detail(c.id);
    expect(d.invoices[0]).toMatchObject({ status: 'paid', paid: 200_000, balanceDue: 0 });
    expect(d.customer.balance).toBe(0);
  });

  it("a payment is never applied to another customer's invoice", async () => {
    const o = await office();
    const pkg = await o.pkg('Paket 20 Mbps', 200_000);
    const a = await o.subscriber('Ahmad Fauzi', pkg.id);
    const b = await o.subscriber('Budi Hartono', pkg.id);
    const invB = (await o.invoices(b.c.id))[0]!;

    // A's payment naming B's invoice is refused, and nothing is recorded for anyone.
    const res = await o.t.raw(
      'payments.record',
      {
        customerId: a.c.id,
        amount: 200_000,
        method: 'cash',
        invoiceId: invB.id,
        invoiceVersion: invB.version,
      },
      o.tok(),
    );
    expect(res.ok ? 'OK' : res.error.code).toBe('NOT_FOUND');
    expect((await o.detail(a.c.id)).payments).toHaveLength(0);
    expect(await o.t.ok('invoices.get', { id: invB.id }, o.tok())).toMatchObject({
      status: 'open',
      paid: 0,
      version: invB.version,
    });

    // A pays far more than A owes: A's invoice is paid, the rest stays A's credit — B's invoice is untouched.
    await o.t.ok('payments.record', { customerId: a.c.id, amount: 1_000_000, method: 'transfer' }, o.tok());
    const dA = await o.detail(a.c.id);
    expect(dA.invoices[0]).toMatchObject({ status: 'paid' });
    expect(dA.customer.balance).toBe(-800_000);
    expect(dA.payments[0]?.allocations.map((x) => x.invoiceId)).toEqual([dA.invoices[0]?.id]);
    expect(await o.t.ok('invoices.get', { id: invB.id }, o.tok())).toMatchObject({ status: 'open', paid: 0 });

    // Next month's run: A's credit pays A's new invoice, never B's.
    await o.t.ok('invoices.generate', { date: '2026-12-21' }, o.tok());
    const bInvoices = await o.invoices(b.c.id);
    expect(bInvoices.map((i) => [i.period, i.status, i.paid])).toEqual([
      ['2026-11', 'open', 0],
      ['2026-12', 'open', 0],
    ]);
    expect((await o.detail(b.c.id)).customer.balance).toBe(400_000);
    const aInvoices = await o.invoices(a.c.id);
    expect(aInvoices.map((i) => [i.period, i.status])).toEqual([
      ['2026-11', 'paid'],
      ['2026-12', 'paid'],
    ]);
    expect((await o.detail(a.c.id)).customer.balance).toBe(-600_000);
  });

  it('credit goes to the oldest invoice first (by due date, not by issue order), from the oldest payment first', async () => {
    const o = await office();
    const pkg = await o.pkg('Paket 20 Mbps', 200_000);
    const { c, sub } = await o.subscriber('Dewi Lestari', pkg.id, {
      startDate: '2026-10-21',
      invoiceNow: false,
    });
    // Issued out of order: January first, then December, then November (each a little later on the clock).
    for (const date of ['2027-01-21', '2026-12-21', '2026-11-21']) {
      await o.t.ok('invoices.generate', { subscriptionId: sub.id, date }, o.tok());
      await o.at(o.t.clock.now() + 60_000);
    }
    const periods = async () =>
      Object.fromEntries(
        (await o.invoices(c.id)).map((i) => [i.period, { status: i.status, paid: i.paid }] as const),
      );
    expect(Object.keys(await periods()).sort()).toEqual(['2026-11', '2026-12', '2027-01']);

    // 300,000 with no invoice named: November in full, then half of December; January untouched.
    const p1 = await o.t.ok(
      'payments.record',
      { customerId: c.id, amount: 300_000, method: 'cash' },
      o.tok(),
    );
    expect(await periods()).toEqual({
      '2026-11': { status: 'paid', paid: 200_000 },
      '2026-12': { status: 'partial', paid: 100_000 },
      '2027-01': { status: 'open', paid: 0 },
    });
    const byPeriod = new Map((await o.invoices(c.id)).map((i) => [i.id, i.period]));
    expect(Object.fromEntries(p1.allocations.map((x) => [byPeriod.get(x.invoiceId), x.amount]))).toEqual({
      '2026-11': 200_000,
      '2026-12': 100_000,
    });

    // Two overpayments leave credit on two receipts; the next invoice is paid from the older one first.
    await o.at(o.t.clock.now() + 60_000);
    const p2 = await o.t.ok(
      'payments.record',
      { customerId: c.id, amount: 400_000, method: 'cash' },
      o.tok(),
    );
    await o.at(o.t.clock.now() + 60_000);
    const p3 = await o.t.ok(
      'payments.record',
      { customerId: c.id, amount: 150_000, method: 'cash' },
      o.tok(),
    );
    expect(await periods()).toMatchObject({
      '2026-12': { status: 'paid', paid: 200_000 },
      '2027-01': { status: 'paid', paid: 200_000 },
    });
    // p2 covered the rest of December (100,000) and January (200,000): 100,000 left; p3 is all credit.
    await o.t.ok('invoices.generate', { subscriptionId: sub.id, date: '2027-02-21' }, o.tok());
    const feb = (await o.invoices(c.id)).find((i) => i.period === '2027-02')!;
    expect(feb).toMatchObject({ status: 'paid', paid: 200_000 });
    const pays = await o.t.ok('payments.list', { customerId: c.id }, o.tok());
    const onFeb = (id: string) =>
      pays.rows.find((p) => p.id === id)?.allocations.find((x) => x.invoiceId === feb.id)?.amount ?? 0;
    expect([onFeb(p2.id), onFeb(p3.id)]).toEqual([100_000, 100_000]);
    expect((await o.detail(c.id)).customer.balance).toBe(-50_000);
  });
});

describe('isolation', () => {
  it('a holiday is a no-isolation day (in office time); the overdue customer is isolated the next working day', async () => {
    const o = await office();
    const pkg = await o.pkg('Paket 10 Mbps', 150_000);
    // Billing day 10, started 10 Nov: due 10 Nov, past 3 grace days long before the holiday.
    const { c } = await o.subscriber('Eko Saputra', pkg.id, { billingDay: 10, startDate: '2026-11-10' });
    // Tuesday 24 Nov is a holiday; Sunday stays the weekly day off; Monday and Wednesday are working days.
    await o.settings({ holidays: ['2026-11-24'], noIsolationWeekdays: [0], graceDays: 3 });
    const status = async () => (await o.detail(c.id)).customer.status;

    // Just after midnight WIB on the holiday (still Monday in UTC), and late in the evening.
    for (const hhmm of ['00:30', '10:00', '23:30']) {
      await o.at(jakarta('2026-11-24', hhmm));
      expect(await o.isolationRun(), hhmm).toMatchObject({ isolated: 0, skippedDay: 1 });
      expect(await status(), hhmm).toBe('active');
    }
    // Wednesday 25 Nov, the first working day after it.
    await o.at(jakarta('2026-11-25', '10:00'));
    expect(await o.isolationRun()).toMatchObject({ isolated: 1, skippedDay: 0 });
    expect(await status()).toBe('isolated');
  });

  it('a customer isolated by address list is taken off the list on the router when they pay', async () => {
    const o = await office();
    await o.settings({
      noIsolationWeekdays: [],
      defaultIsolation: { method: 'address-list', isolationProfile: 'ISOLIR', addressList: 'ISOLIR' },
    });
    const pkg = await o.pkg('Paket 10 Mbps', 150_000);
    const mid = { billingDay: 10, startDate: '2026-11-10' };
    const a = await o.subscriber('Fajar Nugroho', pkg.id, { ...mid, remoteAddress: '10.20.0.11' });
    const b = await o.subscriber('Gita Permata', pkg.id, { ...mid, remoteAddress: '10.20.0.12' });
    // Someone else's entry in the same list, added by hand on the router: Rukun must leave it alone.
    const emu = o.s.emu;
    emu.menu('/ip/firewall/address-list').add({ list: 'ISOLIR', address: '10.20.0.99', comment: 'manual' });
    const listed = () =>
      emu
        .menu('/ip/firewall/address-list')
        .rows()
        .filter((r) => r['list'] === 'ISOLIR')
        .map((r) => r['address'])
        .sort();

    expect(await o.isolationRun()).toMatchObject({ isolated: 2 });
    await routerJobsSettled(o.t.core);
    expect(listed()).toEqual(['10.20.0.11', '10.20.0.12', '10.20.0.99']);
    // The address-list method leaves the secret on its package profile.
    const secret = emu
      .menu('/ppp/secret')
      .rows()
      .find((r) => r['name'] === a.sub.username);
    expect(secret?.['profile']).toBe('PAKET-10M');

    // A pays in full: restored, and off the list on the router. B still owes and stays listed.
    const inv = (await o.invoices(a.c.id))[0]!;
    await o.t.ok('payments.record', { customerId: a.c.id, amount: inv.total, method: 'cash' }, o.tok());
    expect((await o.detail(a.c.id)).customer.status).toBe('active');
    await routerJobsSettled(o.t.core);
    expect(listed()).toEqual(['10.20.0.12', '10.20.0.99']);

    // The office renames its isolation list while B is isolated; B's payment still takes B off the old list.
    await o.settings({
      defaultIsolation: { method: 'address-list', isolationProfile: 'ISOLIR', addressList: 'BLOKIR' },
    });
    const invB = (await o.invoices(b.c.id))[0]!;
    await o.t.ok('payments.record', { customerId: b.c.id, amount: invB.total, method: 'cash' }, o.tok());
    expect((await o.detail(b.c.id)).customer.status).toBe('active');
    await routerJobsSettled(o.t.core);
    expect(listed()).toEqual(['10.20.0.99']);
  });
});
