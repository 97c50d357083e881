/**
 * The client under a misbehaving router or a busy event loop: deadlines of queued calls, !fatal with a long
 * queue, slow streaming, unknown reply words, runaway sentences, logins dropped at once, win1252 bytes, and
 * replies for tags nobody is waiting for.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import {
  ConnectionClosedError,
  createRouterOsClient,
  encodeSentence,
  FatalError,
  RouterConnection,
  SentenceDecoder,
  TimeoutError,
  type ConnectionStatus,
  type RouterOsClient,
} from '../../src/main/routeros/index.js';
import { RouterOsEmulator } from '../emulator/routeros/index.js';
import { bytesToText, textToBytes } from '../emulator/routeros/wire.js';
import { type Pair, startPair, until, USER } from './helpers.js';

let pair: Pair | undefined;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await pair?.close();
  pair = undefined;
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Keeps the thread busy, as a long synchronous task (a PDF, a big JSON) does on a real office PC. */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

/** A hand-written "router" on loopback: `onCommand` sees every sentence after the login. */
async function fakeRouter(
  onCommand: (words: string[], socket: net.Socket) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    const dec = new SentenceDecoder((words) => {
      const tag = words.find((w) => w.startsWith('.tag='));
      if (words[0] === '/login') {
        socket.write(encodeSentence(['!done', tag!]));
        return;
      }
      onCommand(words, socket);
    });
    socket.on('data', (d: Buffer) => dec.push(d));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function clientOf(port: number, opts: { maxInFlight?: number; timeoutMs?: number } = {}) {
  const c: RouterOsClient = createRouterOsClient({
    host: '127.0.0.1',
    port,
    username: 'admin',
    password: '',
    timeoutMs: opts.timeoutMs ?? 60_000,
    maxInFlight: opts.maxInFlight ?? 16,
  });
  cleanup.push(() => c.close());
  await c.connect();
  return c;
}

describe('deadlines of queued calls (issue 9, item 11)', () => {
  it('a call whose deadline passed while it waited for a slot is never sent: a timed-out add creates nothing', async () => {
    pair = await startPair({ log: 10_000 }, { maxInFlight: 1 });
    const c = pair.client;
    const users = pair.emu.menu('/ip/hotspot/user');
    // The first row a listener sees blocks the thread past the queued add's deadline — in the same read as the
    // reply that frees the slot, so the freed slot is filled before the add's own timer gets a chance to run.
    let blocked = false;
    const watch = c.listen('/ip/hotspot/user/listen', undefined, () => {
      if (blocked) return;
      blocked = true;
      busy(120);
    });
    await until(() => pair!.emu.log.some((e) => e.dir === 'in' && e.words[0] === '/ip/hotspot/user/listen'));
    const first = c.call('/ip/hotspot/user/add', { name: 'first' });
    const late = c.call('/ip/hotspot/user/add', { name: 'late' }, { timeoutMs: 40 });
    await first;
    const err = await late.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    // Whatever the router had received, it has answered by now.
    await c.call('/system/identity/print');
    expect(users.findBy('name', 'first')).toBeDefined();
    expect(users.findBy('name', 'late')).toBeUndefined();
    expect(
      pair.emu.log.some((e) => e.dir === 'in' && e.words.includes('=name=late')),
      'the expired add reached the router',
    ).toBe(false);
    expect(c.load).toEqual({ inFlight: 0, queued: 0 });
    await watch.cancel();
  });

  it('queued calls that time out leave the queue in order; the rest still run', async () => {
    pair = await startPair({ faults: { latencyMs: 60 } }, { maxInFlight: 2 });
    const c = pair.client;
    const calls = Array.from({ length: 12 }, (_, i) =>
      c.call('/ip/hotspot/user/add', { name: `q${i}` }, { timeoutMs: i < 2 ? 5000 : 20 }),
    );
    const results = await Promise.allSettled(calls);
    expect(results.slice(0, 2).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    for (const r of results.slice(2)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    }
    await c.call('/system/identity/print');
    expect(
      pair.emu
        .menu('/ip/hotspot/user')
        .rows()
        .map((r) => r['name']),
    ).toEqual(['q0', 'q1']);
  });
});

describe('!fatal with a long queue (issue 9, item 12)', () => {
  it('every one of 20,000 queued calls settles, with the typed error, when a !fatal has a reply behind it', async () => {
    let firstTag = '';
    let seen = 0;
    const router = await fakeRouter((words, socket) => {
      seen++;
      if (seen === 1) firstTag = words.find((w) => w.startsWith('.tag='))!;
      if (seen < 16) return;
      // The router gives up; a reply it had already queued sits behind the !fatal in the same write.
      socket.end(
        Buffer.concat([encodeSentence(['!fatal', 'not enough memory']), encodeSentence(['!done', firstTag])]),
      );
    });
    cleanup.push(() => router.close());
    const c = await clientOf(router.port, { maxInFlight: 16 });
    const calls = Array.from({ length: 20_000 }, (_, i) => c.call('/ip/hotspot/user/add', { name: `v${i}` }));
    let unsettled = calls.length;
    for (const p of calls)
      void p.then(
        () => unsettled--,
        () => unsettled--,
      );
    const guard = new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 10_000).unref());
    const outcome = await Promise.race([Promise.allSettled(calls), guard]);
    expect(unsettled, 'calls still pending after the session died').toBe(0);
    expect(outcome).not.toBe('stuck');
    const results = outcome as PromiseSettledResult<unknown>[];
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : undefined));
    const notFatal = reasons.filter((e) => !(e instanceof FatalError));
    expect(notFatal, 'a call ended with something other than the FatalError').toEqual([]);
    expect(c.load).toEqual({ inFlight: 0, queued: 0 });
    expect(c.connected).toBe(false);
  });
});

