/**
 * Routers benches, each against a RouterOS emulator in its own process (so its CPU is not counted as ours):
 *  - routers.jobs_push1000.seconds: 1,000 `menu.upsert` hotspot users enqueued in one transaction and pushed by
 *    the per-router worker at 5 ms router latency, until the batch is done;
 *  - routers.reconcile20k.seconds: one `reconcile.run` over a router holding 20,000 hotspot users and 5,000
 *    PPP secrets (the secrets adopted first, so every row is compared).
 */
import type { ChildProcess } from 'node:child_process';
import { createCore, type Core } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import type { RoutersFeature } from '../../src/main/routers/index';
import { startEmulatorChild } from './emulator-child';
import type { Bench, BenchResult } from './types';

const USER = { name: 'rukun', password: 'bench-rahasia' };

function childEmulator(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  return startEmulatorChild(USER, args);
}

async function coreWithRouter(
  port: number,
): Promise<{ core: Core; token: string; routerId: string; routers: RoutersFeature }> {
  const core = createCore({ dataDir: ':memory:', clock: new FakeClock(), logLevel: 'silent' });
  await core.start();
  const setup = await core.call('auth.setup', {
    officeName: 'Bench Net',
    fullName: 'Bench',
    username: 'bench',
    password: 'rahasia-bench-1',
  });
  if (!setup.ok) throw new Error(setup.error.message);
  const token = (setup.value as { token: string }).token;
  const created = await core.call(
    'routers.create',
    { name: 'Bench', host: '127.0.0.1', port, username: USER.name, password: USER.password },
    { token },
  );
  if (!created.ok) throw new Error(created.error.message);
  const routerId = (created.value as { id: string }).id;
  const routers = core.features.find((f) => f.name === 'routers') as RoutersFeature;
  for (let i = 0; i < 400 && !(await routers.api.get(routerId)).online; i++)
    await new Promise((r) => setTimeout(r, 25));
  return { core, token, routerId, routers };
}

async function benchPush(): Promise<BenchResult> {
  const { child, port } = await childEmulator(['--latency', '5']);
  const { core, routerId, routers } = await coreWithRouter(port);
  try {
    const t0 = performance.now();
    await core.deps.database.db.transaction().execute(async (trx) => {
      await routers.api.enqueueMany(
        trx,
        Array.from({ length: 1000 }, (_, i) => ({
          routerId,
          operation: 'menu.upsert',
          batchId: 'bench-push',
          payload: {
            menu: '/ip/hotspot/user',
            match: { name: `B${i}` },
            values: { password: `B${i}`, profile: 'default', comment: `VOUCHER_SYSTEM|5000|0|0` },
          },
        })),
      );
    });
    const p = await routers.api.waitForBatch('bench-push');
    const seconds = (performance.now() - t0) / 1000;
    if (p.done !== 1000) throw new Error(`push bench: ${p.done} of 1000 done`);
    return { name: 'routers.jobs_push1000.seconds', value: seconds, unit: 's' };
  } finally {
    await core.stop();
    child.kill();
  }
}

async function benchReconcile(): Promise<BenchResult> {
  const { child, port } = await childEmulator(['--bulk-users', '20000', '--bulk-secrets', '5000']);
  const { core, token, routerId } = await coreWithRouter(port);
  try {
    const adopted = await core.call('reconcile.adopt', { routerId, pppSecrets: true }, { token });
    if (!adopted.ok) throw new Error(adopted.error.message);
    const t0 = performance.now();
    const res = await core.call('reconcile.run', { routerId }, { token });
    const seconds = (performance.now() - t0) / 1000;
    if (!res.ok) throw new Error(res.error.message);
    const kinds = (res.value as { kinds: { menu: string; actualCount: number }[] }).kinds;
    const read = (menu: string) => kinds.find((k) => k.menu === menu)?.actualCount ?? 0;
    // The hotspot users are compared by the vouchers feature's provider; make sure the figure covers them.
    if (read('/ip/hotspot/user') !== 20_000 || read('/ppp/secret') !== 5000)
      throw new Error(`reconcile bench read ${JSON.stringify(kinds)}`);
    return { name: 'routers.reconcile20k.seconds', value: seconds, unit: 's' };
  } finally {
    await core.stop();
    child.kill();
  }
}

export const bench: Bench = {
  prefix: 'routers.',
  async run() {
    return [await benchPush(), await benchReconcile()];
  },
};
