import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeVoucherComment } from '../../src/shared/vouchers/comment-codec';
import {
  EXPIRY_SCHEDULER_NAME,
  nowSnippet,
  parseSaleRecordName,
  voucherExpiryScript,
  voucherOnLoginScript,
} from '../../src/main/vouchers/router-scripts';
import { HOTSPOT_REJECT, RouterOsEmulator } from '../emulator/routeros/index';
import { attachScriptInterpreter } from '../emulator/routeros/script/index';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function callbackServer(): Promise<{ url: string; hits: URL[] }> {
  const hits: URL[] = [];
  const server = http.createServer((req, res) => {
    hits.push(new URL(req.url ?? '/', 'http://x'));
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/hotspot/login`, hits };
}

const DAY = 86_400_000;

describe.each(['6.49', '7.18'] as const)('voucher router scripts on RouterOS %s', (version) => {
  async function setup(policy: 'remove' | 'disable' | 'keep') {
    const emu = new RouterOsEmulator({ version });
    const scripts = attachScriptInterpreter(emu);
    const cb = await callbackServer();
    emu.menu('/ip/hotspot/user/profile').add({
      name: '1Hari',
      comment: 'VOUCHER_SYSTEM',
      'on-login': voucherOnLoginScript({
        validitySeconds: 86_400,
        callbackUrl: cb.url,
        routerId: 'r-1',
        token: 'tok$"x',
      }),
    });
    emu.menu('/ip/hotspot/user').add({
      name: 'K7Q4',
      password: 'K7Q4',
      profile: '1Hari',
      comment: 'VOUCHER_SYSTEM|5000|||v2|b=B1|m=4000',
    });
    emu
      .menu('/ip/hotspot/user')
      .add({ name: 'ZZ99', password: 'ZZ99', profile: '1Hari', comment: 'VOUCHER_SYSTEM|5000||' });
    emu.menu('/system/scheduler').add({
      name: EXPIRY_SCHEDULER_NAME,
      interval: '1m',
      'on-event': voucherExpiryScript({ profiles: [{ name: '1Hari', policy }] }),
    });
    return { emu, scripts, cb };
  }

  it('stamps first login and valid-until once and calls Rukun back', async () => {
    const { emu, scripts, cb } = await setup('remove');
    const loginAt = emu.now();
    expect(
      emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' }).ok,
    ).toBe(true);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    const row = emu.menu('/ip/hotspot/user').findBy('name', 'K7Q4')!;
    const meta = decodeVoucherComment(row['comment']);
    expect(meta?.firstLoginAt).toBe(Math.floor(loginAt / 1000) * 1000);
    expect(meta?.validUntil).toBe(Math.floor(loginAt / 1000) * 1000 + DAY);
    expect(meta?.batch).toBe('B1');
    expect(meta?.cost).toBe(4000);
    expect(cb.hits).toHaveLength(1);
    expect(cb.hits[0]?.searchParams.get('u')).toBe('K7Q4');
    expect(cb.hits[0]?.searchParams.get('t')).toBe('tok$"x');
    expect(cb.hits[0]?.searchParams.get('r')).toBe('r-1');
    expect(cb.hits[0]?.searchParams.get('mac')).toBe('AA:BB:CC:DD:EE:01');
    expect(Number(cb.hits[0]?.searchParams.get('f'))).toBe(Math.floor(loginAt / 1000));

    // A second login later keeps the first stamp and does not call again.
    emu.hotspotLogout('K7Q4');
    emu.advanceTime(3_600_000);
    emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' });
    await scripts.idle();
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'K7Q4')?.['comment']).toBe(row['comment']);
    expect(cb.hits).toHaveLength(1);
  });

  const saleRecords = (emu: RouterOsEmulator) =>
    emu
      .menu('/system/script')
      .rows()
      .filter((r) => r['name']?.startsWith('rukun-sale|'));

  it('writes one durable sale record at the first login, before the callback', async () => {
    const { emu, scripts } = await setup('remove');
    const loginAt = Math.floor(emu.now() / 1000);
    emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' });
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(saleRecords(emu).map((r) => [r['name'], r['comment']])).toEqual([
      [`rukun-sale|K7Q4|${loginAt}`, `RUKUN_SALE|${loginAt}|1Hari`],
    ]);
    expect(parseSaleRecordName(saleRecords(emu)[0]?.['name'])).toEqual({
      username: 'K7Q4',
      firstLoginAt: loginAt * 1000,
    });
    // A later login is not a new sale.
    emu.hotspotLogout('K7Q4');
    emu.advanceTime(60_000);
    emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' });
    await scripts.idle();
    expect(saleRecords(emu)).toHaveLength(1);
  });

  it('the scheduler writes the sale record again before removing a used voucher whose record was collected', async () => {
    const { emu, scripts } = await setup('remove');
    emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' });
    await scripts.idle();
    const [record] = saleRecords(emu);
    emu.menu('/system/script').remove(record!['.id']!);
    emu.advanceTime(DAY + 2 * 60_000);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'K7Q4')).toBeUndefined();
    expect(saleRecords(emu).map((r) => [r['name'], r['comment']])).toEqual([
      [record!['name'], record!['comment']],
    ]);
    // Unrelated scripts are never touched.
    expect(emu.menu('/system/script').findBy('name', 'K7Q4')).toBeUndefined();
  });

  it('drops sale records nobody collected for 60 days, and only those', async () => {
    const { emu, scripts } = await setup('disable');
    emu
      .menu('/system/script')
      .add({ name: 'backup-harian', source: ':log info backup', comment: 'punya teknisi' });
    emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' });
    await scripts.idle();
    // (the scheduler paused for the two months, only to keep the test fast: 85,000 runs otherwise)
    const sched = emu.menu('/system/scheduler').findBy('name', EXPIRY_SCHEDULER_NAME)!;
    emu.menu('/system/scheduler').set(sched['.id']!, { disabled: 'true' });
    emu.advanceTime(59 * DAY);
    emu.menu('/system/scheduler').set(sched['.id']!, { disabled: 'false' });
    emu.hotspotLogin({ user: 'ZZ99', password: 'ZZ99', mac: 'aa:bb:cc:dd:ee:02', ip: '10.5.50.10' });
    await scripts.idle();
    expect(saleRecords(emu)).toHaveLength(2);
    emu.advanceTime(DAY + 2 * 60_000);
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(saleRecords(emu).map((r) => parseSaleRecordName(r['name'])?.username)).toEqual(['ZZ99']);
    expect(emu.menu('/system/script').findBy('name', 'backup-harian')).toBeDefined();
  });

  it('keeps login working when Rukun is unreachable', async () => {
    const { emu, scripts, cb } = await setup('remove');
    await new Promise((r) => servers[0]!.close(r));
    servers.length = 0;
    emu.hotspotLogin({ user: 'ZZ99', password: 'ZZ99', mac: 'aa:bb:cc:dd:ee:02', ip: '10.5.50.10' });
    await scripts.idle();
    expect(scripts.errors).toEqual([]);
    expect(
      decodeVoucherComment(emu.menu('/ip/hotspot/user').findBy('name', 'ZZ99')?.['comment'])?.firstLoginAt,
    ).not.toBeNull();
    expect(cb.hits).toHaveLength(0);
    expect(scripts.logs.some((l) => l.topic === 'warning' && l.message.includes('ZZ99'))).toBe(true);
  });

  it.each(['remove', 'disable', 'keep'] as const)(
    'the router-side scheduler alone expires a used voucher (%s)',
    async (policy) => {
      const { emu, scripts } = await setup(policy);
      emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' });
      await scripts.idle();
      emu.advanceTime(DAY - 120_000);
      await scripts.idle();
      expect(emu.menu('/ip/hotspot/user').findBy('name', 'K7Q4')?.['disabled']).toBe('false');
      emu.advanceTime(3 * 60_000);
      await scripts.idle();
      expect(scripts.errors.map((e) => e.error)).toEqual([]);
      const after = emu.menu('/ip/hotspot/user').findBy('name', 'K7Q4');
      if (policy === 'remove') expect(after).toBeUndefined();
      else if (policy === 'disable') expect(after?.['disabled']).toBe('true');
      else {
        // Kept, and the login page tells the customer the voucher is used up.
        expect(after?.['limit-uptime']).toBe('1s');
        expect(
          emu.hotspotLogin({ user: 'K7Q4', password: 'K7Q4', mac: 'aa:bb:cc:dd:ee:01', ip: '10.5.50.9' }),
        ).toEqual({ ok: false, reason: HOTSPOT_REJECT.uptime });
      }
      expect(emu.menu('/ip/hotspot/active').findBy('user', 'K7Q4')).toBeUndefined();
      // The unused voucher is untouched.
      expect(emu.menu('/ip/hotspot/user').findBy('name', 'ZZ99')?.['disabled']).toBe('false');
    },
  );
});

it('computes the same unix time on a router west of UTC (gmt-offset reads unsigned)', async () => {
  const emu = new RouterOsEmulator({
    version: '6.49',
    timeZone: { name: 'America/Bogota', offsetMinutes: -300 },
  });
  const scripts = attachScriptInterpreter(emu);
  emu.menu('/ip/hotspot/user/profile').add({
    name: 'p',
    'on-login': voucherOnLoginScript({
      validitySeconds: 3600,
      callbackUrl: null,
      routerId: 'r',
      token: 't',
    }),
  });
  emu
    .menu('/ip/hotspot/user')
    .add({ name: 'U1', password: 'U1', profile: 'p', comment: 'VOUCHER_SYSTEM|1000||' });
  await scripts.run(':put [/system clock get gmt-offset]');
  expect(scripts.output).toEqual(['4294949296']);
  emu.hotspotLogin({ user: 'U1', password: 'U1', mac: 'aa:bb:cc:dd:ee:09', ip: '10.0.0.9' });
  await scripts.idle();
  expect(scripts.errors).toEqual([]);
  const meta = decodeVoucherComment(emu.menu('/ip/hotspot/user').findBy('name', 'U1')?.['comment']);
  expect(meta?.firstLoginAt).toBe(Math.floor(emu.now() / 1000) * 1000);
  expect(meta?.validUntil).toBe(Math.floor(emu.now() / 1000) * 1000 + 3_600_000);
});

describe.each(['6.49', '7.18'] as const)('router-side unix time on %s', (version) => {
  it.each([
    Date.UTC(2026, 10, 21, 3, 4, 5),
    Date.UTC(2028, 1, 29, 16, 59, 59), // 29 Feb 2028 23:59:59 in Jakarta (leap day, the Jan/Feb branch)
    Date.UTC(2026, 11, 31, 17, 0, 0), // 1 Jan 2027 00:00:00 in Jakarta
    Date.UTC(2027, 0, 1, 3, 30, 0),
  ])('matches the emulated clock at %i', async (now) => {
    const emu = new RouterOsEmulator({ version, now });
    const scripts = attachScriptInterpreter(emu);
    await scripts.run(`:local rkNow 0\n${nowSnippet()}\n:put $rkNow`);
    expect(Number(scripts.output[0])).toBe(Math.floor(now / 1000));
  });
});
