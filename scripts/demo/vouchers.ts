/**
 * Demo vouchers: an emulated hotspot router (RouterOS 7.18, scripts really run) that an office used with Mikhmon
 * until now — a month of Mikhmon sales is imported — plus Rukun's own profiles and batches, with some vouchers
 * in use (their on-login scripts call the demo's LAN listener, as a real router would).
 */
import type { Core } from '../../src/main/core';
import type { RoutersFeature } from '../../src/main/routers/index';
import { epochToRosDateTime } from '../../src/main/routeros/version';
import { RouterOsEmulator } from '../../tests/emulator/routeros/index';
import { attachScriptInterpreter } from '../../tests/emulator/routeros/script/index';
import { call } from '../demo';

const ROS_USER = { name: 'rukun', password: 'api-demo-rahasia' };

export async function seedVouchers(core: Core, token: string): Promise<{ stop(): Promise<void> }> {
  const emu = new RouterOsEmulator({
    version: '7.18',
    identity: 'Hotspot-Sukamaju',
    users: [ROS_USER],
    now: Date.now(),
  });
  const scripts = attachScriptInterpreter(emu);
  seedMikhmonHistory(emu);
  const { port } = await emu.start();
  // The router's clock follows real time, so schedulers and countdowns run while the demo is open.
  const tick = setInterval(() => emu.advanceTime(1000), 1000);
  tick.unref();

  const routers = core.features.find((f) => f.name === 'routers') as RoutersFeature | undefined;
  const router = await call(core, token, 'routers.create', {
    name: 'Hotspot Sukamaju',
    location: 'Tiang depan balai RW 05',
    host: '127.0.0.1',
    port,
    tls: false,
    username: ROS_USER.name,
    password: ROS_USER.password,
  });
  for (let i = 0; i < 100 && !(await call(core, token, 'routers.get', { id: router.id })).online; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await call(core, token, 'vouchers.importMikhmon', { routerId: router.id });

  const profiles = [
    {
      name: '3Jam',
      rateLimit: '2M/2M',
      validitySeconds: 3 * 3600,
      priceCost: 1500,
      priceSell: 2000,
      expiryPolicy: 'remove' as const,
    },
    {
      name: '1Hari',
      rateLimit: '3M/3M',
      validitySeconds: 86_400,
      priceCost: 4000,
      priceSell: 5000,
      expiryPolicy: 'remove' as const,
    },
    {
      name: '7Hari',
      rateLimit: '5M/5M',
      sharedUsers: 2,
      validitySeconds: 7 * 86_400,
      priceCost: 17_000,
      priceSell: 20_000,
      expiryPolicy: 'disable' as const,
    },
  ];
  for (const p of profiles)
    await call(core, token, 'vouchers.profiles.save', { routerId: router.id, sharedUsers: 1, ...p });
  const batches = [
    { profile: '1Hari', count: 240, note: 'Warung Bu Siti' },
    { profile: '3Jam', count: 120, note: 'Konter Pulsa Jaya' },
    { profile: '7Hari', count: 40, note: 'Kos Putri Melati' },
  ];
  for (const b of batches) {
    const created = await call(core, token, 'vouchers.createBatch', {
      routerId: router.id,
      length: 6,
      charset: 'alnumUpper',
      ...b,
    });
    await routers?.api.waitForBatch(created.batchId);
  }
  // Customers log in with a few vouchers: the router stamps them and calls Rukun back.
  const users = emu
    .menu('/ip/hotspot/user')
    .rows()
    .filter((u) => (u['comment'] ?? '').startsWith('VOUCHER_SYSTEM'));
  for (const [i, u] of users
    .filter((_, i) => i % 9 === 0)
    .slice(0, 30)
    .entries()) {
    emu.hotspotLogin({
      user: u['name']!,
      password: u['password']!,
      mac: `2C:4D:54:10:${String(10 + (i % 80)).padStart(2, '0')}:${String(20 + (i % 70)).padStart(2, '0')}`,
      ip: `10.5.50.${20 + i}`,
    });
    emu.addTraffic(u['name']!, 20_000_000 + i * 3_000_000, 2_000_000 + i * 100_000);
  }
  await scripts.idle();
  await call(core, token, 'vouchers.sync', { routerId: router.id });
  return {
    async stop() {
      clearInterval(tick);
      await scripts.idle();
      await emu.stop();
    },
  };
}

/** A month of Mikhmon history on the router: its profile header, unused vc- users and sales scripts. */
function seedMikhmonHistory(emu: RouterOsEmulator): void {
  emu.seed('/ip/hotspot/user/profile', [
    {
      name: 'mikhmon-1hari',
      'shared-users': '1',
      'rate-limit': '3M/3M',
      'on-login': ':put (",rem,4000,1d,5000,,Disable,"); :local mode "X";',
    },
  ]);
  emu.seed(
    '/ip/hotspot/user',
    Array.from({ length: 25 }, (_, i) => ({
      name: `mk${String(4711 + i * 37)}`,
      password: `mk${String(4711 + i * 37)}`,
      profile: 'mikhmon-1hari',
      comment: 'vc-482-11.02.26-',
    })),
  );
  const rows = [];
  const now = emu.now();
  for (let day = 30; day >= 1; day--) {
    const perDay = 6 + ((day * 7) % 11);
    for (let k = 0; k < perDay; k++) {
      const at = now - day * 86_400_000 + (8 + (k % 13)) * 3_600_000 + k * 61_000;
      const { date, time } = epochToRosDateTime(at, 420, { major: 6, minor: 49, patch: 0 });
      const user = `mk${1000 + day * 40 + k}`;
      rows.push({
        name: `${date}-|-${time}-|-${user}-|-5000-|-10.5.50.${10 + k}-|-2C:4D:54:00:${String(day).padStart(2, '0')}:${String(k).padStart(2, '0')}-|-1d-|-mikhmon-1hari-|-vc-482-`,
        comment: 'mikhmon',
        source: date,
      });
    }
  }
  emu.seed('/system/script', rows);
}
