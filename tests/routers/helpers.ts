/** Shared set-up for routers tests: a test core with a router pointed at an emulator on loopback. */
import { RouterOsEmulator, type EmulatorOptions } from '../emulator/routeros/index';
import { testCore, type TestCore } from '../helpers/core';
import type { RoutersFeature } from '../../src/main/routers/index';
import type { Core } from '../../src/main/core';
import type { EventMessage, EventName } from '../../src/shared/contract/index';

export const VERSIONS = ['6.49', '7.15', '7.18'] as const;
export const ROS_USER = { name: 'rukun', password: 'api-rahasia' };

export function routersOf(core: Core): RoutersFeature {
  const f = core.features.find((x) => x.name === 'routers');
  if (!f) throw new Error('routers feature missing');
  return f as RoutersFeature;
}

/** Short timeouts and backoff so offline/reconnect tests take a fraction of a second. */
export function tune(core: Core): void {
  const r = routersOf(core).internals;
  r.registry.opts.connection = {
    timeoutMs: 3000,
    connectTimeoutMs: 2000,
    backoff: { initialMs: 50, maxMs: 200, jitter: 0 },
    keepAliveIntervalMs: 0,
  };
  r.jobs.backoff.initialMs = 50;
  r.jobs.backoff.maxMs = 200;
}

export interface Setup {
  t: TestCore;
  token: string;
  emu: RouterOsEmulator;
  port: number;
  routerId: string;
  close(): Promise<void>;
}

export async function setup(
  emuOpts: EmulatorOptions = {},
  opts: { seed?: (emu: RouterOsEmulator) => void } = {},
): Promise<Setup> {
  const emu = new RouterOsEmulator({ users: [ROS_USER], ...emuOpts });
  opts.seed?.(emu);
  const { port } = await emu.start();
  const t = await testCore();
  tune(t.core);
  const token = await t.setupOwner();
  const online = waitEvent(t.core, 'routers.status', (p) => p.online);
  const r = await t.ok(
    'routers.create',
    {
      name: 'Router Pusat',
      location: 'Kantor RT 03',
      host: '127.0.0.1',
      port,
      tls: !!emuOpts.tls,
      username: ROS_USER.name,
      password: ROS_USER.password,
    },
    token,
  );
  await online;
  return {
    t,
    token,
    emu,
    port,
    routerId: r.id,
    async close() {
      await t.core.stop();
      await emu.stop();
    },
  };
}

/** Resolves with the first event `name` whose payload matches. */
export function waitEvent<E extends EventName>(
  core: Core,
  name: E,
  pred: (p: EventMessage<E>['payload']) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<EventMessage<E>['payload']> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} event in time`));
    }, timeoutMs);
    const off = core.deps.events.subscribe((msg) => {
      if (msg.name !== name) return;
      const p = msg.payload as EventMessage<E>['payload'];
      if (!pred(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/** Resolves when `pred()` holds, checking every few ms (no fixed sleeps). */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await pred())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
