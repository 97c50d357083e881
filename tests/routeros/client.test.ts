import { afterEach, describe, expect, it } from 'vitest';

import {
  createRouterOsClient,
  DuplicateError,
  InvalidValueError,
  LoginFailedError,
  NotFoundError,
  type RosRow,
  TrapError,
  UnknownParameterError,
} from '../../src/main/routeros/index.js';
import { RouterOsEmulator, testCertificate } from '../emulator/routeros/index.js';
import { type Pair, startPair, until, USER, VERSIONS } from './helpers.js';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('login', () => {
  it.each(VERSIONS)('%s: modern login (6.43+) succeeds and the session works', async (version) => {
    pair = await startPair({ version, log: true });
    const [identity] = await pair.client.call('/system/identity/print');
    expect(identity).toEqual({ name: 'MikroTik' });
    expect(pair.emu.log[0]!.words).toEqual(['/login', '=name=admin', '=password=rahasia', '.tag=1']);
  });

  it('6.49 in legacy mode: falls back to the md5 challenge login', async () => {
    pair = await startPair({ version: '6.49', loginMode: 'legacy', log: true });
    expect(pair.client.connected).toBe(true);
    const words = pair.emu.log.map((e) => e.words[0] + ' ' + (e.words[1] ?? ''));
    expect(words.slice(0, 4)).toEqual([
      '/login =name=admin',
      '!done =ret=' + pair.emu.log[1]!.words[1]!.slice(5),
      '/login =name=admin',
      '!done .tag=2',
    ]);
    expect(pair.emu.log[2]!.words[2]).toMatch(/^=response=00[0-9a-f]{32}$/);
    expect(pair.emu.stats.logins).toBe(1);
  });

  it('6.49 legacy login with a wrong password → LoginFailedError', async () => {
    pair = await startPair({ version: '6.49', loginMode: 'legacy' });
    const bad = pair.clientFor({ password: 'salah' });
    await expect(bad.connect()).rejects.toBeInstanceOf(LoginFailedError);
    expect(bad.connected).toBe(false);
  });

  it.each(VERSIONS)('%s: wrong password → LoginFailedError, connection closed', async (version) => {
    pair = await startPair({ version });
    const bad = pair.clientFor({ password: 'salah' });
    const err = await bad.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginFailedError);
    expect((err as LoginFailedError).message).toBe('invalid user name or password (6)');
    expect((err as LoginFailedError).kind).toBe('login_failed');
    await until(() => bad.state === 'closed');
    await expect(bad.call('/system/identity/print')).rejects.toMatchObject({ kind: 'connection_closed' });
  });

  it('a login that is not answered in time → TimeoutError, and the socket is dropped', async () => {
    const emu = new RouterOsEmulator({ users: [USER], faults: { slowLoginMs: 300 } });
    const { port } = await emu.start();
    const c = createRouterOsClient({
      host: '127.0.0.1',
      port,
      username: USER.name,
      password: USER.password,
      timeoutMs: 60,
    });
    try {
      await expect(c.connect()).rejects.toMatchObject({ kind: 'timeout' });
      await until(() => c.state === 'closed');
      emu.faults.slowLoginMs = 0;
      await c.connect();
      expect(c.connected).toBe(true);
    } finally {
      await c.close();
      await emu.stop();
    }
  });

  it('connection refused → ConnectionClosedError from connect()', async () => {
    const emu = new RouterOsEmulator();
    const { port } = await emu.start();
    await emu.stop();
    const c = createRouterOsClient({ host: '127.0.0.1', port, username: 'admin', password: '' });
    await expect(c.connect()).rejects.toMatchObject({ kind: 'connection_closed' });
  });
});

