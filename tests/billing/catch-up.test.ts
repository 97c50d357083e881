import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/lib/clock';
import { PASSWORD, testCore, type TestCore } from '../helpers/core';
import { setup, type Setup } from '../routers/helpers';
import { billingOf } from './helpers';

/** 10:00 WIB on an office date. */
const at = (date: string, hh = 10, mm = 0) =>
  Date.parse(`${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+07:00`);

type Invoice = { period: string; dueDate: string; subscriptionId: string; status: string };

describe('invoice runs the office PC missed', () => {
  let s: Setup | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it('issues the periods missed while the PC was off, due today; a subscription that was inactive meanwhile is not back-billed', async () => {
    s = await setup({ version: '7.18' });
    const { t, routerId } = s;
    let token = s.token;
    const login = async () =>
      (token = (await t.ok('auth.login', { username: 'budi', password: PASSWORD })).token);
    const pkg = await t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'PAKET-10M' },
      token,
    );
    const subscribe = async (name: string, phone: string) => {
      const c = await t.ok('customers.create', { name, phone, routerId }, token);
      return t.ok(
        'subscriptions.create',
        { customerId: c.id, packageId: pkg.id, routerId, billingDay: 10, startDate: '2026-11-10' },
        token,
      );
    };
    const a = await subscribe('Ahmad Fauzi', '081234567890');
    const b = await subscribe('Budi Hartono', '081234567891');
    const invoices = () =>
      t.core.deps.database.sqlite
        .prepare(
          'SELECT period, due_date AS dueDate, subscription_id AS subscriptionId, status FROM invoices ORDER BY period, subscription_id',
        )
        .all() as Invoice[];
    const periodsOf = (subId: string) =>
      invoices()
        .filter((i) => i.subscriptionId === subId)
        .map((i) => i.period);
    const runInvoices = async () =>
      (await t.ok('billing.runs.start', { job: 'invoices' }, token)).result ?? {};

    // Saturday 21 Nov: a good run (November is already issued). Budi stops his subscription.
    expect(await runInvoices()).toMatchObject({ created: 0, caughtUp: 0 });
    const bOff = await t.ok(
      'subscriptions.update',
      { id: b.id, version: b.version, status: 'inactive' },
      token,
    );

    // Thursday 10 Dec: the run issues December for Ahmad only, then Budi comes back.
    t.clock.set(at('2026-12-10'));
    await login();
    expect(await runInvoices()).toMatchObject({ created: 1, caughtUp: 0 });
    await t.ok('subscriptions.update', { id: b.id, version: bOff.version, status: 'active' }, token);

    // Then the PC stays off until Monday 15 Feb 2027: January and February were never issued.
    t.clock.set(at('2027-02-15'));
    await login();
    expect(await runInvoices()).toMatchObject({ created: 4, caughtUp: 2 });
    expect(periodsOf(a.id)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    // Budi was inactive while December's run went on: no December for him.
    expect(periodsOf(b.id)).toEqual(['2026-11', '2027-01', '2027-02']);
    // The customers never saw these invoices: they fall due today, so the grace days start now.
    for (const inv of invoices().filter((i) => i.period >= '2027-01')) expect(inv.dueDate).toBe('2027-02-15');
    // December was issued on time and keeps its own due date.
    expect(invoices().find((i) => i.period === '2026-12')?.dueDate).toBe('2026-12-10');

    // Idempotent: the same run again issues nothing.
    expect(await runInvoices()).toMatchObject({ created: 0, caughtUp: 0 });

    // Gapless numbering still holds over the catch-up: the four issued on 15 Feb are 1..4 of that month's series.
    const feb = t.core.deps.database.sqlite
      .prepare("SELECT number FROM invoices WHERE issue_date = '2027-02-15' ORDER BY number")
      .all() as {
      number: string;
    }[];
    expect(feb.map((r) => r.number)).toEqual([
      'INV/2027/02/00001',
      'INV/2027/02/00002',
      'INV/2027/02/00003',
      'INV/2027/02/00004',
    ]);
  });
});

describe('a core that starts after a planned time', () => {
  let t: TestCore | null = null;
  let dir: string | null = null;
  afterEach(async () => {
    await t?.core.stop();
    t = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("runs the day's missed invoice run at start ('susulan'), and not a job whose time has not come yet", async () => {
    dir = mkdtempSync(join(tmpdir(), 'rukun-catchup-'));
    const clock = new FakeClock(at('2026-11-21'));
    t = await testCore({ dataDir: dir, clock });
    const token = await t.setupOwner();
    // A router that is never reachable is enough: billing does not wait for it.
    const r = await t.ok(
      'routers.create',
      { name: 'Router Pusat', host: '127.0.0.1', port: 1, username: 'api', password: 'api-rahasia' },
      token,
    );
    const pkg = await t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'PAKET-10M' },
      token,
    );
    const c = await t.ok(
      'customers.create',
      { name: 'Ahmad Fauzi', phone: '081234567890', routerId: r.id },
      token,
    );
    await t.ok(
      'subscriptions.create',
      { customerId: c.id, packageId: pkg.id, routerId: r.id, billingDay: 10, startDate: '2026-11-10' },
      token,
    );
    await t.ok('billing.runs.start', { job: 'invoices' }, token);
    await t.ok('billing.runs.start', { job: 'isolation' }, token);
    await t.core.stop();

    // Thursday 10 Dec, 08:00: the 00:10 invoice run was missed (PC off); the 10:00 isolation run is still ahead.
    clock.set(at('2026-12-10', 8));
    t = await testCore({ dataDir: dir, clock });
    await billingOf(t.core).scheduler.catchingUp;
    const runs = t.core.deps.database.sqlite
      .prepare("SELECT job, trigger, ok FROM billing_runs WHERE trigger = 'susulan'")
      .all() as { job: string; trigger: string; ok: number }[];
    expect(runs).toEqual([{ job: 'invoices', trigger: 'susulan', ok: 1 }]);
    const dec = t.core.deps.database.sqlite
      .prepare("SELECT due_date AS dueDate FROM invoices WHERE period = '2026-12'")
      .get() as { dueDate: string } | undefined;
    expect(dec?.dueDate).toBe('2026-12-10');

    // A restart later the same day finds nothing more to catch up.
    await t.core.stop();
    clock.set(at('2026-12-10', 9));
    t = await testCore({ dataDir: dir, clock });
    await billingOf(t.core).scheduler.catchingUp;
    expect(
      (
        t.core.deps.database.sqlite
          .prepare("SELECT COUNT(*) AS n FROM billing_runs WHERE trigger = 'susulan'")
          .get() as { n: number }
      ).n,
    ).toBe(1);
  });
});
