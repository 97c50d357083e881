/**
 * The router's durable sale records (`rukun-sale|<user>|<first-login>` scripts): a sale survives the office PC being
 * off both at the first login and when the router removes the expired voucher; collected once, then removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import { officeDate } from '../../src/shared/dates';
import { EXPIRY_SCHEDULER_NAME } from '../../src/main/vouchers/router-scripts';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { attachScriptInterpreter } from '../emulator/routeros/script/index';
import { PASSWORD } from '../helpers/core';
import { ROS_USER, tune } from '../routers/helpers';
import {
  advance,
  routersOf,
  setupVouchers,
  until,
  vouchersOf,
  waitEvent,
  type VoucherSetup,
} from './helpers';

const DAY = 86_400_000;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const saleRecords = (emu: RouterOsEmulator) =>
  emu
    .menu('/system/script')
    .rows()
    .filter((r) => r['name']?.startsWith('rukun-sale|'));

async function call<T>(core: Core, method: string, input: unknown, token: string | null): Promise<T> {
  const res = await core.call(method, input, { token, via: 'http' });
  if (!res.ok) throw new Error(`${method}: ${res.error.code} ${res.error.message}`);
  return res.value as T;
}

interface SalesReportOut {
  rows: Array<{ key: string; count: number; revenue: number; cost: number }>;
  totals: { count: number; revenue: number; cost: number; profit: number };
}

describe.each(['6.49', '7.18'] as const)('sale records on RouterOS %s', (version) => {
  it('Rukun off at first login and at removal: the sale is counted once on restart and the record is removed', async () => {
    const emu = new RouterOsEmulator({ version, users: [ROS_USER] });
    const scripts = attachScriptInterpreter(emu, { fetchTimeoutMs: 2000 });
    const { port } = await emu.start();
    cleanups.push(
      () => emu.stop(),
      () => scripts.idle(),
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'rukun-sale-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const clock = new FakeClock();
    clock.set(emu.now());
    const open = async (): Promise<Core> => {
      const core = createCore({
        dataDir,
        clock,
        logLevel: 'silent',
        validateOutput: true,
        http: { host: '127.0.0.1', port: 0, serveApi: false },
      });
      await core.start();
      tune(core);
      return core;
    };

    // First run: the office, the router, a "remove" profile and three vouchers on the router.
    const first = await open();
    cleanups.push(() => first.stop());
    const { token } = await call<{ token: string }>(
      first,
      'auth.setup',
      { officeName: 'Sukamaju Net', fullName: 'Budi', username: 'budi', password: PASSWORD },
      null,
    );
    const online = waitEvent(first, 'routers.status', (p) => p.online);
    const router = await call<{ id: string }>(
      first,
      'routers.create',
      {
        name: 'Pusat',
        host: '127.0.0.1',
        port,
        tls: false,
        username: ROS_USER.name,
        password: ROS_USER.password,
      },
      token,
    );
    await online;
    await call(
      first,
      'vouchers.profiles.save',
      {
        routerId: router.id,
        name: '1Hari',
        rateLimit: '2M/2M',
        sharedUsers: 1,
        validitySeconds: 86_400,
        priceCost: 4000,
        priceSell: 5000,
        expiryPolicy: 'remove',
      },
      token,
    );
    const batch = await call<{ batchId: string }>(
      first,
      'vouchers.createBatch',
      { routerId: router.id, profile: '1Hari', count: 3, length: 6, charset: 'alnumUpper' },
      token,
    );
    await routersOf(first).api.waitForBatch(batch.batchId);
    await until(() => emu.menu('/system/scheduler').findBy('name', EXPIRY_SCHEDULER_NAME) !== undefined);
    await first.stop();

    // Rukun is off: a customer uses a voucher; the day passes; the router's scheduler removes it.
    const [u] = emu.menu('/ip/hotspot/user').rows();
    const code = u!['name']!;
    const loginAt = Math.floor(emu.now() / 1000) * 1000;
    expect(
      emu.hotspotLogin({ user: code, password: u!['password']!, mac: 'aa:bb:cc:00:00:01', ip: '10.5.50.2' })
        .ok,
    ).toBe(true);
    await scripts.idle();
    expect(scripts.fetches.at(-1)?.status).toBeNull();
    emu.advanceTime(DAY + 2 * 60_000);
    clock.advance(DAY + 2 * 60_000);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(emu.menu('/ip/hotspot/user').findBy('name', code)).toBeUndefined();
    expect(saleRecords(emu).map((r) => r['name'])).toEqual([`rukun-sale|${code}|${loginAt / 1000}`]);

    // Rukun comes back: the poll collects the record, counts the sale once and removes the record.
    const second = await open();
    cleanups.push(() => second.stop());
    const token2 = (
      await call<{ token: string }>(second, 'auth.login', { username: 'budi', password: PASSWORD }, null)
    ).token;
    await until(async () =>
      (await call<Array<{ online: boolean }>>(second, 'routers.list', {}, token2)).some((r) => r.online),
    );
    const res = await vouchersOf(second).api.sync(router.id);
    expect(res).toMatchObject({ saleRecords: 1, sales: 1 });
    await until(() => saleRecords(emu).length === 0);
    const list = await call<{
      rows: Array<{
        status: string;
        firstLoginAt: number | null;
        validUntil: number | null;
        profile: string;
      }>;
    }>(second, 'vouchers.list', { search: code, offset: 0, limit: 10 }, token2);
    expect(list.rows[0]).toMatchObject({
      status: 'expired',
      firstLoginAt: loginAt,
      validUntil: loginAt + DAY,
      profile: '1Hari',
    });
    const day = officeDate(loginAt, 'Asia/Jakarta');
    const report = await call<SalesReportOut>(
      second,
      'vouchers.sales.report',
      { from: day, to: day, groupBy: 'profile' },
      token2,
    );
    expect(report.rows).toEqual([
      expect.objectContaining({ key: '1Hari', count: 1, revenue: 5000, cost: 4000 }),
    ]);

    // Polling again counts nothing more; the two unused vouchers are untouched.
    expect(await vouchersOf(second).api.sync(router.id)).toMatchObject({
      saleRecords: 0,
      sales: 0,
      firstLogins: 0,
    });
    const again = await call<SalesReportOut>(
      second,
      'vouchers.sales.report',
      { from: day, to: officeDate(clock.now(), 'Asia/Jakarta'), groupBy: 'day' },
      token2,
    );
    expect(again.totals).toEqual({ count: 1, revenue: 5000, cost: 4000, profit: 1000 });
    expect(
      (
        await call<{ total: number }>(
          second,
          'vouchers.list',
          { status: 'unused', offset: 0, limit: 1 },
          token2,
        )
      ).total,
    ).toBe(2);
  }, 60_000);

  it('a sale already known through the LAN callback is not counted again when its record is collected', async () => {
    const s: VoucherSetup = await setupVouchers({ version });
    cleanups.push(() => s.close());
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
        expiryPolicy: 'remove',
      },
      s.token,
    );
    const batch = await s.t.ok(
      'vouchers.createBatch',
      { routerId: s.routerId, profile: '1Hari', count: 2, length: 6, charset: 'alnumUpper' },
      s.token,
    );
    await routersOf(s.t.core).api.waitForBatch(batch.batchId);
    await until(() => s.emu.menu('/system/scheduler').findBy('name', EXPIRY_SCHEDULER_NAME) !== undefined);
    const [u] = s.emu.menu('/ip/hotspot/user').rows();
    const code = u!['name']!;
    const loginAt = Math.floor(s.emu.now() / 1000) * 1000;
    s.emu.hotspotLogin({ user: code, password: u!['password']!, mac: 'aa:bb:cc:00:00:02', ip: '10.5.50.3' });
    await s.scripts.idle();
    expect(s.scripts.fetches.at(-1)?.status).toBe(200);
    const day = officeDate(loginAt, 'Asia/Jakarta');
    expect(
      (await s.t.ok('vouchers.sales.report', { from: day, to: day, groupBy: 'day' }, s.token)).totals.count,
    ).toBe(1);

    // The callback made the record written before it redundant: Rukun removes it through a router job.
    await until(() => saleRecords(s.emu).length === 0);
    expect(await s.t.ok('vouchers.sync', { routerId: s.routerId }, s.token)).toMatchObject({
      sales: 0,
      firstLogins: 0,
    });

    // At removal the router writes the record again (it was collected); Rukun collects it without a second sale.
    await advance(s, DAY + 2 * 60_000);
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', code)).toBeUndefined();
    expect(saleRecords(s.emu)).toHaveLength(1);
    const token = (await s.t.ok('auth.login', { username: 'budi', password: PASSWORD })).token;
    expect(await s.t.ok('vouchers.sync', { routerId: s.routerId }, token)).toMatchObject({
      saleRecords: 1,
      sales: 0,
      firstLogins: 0,
    });
    await until(() => saleRecords(s.emu).length === 0);
    const report = await s.t.ok(
      'vouchers.sales.report',
      { from: day, to: officeDate(s.t.clock.now(), 'Asia/Jakarta'), groupBy: 'day' },
      token,
    );
    expect(report.totals).toEqual({ count: 1, revenue: 5000, cost: 4000, profit: 1000 });
    const [v] = (await s.t.ok('vouchers.list', { search: code, offset: 0, limit: 1 }, token)).rows;
    expect(v).toMatchObject({ status: 'expired', firstLoginAt: loginAt });
  }, 60_000);
});