describe.each(VERSIONS)('RouterOS %s', (version) => {
  it('add / print / set / remove round trip on /ip/hotspot/user', async () => {
    pair = await startPair({ version });
    const c = pair.client;
    const [ret] = await c.call('/ip/hotspot/user/add', {
      name: 'KX7P2M',
      password: 'KX7P2M',
      'limit-uptime': '3h',
      disabled: false,
    });
    const id = ret!['ret']!;
    expect(id).toMatch(/^\*[0-9A-F]+$/);
    let [row] = await c.call('/ip/hotspot/user/print', undefined, { query: ['?name=KX7P2M'] });
    expect(row).toMatchObject({
      '.id': id,
      name: 'KX7P2M',
      server: 'all',
      profile: 'default',
      'limit-uptime': '3h',
      uptime: '0s',
      disabled: 'false',
    });
    await c.call('/ip/hotspot/user/set', { '.id': id, comment: 'VOUCHER_SYSTEM|5000|0|0', disabled: true });
    [row] = await c.call('/ip/hotspot/user/print', undefined, { query: ['?.id=' + id] });
    expect(row).toMatchObject({ comment: 'VOUCHER_SYSTEM|5000|0|0', disabled: 'true' });
    // set by name, as RouterOS allows through =numbers=
    await c.call('/ip/hotspot/user/set', { numbers: 'KX7P2M', 'limit-uptime': '1d' });
    expect(pair.emu.menu('/ip/hotspot/user').findBy('name', 'KX7P2M')!['limit-uptime']).toBe('1d');
    await c.call('/ip/hotspot/user/remove', { '.id': id });
    expect(await c.call('/ip/hotspot/user/print')).toEqual([]);
  });

  it('maps traps to typed errors, with the session still usable afterwards', async () => {
    pair = await startPair({ version });
    const c = pair.client;
    await c.call('/ip/hotspot/user/add', { name: 'u1' });
    const dup = await c.call('/ip/hotspot/user/add', { name: 'u1' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(DuplicateError);
    expect(dup).toMatchObject({
      kind: 'duplicate',
      message: 'failure: already have user with this name',
      command: '/ip/hotspot/user/add',
    });
    await c.call('/ppp/secret/add', { name: 's1', service: 'pppoe' });
    await expect(c.call('/ppp/secret/add', { name: 's1' })).rejects.toMatchObject({
      kind: 'duplicate',
      message: 'failure: secret with the same name already exists',
    });
    await expect(c.call('/ip/hotspot/user/remove', { '.id': '*99' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.call('/ip/hotspot/user/set', { '.id': '*99', comment: 'x' })).rejects.toMatchObject({
      kind: 'not_found',
      message: 'no such item',
    });
    await expect(c.call('/ip/hotspot/user/add', { name: 'u2', colour: 'red' })).rejects.toBeInstanceOf(
      UnknownParameterError,
    );
    await expect(c.call('/ppp/secret/add', { name: 's2', service: 'carrier-pigeon' })).rejects.toBeInstanceOf(
      InvalidValueError,
    );
    await expect(c.call('/ip/hotspot/user/add', { name: 'u3', profile: 'tidak-ada' })).rejects.toMatchObject({
      kind: 'invalid_value',
      message: 'input does not match any value of profile',
      category: 1,
    });
    const unknown = await c.call('/ip/hotspot/nonsense/print').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TrapError);
    expect(unknown).toMatchObject({ kind: 'trap', message: 'no such command prefix', category: 0 });
    expect(await c.call('/ip/hotspot/user/print', undefined, { proplist: ['name'] })).toEqual([
      { name: 'u1' },
    ]);
  });

  it('proplist, count-only and queries (?name, ?-prop, ?#| ?#! ?#&, ?>uptime)', async () => {
    pair = await startPair({ version });
    const c = pair.client;
    pair.emu.seed('/ip/hotspot/user', [
      { name: 'a', comment: 'VOUCHER_SYSTEM|5000|0|0', uptime: '2h' },
      { name: 'b', disabled: 'true', uptime: '10m' },
      { name: 'c', comment: 'manual', uptime: '1d' },
    ]);
    const names = (rows: RosRow[]): string[] => rows.map((r) => r['name']!);
    expect(await c.call('/ip/hotspot/user/print', undefined, { proplist: ['.id', 'name'] })).toEqual([
      { '.id': '*1', name: 'a' },
      { '.id': '*2', name: 'b' },
      { '.id': '*3', name: 'c' },
    ]);
    expect(await c.call('/ip/hotspot/user/print', { 'count-only': '' })).toEqual([{ ret: '3' }]);
    expect(
      (await c.exec('/ip/hotspot/user/print', { 'count-only': '' }, { query: ['?disabled=true'] })).done,
    ).toEqual({ ret: '1' });
    expect(names(await c.call('/ip/hotspot/user/print', {}, { query: ['?disabled=yes'] }))).toEqual(['b']);
    expect(names(await c.call('/ip/hotspot/user/print', {}, { query: ['?comment'] }))).toEqual(['a', 'c']);
    expect(names(await c.call('/ip/hotspot/user/print', {}, { query: ['?-comment'] }))).toEqual(['b']);
    expect(
      names(await c.call('/ip/hotspot/user/print', {}, { query: ['?name=a', '?name=c', '?#|'] })),
    ).toEqual(['a', 'c']);
    expect(names(await c.call('/ip/hotspot/user/print', {}, { query: ['?name=a', '?#!'] }))).toEqual([
      'b',
      'c',
    ]);
    expect(
      names(await c.call('/ip/hotspot/user/print', {}, { query: ['?comment', '?disabled=false', '?#&'] })),
    ).toEqual(['a', 'c']);
    expect(names(await c.call('/ip/hotspot/user/print', {}, { query: ['>uptime=1h'] }))).toEqual(['a', 'c']);
    expect(names(await c.call('/ip/hotspot/user/print', {}, { query: ['?<uptime=1h'] }))).toEqual(['b']);
    await expect(c.call('/ip/hotspot/user/print', { colour: 'x' })).rejects.toBeInstanceOf(
      UnknownParameterError,
    );
  });

  it('a print with no rows returns [] (7.18 sends !empty) and the next call still works', async () => {
    pair = await startPair({ version, log: true });
    const c = pair.client;
    expect(await c.call('/ppp/secret/print')).toEqual([]);
    expect(await c.call('/ip/hotspot/user/print', undefined, { query: ['?name=nobody'] })).toEqual([]);
    const sent = pair.emu.log.filter((e) => e.dir === 'out').map((e) => e.words[0]);
    expect(sent.includes('!empty')).toBe(version === '7.18');
    expect(await c.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('UTF-8 comments round-trip unchanged', async () => {
    pair = await startPair({ version });
    const c = pair.client;
    const comment = 'Pelanggan Bu Siti — lunas ✓';
    const long = `Catatan: ${'ñ✓—'.repeat(30)}`; // well over 127 bytes
    await c.call('/ppp/secret/add', { name: 'siti-rt01', comment });
    await c.call('/ip/hotspot/user/add', { name: 'v1', comment: long });
    expect((await c.call('/ppp/secret/print', undefined, { proplist: ['comment'] }))[0]).toEqual({ comment });
    expect((await c.call('/ip/hotspot/user/print', undefined, { proplist: ['comment'] }))[0]).toEqual({
      comment: long,
    });
    expect(pair.emu.menu('/ppp/secret').rows()[0]!['comment']).toBe(comment);
    expect(
      await c.call('/ppp/secret/print', undefined, { query: [`?comment=${comment}`], proplist: ['name'] }),
    ).toEqual([{ name: 'siti-rt01' }]);
  });

  it('listen streams changes until cancel()', async () => {
    pair = await startPair({ version });
    const c = pair.client;
    pair.emu.seed('/ip/hotspot/user', [{ name: 'KX7P2M', password: 'p' }]);
    const rows: RosRow[] = [];
    const handle = c.listen('/ip/hotspot/active/listen', undefined, (r) => rows.push(r));
    // listen is registered when the emulator answers nothing yet; wait until it subscribed.
    await until(() => pair!.emu.stats.commands >= 1);
    await c.call('/system/identity/print'); // ordering: the listen (sent first) is set up by now
    expect(
      pair.emu.hotspotLogin({ user: 'KX7P2M', password: 'p', mac: 'aa:bb:cc:dd:ee:ff', ip: '10.5.50.9' }).ok,
    ).toBe(true);
    await until(() => rows.length === 1);
    expect(rows[0]).toMatchObject({
      '.id': '*1',
      user: 'KX7P2M',
      address: '10.5.50.9',
      'mac-address': 'AA:BB:CC:DD:EE:FF',
    });
    pair.emu.hotspotLogout('KX7P2M');
    await until(() => rows.length === 2);
    expect(rows[1]).toMatchObject({ '.dead': 'yes' });
    await handle.cancel();
    await expect(handle.done).resolves.toBeUndefined();
    pair.emu.hotspotLogin({ user: 'KX7P2M', password: 'p', mac: 'aa:bb:cc:dd:ee:ff', ip: '10.5.50.9' });
    expect(await c.call('/ip/hotspot/active/print', undefined, { proplist: ['user'] })).toEqual([
      { user: 'KX7P2M' },
    ]);
    expect(rows).toHaveLength(2);
  });

  it('system resource reports the version; clock uses the version date format', async () => {
    pair = await startPair({ version });
    const [res] = await pair.client.call('/system/resource/print');
    expect(res!['version']).toBe(
      { '6.49': '6.49.10 (long-term)', '7.15': '7.15.3 (stable)', '7.18': '7.18.2 (stable)' }[version],
    );
    const [clock] = await pair.client.call('/system/clock/print');
    expect(clock).toMatchObject({
      time: '10:04:05',
      date: version === '6.49' ? 'nov/21/2026' : '2026-11-21',
      'time-zone-name': 'Asia/Jakarta',
    });
  });
});

describe('API-SSL', () => {
  it('connects over TLS with the test certificate as CA', async () => {
    const emu = new RouterOsEmulator({ tls: true, users: [USER] });
    const { port } = await emu.start();
    const c = createRouterOsClient({
      host: '127.0.0.1',
      port,
      username: USER.name,
      password: USER.password,
      tls: { ca: testCertificate().cert, servername: 'localhost' },
      timeoutMs: 3000,
    });
    try {
      await c.connect();
      await c.call('/ip/hotspot/user/add', { name: 'tls-user', comment: 'lunas ✓' });
      expect(await c.call('/ip/hotspot/user/print', undefined, { proplist: ['name', 'comment'] })).toEqual([
        { name: 'tls-user', comment: 'lunas ✓' },
      ]);
    } finally {
      await c.close();
      await emu.stop();
    }
  });

  it('rejects an untrusted certificate unless told otherwise', async () => {
    pair = await startPair({ tls: true });
    expect(pair.client.connected).toBe(true); // rejectUnauthorized:false
    const strict = pair.clientFor({ tls: true });
    await expect(strict.connect()).rejects.toMatchObject({ kind: 'connection_closed' });
  });
});
