import { afterEach, describe, expect, it } from 'vitest';

import { HOTSPOT_REJECT, RouterOsEmulator, type ScriptContext } from '../emulator/routeros/index.js';
import { type Pair, startPair, VERSIONS } from './helpers.js';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const MIN = 60_000;

describe('hotspot login limits', () => {
  it('enforces password, disabled, limit-uptime, limit-bytes-total and shared-users', () => {
    const emu = new RouterOsEmulator({ version: '7.18' });
    emu.seed('/ip/hotspot/user/profile', [{ name: 'dua', 'shared-users': '2' }]);
    emu.seed('/ip/hotspot/user', [
      { name: 'ok', password: 'p' },
      { name: 'off', password: 'p', disabled: 'true' },
      { name: 'used-up', password: 'p', 'limit-uptime': '1h', uptime: '1h' },
      { name: 'heavy', password: 'p', 'limit-bytes-total': '1000', 'bytes-in': '600', 'bytes-out': '400' },
      { name: 'keluarga', password: 'p', profile: 'dua' },
    ]);
    const login = (user: string, password = 'p', n = 1) =>
      emu.hotspotLogin({ user, password, mac: `AA:BB:CC:DD:EE:0${n}`, ip: `10.5.50.${n + 10}` });
    expect(login('nobody')).toEqual({ ok: false, reason: HOTSPOT_REJECT.credentials });
    expect(login('ok', 'wrong')).toEqual({ ok: false, reason: HOTSPOT_REJECT.credentials });
    expect(login('off')).toEqual({ ok: false, reason: HOTSPOT_REJECT.disabled });
    expect(login('used-up')).toEqual({ ok: false, reason: HOTSPOT_REJECT.uptime });
    expect(login('heavy')).toEqual({ ok: false, reason: HOTSPOT_REJECT.traffic });
    expect(login('ok').ok).toBe(true);
    expect(login('ok', 'p', 2)).toEqual({ ok: false, reason: HOTSPOT_REJECT.shared });
    expect(login('keluarga', 'p', 3).ok).toBe(true);
    expect(login('keluarga', 'p', 4).ok).toBe(true);
    expect(login('keluarga', 'p', 5)).toEqual({ ok: false, reason: HOTSPOT_REJECT.shared });
    expect(
      emu
        .menu('/ip/hotspot/active')
        .rows()
        .map((r) => r['user']),
    ).toEqual(['ok', 'keluarga', 'keluarga']);
  });

  it('runs the profile on-login script with $user, $address, $"mac-address"', () => {
    const emu = new RouterOsEmulator({ version: '6.49' });
    const runs: Array<{ source: string; ctx: ScriptContext }> = [];
    emu.onScriptRun = (source, ctx) => {
      runs.push({ source, ctx });
    };
    emu.seed('/ip/hotspot/user/profile', [
      {
        name: 'voucher-3jam',
        comment: 'VOUCHER_SYSTEM',
        'on-login': ':log info $user',
        'on-logout': ':log info bye',
      },
    ]);
    emu.seed('/ip/hotspot/user', [{ name: 'KX7P2M', password: 'KX7P2M', profile: 'voucher-3jam' }]);
    emu.hotspotLogin({ user: 'KX7P2M', password: 'KX7P2M', mac: 'a4:5e:60:11:22:33', ip: '10.5.50.12' });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.source).toBe(':log info $user');
    expect(runs[0]!.ctx.trigger).toBe('hotspot-login');
    expect(runs[0]!.ctx.variables).toMatchObject({
      user: 'KX7P2M',
      address: '10.5.50.12',
      'mac-address': 'A4:5E:60:11:22:33',
    });
    // The hook can change router state, e.g. write the first-login time into the comment.
    expect(runs[0]!.ctx.state.menu('/ip/hotspot/user').findBy('name', 'KX7P2M')).toBeDefined();
    emu.hotspotLogout('KX7P2M');
    expect(runs[1]!.ctx.trigger).toBe('hotspot-logout');
  });
});

