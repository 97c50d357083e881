import { afterEach, describe, expect, it } from 'vitest';
import { decodeVoucherComment } from '../../src/shared/vouchers/comment-codec';
import { routersOf, setupVouchers, until, waitEvent, type VoucherSetup } from './helpers';

let s: VoucherSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function ready(count = 4) {
  s = await setupVouchers({ version: '7.18' });
  await s.t.ok(
    'vouchers.profiles.save',
    {
      routerId: s.routerId,
      name: '1Hari',
      validitySeconds: 86_400,
      priceCost: 4000,
      priceSell: 5000,
      expiryPolicy: 'disable',
    },
    s.token,
  );
  const batch = await s.t.ok(
    'vouchers.createBatch',
    { routerId: s.routerId, profile: '1Hari', count, length: 6, charset: 'alnumUpper' },
    s.token,
  );
  await routersOf(s.t.core).api.waitForBatch(batch.batchId);
  const rows = (
    await s.t.ok(
      'vouchers.list',
      { batchId: batch.batchId, offset: 0, limit: 100, sort: { field: 'username', dir: 'asc' } },
      s.token,
    )
  ).rows;
  return { s, batch, rows };
}

const user = (s: VoucherSetup, name: string) => s.emu.menu('/ip/hotspot/user').findBy('name', name);

