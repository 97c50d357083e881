import { afterEach, describe, expect, it } from 'vitest';

import {
  backoffDelay,
  ConnectionClosedError,
  type ConnectionStatus,
  RouterConnection,
  type RouterConnectionOptions,
} from '../../src/main/routeros/index.js';
import { RouterOsEmulator } from '../emulator/routeros/index.js';
import { until, USER } from './helpers.js';

let emu: RouterOsEmulator | undefined;
let conn: RouterConnection | undefined;
afterEach(async () => {
  await conn?.stop();
  await emu?.stop();
  conn = undefined;
  emu = undefined;
});

async function setup(
  opts: Partial<RouterConnectionOptions> = {},
): Promise<{ emu: RouterOsEmulator; conn: RouterConnection; statuses: ConnectionStatus[] }> {
  emu = new RouterOsEmulator({ version: '7.18', users: [USER] });
  const { port } = await emu.start();
  conn = new RouterConnection({
    host: '127.0.0.1',
    port,
    username: USER.name,
    password: USER.password,
    timeoutMs: 2000,
    connectTimeoutMs: 1000,
    keepAliveIntervalMs: 0,
    backoff: { initialMs: 20, maxMs: 100, factor: 2, jitter: 0.5 },
    random: () => 0,
    ...opts,
  });
  const statuses: ConnectionStatus[] = [];
  conn.on('status', (s) => statuses.push(s));
  return { emu, conn, statuses };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the ceiling, with jitter taken off', () => {
    const o = { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, o, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffDelay(3, o, () => 0.999)).toBeGreaterThanOrEqual(2000);
    expect(backoffDelay(3, o, () => 0.5)).toBe(3000);
  });
});

describe('RouterConnection', () => {
  it('a call made while connecting waits for the router', async () => {
    const { conn } = await setup();
    conn.start();
    expect(conn.status.state).toBe('connecting');
    expect(await conn.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    expect(conn.online).toBe(true);
  });

  it('goes offline when the router disappears, retries with growing delays, comes back online', async () => {
    const { emu, conn, statuses } = await setup();
    conn.start();
    await until(() => conn.online);
    emu.pause();
    await until(() => conn.status.state === 'offline');
    expect(conn.status.lastError).toBeInstanceOf(ConnectionClosedError);
    // Offline: calls fail fast instead of piling up.
    const t0 = Date.now();
    await expect(conn.call('/system/identity/print')).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(Date.now() - t0).toBeLessThan(100);
    await until(() => statuses.filter((s) => s.state === 'offline').length >= 4);
    const delays = statuses.filter((s) => s.state === 'offline').map((s) => s.retryDelayMs);
    // random() = 0 takes no jitter off: 20, 40, 80 ms, then the 100 ms ceiling.
    expect(delays.slice(0, 4)).toEqual([20, 40, 80, 100]);
    for (const s of statuses.filter((x) => x.state === 'offline'))
      expect(s.nextRetryAt! - s.since).toBe(s.retryDelayMs);
    emu.resume();
    await until(() => conn.online, 2000);
    expect(conn.status.lastError).toBeUndefined();
    // The delays start over once the new session has stayed up for `stableMs` (default 10 s), not at login.
    expect(conn.status.attempt).toBeGreaterThanOrEqual(4);
    expect(await conn.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    expect(statuses.map((s) => s.state)).toContain('connecting');
  });

  it('keep-alive notices a router that stopped answering, rejects pending calls, reconnects', async () => {
    const { emu, conn, statuses } = await setup({ keepAliveIntervalMs: 40, keepAliveTimeoutMs: 80 });
    conn.start();
    await until(() => conn.online);
    // Hung router: the TCP connection stays up but nothing is answered.
    emu.faults.neverAnswer = () => true;
    const pending = conn.call('/ip/hotspot/user/print', undefined, { timeoutMs: 10_000 });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/keep-alive/);
    expect(statuses.some((s) => s.state === 'offline' && /keep-alive/.test(s.lastError?.message ?? ''))).toBe(
      true,
    );
    emu.faults.neverAnswer = undefined;
    await until(() => conn.online, 2000);
    expect(await conn.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('a wrong password keeps it offline with LoginFailedError as the reason', async () => {
    const { conn } = await setup({ password: 'salah' });
    conn.start();
    await until(() => conn.status.state === 'offline');
    expect(conn.status.lastError).toMatchObject({ kind: 'login_failed' });
  });

  it('stop() ends the session; calls fail with ConnectionClosedError', async () => {
    const { conn, emu } = await setup();
    conn.start();
    await until(() => conn.online);
    await conn.stop();
    expect(conn.status.state).toBe('stopped');
    await expect(conn.call('/system/identity/print')).rejects.toBeInstanceOf(ConnectionClosedError);
    await until(() => emu.connectionCount === 0);
  });

  it('listen through the manager, and a listen while offline fails at once', async () => {
    const { conn, emu } = await setup();
    const offline = conn.listen('/ppp/active/listen', undefined, () => {});
    await expect(offline.done).rejects.toBeInstanceOf(ConnectionClosedError);
    conn.start();
    await until(() => conn.online);
    emu.seed('/ppp/secret', [{ name: 'budi', password: 'x' }]);
    const seen: string[] = [];
    const h = conn.listen('/ppp/active/listen', undefined, (r) => seen.push(r['name'] ?? r['.id'] ?? ''));
    await conn.call('/system/identity/print');
    emu.pppConnect({ name: 'budi', callerId: 'aa:bb:cc:00:11:22' });
    await until(() => seen.length === 1);
    expect(seen).toEqual(['budi']);
    await h.cancel();
    await expect(h.done).resolves.toBeUndefined();
  });
});
