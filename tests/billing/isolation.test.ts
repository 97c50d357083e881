import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/core';
import { setup, type Setup } from '../routers/helpers';
import { routerJobsSettled } from './helpers';

const DAY = 86_400_000;

/** Isolation timing: grace, no-isolation days, exemption, promise to pay, restore policy, disable after N days. */
describe('isolation policy', () => {
  let s: Setup | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  async function office() {
    s = await setup({ version: '7.18' });
    const { t, routerId } = s;
    let token = s.token;
    const relogin = async () =>
      (token = (await t.ok('auth.login', { username: 'budi', password: PASSWORD })).token);
    const pkg = await t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'PAKET-10M' },
      token,
    );
    // Billing day 10, started 10 Nov: the first invoice was due 10 Nov; today (fake clock) is Saturday 21 Nov.
    const subscriber = async (name: string, phone: string) => {
      const c = await t.ok('customers.create', { name, phone, routerId }, token);
      const sub = await t.ok(
        'subscriptions.create',
        { customerId: c.id, packageId: pkg.id, routerId, billingDay: 10, startDate: '2026-11-10' },
        token,
      );
      return { c, sub };
    };
    const settings = async (patch: Record<string, unknown>) => {
      const cur = await t.ok('billing.settings.get', {}, token);
      await t.ok('billing.settings.update', { version: cur.version, ...patch }, token);
    };
    const run = async () => (await t.ok('billing.runs.start', { job: 'isolation' }, token)).result ?? {};
    const statusOf = async (id: string) => (await t.ok('customers.get', { id }, token)).customer.status;
    return { t, subscriber, settings, run, statusOf, relogin, tok: () => token };
  }

  it('no isolation on a configured day; exempt customers and promises to pay are spared until the promise lapses', async () => {
    const o = await office();
    const a = await o.subscriber('Ahmad Fauzi', '081234567890');
    const b = await o.subscriber('Budi Hartono', '081234567891');
    const c = await o.subscriber('Citra Dewi', '081234567892');
    await o.t.ok('customers.update', { id: b.c.id, version: b.c.version, isolationExempt: true }, o.tok());
    await o.t.ok(
      'customers.update',
      { id: c.c.id, version: c.c.version, promiseUntil: '2026-11-25' },
      o.tok(),
    );

    await o.settings({ noIsolationWeekdays: [6] }); // Saturday: today
    expect(await o.run()).toMatchObject({ isolated: 0, skippedDay: 1 });
    expect(await o.statusOf(a.c.id)).toBe('active');

    await o.settings({ noIsolationWeekdays: [0] });
    expect(await o.run()).toMatchObject({ isolated: 1 });
    expect(await o.statusOf(a.c.id)).toBe('isolated');
    expect(await o.statusOf(b.c.id)).toBe('active');
    expect(await o.statusOf(c.c.id)).toBe('active');

    // Thursday 26 Nov: the promise has lapsed.
    o.t.clock.advance(5 * DAY);
    await o.relogin();
    expect(await o.run()).toMatchObject({ isolated: 1 });
    expect(await o.statusOf(c.c.id)).toBe('isolated');
    expect(await o.statusOf(b.c.id)).toBe('active');
  });

  it('restore policy "any payment" lifts isolation on a partial payment; a long isolation disables the secret', async () => {
    const o = await office();
    await o.settings({ restorePolicy: 'any', disableAfterDays: 2 });
    const a = await o.subscriber('Dewi Lestari', '081234567893');
    const b = await o.subscriber('Eko Saputra', '081234567894');
    expect(await o.run()).toMatchObject({ isolated: 2 });
    await o.t.ok('payments.record', { customerId: a.c.id, amount: 10_000, method: 'cash' }, o.tok());
    expect(await o.statusOf(a.c.id)).toBe('active');
    await routerJobsSettled(o.t.core);
    const emu = s!.emu;
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .find((r) => r['name'] === a.sub.username)?.['profile'],
    ).toBe('PAKET-10M');

    o.t.clock.advance(3 * DAY); // Tuesday 24 Nov
    await o.relogin();
    // Dewi paid something but still owes: under "any payment" the daily run does not cut her off again for the
    // same arrears (her payment came after that invoice fell due).
    const r = await o.run();
    expect(r).toMatchObject({ isolated: 0, disabled: 1 });
    expect(await o.statusOf(a.c.id)).toBe('active');
    await routerJobsSettled(o.t.core);
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .find((x) => x['name'] === b.sub.username)?.['disabled'],
    ).toBe('true');

    // Monday 14 Dec: the December invoice (due 10 Dec) is unpaid past its 3 grace days — that is new arrears.
    o.t.clock.advance(20 * DAY);
    await o.relogin();
    await o.t.ok('billing.runs.start', { job: 'invoices' }, o.tok());
    expect(await o.run()).toMatchObject({ isolated: 1 });
    expect(await o.statusOf(a.c.id)).toBe('isolated');
  });
});
