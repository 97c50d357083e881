import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCKOUT_MS, SESSION_IDLE_MS } from '../../src/main/auth/accounts';
import { PASSWORD, testCore, type TestCore } from '../helpers/core';

let t: TestCore;
beforeEach(async () => {
  t = await testCore();
});
afterEach(async () => {
  await t.core.stop();
});

describe('first-run setup', () => {
  it('reports setup required until the owner exists, then refuses a second setup', async () => {
    expect((await t.ok('auth.status', {})).setupRequired).toBe(true);
    const token = await t.setupOwner();
    const status = await t.ok('auth.status', {}, token);
    expect(status).toMatchObject({
      setupRequired: false,
      officeName: 'RT/RW Net Sukamaju',
      user: { username: 'budi', role: 'owner' },
    });
    const again = await t.raw('auth.setup', {
      officeName: 'X Net',
      fullName: 'Eve',
      username: 'eve',
      password: PASSWORD,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_SET_UP' } });
  });

  it('has no account at all before setup: nothing can log in', async () => {
    for (const username of ['admin', 'owner', 'root', 'budi']) {
      const r = await t.raw('auth.login', { username, password: 'admin' });
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('stores a memory-hard hash, never the password', async () => {
    await t.setupOwner();
    const row = t.core.deps.database.sqlite.prepare('SELECT password_hash FROM users').get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });
});

describe('login', () => {
  it('logs in, audits the login and logs out', async () => {
    await t.setupOwner();
    const s = await t.ok('auth.login', { username: 'BUDI', password: PASSWORD });
    expect(s.user.username).toBe('budi');
    expect((await t.ok('auth.status', {}, s.token)).user?.id).toBe(s.user.id);
    await t.ok('auth.logout', {}, s.token);
    expect(await t.raw('staff.list', {}, s.token)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    const audit = await t.ok(
      'audit.list',
      { offset: 0, limit: 50 },
      await t
        .setupOwner()
        .catch(() => t.ok('auth.login', { username: 'budi', password: PASSWORD }).then((x) => x.token)),
    );
    const actions = audit.rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.setup', 'auth.login', 'auth.logout']));
  });

  it('locks the account for 15 minutes after 5 failed tries, then lets it in again', async () => {
    await t.setupOwner();
    for (let i = 0; i < 4; i++) {
      expect(await t.raw('auth.login', { username: 'budi', password: 'salah-salah' })).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    }
    expect(await t.raw('auth.login', { username: 'budi', password: 'salah-salah' })).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED' },
    });
    // Even the right password is refused while locked.
    expect(await t.raw('auth.login', { username: 'budi', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED' },
    });
    t.clock.advance(LOCKOUT_MS - 1000);
    expect(await t.raw('auth.login', { username: 'budi', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED' },
    });
    t.clock.advance(2000);
    expect(await t.raw('auth.login', { username: 'budi', password: PASSWORD })).toMatchObject({ ok: true });
    const n = t.core.deps.database.sqlite
      .prepare("SELECT count(*) n FROM audit_log WHERE action = 'auth.locked'")
      .get() as { n: number };
    expect(n.n).toBe(1);
  });

  it('expires idle sessions', async () => {
    const token = await t.setupOwner();
    t.clock.advance(SESSION_IDLE_MS + 1);
    expect(await t.raw('staff.list', {}, token)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('changes the password, ends other sessions and rejects a wrong current password', async () => {
    const a = await t.setupOwner();
    const b = (await t.ok('auth.login', { username: 'budi', password: PASSWORD })).token;
    const wrong = await t.raw(
      'auth.changePassword',
      { currentPassword: 'nope-nope', newPassword: 'baru-sekali-9' },
      a,
    );
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'currentPassword' }] } },
    });
    await t.ok('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'baru-sekali-9' }, a);
    expect((await t.raw('staff.list', {}, a)).ok).toBe(true);
    expect(await t.raw('staff.list', {}, b)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await t.raw('auth.login', { username: 'budi', password: 'baru-sekali-9' })).ok).toBe(true);
  });
});

describe('staff and permissions', () => {
  it('enforces the permission matrix in the dispatcher', async () => {
    const owner = await t.setupOwner();
    const cashier = await t.staff(owner, 'cashier');
    const tech = await t.staff(owner, 'technician');
    expect(
      await t.raw(
        'staff.create',
        { username: 'kasir9', fullName: 'X Satu', role: 'cashier', password: PASSWORD },
        cashier,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await t.raw('settings.update', { version: 1, officeName: 'Hack' }, cashier)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await t.raw('audit.list', {}, tech)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await t.raw('settings.get', {}, cashier)).ok).toBe(true);
    expect(await t.raw('staff.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('lets admins manage cashiers and technicians but not owners or admins', async () => {
    const owner = await t.setupOwner();
    const admin = await t.staff(owner, 'admin');
    expect(
      (
        await t.raw(
          'staff.create',
          { username: 'kasir2', fullName: 'Kasir Dua', role: 'cashier', password: PASSWORD },
          admin,
        )
      ).ok,
    ).toBe(true);
    expect(
      await t.raw(
        'staff.create',
        { username: 'boss2', fullName: 'Bos Dua', role: 'owner', password: PASSWORD },
        admin,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('rejects a duplicate username and a stale version with CONFLICT', async () => {
    const owner = await t.setupOwner();
    await t.staff(owner, 'cashier', 'sari');
    expect(
      await t.raw(
        'staff.create',
        { username: 'Sari', fullName: 'Sari Lain', role: 'cashier', password: PASSWORD },
        owner,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { issues: [{ path: 'username' }] } },
    });
    const sari = (await t.ok('staff.list', {}, owner)).find((u) => u.username === 'sari');
    if (!sari) throw new Error('missing');
    await t.ok('staff.update', { id: sari.id, version: sari.version, fullName: 'Sari Wulandari' }, owner);
    expect(
      await t.raw('staff.update', { id: sari.id, version: sari.version, fullName: 'Sari W' }, owner),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('deactivating a staff member ends their sessions and blocks login', async () => {
    const owner = await t.setupOwner();
    const cashierToken = await t.staff(owner, 'cashier', 'dewi');
    const dewi = (await t.ok('staff.list', {}, owner)).find((u) => u.username === 'dewi');
    if (!dewi) throw new Error('missing');
    await t.ok('staff.update', { id: dewi.id, version: dewi.version, active: false }, owner);
    expect(await t.raw('settings.get', {}, cashierToken)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await t.raw('auth.login', { username: 'dewi', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('keeps at least one active owner', async () => {
    const owner = await t.setupOwner();
    const me = (await t.ok('staff.list', {}, owner))[0];
    if (!me) throw new Error('missing');
    expect(
      await t.raw('staff.update', { id: me.id, version: me.version, active: false }, owner),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
