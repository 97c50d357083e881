import { afterEach, describe, expect, it } from 'vitest';
import { decodeVoucherComment } from '../../src/shared/vouchers/comment-codec';
import { officeDate } from '../../src/shared/dates';
import { EXPIRY_SCHEDULER_NAME } from '../../src/main/vouchers/router-scripts';
import { PASSWORD } from '../helpers/core';
import { advance, routersOf, setupVouchers, until, type VoucherSetup } from './helpers';

const DAY = 86_400_000;
let s: VoucherSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Moving the clock a day ends the session, as it would in the office. */
async function relogin(s: VoucherSetup): Promise<string> {
  return (await s.t.ok('auth.login', { username: 'budi', password: PASSWORD })).token;
}

async function profileAndBatch(
  s: VoucherSetup,
  count: number,
  policy: 'remove' | 'disable' | 'keep' = 'remove',
) {
  await s.t.ok(
    'vouchers.profiles.save',
    {
      routerId: s.routerId,
      name: '1Hari',
      rateLimit: '2M/2M',
      sharedUsers: 1,
      validitySeconds: 86_400,
      priceCost: 4000,
      priceSell: 5000,
      expiryPolicy: policy,
    },
    s.token,
  );
  const batch = await s.t.ok(
    'vouchers.createBatch',
    {
      routerId: s.routerId,
      profile: '1Hari',
      count,
      length: 6,
      charset: 'alnumUpper',
      note: 'Warung Bu Siti',
    },
    s.token,
  );
  await routersOf(s.t.core).api.waitForBatch(batch.batchId);
  await until(() => s.emu.menu('/system/scheduler').findBy('name', EXPIRY_SCHEDULER_NAME) !== undefined);
  return batch;
}

describe.each(['6.49', '7.18'] as const)('vouchers end to end on RouterOS %s', (version) => {
  it('500 vouchers reach the router; a login is seen at once, expires by policy and is counted as a sale', async () => {
    s = await setupVouchers({ version });
    const batch = await profileAndBatch(s, 500);
    expect(batch.count).toBe(500);

    // All 500 on the router, with the profile and a comment the codec reads back.
    const users = s.emu.menu('/ip/hotspot/user').rows();
    expect(users).toHaveLength(500);
    for (const u of users) {
      expect(u['profile']).toBe('1Hari');
      const meta = decodeVoucherComment(u['comment']);
      expect(meta?.batch).toBe(batch.code);
      expect(meta?.price).toBe(5000);
      expect(meta?.firstLoginAt).toBeNull();
    }
    const progress = await s.t.ok('vouchers.batches.progress', { batchId: batch.batchId }, s.token);
    expect(progress).toMatchObject({ total: 500, pushed: 500, failed: 0, pending: 0 });
    const profile = s.emu.menu('/ip/hotspot/user/profile').findBy('name', '1Hari');
    expect(profile?.['comment']).toMatch(/^VOUCHER_SYSTEM/);
    expect(profile?.['on-login']).toContain('/tool fetch');

    // A customer logs in with one voucher: the router stamps it and calls Rukun back.
    const code = users[7]!['name']!;
    const loginAt = s.emu.now();
    expect(
      s.emu.hotspotLogin({
        user: code,
        password: users[7]!['password']!,
        mac: 'aa:bb:cc:00:00:07',
        ip: '10.5.50.77',
      }).ok,
    ).toBe(true);
    await s.scripts.idle();
    expect(s.scripts.errors).toEqual([]);
    expect(s.scripts.fetches.at(-1)?.status).toBe(200);
    const [active] = (await s.t.ok('vouchers.list', { search: code, offset: 0, limit: 10 }, s.token)).rows;
    expect(active).toMatchObject({ username: code, status: 'active', lastMac: 'AA:BB:CC:00:00:07' });
    expect(active?.firstLoginAt).toBe(Math.floor(loginAt / 1000) * 1000);
    expect(active?.validUntil).toBe(Math.floor(loginAt / 1000) * 1000 + DAY);
    const today = officeDate(loginAt, 'Asia/Jakarta');
    const report = await s.t.ok('vouchers.sales.report', { from: today, to: today, groupBy: 'day' }, s.token);
    expect(report.totals).toEqual({ count: 1, revenue: 5000, cost: 4000, profit: 1000 });

    // Past validity: the router-side scheduler removes it; Rukun's poll sees it expired; the sale stays one.
    await advance(s, DAY + 2 * 60_000);
    s.token = await relogin(s);
    expect(s.scripts.errors).toEqual([]);
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', code)).toBeUndefined();
    expect(s.emu.menu('/ip/hotspot/active').findBy('user', code)).toBeUndefined();
    await s.t.ok('vouchers.sync', { routerId: s.routerId }, s.token);
    const [expired] = (await s.t.ok('vouchers.list', { search: code, offset: 0, limit: 10 }, s.token)).rows;
    expect(expired?.status).toBe('expired');
    const again = await s.t.ok(
      'vouchers.sales.report',
      { from: today, to: officeDate(s.t.clock.now(), 'Asia/Jakarta'), groupBy: 'profile' },
      s.token,
    );
    expect(again.rows).toEqual([
      { key: '1Hari', label: '1Hari', count: 1, revenue: 5000, cost: 4000, profit: 1000 },
    ]);
    expect((await s.t.ok('vouchers.list', { status: 'unused', offset: 0, limit: 1 }, s.token)).total).toBe(
      499,
    );
  });

  it('with Rukun stopped, the router-side scheduler alone expires a used voucher', async () => {
    s = await setupVouchers({ version });
    await profileAndBatch(s, 5, 'disable');
    const [u] = s.emu.menu('/ip/hotspot/user').rows();
    await s.t.core.stop();
    s.emu.hotspotLogin({
      user: u!['name']!,
      password: u!['password']!,
      mac: 'aa:bb:cc:00:00:01',
      ip: '10.5.50.2',
    });
    await s.scripts.idle();
    // The callback failed (Rukun is off) but the login went through and was stamped on the router.
    expect(s.scripts.fetches.at(-1)?.status).toBeNull();
    expect(
      decodeVoucherComment(s.emu.menu('/ip/hotspot/user').findBy('name', u!['name']!)?.['comment'])
        ?.firstLoginAt,
    ).not.toBeNull();
    s.emu.advanceTime(DAY + 2 * 60_000);
    await s.scripts.idle();
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', u!['name']!)?.['disabled']).toBe('true');
    expect(s.emu.menu('/ip/hotspot/active').rows()).toHaveLength(0);
    expect(
      s.emu
        .menu('/ip/hotspot/user')
        .rows()
        .filter((r) => r['disabled'] === 'true'),
    ).toHaveLength(1);
  });
});