describe('emulated time', () => {
  it('advanceTime accrues uptime and logs the user out at limit-uptime (visible through the API)', async () => {
    pair = await startPair({ version: '7.15' });
    const { emu, client } = pair;
    await client.call('/ip/hotspot/user/add', { name: 'QH4N8R', password: 'x', 'limit-uptime': '1h' });
    expect(
      emu.hotspotLogin({ user: 'QH4N8R', password: 'x', mac: '00:11:22:33:44:55', ip: '10.5.50.20' }).ok,
    ).toBe(true);
    emu.advanceTime(30 * MIN);
    let [active] = await client.call('/ip/hotspot/active/print');
    expect(active).toMatchObject({ user: 'QH4N8R', uptime: '30m', 'session-time-left': '30m' });
    emu.addTraffic('QH4N8R', 5_000_000, 700_000);
    [active] = await client.call('/ip/hotspot/active/print', undefined, {
      proplist: ['bytes-in', 'bytes-out'],
    });
    expect(active).toEqual({ 'bytes-in': '5000000', 'bytes-out': '700000' });
    emu.advanceTime(45 * MIN);
    expect(await client.call('/ip/hotspot/active/print')).toEqual([]);
    const [user] = await client.call('/ip/hotspot/user/print', undefined, {
      query: ['?name=QH4N8R'],
      proplist: ['uptime', 'bytes-in'],
    });
    expect(user).toEqual({ uptime: '1h', 'bytes-in': '5000000' });
    expect(
      emu.hotspotLogin({ user: 'QH4N8R', password: 'x', mac: '00:11:22:33:44:55', ip: '10.5.50.20' }),
    ).toEqual({
      ok: false,
      reason: HOTSPOT_REJECT.uptime,
    });
    const [clock] = await client.call('/system/clock/print');
    expect(clock).toMatchObject({ date: '2026-11-21', time: '11:19:05' });
  });

  it('limit-bytes-total ends the session when reached', () => {
    const emu = new RouterOsEmulator();
    emu.seed('/ip/hotspot/user', [{ name: 'kuota', password: 'x', 'limit-bytes-total': '1000000' }]);
    emu.hotspotLogin({ user: 'kuota', password: 'x', mac: '00:11:22:33:44:55', ip: '10.5.50.2' });
    emu.addTraffic('kuota', 400_000, 100_000);
    expect(emu.menu('/ip/hotspot/active').size).toBe(1);
    emu.addTraffic('kuota', 400_000, 100_000);
    expect(emu.menu('/ip/hotspot/active').size).toBe(0);
  });

  it('schedulers fire on their interval through the script hook; a named script runs the script', async () => {
    pair = await startPair({ version: '6.49' });
    const { emu, client } = pair;
    const runs: string[] = [];
    emu.onScriptRun = (source, ctx) => {
      runs.push(`${ctx.trigger}:${ctx.name ?? ''}:${source}`);
    };
    await client.call('/system/script/add', { name: 'cek-voucher', source: ':log info cek' });
    await client.call('/system/scheduler/add', {
      name: 'tiap-10m',
      interval: '10m',
      'on-event': 'cek-voucher',
    });
    await client.call('/system/scheduler/add', {
      name: 'inline',
      interval: '15m',
      'on-event': ':log info inline',
    });
    await client.call('/system/scheduler/add', {
      name: 'mati',
      interval: '1m',
      'on-event': ':log info x',
      disabled: true,
    });
    await expect(client.call('/system/scheduler/add', { name: 'inline' })).rejects.toMatchObject({
      kind: 'duplicate',
    });
    emu.advanceTime(31 * MIN);
    expect(runs).toEqual([
      'scheduler:cek-voucher::log info cek',
      'scheduler:inline::log info inline',
      'scheduler:cek-voucher::log info cek',
      'scheduler:cek-voucher::log info cek',
      'scheduler:inline::log info inline',
    ]);
    const rows = await client.call('/system/scheduler/print', undefined, {
      proplist: ['name', 'run-count', 'next-run'],
    });
    expect(rows).toEqual([
      { name: 'tiap-10m', 'run-count': '3', 'next-run': 'nov/21/2026 10:44:05' },
      { name: 'inline', 'run-count': '2', 'next-run': 'nov/21/2026 10:49:05' },
      { name: 'mati', 'run-count': '0' },
    ]);
    await client.call('/system/script/run', { number: 'cek-voucher' });
    expect(runs.at(-1)).toBe('script-run:cek-voucher::log info cek');
    expect((await client.call('/system/script/print', undefined, { proplist: ['run-count'] }))[0]).toEqual({
      'run-count': '4',
    });
  });

  it('address-list entries with a timeout are dynamic and expire', async () => {
    pair = await startPair();
    const { emu, client } = pair;
    await client.call('/ip/firewall/address-list/add', {
      list: 'isolir',
      address: '10.10.10.5',
      timeout: '1h',
    });
    await client.call('/ip/firewall/address-list/add', {
      list: 'isolir',
      address: '10.10.10.6',
      comment: 'permanen',
    });
    await expect(
      client.call('/ip/firewall/address-list/add', { list: 'isolir', address: '10.10.10.6' }),
    ).rejects.toMatchObject({
      kind: 'duplicate',
      message: 'failure: already have such entry',
    });
    expect(
      await client.call('/ip/firewall/address-list/print', undefined, { proplist: ['address', 'dynamic'] }),
    ).toEqual([
      { address: '10.10.10.5', dynamic: 'true' },
      { address: '10.10.10.6', dynamic: 'false' },
    ]);
    emu.advanceTime(61 * MIN);
    expect(
      await client.call('/ip/firewall/address-list/print', undefined, { proplist: ['address'] }),
    ).toEqual([{ address: '10.10.10.6' }]);
  });
});

