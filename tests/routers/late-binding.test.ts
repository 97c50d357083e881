import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/main/context';
import { routerJobsSettled } from '../billing/helpers';
import { routersOf, setup, type Setup } from './helpers';

/**
 * A PPP secret sync reads the secret's desired state when it runs. A profile change enqueued *after* it (the
 * secret moved to a profile Rukun is only now creating) must still reach the router first, or the sync pushes
 * a profile the router does not have yet and fails with "input does not match any value of profile".
 */
describe('jobs that read the current state wait for profile changes enqueued after them', () => {
  let s: Setup | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it('a queued secret sync does not overtake the later job that creates the profile it now names', async () => {
    s = await setup({ version: '7.18' });
    const { t, routerId, emu } = s;
    // Profile work on the router is slow, everything else is quick: without the rule the sync (enqueued first)
    // would reach /ppp/secret/add long before the profile exists.
    emu.faults.latencyMs = (command) => (command.startsWith('/ppp/profile') ? 80 : 1);
    const routers = routersOf(t.core).api;
    const db = t.core.deps.database.db;

    await db.transaction().execute(async (trx) => {
      // 1. A new secret on the router's default profile: its sync job is queued.
      await routers.pppSecrets.upsert(trx, systemActor, {
        routerId,
        name: 'pelanggan-01',
        password: 'rahasia01',
        profile: 'default',
      });
      // 2. Then the office creates a new profile and moves the secret to it.
      await routers.enqueue(trx, {
        routerId,
        operation: 'menu.upsert',
        payload: {
          menu: '/ppp/profile',
          match: { name: 'PAKET-BARU' },
          values: { name: 'PAKET-BARU', 'rate-limit': '20M/20M' },
        },
      });
      await routers.pppSecrets.setProfile(trx, systemActor, routerId, 'pelanggan-01', 'PAKET-BARU');
    });

    const jobs = t.core.deps.database.sqlite
      .prepare('SELECT operation, key FROM router_jobs WHERE router_id = ? ORDER BY seq')
      .all(routerId) as { operation: string; key: string }[];
    // The sync really was queued before the profile job (the situation this test is about).
    expect(jobs.findIndex((j) => j.operation === 'ppp.secret.sync')).toBeLessThan(
      jobs.findIndex((j) => j.key === '/ppp/profile|name=PAKET-BARU'),
    );

    // No job failed (routerJobsSettled throws on one) and the router has the secret on the new profile.
    await routerJobsSettled(t.core);
    expect(
      emu
        .menu('/ppp/profile')
        .rows()
        .some((r) => r['name'] === 'PAKET-BARU'),
    ).toBe(true);
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .find((r) => r['name'] === 'pelanggan-01')?.['profile'],
    ).toBe('PAKET-BARU');
  });

  it('with no profile change in sight, secret syncs run at once (the rule does not serialise ordinary work)', async () => {
    s = await setup({ version: '6.49' });
    const { t, routerId, emu } = s;
    emu.faults.latencyMs = 5;
    const routers = routersOf(t.core).api;
    await t.core.deps.database.db.transaction().execute(async (trx) => {
      for (let i = 1; i <= 20; i++)
        await routers.pppSecrets.upsert(trx, systemActor, {
          routerId,
          name: `p-${i}`,
          password: `sandi-${i}00`,
          profile: 'default',
        });
    });
    await routerJobsSettled(t.core);
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .filter((r) => String(r['name']).startsWith('p-')),
    ).toHaveLength(20);
    // Several syncs were on the wire at once.
    expect(emu.stats.maxInFlight).toBeGreaterThan(1);
  });
});
