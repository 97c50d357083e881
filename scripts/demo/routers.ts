/**
 * Demo data of the routers feature: "Router Pusat", an emulated RouterOS 7.18 office router with live hotspot
 * and PPPoE sessions whose profiles and secrets Rukun has adopted (one secret changed by hand on the router, so
 * the reconciliation tab has something to show), and "Tower Utara", a RouterOS 6.49 tower that is unreachable,
 * with changes waiting in its sync queue ("menunggu sinkron").
 */
import type { Core } from '../../src/main/core';
import { systemActor } from '../../src/main/context';
import type { RoutersFeature } from '../../src/main/routers/index';
import { RouterOsEmulator, seedOffice as seedRouterOffice } from '../../tests/emulator/routeros/index';
import { call } from '../demo';

const ROS_USER = { name: 'rukun', password: 'demo-api-rahasia' };

async function waitOnline(core: Core, token: string, id: string): Promise<void> {
  for (let i = 0; i < 100 && !(await call(core, token, 'routers.get', { id })).online; i++)
    await new Promise((r) => setTimeout(r, 50));
}

export async function seedRouters(core: Core, token: string): Promise<{ stop(): Promise<void> }> {
  const emu = new RouterOsEmulator({ version: '7.18', users: [ROS_USER], now: Date.now() });
  seedRouterOffice(emu);
  // A few more people online, with traffic, so the live monitor looks like an evening at an RT/RW Net.
  emu.seed('/ip/hotspot/user', [
    {
      name: 'R4TW9K',
      password: 'R4TW9K',
      profile: 'voucher-1hari',
      'limit-uptime': '1d',
      comment: 'VOUCHER_SYSTEM|10000|0|0',
    },
    {
      name: 'P8LM2X',
      password: 'P8LM2X',
      profile: 'voucher-3jam',
      'limit-uptime': '3h',
      comment: 'VOUCHER_SYSTEM|5000|0|0',
    },
  ]);
  emu.hotspotLogin({ user: 'R4TW9K', password: 'R4TW9K', mac: '3C:2E:FF:10:20:30', ip: '10.5.50.41' });
  emu.hotspotLogin({ user: 'P8LM2X', password: 'P8LM2X', mac: '8C:85:90:AA:BB:01', ip: '10.5.50.58' });
  emu.pppConnect({ name: 'warung-joko', callerId: 'B8:69:F4:0D:0E:0F' });
  emu.addTraffic('QH4N8R', 310_000_000, 21_000_000);
  emu.addTraffic('R4TW9K', 95_000_000, 7_400_000);
  emu.addTraffic('P8LM2X', 12_500_000, 1_100_000);
  emu.advanceTime(12 * 60_000);
  const { port } = await emu.start();
  // The emulated router keeps its clock moving, so uptimes and traffic grow while someone watches.
  const ticker = setInterval(() => {
    emu.advanceTime(3000);
    for (const u of ['KX7P2M', 'QH4N8R', 'R4TW9K', 'P8LM2X'])
      emu.addTraffic(
        u,
        150_000 + Math.round(Math.random() * 900_000),
        20_000 + Math.round(Math.random() * 90_000),
      );
  }, 3000);
  ticker.unref();

  const pusat = await call(core, token, 'routers.create', {
    name: 'Router Pusat',
    location: 'Kantor Jl. Raya Sukamaju 17',
    host: '127.0.0.1',
    port,
    tls: false,
    username: ROS_USER.name,
    password: ROS_USER.password,
  });
  await waitOnline(core, token, pusat.id);
  await call(core, token, 'reconcile.adopt', {
    routerId: pusat.id,
    hotspotProfiles: true,
    pppProfiles: true,
    pppSecrets: true,
  });
  // Someone changed a customer's profile in Winbox: the reconciler will show it as different.
  const agus = emu.menu('/ppp/secret').findBy('name', 'agus-rw02');
  if (agus) agus['profile'] = 'paket-20M';

  // A tower whose link is down: its changes wait in the queue.
  const down = new RouterOsEmulator({ version: '6.49', users: [ROS_USER] });
  const downPort = (await down.start()).port;
  await down.stop();
  const tower = await call(core, token, 'routers.create', {
    name: 'Tower Utara',
    location: 'Menara RW 08, Desa Mekarjaya',
    host: '127.0.0.1',
    port: downPort,
    tls: false,
    username: ROS_USER.name,
    password: ROS_USER.password,
  });
  const routers = core.features.find((f) => f.name === 'routers') as RoutersFeature;
  await core.deps.database.db.transaction().execute(async (trx) => {
    await routers.api.profiles.ppp.upsert(trx, systemActor, {
      routerId: tower.id,
      name: 'paket-10M',
      rateLimit: '10M/10M',
      localAddress: '10.20.0.1',
      remoteAddress: 'pool-utara',
    });
    for (const [name, profile] of [
      ['dewi-rt07', 'paket-10M'],
      ['bengkel-asep', 'paket-10M'],
      ['pak-rahmat', 'paket-10M'],
    ] as const) {
      await routers.api.pppSecrets.upsert(trx, systemActor, {
        routerId: tower.id,
        name,
        password: `${name.slice(0, 4)}2026`,
        profile,
        comment: 'Pelanggan Tower Utara',
      });
    }
  });
  return {
    async stop() {
      clearInterval(ticker);
      await emu.stop();
    },
  };
}