describe('vouchers: Rukun applies the expiry policy and learns what the callback missed', () => {
  it('a router without the scheduler still gets expired vouchers removed by the poller; the sale is counted once', async () => {
    s = await setupVouchers({ version: '7.18' });
    await profileAndBatch(s, 3, 'remove');
    // An older setup: no router-side scheduler and no callback (Rukun learns only by polling).
    const sched = s.emu.menu('/system/scheduler').findBy('name', EXPIRY_SCHEDULER_NAME)!;
    s.emu.menu('/system/scheduler').remove(sched['.id']!);
    s.emu.onScriptRun = undefined;
    const [u] = s.emu.menu('/ip/hotspot/user').rows();
    const name = u!['name']!;
    s.emu.hotspotLogin({ user: name, password: u!['password']!, mac: 'aa:bb:cc:00:00:09', ip: '10.5.50.9' });
    await advance(s, 10 * 60_000);
    const first = await s.t.ok('vouchers.sync', { routerId: s.routerId }, s.token);
    expect(first).toMatchObject({ firstLogins: 1, sales: 1 });
    const [v] = (await s.t.ok('vouchers.list', { search: name, offset: 0, limit: 1 }, s.token)).rows;
    expect(v?.status).toBe('active');
    expect(v?.uptimeSeconds).toBe(600);

    await advance(s, DAY);
    s.token = await relogin(s);
    const second = await s.t.ok('vouchers.sync', { routerId: s.routerId }, s.token);
    expect(second).toMatchObject({ expired: 1, sales: 0 });
    await until(() => s!.emu.menu('/ip/hotspot/user').findBy('name', name) === undefined);
    expect(s.emu.menu('/ip/hotspot/active').findBy('user', name)).toBeUndefined();
    const today = officeDate(s.t.clock.now(), 'Asia/Jakarta');
    const report = await s.t.ok(
      'vouchers.sales.report',
      { from: '2026-01-01', to: today, groupBy: 'month' },
      s.token,
    );
    expect(report.totals.count).toBe(1);
  });

  it('refuses a callback with a wrong token', async () => {
    s = await setupVouchers({ version: '7.18' });
    await profileAndBatch(s, 1);
    const [u] = s.emu.menu('/ip/hotspot/user').rows();
    const url = `${s.t.core.httpUrl}/hooks/hotspot/login?r=${s.routerId}&t=salah&u=${u!['name']}&f=1`;
    expect((await fetch(url)).status).toBe(403);
    const [v] = (await s.t.ok('vouchers.list', { offset: 0, limit: 1 }, s.token)).rows;
    expect(v?.status).toBe('unused');
  });
});