describe('voucher actions', () => {
  it('disable, enable, extend and delete reach the router', async () => {
    const { s, rows } = await ready();
    const [a, b, c] = rows;
    // a is in use.
    s.emu.hotspotLogin({
      user: a!.username,
      password: a!.password,
      mac: 'aa:00:00:00:00:01',
      ip: '10.5.50.3',
    });
    await s.scripts.idle();
    const before = (await s.t.ok('vouchers.list', { search: a!.username, offset: 0, limit: 1 }, s.token))
      .rows[0]!;
    expect(before.status).toBe('active');

    await s.t.ok('vouchers.disable', { ids: [a!.id] }, s.token);
    await until(
      () =>
        user(s, a!.username)?.['disabled'] === 'true' && s.emu.menu('/ip/hotspot/active').rows().length === 0,
    );
    await s.t.ok('vouchers.enable', { ids: [a!.id] }, s.token);
    await until(() => user(s, a!.username)?.['disabled'] === 'false');

    const ext = await s.t.ok('vouchers.extend', { ids: [a!.id, b!.id], seconds: 3600 }, s.token);
    expect(ext.changed).toBe(1); // b is unused: its validity has not started
    const after = (await s.t.ok('vouchers.list', { search: a!.username, offset: 0, limit: 1 }, s.token))
      .rows[0]!;
    expect(after.validUntil).toBe(before.validUntil! + 3_600_000);
    await until(
      () => decodeVoucherComment(user(s, a!.username)?.['comment'])?.validUntil === after.validUntil,
    );

    await s.t.ok('vouchers.delete', { ids: [c!.id] }, s.token);
    await until(() => user(s, c!.username) === undefined);
    expect((await s.t.ok('vouchers.list', { status: 'removed', offset: 0, limit: 10 }, s.token)).total).toBe(
      1,
    );
    expect(await s.t.ok('vouchers.stats', {}, s.token)).toMatchObject({
      unused: 2,
      active: 1,
      salesToday: 1,
      revenueToday: 5000,
    });
  });

  it('prints a batch as PDF in every layout and exports the sales report', async () => {
    const { s, batch, rows } = await ready(3);
    for (const layout of ['a4-compact', 'a4-cards', 'thermal-58', 'thermal-80'] as const) {
      const pdf = await s.t.ok('vouchers.printPdf', { batchId: batch.batchId, layout }, s.token);
      expect(pdf.count).toBe(3);
      expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    }
    s.emu.hotspotLogin({
      user: rows[0]!.username,
      password: rows[0]!.password,
      mac: 'aa:00:00:00:00:02',
      ip: '10.5.50.4',
    });
    await s.scripts.idle();
    const csv = await s.t.ok(
      'vouchers.sales.export',
      { from: '2026-11-01', to: '2026-11-30', groupBy: 'profile', format: 'csv' },
      s.token,
    );
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text).toContain('Profil,Terjual,Pendapatan (Rp),Modal (Rp),Laba (Rp)');
    expect(text).toContain('1Hari,1,5000,4000,1000');
    const xlsx = await s.t.ok(
      'vouchers.sales.export',
      { from: '2026-11-01', to: '2026-11-30', groupBy: 'day', format: 'xlsx' },
      s.token,
    );
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('a technician may look but not create batches; a cashier sells', async () => {
    const { s } = await ready(1);
    const tech = await s.t.staff(s.token, 'technician');
    const res = await s.t.raw(
      'vouchers.createBatch',
      { routerId: s.routerId, profile: '1Hari', count: 1, length: 6, charset: 'alnumUpper' },
      tech,
    );
    expect(res.ok ? null : res.error.code).toBe('FORBIDDEN');
    expect((await s.t.ok('vouchers.list', { offset: 0, limit: 5 }, tech)).total).toBe(1);
    const cashier = await s.t.staff(s.token, 'cashier');
    const ok = await s.t.ok(
      'vouchers.createBatch',
      { routerId: s.routerId, profile: '1Hari', count: 2, length: 6, charset: 'alnumUpper' },
      cashier,
    );
    expect(ok.count).toBe(2);
    const tooSmall = await s.t.raw(
      'vouchers.createBatch',
      { routerId: s.routerId, profile: '1Hari', count: 100, length: 3, charset: 'digits' },
      cashier,
    );
    expect(tooSmall.ok ? null : tooSmall.error.code).toBe('VALIDATION');
  });
});

describe('import from Mikhmon', () => {
  it('adopts Mikhmon profiles, vc- users, in-use users and sales scripts (twice is harmless)', async () => {
    s = await setupVouchers({ version: '6.49' });
    s.emu.seed('/ip/hotspot/user/profile', [
      {
        name: '1Hari',
        'shared-users': '1',
        'rate-limit': '2M/2M',
        'on-login': ':put (",remc,3000,1d,5000,,Enable,Disable,"); :local mode "X";',
      },
    ]);
    s.emu.seed('/ip/hotspot/user', [
      { name: 'ab123', password: 'ab123', profile: '1Hari', comment: 'vc-123-11.20.26-' },
      { name: 'cd456', password: 'cd456', profile: '1Hari', comment: 'nov/22/2026 09:00:00 X' },
      { name: 'tamu', password: 'x', profile: 'default', comment: 'tamu kantor' },
    ]);
    s.emu.seed('/system/script', [
      {
        name: 'nov/21/2026-|-09:00:00-|-cd456-|-5000-|-10.5.50.2-|-AA:BB:CC:DD:EE:FF-|-1d-|-1Hari-|-vc-123-11.20.26-',
        comment: 'mikhmon',
        source: 'nov/21/2026',
      },
    ]);
    const first = await s.t.ok('vouchers.importMikhmon', { routerId: s.routerId }, s.token);
    expect(first).toEqual({ profiles: 1, vouchers: 2, sales: 1 });
    const again = await s.t.ok('vouchers.importMikhmon', { routerId: s.routerId }, s.token);
    expect(again).toEqual({ profiles: 0, vouchers: 0, sales: 0 });
    const [profile] = await s.t.ok('vouchers.profiles.list', { routerId: s.routerId }, s.token);
    expect(profile).toMatchObject({
      name: '1Hari',
      validitySeconds: 86_400,
      priceCost: 3000,
      priceSell: 5000,
      expiryPolicy: 'remove',
      origin: 'mikhmon',
    });
    const list = (
      await s.t.ok(
        'vouchers.list',
        { offset: 0, limit: 10, sort: { field: 'username', dir: 'asc' } },
        s.token,
      )
    ).rows;
    expect(list.map((v) => [v.username, v.status])).toEqual([
      ['ab123', 'unused'],
      ['cd456', 'active'],
    ]);
    const report = await s.t.ok(
      'vouchers.sales.report',
      { from: '2026-11-21', to: '2026-11-21', groupBy: 'router' },
      s.token,
    );
    expect(report.rows).toEqual([
      { key: s.routerId, label: 'Router Pusat', count: 1, revenue: 5000, cost: 3000, profit: 2000 },
    ]);
  });
});

describe('reconciler adoption', () => {
  it('adopts VOUCHER_SYSTEM users found only on the router, with their price and stamps', async () => {
    s = await setupVouchers({ version: '7.18' });
    await s.t.ok(
      'vouchers.profiles.save',
      { routerId: s.routerId, name: '1Hari', validitySeconds: 86_400, priceCost: 4000, priceSell: 5000 },
      s.token,
    );
    const first = Math.floor(s.emu.now() / 1000) - 3600;
    s.emu.seed('/ip/hotspot/user', [
      { name: 'LAMA01', password: 'LAMA01', profile: '1Hari', comment: 'VOUCHER_SYSTEM|5000||' },
      {
        name: 'LAMA02',
        password: 'rahasia',
        profile: '1Hari',
        comment: `VOUCHER_SYSTEM|10000|${first}|${first + 86_400}`,
      },
      { name: 'tamu', password: 'x', profile: 'default', comment: 'bukan voucher' },
    ]);
    const r = await s.t.ok('reconcile.adopt', { routerId: s.routerId, menus: ['/ip/hotspot/user'] }, s.token);
    expect(r.adopted).toMatchObject({ '/ip/hotspot/user': 2 });
    const list = (
      await s.t.ok(
        'vouchers.list',
        { offset: 0, limit: 10, sort: { field: 'username', dir: 'asc' } },
        s.token,
      )
    ).rows;
    expect(list.map((v) => [v.username, v.status, v.priceSell, v.source])).toEqual([
      ['LAMA01', 'unused', 5000, 'adopted'],
      ['LAMA02', 'active', 10000, 'adopted'],
    ]);
    expect(list[1]?.validUntil).toBe((first + 86_400) * 1000);
  });
});

describe('router unreachable', () => {
  it('reading an offline router answers ROUTER_UNREACHABLE, not an internal error', async () => {
    s = await setupVouchers({ version: '6.49' });
    const offline = waitEvent(s.t.core, 'routers.status', (p) => !p.online);
    s.emu.pause();
    await offline;
    const r = await s.t.raw('vouchers.sync', { routerId: s.routerId }, s.token);
    expect(r.ok ? null : r.error.code).toBe('ROUTER_UNREACHABLE');
  });
});

describe('LAN address change', () => {
  it('re-installs the on-login callback with the new address on every voucher profile', async () => {
    const { s } = await ready(1);
    const profile = () => s.emu.menu('/ip/hotspot/user/profile').findBy('name', '1Hari')?.['on-login'] ?? '';
    await until(() => profile().length > 0);
    const settings = await s.t.ok('settings.get', {}, s.token);
    await s.t.ok(
      'settings.update',
      { version: settings.version, publicUrl: 'http://192.168.88.10:3210' },
      s.token,
    );
    routersOf(s.t.core).api.poke(s.routerId);
    await until(() => profile().includes('http://192.168.88.10:3210/'));
  });
});
