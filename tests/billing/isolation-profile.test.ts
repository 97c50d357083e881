import { afterEach, describe, expect, it } from 'vitest';
import { setup, type Setup } from '../routers/helpers';
import { routerJobsSettled } from './helpers';

/**
 * A secret's sync job reads the secret's desired profile when it runs. When a customer is isolated while
 * their first push is still queued, that early job would push the isolation profile before the isolation's
 * own profile job created it ("input does not match any value of profile" — 14 failed jobs in the demo).
 */
describe('isolation profile on the router', () => {
  let s: Setup | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it('is planned before the first secret on a router, so isolating a customer whose push is still queued fails nothing', async () => {
    s = await setup({ version: '7.18' });
    const { t, routerId, token, emu } = s;
    const pkg = await t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'PAKET-10M' },
      token,
    );
    // The router answers slowly: the new secret's first sync is still waiting when the customer is isolated.
    emu.faults.latencyMs = 40;
    const c = await t.ok(
      'customers.create',
      { name: 'Asep Sopandi', phone: '081298765432', routerId },
      token,
    );
    const sub = await t.ok(
      'subscriptions.create',
      {
        customerId: c.id,
        packageId: pkg.id,
        routerId,
        billingDay: 10,
        startDate: '2026-11-10',
        invoiceNow: false,
      },
      token,
    );
    await t.ok('subscriptions.isolate', { id: sub.id }, token);

    const jobs = t.core.deps.database.sqlite
      .prepare(
        "SELECT operation, key FROM router_jobs WHERE router_id = ? AND (key LIKE '/ppp/profile|name=ISOLIR' OR operation = 'ppp.secret.sync') ORDER BY seq",
      )
      .all(routerId) as { operation: string; key: string }[];
    expect(jobs[0]).toMatchObject({ operation: 'menu.upsert', key: '/ppp/profile|name=ISOLIR' });

    // No failed job (routerJobsSettled throws on one), and the router has the secret on the isolation profile.
    await routerJobsSettled(t.core);
    expect(
      emu
        .menu('/ppp/profile')
        .rows()
        .some((r) => r['name'] === 'ISOLIR'),
    ).toBe(true);
    expect(
      emu
        .menu('/ppp/secret')
        .rows()
        .find((r) => r['name'] === sub.username)?.['profile'],
    ).toBe('ISOLIR');
  });
});