describe('streaming replies (issue 9, item 13)', () => {
  it('a 50,000-row print from a slow router completes while rows keep arriving (inactivity timeout)', async () => {
    pair = await startPair({ version: '6.49' }, { timeoutMs: 800 });
    pair.emu.seed(
      '/ip/hotspot/user',
      Array.from({ length: 50_000 }, (_, i) => ({ name: `u${i}`, profile: 'default' })),
    );
    // 100 writes of 500 rows with a pause between them: the whole reply takes far longer than 800 ms, but no
    // gap between rows comes near it.
    pair.emu.faults.streamRowsPerWrite = 500;
    pair.emu.faults.streamDelayMs = 25;
    const rows = await pair.client.call('/ip/hotspot/user/print', undefined, { proplist: ['name'] });
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]).toEqual({ name: 'u49999' });
  });

  it('a reply that stops arriving halfway still times out', async () => {
    pair = await startPair({}, { timeoutMs: 300 });
    pair.emu.seed(
      '/ip/hotspot/user',
      Array.from({ length: 1000 }, (_, i) => ({ name: `u${i}` })),
    );
    pair.emu.faults.streamRowsPerWrite = 100;
    pair.emu.faults.streamDelayMs = 5_000;
    await expect(pair.client.call('/ip/hotspot/user/print')).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('protocol errors close the connection (issue 9, item 13)', () => {
  it('an unknown reply word rejects the calls in flight at once and the connection reconnects', async () => {
    const emu = new RouterOsEmulator({ users: [USER] });
    const { port } = await emu.start();
    cleanup.push(() => emu.stop());
    const conn = new RouterConnection({
      host: '127.0.0.1',
      port,
      username: USER.name,
      password: USER.password,
      timeoutMs: 30_000,
      keepAliveIntervalMs: 0,
      backoff: { initialMs: 20, jitter: 0 },
    });
    cleanup.push(() => conn.stop());
    conn.start();
    await conn.waitOnline(3000);
    emu.faults.latencyMs = (cmd) => (cmd === '/system/identity/print' ? 200 : 0);
    emu.faults.replyWord = (cmd) => (cmd === '/ip/hotspot/user/print' ? '!weird' : undefined);
    const slow = conn.call('/system/identity/print');
    const bad = conn.call('/ip/hotspot/user/print');
    const errBad = await bad.catch((e: unknown) => e);
    const errSlow = await slow.catch((e: unknown) => e);
    // Not a 30-second timeout: the session is closed as soon as the stream stops making sense.
    expect(errBad).toBeInstanceOf(ConnectionClosedError);
    expect((errBad as Error).message).toMatch(/protocol error/);
    expect(errSlow).toBeInstanceOf(ConnectionClosedError);
    emu.faults.replyWord = undefined;
    emu.faults.latencyMs = 0;
    await until(() => conn.online, 5000);
    expect(await conn.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('a sentence that never ends is a protocol error, not an ever-growing buffer', async () => {
    pair = await startPair({ faults: { runawayAfterCommands: 1 } }, { timeoutMs: 30_000 });
    await pair.client.call('/system/identity/print');
    const err = await pair.client.call('/system/identity/print').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/protocol error: runaway sentence/);
  });
});

describe('reconnect backoff (issue 9, item 13)', () => {
  it('a router that drops every session right after the login gets growing delays, not a login per initial delay', async () => {
    const emu = new RouterOsEmulator({ users: [USER], faults: { dropAfterLogin: true } });
    const { port } = await emu.start();
    cleanup.push(() => emu.stop());
    const delays: number[] = [];
    const conn = new RouterConnection({
      host: '127.0.0.1',
      port,
      username: USER.name,
      password: USER.password,
      keepAliveIntervalMs: 0,
      backoff: { initialMs: 10, maxMs: 60_000, jitter: 0 },
    });
    cleanup.push(() => conn.stop());
    conn.on('status', (s: ConnectionStatus) => {
      if (s.state === 'offline' && s.retryDelayMs !== undefined) delays.push(s.retryDelayMs);
    });
    conn.start();
    await until(() => delays.length >= 5, 5000);
    await conn.stop();
    // Each session was logged in (the router accepted us) and still the delay doubles.
    expect(emu.stats.logins).toBeGreaterThanOrEqual(4);
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 80, 160]);
  });
});

describe('reconnect backoff resets only after a stable session', () => {
  it('a session that stays up for stableMs starts the delays over', async () => {
    const emu = new RouterOsEmulator({ users: [USER] });
    const { port } = await emu.start();
    cleanup.push(() => emu.stop());
    const conn = new RouterConnection({
      host: '127.0.0.1',
      port,
      username: USER.name,
      password: USER.password,
      keepAliveIntervalMs: 0,
      backoff: { initialMs: 10, maxMs: 1000, jitter: 0, stableMs: 50 },
    });
    cleanup.push(() => conn.stop());
    conn.start();
    await conn.waitOnline(3000);
    emu.pause();
    await until(() => conn.status.attempt >= 3, 5000);
    emu.resume();
    await until(() => conn.online, 5000);
    await until(() => conn.status.attempt === 0, 5000);
    emu.dropAllConnections();
    await until(() => conn.status.state === 'offline', 5000);
    expect(conn.status.retryDelayMs).toBe(10);
  });
});

describe('non-UTF-8 text (issue 9, item 13)', () => {
  it('a win1252 comment survives a read-modify-write byte for byte', async () => {
    pair = await startPair({ version: '6.49' });
    // "Bu Siti café – lunas" as Winbox on a Windows PC stores it: E9 for é, 96 for the en dash.
    const raw = Buffer.concat([
      Buffer.from('Bu Siti caf'),
      Buffer.from([0xe9, 0x20, 0x96, 0x20]),
      Buffer.from('lunas ✓'),
    ]);
    pair.emu.seed('/ip/hotspot/user', [{ name: 'siti', comment: bytesToText(raw), 'limit-uptime': '1h' }]);
    const c = pair.client;
    const [row] = await c.call('/ip/hotspot/user/print', undefined, {
      query: ['?name=siti'],
      proplist: ['.id', 'comment'],
    });
    // Read, change another field, write the comment back as read (what an edit screen does).
    await c.call('/ip/hotspot/user/set', {
      '.id': row!['.id'],
      'limit-uptime': '2h',
      comment: row!['comment'],
    });
    const stored = pair.emu.menu('/ip/hotspot/user').findBy('name', 'siti')!;
    expect(textToBytes(stored['comment']!).equals(raw)).toBe(true);
    expect(stored['limit-uptime']).toBe('2h');
  });
});

describe('replies for tags nobody waits for', () => {
  it('a late reply with an unknown tag while another call is in flight neither breaks nor misroutes it', async () => {
    const answer = (words: string[], socket: net.Socket): void => {
      const tag = words.find((w) => w.startsWith('.tag='))!;
      if (words[0] !== '/ip/hotspot/user/print') {
        socket.write(encodeSentence(['!done', tag]));
        return;
      }
      // While this print is in flight: rows, a trap and a done for tags the client never issued (or gave up
      // on long ago), some untagged — then the real answer.
      socket.write(
        Buffer.concat([
          encodeSentence(['!re', '=name=intruder', '.tag=9999']),
          encodeSentence(['!re', '=name=untagged']),
          encodeSentence(['!trap', '=message=no such item', '.tag=9998']),
          encodeSentence(['!done', '.tag=9998']),
          encodeSentence(['!re', '=name=siti', tag]),
          encodeSentence(['!re', '=name=late-row', '.tag=1']),
          encodeSentence(['!done', '.tag=9999']),
          encodeSentence(['!trap', '=message=interrupted', '=category=2']),
        ]),
      );
      setTimeout(() => socket.write(encodeSentence(['!done', tag])), 30);
    };
    const router = await fakeRouter(answer);
    cleanup.push(() => router.close());
    const c = await clientOf(router.port, { timeoutMs: 3000 });
    const other = c.call('/system/identity/print');
    expect(await c.call('/ip/hotspot/user/print')).toEqual([{ name: 'siti' }]);
    await other;
    // Still in step: the next calls get their own answers.
    expect(await c.call('/ip/hotspot/user/print')).toEqual([{ name: 'siti' }]);
    expect(c.connected).toBe(true);
    expect(c.load).toEqual({ inFlight: 0, queued: 0 });
  });
});
