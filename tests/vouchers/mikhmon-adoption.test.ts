/**
 * Importing what Mikhmon v3 left on a router, with the data written by Mikhmon's own scripts: its profiles and
 * monitor as its "add user profile" form saves them, its vouchers as its generator makes them, and the comments
 * and sales records its on-login script writes when customers log in (run by the emulator on 6.49 and 7.18).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addMikhmonProfile, addMikhmonVouchers } from '../emulator/routeros/fixtures/mikhmon';
import { advance, routersOf, setupVouchers, until, type VoucherSetup } from './helpers';

let s: VoucherSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const MAC = (n: number) => `AA:BB:CC:00:00:${String(n).padStart(2, '0')}`;

async function login(setup: VoucherSetup, user: string, n: number, password = user): Promise<void> {
  const r = setup.emu.hotspotLogin({ user, password, mac: MAC(n), ip: `10.5.50.${n + 1}` });
  expect(r).toMatchObject({ ok: true });
  await setup.scripts.idle();
}

interface SaleRow {
  voucher_id: string | null;
  username: string;
  price_sell: number;
  price_cost: number;
  source: string;
}

function salesRows(setup: VoucherSetup): SaleRow[] {
  return setup.t.core.deps.database.sqlite
    .prepare(
      'SELECT voucher_id, username, price_sell, price_cost, source FROM voucher_sales ORDER BY username',
    )
    .all() as SaleRow[];
}

async function vouchers(setup: VoucherSetup) {
  return (
    await setup.t.ok(
      'vouchers.list',
      { offset: 0, limit: 100, sort: { field: 'username', dir: 'asc' } },
      setup.token,
    )
  ).rows;
}

async function profiles(setup: VoucherSetup) {
  const list = await setup.t.ok('vouchers.profiles.list', { routerId: setup.routerId }, setup.token);
  return new Map(list.map((p) => [p.name, p]));
}

const importMikhmon = (setup: VoucherSetup) =>
  setup.t.ok('vouchers.importMikhmon', { routerId: setup.routerId }, setup.token);
const sync = (setup: VoucherSetup) => setup.t.ok('vouchers.sync', { routerId: setup.routerId }, setup.token);

describe('Mikhmon import: prices and sales', () => {
  for (const version of ['6.49', '7.18'] as const) {
    it(`a blank selling price falls back to the price; imported sales link to their voucher at its one price (${version})`, async () => {
      s = await setupVouchers({ version });
      addMikhmonProfile(s.emu, {
        name: '1Hari',
        expmode: 'remc',
        validity: '1d',
        price: '3000',
        sprice: '',
        lock: 'Disable',
      });
      addMikhmonProfile(s.emu, {
        name: '3Jam',
        expmode: 'ntfc',
        validity: '3h',
        price: '2000',
        sprice: '2500',
        lock: 'Disable',
      });
      addMikhmonVouchers(s.emu, {
        profile: '1Hari',
        names: ['a1', 'a2', 'a3'],
        batch: '101',
        date: '11.20.26',
      });
      addMikhmonVouchers(s.emu, { profile: '3Jam', names: ['b1', 'b2'], batch: '202', date: '11.20.26' });
      await login(s, 'a1', 1);
      await login(s, 'b1', 2);
      expect(s.scripts.errors).toEqual([]);

      expect(await importMikhmon(s)).toEqual({ profiles: 2, vouchers: 5, sales: 2 });
      const p = await profiles(s);
      expect(p.get('1Hari')).toMatchObject({ priceSell: 3000, priceCost: 0, expiryPolicy: 'remove' });
      expect(p.get('3Jam')).toMatchObject({ priceSell: 2500, priceCost: 2000, expiryPolicy: 'keep' });
      const list = await vouchers(s);
      for (const v of list) {
        expect(v.priceSell).toBe(p.get(v.profile)?.priceSell);
        expect(v.priceSell).toBeGreaterThan(0);
      }
      expect(list.map((v) => [v.username, v.status])).toEqual([
        ['a1', 'active'],
        ['a2', 'unused'],
        ['a3', 'unused'],
        ['b1', 'active'],
        ['b2', 'unused'],
      ]);
      // Each record is linked to its voucher and counted at that voucher's price (Mikhmon wrote 2000 for b1).
      const byId = new Map(list.map((v) => [v.id, v]));
      const sales = salesRows(s);
      expect(sales).toHaveLength(2);
      for (const sale of sales) {
        const v = byId.get(sale.voucher_id ?? '');
        expect(v?.username).toBe(sale.username);
        expect([sale.price_sell, sale.price_cost]).toEqual([v?.priceSell, v?.priceCost]);
      }
      const report = await s.t.ok(
        'vouchers.sales.report',
        { from: '2026-11-21', to: '2026-11-21', groupBy: 'profile' },
        s.token,
      );
      expect(report.totals).toMatchObject({ count: 2, revenue: 5500, cost: 2000 });
    });
  }

  it('re-running the import never counts a login twice, whether the poll or the import saw it first', async () => {
    s = await setupVouchers({ version: '6.49' });
    addMikhmonProfile(s.emu, {
      name: '1Hari',
      expmode: 'remc',
      validity: '1d',
      price: '3000',
      sprice: '5000',
      lock: 'Disable',
    });
    addMikhmonVouchers(s.emu, {
      profile: '1Hari',
      names: ['a1', 'a2', 'a3'],
      batch: '101',
      date: '11.20.26',
    });
    expect(await importMikhmon(s)).toEqual({ profiles: 1, vouchers: 3, sales: 0 });

    // a1: Mikhmon's on-login (still the profile's) stamps it and writes its record; Rukun's poll sees it first.
    await login(s, 'a1', 1);
    expect((await sync(s)).sales).toBe(1);
    expect(await importMikhmon(s)).toEqual({ profiles: 0, vouchers: 0, sales: 0 });
    // a2: the import sees the record first, then the poll.
    await advance(s, 60_000);
    await login(s, 'a2', 2);
    expect(await importMikhmon(s)).toEqual({ profiles: 0, vouchers: 0, sales: 1 });
    expect((await sync(s)).sales).toBe(0);
    expect(await importMikhmon(s)).toEqual({ profiles: 0, vouchers: 0, sales: 0 });

    const sales = salesRows(s);
    expect(sales.map((x) => [x.username, x.price_sell, x.voucher_id !== null])).toEqual([
      ['a1', 5000, true],
      ['a2', 5000, true],
    ]);
    const a2 = (await vouchers(s)).find((v) => v.username === 'a2')!;
    // The record's time is the voucher's first login.
    expect(a2.firstLoginAt).toBe(s.emu.now());
    expect(a2.status).toBe('active');

    // A loose copy of a counted sale (what an older import left) goes on the next import.
    s.t.core.deps.database.sqlite
      .prepare(
        `INSERT INTO voucher_sales (id, voucher_id, router_id, username, profile, at, office_date, price_sell,
           price_cost, source, created_at) VALUES ('loose', NULL, ?, 'a2', '1Hari', ?, '2026-11-21', 3000, 3000,
           'mikhmon', 1)`,
      )
      .run(s.routerId, a2.firstLoginAt);
    await importMikhmon(s);
    expect(salesRows(s)).toHaveLength(2);
  });

  it('a sales record whose voucher Mikhmon already removed stands alone, once, at the profile prices', async () => {
    s = await setupVouchers({ version: '6.49' });
    addMikhmonProfile(s.emu, {
      name: '1Jam',
      expmode: 'remc',
      validity: '1h',
      price: '1000',
      sprice: '',
      lock: 'Disable',
    });
    addMikhmonVouchers(s.emu, { profile: '1Jam', names: ['c1'], batch: '303', date: '11.21.26' });
    await login(s, 'c1', 3);
    // Mikhmon's monitor removes it after the hour (Rukun not watching yet).
    await advance(s, 65 * 60_000);
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'c1')).toBeUndefined();
    expect(await importMikhmon(s)).toEqual({ profiles: 1, vouchers: 0, sales: 1 });
    expect(await importMikhmon(s)).toEqual({ profiles: 0, vouchers: 0, sales: 0 });
    expect(salesRows(s)).toEqual([
      { voucher_id: null, username: 'c1', price_sell: 1000, price_cost: 0, source: 'mikhmon' },
    ]);
  });
});

describe('Mikhmon import: vouchers in use and expiry', () => {
  it('a voucher in use whose comment is still vc- (mode None) is in use, and no sale is made up for it', async () => {
    s = await setupVouchers({ version: '7.18' });
    addMikhmonProfile(s.emu, {
      name: 'Bebas',
      expmode: '0',
      validity: '',
      price: '3000',
      sprice: '',
      lock: 'Disable',
    });
    addMikhmonVouchers(s.emu, {
      profile: 'Bebas',
      names: ['n1', 'n2', 'n3'],
      batch: '404',
      date: '11.20.26',
    });
    await login(s, 'n1', 1);
    await advance(s, 10 * 60_000);
    s.emu.hotspotLogout('n1');
    await login(s, 'n2', 2);
    await advance(s, 60_000);
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'n1')?.['comment']).toBe('vc-404-11.20.26-');

    expect(await importMikhmon(s)).toEqual({ profiles: 1, vouchers: 3, sales: 0 });
    let list = await vouchers(s);
    expect(list.map((v) => [v.username, v.status])).toEqual([
      ['n1', 'active'],
      ['n2', 'active'],
      ['n3', 'unused'],
    ]);
    expect((await profiles(s)).get('Bebas')).toMatchObject({ expiryPolicy: 'keep', priceSell: 3000 });
    // Sold under Mikhmon (which kept no record in this mode): the poll does not invent the sale.
    expect((await sync(s)).sales).toBe(0);
    expect(salesRows(s)).toEqual([]);

    // As an older import left it (first login unknown): the poll still does not count a login older than the import.
    s.t.core.deps.database.sqlite
      .prepare(`UPDATE vouchers SET first_login_at = NULL, status = 'unused' WHERE username = 'n1'`)
      .run();
    expect((await sync(s)).sales).toBe(0);
    list = await vouchers(s);
    expect(list.find((v) => v.username === 'n1')?.status).toBe('active');

    // A first login after the import is a sale, at the voucher's price.
    await advance(s, 5 * 60_000);
    await login(s, 'n3', 3);
    await advance(s, 60_000);
    expect((await sync(s)).sales).toBe(1);
    expect(salesRows(s).map((x) => [x.username, x.price_sell])).toEqual([['n3', 3000]]);
  });

  it('"Notice" expiry maps to keep: at expiry the voucher stays, enabled, with limit-uptime=1s', async () => {
    s = await setupVouchers({ version: '7.18' });
    addMikhmonProfile(s.emu, {
      name: '2Jam',
      expmode: 'ntf',
      validity: '2h',
      price: '2000',
      sprice: '',
      lock: 'Disable',
    });
    addMikhmonProfile(s.emu, {
      name: '1Hari',
      expmode: 'rem',
      validity: '1d',
      price: '3000',
      sprice: '',
      lock: 'Disable',
    });
    addMikhmonVouchers(s.emu, { profile: '2Jam', names: ['k1'], batch: '505', date: '11.20.26' });
    await login(s, 'k1', 1);
    await importMikhmon(s);
    const p = await profiles(s);
    expect(p.get('2Jam')?.expiryPolicy).toBe('keep');
    expect(p.get('1Hari')?.expiryPolicy).toBe('remove');
    // On 7.18 Mikhmon v3's monitor cannot read the expiry it stamped; Rukun's poll expires the voucher.
    await advance(s, 2 * 3_600_000 + 2 * 60_000);
    const r = await sync(s);
    expect(r.expired).toBe(1);
    await until(() => s!.emu.menu('/ip/hotspot/user').findBy('name', 'k1')?.['limit-uptime'] === '1s');
    const user = s.emu.menu('/ip/hotspot/user').findBy('name', 'k1')!;
    expect(user['disabled']).toBe('false');
    expect((await vouchers(s)).find((v) => v.username === 'k1')?.status).toBe('expired');
  });
});

describe('Mikhmon import: lock to MAC', () => {
  it("keeps Mikhmon's lock: the profile says so, and stays locked when Rukun takes it over", async () => {
    s = await setupVouchers({ version: '6.49' });
    addMikhmonProfile(s.emu, {
      name: '1Hari',
      expmode: 'remc',
      validity: '1d',
      price: '3000',
      sprice: '5000',
      lock: 'Enable',
    });
    addMikhmonVouchers(s.emu, { profile: '1Hari', names: ['m1'], batch: '606', date: '11.20.26' });
    await login(s, 'm1', 1);
    await importMikhmon(s);
    const p = (await profiles(s)).get('1Hari')!;
    expect(p.lockMac).toBe(true);
    const m1 = (await vouchers(s)).find((v) => v.username === 'm1')!;
    expect(m1.lastMac).toBe(MAC(1));

    // The office saves the profile in Rukun (the form does not send lockMac): Rukun's on-login keeps the lock.
    await s.t.ok(
      'vouchers.profiles.save',
      {
        routerId: s.routerId,
        name: '1Hari',
        validitySeconds: p.validitySeconds,
        priceCost: p.priceCost,
        priceSell: p.priceSell,
        expiryPolicy: p.expiryPolicy,
        version: p.version,
      },
      s.token,
    );
    expect((await profiles(s)).get('1Hari')?.lockMac).toBe(true);
    const batch = await s.t.ok(
      'vouchers.createBatch',
      { routerId: s.routerId, profile: '1Hari', count: 1, length: 6, charset: 'alnumUpper' },
      s.token,
    );
    await until(
      () =>
        s!.emu
          .menu('/ip/hotspot/user/profile')
          .findBy('name', '1Hari')
          ?.['on-login']?.includes('rukun:voucher-on-login') === true,
    );
    await routersOf(s.t.core).api.waitForBatch(batch.batchId);
    const code = (await vouchers(s)).find((v) => v.batchId === batch.batchId)!;
    await login(s, code.username, 7, code.password);
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', code.username)?.['mac-address']).toBe(MAC(7));
    s.emu.hotspotLogout(code.username);
    expect(
      s.emu.hotspotLogin({ user: code.username, password: code.password, mac: MAC(8), ip: '10.5.50.9' }),
    ).toMatchObject({ ok: false });
    // The voucher Mikhmon locked stays locked to its device.
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'm1')?.['mac-address']).toBe(MAC(1));
  });
});
