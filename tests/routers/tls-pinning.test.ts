/**
 * Issue 9, item 4: API-SSL pins the router's certificate on first use, a changed certificate is refused with
 * ROUTER_CERT_CHANGED (the password is never sent to it) until an admin accepts it, and a router without a
 * certificate is only reached in the explicit anonymous-DH mode. Plus the RouterOS 6 factory login (empty
 * password), which is allowed and flagged.
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  certificateFingerprint,
  otherTestCertificate,
  RouterOsEmulator,
  type EmulatorOptions,
} from '../emulator/routeros/index';
import { testCore, type TestCore } from '../helpers/core';
import { ROS_USER, tune, until, waitEvent } from './helpers';

interface Env {
  t: TestCore;
  token: string;
  emu: RouterOsEmulator;
}

const envs: Env[] = [];
const extraEmus: RouterOsEmulator[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) {
    await e.t.core.stop();
    await e.emu.stop();
  }
  for (const emu of extraEmus.splice(0)) await emu.stop();
});

async function env(emuOpts: EmulatorOptions): Promise<Env> {
  const emu = new RouterOsEmulator({ users: [ROS_USER], log: 5000, ...emuOpts });
  await emu.start();
  const t = await testCore();
  tune(t.core);
  const token = await t.setupOwner();
  const e = { t, token, emu };
  envs.push(e);
  return e;
}

const routerInput = (emu: RouterOsEmulator, extra: Record<string, unknown> = {}) => ({
  name: 'Router Pusat',
  location: 'Kantor RT 03',
  host: '127.0.0.1',
  port: emu.port,
  tls: true,
  username: ROS_USER.name,
  password: ROS_USER.password,
  ...extra,
});

/** Logins the emulator accepted — a refused certificate must never get this far. */
const logins = (emu: RouterOsEmulator): number => emu.stats.logins;

describe('API-SSL certificate pinning', () => {
  it('pins on first use, refuses a swapped certificate without sending the password, and an admin accepts it', async () => {
    const { t, token, emu } = await env({ tls: true });
    const original = emu.tlsFingerprint!;
    const online = waitEvent(t.core, 'routers.status', (p) => p.online);
    const created = await t.ok('routers.create', routerInput(emu), token);
    await online;
    let view = await t.ok('routers.get', { id: created.id }, token);
    expect(view.tlsMode).toBe('pinned');
    expect(view.tlsFingerprint).toBe(original);
    expect(view.tlsOfferedFingerprint).toBeNull();

    // A man in the middle (or a re-keyed router): same address, another certificate.
    emu.setCertificate(otherTestCertificate());
    const swapped = certificateFingerprint(otherTestCertificate().cert);
    const loginsBefore = logins(emu);
    const offline = waitEvent(t.core, 'routers.status', (p) => p.id === created.id && p.state === 'offline');
    emu.dropAllConnections();
    await offline;
    await until(
      async () => (await t.ok('routers.get', { id: created.id }, token)).tlsOfferedFingerprint !== null,
    );
    view = await t.ok('routers.get', { id: created.id }, token);
    expect(view.online).toBe(false);
    expect(view.tlsFingerprint).toBe(original);
    expect(view.tlsOfferedFingerprint).toBe(swapped);
    expect(view.lastError).toMatch(/Sertifikat API-SSL router berubah/);
    expect(view.lastError).toContain(original);
    expect(view.lastError).toContain(swapped);
    // It keeps retrying (the real router may come back) and never logs in to the other certificate.
    const tcpBefore = emu.stats.tcpConnections;
    await until(() => emu.stats.tcpConnections >= tcpBefore + 3);
    expect(logins(emu)).toBe(loginsBefore);

    // Features that need the router get the specific error, with both fingerprints.
    const sessions = await t.raw('monitor.sessions', { routerId: created.id }, token);
    expect(sessions.ok).toBe(false);
    if (!sessions.ok) {
      expect(sessions.error.code).toBe('ROUTER_CERT_CHANGED');
      expect(sessions.error.details).toMatchObject({ expected: original, actual: swapped });
    }
    // Testing the saved router checks the pin too, and does not log in either.
    const tested = await t.raw(
      'routers.test',
      { routerId: created.id, host: '127.0.0.1', port: emu.port, tls: true, username: ROS_USER.name },
      token,
    );
    expect(!tested.ok && tested.error.code).toBe('ROUTER_CERT_CHANGED');
    expect(!tested.ok && tested.error.details).toMatchObject({ expected: original, actual: swapped });
    expect(logins(emu)).toBe(loginsBefore);

    // Only owners and admins decide; a technician (who may edit routers) may not.
    const tech = await t.staff(token, 'technician');
    const refused = await t.raw('routers.acceptCertificate', { id: created.id, fingerprint: swapped }, tech);
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    const admin = await t.staff(token, 'admin');
    const wrong = await t.raw('routers.acceptCertificate', { id: created.id, fingerprint: original }, admin);
    expect(!wrong.ok && wrong.error.code).toBe('CONFLICT');

    const back = waitEvent(t.core, 'routers.status', (p) => p.id === created.id && p.online);
    const accepted = await t.ok(
      'routers.acceptCertificate',
      { id: created.id, fingerprint: swapped.toLowerCase() },
      admin,
    );
    expect(accepted.tlsFingerprint).toBe(swapped);
    expect(accepted.tlsOfferedFingerprint).toBeNull();
    await back;
    expect(logins(emu)).toBeGreaterThan(loginsBefore);
    const rows = await t.core.deps.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', created.id)
      .execute();
    const actions = rows.map((r) => r.action);
    expect(actions).toContain('routers.pinCertificate');
    const acceptRow = rows.find((r) => r.action === 'routers.acceptCertificate');
    expect(acceptRow).toBeDefined();
    expect(JSON.stringify(acceptRow)).toContain(original);
    expect(JSON.stringify(acceptRow)).toContain(swapped);
  });

  it('the fingerprint shown by routers.test is pinned from the first connection', async () => {
    const { t, token, emu } = await env({ tls: true });
    const tested = await t.ok(
      'routers.test',
      { host: '127.0.0.1', port: emu.port, tls: true, username: ROS_USER.name, password: ROS_USER.password },
      token,
    );
    expect(tested.tlsFingerprint).toBe(emu.tlsFingerprint);
    expect(tested.passwordEmpty).toBe(false);
    // Between the test and the save, someone swaps the certificate: the first connection is already refused.
    emu.setCertificate(otherTestCertificate());
    const loginsBefore = logins(emu);
    const created = await t.ok(
      'routers.create',
      routerInput(emu, { tlsFingerprint: tested.tlsFingerprint }),
      token,
    );
    await until(
      async () => (await t.ok('routers.get', { id: created.id }, token)).tlsOfferedFingerprint !== null,
    );
    const view = await t.ok('routers.get', { id: created.id }, token);
    expect(view.tlsFingerprint).toBe(tested.tlsFingerprint);
    expect(view.tlsOfferedFingerprint).toBe(certificateFingerprint(otherTestCertificate().cert));
    expect(view.online).toBe(false);
    expect(logins(emu)).toBe(loginsBefore);
  });
});

