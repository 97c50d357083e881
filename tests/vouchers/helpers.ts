/** Set-up for vouchers tests: a test core with its LAN listener, a router on an emulator that runs scripts. */
import type { Core } from '../../src/main/core';
import type { VouchersFeature } from '../../src/main/vouchers/index';
import { RouterOsEmulator, type EmulatorOptions } from '../emulator/routeros/index';
import { attachScriptInterpreter, type ScriptInterpreter } from '../emulator/routeros/script/index';
import { testCore, type TestCore } from '../helpers/core';
import { ROS_USER, routersOf, tune, until, waitEvent } from '../routers/helpers';

export { until, waitEvent, routersOf };

export function vouchersOf(core: Core): VouchersFeature {
  const f = core.features.find((x) => x.name === 'vouchers');
  if (!f) throw new Error('vouchers feature missing');
  return f as VouchersFeature;
}

export interface VoucherSetup {
  t: TestCore;
  token: string;
  emu: RouterOsEmulator;
  scripts: ScriptInterpreter;
  routerId: string;
  close(): Promise<void>;
}

export async function setupVouchers(emuOpts: EmulatorOptions = {}): Promise<VoucherSetup> {
  const emu = new RouterOsEmulator({ users: [ROS_USER], ...emuOpts });
  const scripts = attachScriptInterpreter(emu, { fetchTimeoutMs: 2000 });
  const { port } = await emu.start();
  const t = await testCore({ http: { host: '127.0.0.1', port: 0, serveApi: false } });
  // The emulator and the core share one notion of "now".
  t.clock.set(emu.now());
  tune(t.core);
  const token = await t.setupOwner();
  const online = waitEvent(t.core, 'routers.status', (p) => p.online);
  const r = await t.ok(
    'routers.create',
    {
      name: 'Router Pusat',
      location: 'Kantor',
      host: '127.0.0.1',
      port,
      tls: false,
      username: ROS_USER.name,
      password: ROS_USER.password,
    },
    token,
  );
  await online;
  let closed = false;
  return {
    t,
    token,
    emu,
    scripts,
    routerId: r.id,
    async close() {
      if (!closed) await t.core.stop().catch(() => undefined);
      closed = true;
      await scripts.idle();
      await emu.stop();
    },
  };
}

/** Moves the router's clock and Rukun's together, then lets the router's scripts finish. */
export async function advance(s: VoucherSetup, ms: number): Promise<void> {
  s.emu.advanceTime(ms);
  s.t.clock.advance(ms);
  await s.scripts.idle();
}
