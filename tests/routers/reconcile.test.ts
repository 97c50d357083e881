import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/main/context';
import { seedBulk, seedOffice } from '../emulator/routeros/index';
import { routersOf, setup, VERSIONS, type Setup } from './helpers';

/** The menus the routers feature itself keeps (other features add theirs, e.g. vouchers /ip/hotspot/user). */
const MINE = ['/ip/hotspot/user/profile', '/ppp/profile', '/ppp/secret'];

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe.each(VERSIONS)('reconciler on RouterOS %s', (version) => {
  it('adopts a running router, reports drift after manual changes and repairs it through jobs', async () => {
    s = await setup({ version }, { seed: seedOffice });
    const { api } = routersOf(s.t.core);
    const adopted = await s.t.ok(
      'reconcile.adopt',
      { routerId: s.routerId, hotspotProfiles: true, pppProfiles: true, pppSecrets: true },
      s.token,
    );
    // The router's built-in PPP profiles (default, default-encryption) are not adopted.
    expect(adopted.adopted).toEqual({ '/ip/hotspot/user/profile': 4, '/ppp/profile': 3, '/ppp/secret': 4 });
    const secrets = await api.pppSecrets.list({ routerId: s.routerId });
    expect(secrets.map((x) => x.name).sort()).toEqual(['agus-rw02', 'budi-rt03', 'siti-rt01', 'warung-joko']);
    expect(secrets.every((x) => x.adopted && x.subscriptionId === null)).toBe(true);
    expect(secrets.find((x) => x.name === 'siti-rt01')?.comment).toBe('Pelanggan Bu Siti — lunas ✓');
    expect(await api.pppSecrets.password(s.routerId, 'budi-rt03')).toBe('budi123');
    const hp = await api.profiles.hotspot.list(s.routerId);
    expect(
      hp
        .filter((p) => p.managed)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['voucher-1hari', 'voucher-1minggu', 'voucher-3jam']);

    const clean = await s.t.ok('reconcile.run', { routerId: s.routerId }, s.token);
    for (const k of clean.kinds.filter((x) => MINE.includes(x.menu)))
      expect([k.menu, k.missingCount, k.differentCount]).toEqual([k.menu, 0, 0]);

    // Someone changes the router by hand (Winbox): a secret's profile, a deleted secret, an extra managed profile.
    const secretsMenu = s.emu.menu('/ppp/secret');
    secretsMenu.findBy('name', 'agus-rw02')!['profile'] = 'paket-20M';
    secretsMenu.remove(secretsMenu.findBy('name', 'warung-joko')!['.id']!);
    s.emu.seed('/ip/hotspot/user/profile', [
      { name: 'liar', 'shared-users': '1', comment: 'VOUCHER_SYSTEM' },
    ]);
    s.emu.seed('/ppp/secret', [{ name: 'tamu', password: 't', profile: 'default', service: 'pppoe' }]);

    const report = await s.t.ok('reconcile.run', { routerId: s.routerId }, s.token);
    const sec = report.kinds.find((k) => k.menu === '/ppp/secret')!;
    expect(sec.missing.map((m) => m.key)).toEqual(['warung-joko']);
    expect(sec.different).toEqual([
      { key: 'agus-rw02', fields: [{ field: 'profile', desired: 'isolir', actual: 'paket-20M' }] },
    ]);
    expect(sec.extra).toEqual([{ key: 'tamu', managed: false }]);
    const prof = report.kinds.find((k) => k.menu === '/ip/hotspot/user/profile')!;
    expect(prof.extra).toEqual([{ key: 'liar', managed: true }]);

    const rep = await s.t.ok(
      'reconcile.repair',
      { routerId: s.routerId, menus: MINE, removeExtra: true },
      s.token,
    );
    expect(rep.jobs).toBe(3);
    await api.waitForBatch(rep.batchId!);
    expect(secretsMenu.findBy('name', 'warung-joko')).toMatchObject({
      password: 'joko123',
      profile: 'paket-10M',
      comment: 'Warung Pak Joko',
    });
    expect(secretsMenu.findBy('name', 'agus-rw02')?.['profile']).toBe('isolir');
    expect(s.emu.menu('/ip/hotspot/user/profile').findBy('name', 'liar')).toBeUndefined();
    // An unknown secret is a customer's line: reported, never removed.
    expect(secretsMenu.findBy('name', 'tamu')).toBeDefined();
    const after = await s.t.ok('reconcile.run', { routerId: s.routerId }, s.token);
    expect(
      after.kinds
        .filter((k) => MINE.includes(k.menu))
        .reduce((n, k) => n + k.missingCount + k.differentCount + k.extraManagedCount, 0),
    ).toBe(0);
  });
});

describe('reconciler at scale', () => {
  it('compares 20,000 hotspot users and 20,000 secrets in one pass and repairs the one that drifted', async () => {
    s = await setup({ version: '7.18' }, { seed: (emu) => seedBulk(emu, 20_000, 20_000) });
    const { api } = routersOf(s.t.core);
    const adopted = await s.t.ok('reconcile.adopt', { routerId: s.routerId, pppSecrets: true }, s.token);
    expect(adopted.adopted['/ppp/secret']).toBe(20_000);
    s.emu.menu('/ppp/secret').findBy('name', 'pelanggan-4242')!['profile'] = 'isolir';
    const report = await s.t.ok('reconcile.run', { routerId: s.routerId }, s.token);
    const sec = report.kinds.find((k) => k.menu === '/ppp/secret')!;
    expect(sec).toMatchObject({
      actualCount: 20_000,
      desiredCount: 20_000,
      missingCount: 0,
      differentCount: 1,
      extraCount: 0,
    });
    expect(sec.different[0]).toEqual({
      key: 'pelanggan-4242',
      fields: [{ field: 'profile', desired: 'default', actual: 'isolir' }],
    });
    // Whoever keeps /ip/hotspot/user (the vouchers feature) reads all 20,000 rows in the same run.
    const users = report.kinds.find((k) => k.menu === '/ip/hotspot/user');
    if (users) expect(users.actualCount).toBe(20_000);
    const rep = await s.t.ok('reconcile.repair', { routerId: s.routerId, menus: ['/ppp/secret'] }, s.token);
    expect(rep.jobs).toBe(1);
    await api.waitForBatch(rep.batchId!);
    expect(s.emu.menu('/ppp/secret').findBy('name', 'pelanggan-4242')?.['profile']).toBe('default');
    await s.t.core.deps.database.db.transaction().execute(async (trx) => {
      await api.pppSecrets.setDisabled(trx, systemActor, s!.routerId, 'pelanggan-42', true);
    });
    const done = new Promise<void>((resolve) => {
      const off = api.onJobFinished((j) => j.operation === 'ppp.secret.sync' && (off(), resolve()));
    });
    await done;
    expect(s.emu.menu('/ppp/secret').findBy('name', 'pelanggan-42')?.['disabled']).toMatch(/^(yes|true)$/);
  }, 60_000);
});