describe('API-SSL without a certificate (anonymous DH)', () => {
  it('is reached only in the explicit mode; the test in the default mode explains why it failed', async () => {
    const { t, token, emu } = await env({ tls: 'anonymous-dh' });
    const base = {
      host: '127.0.0.1',
      port: emu.port,
      tls: true,
      username: ROS_USER.name,
      password: ROS_USER.password,
    };
    const pinned = await t.raw('routers.test', base, token);
    expect(!pinned.ok && pinned.error.code).toBe('ROUTER_UNREACHABLE');
    expect(!pinned.ok && pinned.error.message).toMatch(/anonymous DH/);
    const anon = await t.ok('routers.test', { ...base, tlsMode: 'anonymous-dh' }, token);
    expect(anon.tlsFingerprint).toBeNull();
    expect(anon.identity).toBe('MikroTik');

    const online = waitEvent(t.core, 'routers.status', (p) => p.online);
    const created = await t.ok('routers.create', routerInput(emu, { tlsMode: 'anonymous-dh' }), token);
    await online;
    const view = await t.ok('routers.get', { id: created.id }, token);
    expect(view).toMatchObject({ online: true, tls: true, tlsMode: 'anonymous-dh', tlsFingerprint: null });
    const sessions = await t.ok('monitor.sessions', { routerId: created.id }, token);
    expect(sessions.routerId).toBe(created.id);
  });

  it('a pinned router never falls back to anonymous DH when its certificate disappears', async () => {
    const { t, token, emu } = await env({ tls: true });
    const online = waitEvent(t.core, 'routers.status', (p) => p.online);
    const created = await t.ok('routers.create', routerInput(emu), token);
    await online;
    const port = emu.port;
    await emu.stop();
    const anon = new RouterOsEmulator({ users: [ROS_USER], tls: 'anonymous-dh', port });
    extraEmus.push(anon);
    await anon.start();
    await until(() => anon.stats.tcpConnections >= 2);
    const view = await t.ok('routers.get', { id: created.id }, token);
    expect(view.online).toBe(false);
    expect(anon.stats.logins).toBe(0);
  });
});

describe('RouterOS 6 factory login (admin, empty password)', () => {
  it('is accepted by test and create, and the router is flagged as having no password', async () => {
    const { t, token, emu } = await env({ version: '6.49', users: [{ name: 'admin', password: '' }] });
    const input = {
      name: 'Router Lama',
      host: '127.0.0.1',
      port: emu.port,
      tls: false,
      username: 'admin',
      password: '',
    };
    const tested = await t.ok('routers.test', input, token);
    expect(tested.passwordEmpty).toBe(true);
    expect(tested.rosVersion).toMatch(/^6\.49/);
    const online = waitEvent(t.core, 'routers.status', (p) => p.online);
    const created = await t.ok('routers.create', input, token);
    await online;
    const view = await t.ok('routers.get', { id: created.id }, token);
    expect(view.passwordEmpty).toBe(true);
    expect(view.online).toBe(true);
    // Setting a password later clears the flag.
    const updated = await t.ok(
      'routers.update',
      { id: created.id, version: view.version, password: 'baru-rahasia' },
      token,
    );
    expect(updated.passwordEmpty).toBe(false);
    // A partial update changes only what it names (no defaults sneak in: TLS stays off, enabled stays on).
    expect(updated).toMatchObject({ tls: false, enabled: true, tlsMode: 'pinned' });
  });
});