describe.each(VERSIONS)('PPP on %s', (version) => {
  it('connect, API remove disconnects, last-logged-out in the version format', async () => {
    pair = await startPair({ version });
    const { emu, client } = pair;
    await client.call('/ppp/profile/add', {
      name: 'paket-10M',
      'rate-limit': '10M/10M',
      comment: 'PPPOE_SYSTEM',
    });
    await client.call('/ppp/secret/add', {
      name: 'budi',
      password: 'b',
      service: 'pppoe',
      profile: 'paket-10M',
    });
    expect(emu.pppConnect({ name: 'budi', password: 'salah', callerId: 'aa:bb:cc:00:00:01' }).ok).toBe(false);
    expect(
      emu.pppConnect({ name: 'budi', password: 'b', callerId: 'aa:bb:cc:00:00:01', address: '10.10.10.50' })
        .ok,
    ).toBe(true);
    emu.advanceTime(5 * MIN);
    const [active] = await client.call('/ppp/active/print');
    expect(active).toMatchObject({
      name: 'budi',
      service: 'pppoe',
      address: '10.10.10.50',
      'caller-id': 'AA:BB:CC:00:00:01',
      uptime: '5m',
    });
    await client.call('/ppp/active/remove', { '.id': active!['.id'] });
    expect(await client.call('/ppp/active/print')).toEqual([]);
    const [secret] = await client.call('/ppp/secret/print');
    if (version === '6.49') expect(secret!['last-logged-out']).toBeUndefined();
    else expect(secret!['last-logged-out']).toBe('2026-11-21 10:09:05');
    const profiles = await client.call('/ppp/profile/print', undefined, { proplist: ['.id', 'name'] });
    expect(profiles.slice(0, 2)).toEqual([
      { '.id': '*0', name: 'default' },
      { '.id': '*FFFFFFFE', name: 'default-encryption' },
    ]);
  });
});

describe('menus', () => {
  it('remove takes comma-separated ids; a bad id changes nothing', async () => {
    pair = await startPair();
    const { emu, client } = pair;
    emu.seed('/ip/hotspot/user', [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    await expect(client.call('/ip/hotspot/user/remove', { '.id': '*1,*99' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect(emu.menu('/ip/hotspot/user').size).toBe(3);
    await client.call('/ip/hotspot/user/remove', { numbers: '*1,*3' });
    expect(
      emu
        .menu('/ip/hotspot/user')
        .rows()
        .map((r) => r['name']),
    ).toEqual(['b']);
    await client.call('/ip/hotspot/user/disable', { numbers: 'b' });
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'b')!['disabled']).toBe('true');
  });

  it('hotspot active is read-only except remove (kick)', async () => {
    pair = await startPair();
    const { emu, client } = pair;
    emu.seed('/ip/hotspot/user', [{ name: 'a', password: 'x' }]);
    emu.hotspotLogin({ user: 'a', password: 'x', mac: '00:00:00:00:00:01', ip: '10.5.50.3' });
    await expect(client.call('/ip/hotspot/active/add', { user: 'a' })).rejects.toMatchObject({
      kind: 'trap',
      message: 'no such command',
    });
    const [s] = await client.call('/ip/hotspot/active/print', undefined, { proplist: ['.id'] });
    await client.call('/ip/hotspot/active/remove', { '.id': s!['.id'] });
    expect(emu.menu('/ip/hotspot/active').size).toBe(0);
  });

  it('NAT place-before inserts ahead of the given rule', async () => {
    pair = await startPair();
    const { client } = pair;
    const [first] = await client.call('/ip/firewall/nat/print', undefined, { proplist: ['.id'] });
    await client.call('/ip/firewall/nat/add', {
      chain: 'dstnat',
      action: 'redirect',
      'src-address-list': 'isolir',
      protocol: 'tcp',
      'dst-port': '80',
      'to-ports': '8080',
      comment: 'isolir',
      'place-before': first!['.id'],
    });
    const rows = await client.call('/ip/firewall/nat/print', undefined, {
      proplist: ['chain', 'action', 'comment'],
    });
    expect(rows).toEqual([
      { chain: 'dstnat', action: 'redirect', comment: 'isolir' },
      { chain: 'srcnat', action: 'masquerade', comment: 'defconf: masquerade' },
    ]);
  });

  it('identity set and the sentence log is a bounded ring buffer', async () => {
    pair = await startPair({ log: 6, identity: 'Kantor' });
    const { emu, client } = pair;
    expect(await client.call('/system/identity/print')).toEqual([{ name: 'Kantor' }]);
    await client.call('/system/identity/set', { name: 'RukunNet-Pusat' });
    expect(await client.call('/system/identity/print')).toEqual([{ name: 'RukunNet-Pusat' }]);
    expect(emu.log.length).toBeLessThanOrEqual(6);
    expect(emu.log.at(-1)!.words).toEqual(['!done', '.tag=4']);
  });
});
