import { afterEach, describe, expect, it } from 'vitest';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { ROS_USER, routersOf, setup, VERSIONS, waitEvent, type Setup } from './helpers';

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe.each(VERSIONS)('routers on RouterOS %s', (version) => {
  it('a new router comes online with its identity and detected version; the password is encrypted at rest', async () => {
    s = await setup({ version, identity: 'RukunNet-Pusat' });
    const [r] = await s.t.ok('routers.list', {}, s.token);
    expect(r).toMatchObject({
      name: 'Router Pusat',
      online: true,
      state: 'online',
      identity: 'RukunNet-Pusat',
      lastError: null,
    });
    expect(r?.rosVersion).toMatch(new RegExp(`^${version.replace('.', '\\.')}`));
    expect(r?.rosMajor).toBe(Number(version[0]));
    expect(r?.cpuLoad).not.toBeNull();
    expect(r?.memoryTotal).toBeGreaterThan(0);
    const info = await routersOf(s.t.core).api.get(s.routerId);
    expect(info.version?.major).toBe(Number(version[0]));
    const row = await s.t.core.deps.database.db.selectFrom('routers').selectAll().executeTakeFirstOrThrow();
    expect(row.password_enc).not.toContain(ROS_USER.password);
    expect(s.t.core.secrets.decrypt(row.password_enc)).toBe(ROS_USER.password);
    const audit = await s.t.core.deps.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'routers.create')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(ROS_USER.password);
  });
});

describe('router management', () => {
  it('connects over API-SSL (TLS) and runs jobs through it', async () => {
    s = await setup({ version: '7.15', tls: true });
    const r = await s.t.ok('routers.get', { id: s.routerId }, s.token);
    expect(r).toMatchObject({ tls: true, online: true });
    const { api } = routersOf(s.t.core);
    await api.enqueue(s.t.core.deps.database.db, {
      routerId: s.routerId,
      operation: 'menu.upsert',
      batchId: 'tls',
      payload: {
        menu: '/ip/hotspot/user',
        match: { name: 'TLS1' },
        values: { password: 'x', comment: 'lewat TLS ✓' },
      },
    });
    await api.waitForBatch('tls');
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'TLS1')?.['comment']).toBe('lewat TLS ✓');
  });

  it('tests a connection before saving: ok, wrong password, unreachable', async () => {
    s = await setup({ version: '6.49', identity: 'Tower-Utara' });
    const base = { host: '127.0.0.1', port: s.port, tls: false, username: ROS_USER.name };
    const ok = await s.t.ok('routers.test', { ...base, password: ROS_USER.password }, s.token);
    expect(ok).toMatchObject({ identity: 'Tower-Utara', rosVersion: expect.stringMatching(/^6\.49/) });
    const wrong = await s.t.raw('routers.test', { ...base, password: 'salah' }, s.token);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error.code).toBe('VALIDATION');
      expect(wrong.error.details?.issues?.[0]?.path).toBe('password');
    }
    // Stored password is used when editing and the field is left empty.
    expect((await s.t.ok('routers.test', { ...base, routerId: s.routerId }, s.token)).identity).toBe(
      'Tower-Utara',
    );
    const closed = new RouterOsEmulator();
    const { port } = await closed.start();
    await closed.stop();
    const down = await s.t.raw('routers.test', { ...base, port, password: 'x' }, s.token);
    expect(!down.ok && down.error.code).toBe('ROUTER_UNREACHABLE');
  });

  it('edits with optimistic locking, reconnects on new credentials, and only managers may change routers', async () => {
    s = await setup();
    const r = await s.t.ok('routers.get', { id: s.routerId }, s.token);
    const offline = waitEvent(s.t.core, 'routers.status', (p) => p.state === 'offline' && !!p.lastError);
    const upd = await s.t.ok(
      'routers.update',
      { id: r.id, version: r.version, password: 'keliru', location: 'Tower RW 05' },
      s.token,
    );
    expect(upd.location).toBe('Tower RW 05');
    expect((await offline).lastError).toMatch(/kata sandi API salah/);
    const stale = await s.t.raw('routers.update', { id: r.id, version: r.version, name: 'Lama' }, s.token);
    expect(!stale.ok && stale.error.code).toBe('CONFLICT');
    const online = waitEvent(s.t.core, 'routers.status', (p) => p.online);
    await s.t.ok('routers.update', { id: r.id, version: upd.version, password: ROS_USER.password }, s.token);
    await online;

    const cashier = await s.t.staff(s.token, 'cashier');
    expect((await s.t.ok('routers.list', {}, cashier)).length).toBe(1);
    const denied = await s.t.raw('routers.remove', { id: r.id }, cashier);
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN');
    const tech = await s.t.staff(s.token, 'technician');
    await s.t.ok('routers.remove', { id: r.id }, tech);
    expect(await s.t.ok('routers.list', {}, s.token)).toEqual([]);
  });
});
