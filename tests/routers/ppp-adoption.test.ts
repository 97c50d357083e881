/**
 * Taking over a router that another tool ran: its PPP profiles and secrets are adopted, and each secret is put
 * under a customer and package. A secret that is not on its package's profile is never shown as simply active:
 * on the incumbent's cut-off profile it is isolated (restoring moves it to the package), on another profile it is
 * drift the reconciler reports. The router's built-in profiles are not an office's packages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { adoptedSecretStanding } from '../../src/main/billing/subscriptions';
import { routerJobsSettled } from '../billing/helpers';
import { setup, type Setup } from './helpers';

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

function seedIncumbent(emu: Setup['emu']): void {
  emu.seed('/ppp/profile', [
    { name: 'PAKET-10M', 'rate-limit': '10M/10M', 'local-address': '10.10.10.1' },
    { name: 'PAKET-20M', 'rate-limit': '20M/20M', 'local-address': '10.10.10.1' },
    // The incumbent billing tool's cut-off profile.
    { name: 'expired', 'rate-limit': '1k/1k', 'address-list': 'expired' },
  ]);
  emu.seed('/ppp/secret', [
    { name: 'budi', password: 'b', service: 'pppoe', profile: 'PAKET-10M' },
    { name: 'siti', password: 's', service: 'pppoe', profile: 'expired' },
    { name: 'joko', password: 'j', service: 'pppoe', profile: 'PAKET-20M' },
    { name: 'ani', password: 'a', service: 'pppoe', profile: 'default' },
  ]);
}

describe('PPP adoption', () => {
  it('never adopts the router built-in profiles default and default-encryption', async () => {
    s = await setup({ version: '6.49' }, { seed: seedIncumbent });
    const r = await s.t.ok('reconcile.adopt', { routerId: s.routerId, pppProfiles: true }, s.token);
    expect(r.adopted['/ppp/profile']).toBe(3);
    const names = (
      s.t.core.deps.database.sqlite
        .prepare('SELECT name FROM ppp_profiles WHERE router_id = ? ORDER BY name')
        .all(s.routerId) as { name: string }[]
    ).map((x) => x.name);
    expect(names).toEqual(['PAKET-10M', 'PAKET-20M', 'expired']);
    // …and they are the router's, not extra rows to report.
    const report = await s.t.ok('reconcile.run', { routerId: s.routerId }, s.token);
    const profiles = report.kinds.find((k) => k.menu === '/ppp/profile')!;
    expect(profiles.extra.map((e) => e.key)).toEqual([]);
  });

  it('a secret on a profile that is not its package’s is isolated (cut-off profile) or drift, never plain active', async () => {
    s = await setup({ version: '7.18' }, { seed: seedIncumbent });
    const { t, token, routerId, emu } = s;
    await t.ok('reconcile.adopt', { routerId, pppProfiles: true, pppSecrets: true }, token);
    const pkg = await t.ok(
      'packages.create',
      {
        name: 'Paket 10 Mbps',
        speed: '10 Mbps',
        price: 150_000,
        pppProfile: 'PAKET-10M',
        rateLimit: '10M/10M',
      },
      token,
    );
    await routerJobsSettled(t.core);
    const adopt = async (name: string) => {
      const c = await t.ok('customers.create', { name: `Pelanggan ${name}`, routerId }, token);
      const sub = await t.ok(
        'subscriptions.adopt',
        { routerId, name, customerId: c.id, packageId: pkg.id },
        token,
      );
      const cust = (await t.ok('customers.get', { id: c.id }, token)).customer;
      return { sub, cust };
    };

    const budi = await adopt('budi');
    expect(budi.sub.status).toBe('active');

    const siti = await adopt('siti');
    expect(siti.sub).toMatchObject({
      status: 'isolated',
      isolationMethod: 'profile',
      originalProfile: 'PAKET-10M',
    });
    expect(siti.cust.status).toBe('isolated');

    const joko = await adopt('joko');
    const ani = await adopt('ani');
    expect([joko.sub.status, ani.sub.status]).toEqual(['active', 'active']);

    // Adoption changes nothing on the router…
    await routerJobsSettled(t.core);
    const secrets = emu.menu('/ppp/secret');
    expect(['budi', 'siti', 'joko', 'ani'].map((n) => secrets.findBy('name', n)?.['profile'])).toEqual([
      'PAKET-10M',
      'expired',
      'PAKET-20M',
      'default',
    ]);
    // …and the reconciler reports the secrets whose profile is not their package's (the isolated one is expected).
    const report = await t.ok('reconcile.run', { routerId }, token);
    const sec = report.kinds.find((k) => k.menu === '/ppp/secret')!;
    expect(sec.different.map((d) => [d.key, d.fields]).sort()).toEqual([
      ['ani', [{ field: 'profile', desired: 'PAKET-10M', actual: 'default' }]],
      ['joko', [{ field: 'profile', desired: 'PAKET-10M', actual: 'PAKET-20M' }]],
    ]);

    // Restoring the isolated customer moves the secret to the package's profile.
    await t.ok('subscriptions.restore', { id: siti.sub.id }, token);
    await routerJobsSettled(t.core);
    expect(secrets.findBy('name', 'siti')?.['profile']).toBe('PAKET-10M');
  });

  it('tells a cut-off profile from another package by the isolation profile and the usual names', () => {
    expect(adoptedSecretStanding('PAKET-10M', 'PAKET-10M', 'ISOLIR')).toBe('on-package');
    expect(adoptedSecretStanding('ISOLIR', 'PAKET-10M', 'ISOLIR')).toBe('cut-off');
    for (const p of ['expired', 'EXPIRED', 'isolir', 'Terisolir', 'blokir', 'suspend', 'nunggak'])
      expect(adoptedSecretStanding(p, 'PAKET-10M', 'ISOLIR')).toBe('cut-off');
    for (const p of ['PAKET-20M', 'default', 'default-encryption', 'up-5M'])
      expect(adoptedSecretStanding(p, 'PAKET-10M', 'ISOLIR')).toBe('drift');
  });
});
