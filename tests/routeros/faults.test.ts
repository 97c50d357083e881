import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import {
  ConnectionClosedError,
  createRouterOsClient,
  encodeSentence,
  FatalError,
  SentenceDecoder,
  TimeoutError,
} from '../../src/main/routeros/index.js';
import { type Pair, startPair, until } from './helpers.js';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('pipelining', () => {
  it('keeps at most maxInFlight commands at the router and queues the rest', async () => {
    pair = await startPair({ version: '7.18', faults: { latencyMs: 15 } }, { maxInFlight: 4 });
    const c = pair.client;
    pair.emu.resetStats();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => c.call('/ip/hotspot/user/add', { name: `v${i}`, password: 'x' })),
    );
    const ids = results.map((r) => r[0]!['ret']);
    expect(new Set(ids).size).toBe(40);
    expect(pair.emu.menu('/ip/hotspot/user').size).toBe(40);
    expect(pair.emu.stats.maxInFlight).toBe(4);
    expect(c.stats.maxInFlightObserved).toBe(4);
    expect(c.load).toEqual({ inFlight: 0, queued: 0 });
  });

  it('the emulator really overlaps commands (so pipelining pays off)', async () => {
    pair = await startPair({ version: '6.49', faults: { latencyMs: 15 } }, { maxInFlight: 64 });
    pair.emu.resetStats();
    await Promise.all(Array.from({ length: 30 }, () => pair!.client.call('/system/identity/print')));
    expect(pair.emu.stats.maxInFlight).toBeGreaterThan(4);
  });
});

describe('timeouts', () => {
  it('a call that is never answered → TimeoutError; later calls are unaffected', async () => {
    pair = await startPair({
      log: true,
      faults: { neverAnswer: (cmd, p) => cmd === '/ip/hotspot/user/add' && p['name'] === 'stuck' },
    });
    const c = pair.client;
    const started = Date.now();
    const err = await c
      .call('/ip/hotspot/user/add', { name: 'stuck' }, { timeoutMs: 80 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ kind: 'timeout', timeoutMs: 80, command: '/ip/hotspot/user/add' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await c.call('/ip/hotspot/user/add', { name: 'ok' })).toEqual([{ ret: '*1' }]);
    expect(c.load.inFlight).toBe(0);
    expect(c.stats.timeouts).toBe(1);
    // The client asked the router to stop the abandoned command.
    expect(pair.emu.log.some((e) => e.dir === 'in' && e.words[0] === '/cancel')).toBe(true);
  });

  it('a late answer to a timed-out tag does not leak into later calls', async () => {
    // The router ignores our /cancel and answers the abandoned print late, rows and all.
    pair = await startPair({ log: true, faults: { latencyMs: 120, neverAnswer: '/cancel' } });
    const c = pair.client;
    pair.emu.seed('/ip/hotspot/user', [{ name: 'a' }, { name: 'b' }]);
    await expect(c.call('/ip/hotspot/user/print', undefined, { timeoutMs: 30 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    const lateTag = '.tag=2';
    pair.emu.faults.latencyMs = 0;
    expect(await c.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    await until(() =>
      pair!.emu.log.some((e) => e.dir === 'out' && e.words[0] === '!done' && e.words.includes(lateTag)),
    );
    expect(
      pair.emu.log.filter((e) => e.dir === 'out' && e.words[0] === '!re' && e.words.includes(lateTag)),
    ).toHaveLength(2);
    expect(await c.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    expect(await c.call('/ip/hotspot/user/print', undefined, { proplist: ['name'] })).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    expect(c.load).toEqual({ inFlight: 0, queued: 0 });
  });
});

describe('lost connections', () => {
  it('a drop mid-batch rejects every pending and queued call promptly', async () => {
    pair = await startPair(
      { faults: { latencyMs: 30, dropAfterCommands: 5 } },
      { maxInFlight: 8, timeoutMs: 10_000 },
    );
    const c = pair.client;
    const closed = new Promise<ConnectionClosedError>((resolve) => c.once('close', resolve));
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => c.call('/ip/hotspot/user/add', { name: `v${i}` })),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionClosedError);
    }
    expect(await closed).toBeInstanceOf(ConnectionClosedError);
    expect(c.connected).toBe(false);
    await expect(c.call('/system/identity/print')).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('a drop in the middle of a long print rejects it (no partial result)', async () => {
    pair = await startPair({ version: '6.49' }, { timeoutMs: 10_000 });
    pair.emu.seed(
      '/ip/hotspot/user',
      Array.from({ length: 2000 }, (_, i) => ({ name: `u${i}`, comment: 'x'.repeat(100) })),
    );
    pair.emu.faults.dropMidReply = true;
    const other = pair.client.listen('/ip/hotspot/active/listen', undefined, () => {});
    const err = await pair.client.call('/ip/hotspot/user/print').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    await expect(other.done).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('!fatal ends the session: pending calls fail with FatalError', async () => {
    pair = await startPair({
      faults: { fatalAfterCommands: 1, fatalMessage: 'session terminated on request' },
    });
    const c = pair.client;
    await c.call('/system/identity/print');
    const err = await c.call('/system/identity/print').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as FatalError).kind).toBe('fatal');
    expect((err as FatalError).message).toMatch(/session terminated on request/);
    await until(() => !c.connected);
  });

  it('close() rejects pending calls and later calls fail fast', async () => {
    pair = await startPair({ faults: { latencyMs: 500 } });
    const c = pair.client;
    const pending = c.call('/system/identity/print');
    await c.close();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(c.call('/system/identity/print')).rejects.toMatchObject({ kind: 'connection_closed' });
  });
});

describe('stray sentences', () => {
  it('ignores an untagged !empty and handles a tagged !empty before !done', async () => {
    // A hand-written router that answers a print the odd way some 7.18+ builds do.
    const server = net.createServer((socket) => {
      const dec = new SentenceDecoder((words) => {
        const tag = words.find((w) => w.startsWith('.tag='));
        if (words[0] === '/login') return socket.write(encodeSentence(['!done', tag!]));
        socket.write(
          Buffer.concat([
            encodeSentence(['!empty']),
            encodeSentence(['!empty', tag!]),
            encodeSentence(['!done', tag!]),
          ]),
        );
        return true;
      });
      socket.on('data', (d: Buffer) => dec.push(d));
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const c = createRouterOsClient({
      host: '127.0.0.1',
      port,
      username: 'admin',
      password: '',
      timeoutMs: 1000,
    });
    try {
      await c.connect();
      expect(await c.call('/ip/hotspot/user/print')).toEqual([]);
      expect(await c.call('/ppp/secret/print')).toEqual([]);
    } finally {
      await c.close();
      await new Promise((r) => server.close(r));
    }
  });
});
