import { afterEach, describe, expect, it } from 'vitest';
import { seedOffice } from '../emulator/routeros/index';
import { setup, VERSIONS, waitEvent, type Setup } from './helpers';

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe.each(VERSIONS)('live monitor on RouterOS %s', (version) => {
  it('lists hotspot and PPP sessions, pushes them while watched, and kicks one', async () => {
    s = await setup({ version }, { seed: seedOffice });
    const sessions = await s.t.ok('monitor.sessions', { routerId: s.routerId }, s.token);
    expect(sessions.hotspot.map((h) => h.user).sort()).toEqual(['KX7P2M', 'QH4N8R']);
    const kx = sessions.hotspot.find((h) => h.user === 'KX7P2M')!;
    expect(kx).toMatchObject({ address: '10.5.50.12', mac: 'A4:5E:60:11:22:33', bytesIn: 48_000_000 });
    expect(kx.uptime).toBe(37 * 60);
    expect(sessions.ppp.map((p) => p.name).sort()).toEqual(['budi-rt03', 'siti-rt01']);

    const pushed = waitEvent(s.t.core, 'monitor.sessions', (p) => p.routerId === s!.routerId);
    await s.t.ok('monitor.watch', { routerId: s.routerId }, s.token);
    expect((await pushed).hotspot).toHaveLength(2);

    const cashier = await s.t.staff(s.token, 'cashier');
    const denied = await s.t.raw(
      'monitor.kick',
      { routerId: s.routerId, kind: 'hotspot', id: kx.id },
      cashier,
    );
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN');
    await s.t.ok('monitor.kick', { routerId: s.routerId, kind: 'hotspot', id: kx.id }, s.token);
    expect(
      s.emu
        .menu('/ip/hotspot/active')
        .rows()
        .map((r) => r['user']),
    ).toEqual(['QH4N8R']);
    const budi = sessions.ppp.find((p) => p.name === 'budi-rt03')!;
    await s.t.ok('monitor.kick', { routerId: s.routerId, kind: 'ppp', id: budi.id }, s.token);
    expect(
      s.emu
        .menu('/ppp/active')
        .rows()
        .map((r) => r['name']),
    ).toEqual(['siti-rt01']);
    const again = await s.t.raw('monitor.kick', { routerId: s.routerId, kind: 'ppp', id: budi.id }, s.token);
    expect(!again.ok && again.error.code).toBe('NOT_FOUND');
    const audit = await s.t.core.deps.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'monitor.kick')
      .execute();
    expect(audit.map((a) => JSON.parse(a.after_json ?? '{}').user).sort()).toEqual(['KX7P2M', 'budi-rt03']);
  });
});
