/**
 * RouterOS client benchmarks against the emulator.
 *
 *   routeros.add1000.pipelined_speedup  1,000 hotspot user adds at 5 ms router latency: pipelined (64 in flight)
 *                                       vs one at a time. Target ≥ 10.
 *   routeros.read25k.seconds            full print of 20,000 hotspot users + 5,000 PPP secrets. Target < 3.
 *   routeros.read25k.extra_mb           client memory for that read: the larger of peak RSS and peak heap+external
 *                                       above a post-GC baseline (RSS alone reads 0 when an earlier bench in the
 *                                       same process left freed pages mapped).
 *                                       The emulator runs in a child process so its memory is not counted.
 *                                       Target < 150.
 *
 * Run alone: `npx tsx scripts/bench/routeros.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

import { createRouterOsClient, type RouterOsClient } from '../../src/main/routeros/index.js';
import { RouterOsEmulator } from '../../tests/emulator/routeros/index.js';
import { startEmulatorChild } from './emulator-child.js';
import type { Bench, BenchResult } from './types.js';

const USER = { name: 'bench', password: 'bench' };

function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function connect(port: number, maxInFlight: number): Promise<RouterOsClient> {
  const c = createRouterOsClient({
    host: '127.0.0.1',
    port,
    username: USER.name,
    password: USER.password,
    maxInFlight,
    timeoutMs: 60_000,
  });
  await c.connect();
  return c;
}

async function addUsers(
  client: RouterOsClient,
  prefix: string,
  n: number,
  pipelined: boolean,
): Promise<number> {
  const started = performance.now();
  const add = (i: number): Promise<unknown> =>
    client.call('/ip/hotspot/user/add', {
      name: `${prefix}${i}`,
      password: `${prefix}${i}`,
      profile: 'default',
      'limit-uptime': '3h',
      comment: 'VOUCHER_SYSTEM|5000|0|0',
    });
  if (pipelined) {
    // The client bounds what is in flight; the rest waits in its queue.
    await Promise.all(Array.from({ length: n }, (_, i) => add(i)));
  } else {
    for (let i = 0; i < n; i++) await add(i);
  }
  return (performance.now() - started) / 1000;
}

async function benchAdd(): Promise<BenchResult[]> {
  const emu = new RouterOsEmulator({ version: '7.18', users: [USER], faults: { latencyMs: 5 } });
  const { port } = await emu.start();
  try {
    const sequentialClient = await connect(port, 1);
    const sequential = await addUsers(sequentialClient, 's', 1000, false);
    await sequentialClient.close();
    const pipelinedClient = await connect(port, 64);
    const pipelined = await addUsers(pipelinedClient, 'p', 1000, true);
    await pipelinedClient.close();
    if (emu.menu('/ip/hotspot/user').size !== 2000)
      throw new Error('bench: not every add reached the router');
    console.error(
      `routeros add1000: sequential ${sequential.toFixed(2)} s, pipelined ${pipelined.toFixed(3)} s`,
    );
    return [
      { name: 'routeros.add1000.pipelined_speedup', value: round(sequential / pipelined, 1), unit: 'x' },
    ];
  } finally {
    await emu.stop();
  }
}

function startChildEmulator(): Promise<{ child: ChildProcess; port: number }> {
  return startEmulatorChild(USER, ['--bulk-users', '20000', '--bulk-secrets', '5000']);
}

async function benchRead(): Promise<BenchResult[]> {
  const gc = getGc();
  const { child, port } = await startChildEmulator();
  try {
    const client = await connect(port, 16);
    await client.call('/system/identity/print'); // warm up the path
    gc();
    gc();
    const baseRss = process.memoryUsage().rss;
    const heapNow = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    const baseHeap = process.memoryUsage().heapUsed;
    const baseHeapExt = heapNow();
    let peakRss = baseRss;
    let peakHeapExt = baseHeapExt;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      peakHeapExt = Math.max(peakHeapExt, heapNow());
    }, 5);
    const started = performance.now();
    const [users, secrets] = await Promise.all([
      client.call('/ip/hotspot/user/print'),
      client.call('/ppp/secret/print'),
    ]);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    peakHeapExt = Math.max(peakHeapExt, heapNow());
    const heldHeap = process.memoryUsage().heapUsed - baseHeap;
    if (users.length !== 20_000 || secrets.length !== 5_000) {
      throw new Error(`bench: read ${users.length} users and ${secrets.length} secrets`);
    }
    const extraMb = Math.max(peakRss - baseRss, peakHeapExt - baseHeapExt) / 1024 / 1024;
    console.error(
      `routeros read25k: ${seconds.toFixed(3)} s, peak +${extraMb.toFixed(1)} MB (RSS +${((peakRss - baseRss) / 1048576).toFixed(1)}), rows held on heap +${(heldHeap / 1024 / 1024).toFixed(1)} MB`,
    );
    await client.close();
    return [
      { name: 'routeros.read25k.seconds', value: round(seconds, 3), unit: 's' },
      { name: 'routeros.read25k.extra_mb', value: round(extraMb, 1), unit: 'MB' },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const bench: Bench = {
  prefix: 'routeros.',
  async run() {
    // Read first: the memory figure is cleanest in a fresh process.
    const read = await benchRead();
    const add = await benchAdd();
    return [...add, ...read];
  },
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  bench
    .run()
    .then((results) => {
      for (const r of results) console.log(`${r.name} ${r.value} ${r.unit}`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
