/**
 * `vouchers.push1000.seconds` (target < 3 s): generate 1,000 secure unique codes, store them with their router
 * jobs, and push them to a router answering every command after 5 ms — the time an operator waits between
 * "Buat voucher" and a batch fully on the router. The emulator runs in this process (conservative: it shares
 * the event loop with Rukun). Median of three batches.
 */
import { pathToFileURL } from 'node:url';
import { createCore } from '../../src/main/core';
import type { RoutersFeature } from '../../src/main/routers/index';
import { RouterOsEmulator } from '../../tests/emulator/routeros/index';
import type { Bench, BenchResult } from './types';

async function run(): Promise<BenchResult[]> {
  const user = { name: 'bench', password: 'bench-pass' };
  const emu = new RouterOsEmulator({ version: '7.18', users: [user], faults: { latencyMs: 5 } });
  const { port } = await emu.start();
  const core = createCore({ dataDir: ':memory:', logLevel: 'silent' });
  await core.start();
  try {
    const call = async <T>(method: string, input: unknown, token: string | null): Promise<T> => {
      const r = await core.call(method, input, { token, via: 'http' });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    };
    const { token } = await call<{ token: string }>(
      'auth.setup',
      { officeName: 'Bench Net', fullName: 'Bench', username: 'bench', password: 'bench-pass-123' },
      null,
    );
    const router = await call<{ id: string }>(
      'routers.create',
      { name: 'Bench', host: '127.0.0.1', port, username: user.name, password: user.password },
      token,
    );
    const routers = core.features.find((f) => f.name === 'routers') as RoutersFeature;
    for (let i = 0; i < 200 && !(await routers.api.get(router.id)).online; i++)
      await new Promise((r) => setTimeout(r, 25));
    await call(
      'vouchers.profiles.save',
      { routerId: router.id, name: '1Hari', validitySeconds: 86_400, priceCost: 4000, priceSell: 5000 },
      token,
    );
    // Warm-up batch (JIT, prepared statements, the profile job).
    const warm = await call<{ batchId: string }>(
      'vouchers.createBatch',
      { routerId: router.id, profile: '1Hari', count: 50, length: 8, charset: 'alnumUpper' },
      token,
    );
    await routers.api.waitForBatch(warm.batchId);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const b = await call<{ batchId: string }>(
        'vouchers.createBatch',
        { routerId: router.id, profile: '1Hari', count: 1000, length: 8, charset: 'alnumUpper' },
        token,
      );
      const done = await routers.api.waitForBatch(b.batchId);
      runs.push((performance.now() - t0) / 1000);
      if (done.failed > 0) throw new Error(`${done.failed} push jobs failed`);
    }
    const onRouter = emu.menu('/ip/hotspot/user').size;
    if (onRouter !== 3050) throw new Error(`router holds ${onRouter} users, expected 3050`);
    runs.sort((a, b) => a - b);
    return [{ name: 'vouchers.push1000.seconds', value: Number((runs[1] ?? 0).toFixed(3)), unit: 's' }];
  } finally {
    await core.stop();
    await emu.stop();
  }
}

export const bench: Bench = { prefix: 'vouchers.push', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench.run()) console.log(`${r.name} ${r.value} ${r.unit}`);
}
