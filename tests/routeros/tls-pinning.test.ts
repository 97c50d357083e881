/**
 * API-SSL trust at the client: a real TLS handshake against the emulator's self-signed certificate, a pinned
 * fingerprint checked before the password is sent, and anonymous DH only when asked for.
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  CertificateChangedError,
  ConnectionClosedError,
  createRouterOsClient,
  normalizeFingerprint,
  tlsOptionsFor,
  type RouterOsClient,
  type RouterOsClientOptions,
} from '../../src/main/routeros/index.js';
import {
  certificateFingerprint,
  otherTestCertificate,
  RouterOsEmulator,
  testCertificate,
} from '../emulator/routeros/index.js';
import { USER } from './helpers.js';

const started: RouterOsEmulator[] = [];
const clients: RouterOsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const e of started.splice(0)) await e.stop();
});

async function emulator(tls: 'cert' | 'anonymous-dh'): Promise<RouterOsEmulator> {
  const emu = new RouterOsEmulator({
    users: [USER],
    tls: tls === 'cert' ? true : 'anonymous-dh',
    log: 1000,
  });
  await emu.start();
  started.push(emu);
  return emu;
}

function client(emu: RouterOsEmulator, opts: Partial<RouterOsClientOptions>): RouterOsClient {
  const c = createRouterOsClient({
    host: '127.0.0.1',
    port: emu.port,
    username: USER.name,
    password: USER.password,
    timeoutMs: 3000,
    connectTimeoutMs: 3000,
    ...opts,
  });
  clients.push(c);
  return c;
}

const sawLogin = (emu: RouterOsEmulator): boolean =>
  emu.log.some((e) => e.dir === 'in' && e.words[0] === '/login');

describe('pinned certificate', () => {
  it('reports the fingerprint of the certificate the router presented (a real handshake)', async () => {
    const emu = await emulator('cert');
    const c = client(emu, { tls: tlsOptionsFor('pinned') });
    await c.connect();
    expect(c.peerFingerprint).toBe(certificateFingerprint(testCertificate().cert));
    expect(c.peerFingerprint).toBe(emu.tlsFingerprint);
    expect(c.tlsCipher).not.toMatch(/^ADH/);
    expect(await c.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('connects when the certificate matches the pin (in any spelling of the fingerprint)', async () => {
    const emu = await emulator('cert');
    const pin = emu.tlsFingerprint!.replace(/:/g, '').toLowerCase();
    const c = client(emu, { tls: tlsOptionsFor('pinned'), pinnedFingerprint: pin });
    await c.connect();
    expect(c.connected).toBe(true);
  });

  it('refuses another certificate before the login: the password never reaches it', async () => {
    const emu = await emulator('cert');
    const pinned = emu.tlsFingerprint!;
    emu.setCertificate(otherTestCertificate());
    const c = client(emu, { tls: tlsOptionsFor('pinned'), pinnedFingerprint: pinned });
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateChangedError);
    expect(err).toMatchObject({
      kind: 'cert_changed',
      expected: pinned,
      actual: normalizeFingerprint(certificateFingerprint(otherTestCertificate().cert)),
    });
    expect(c.connected).toBe(false);
    expect(sawLogin(emu)).toBe(false);
    expect(emu.stats.logins).toBe(0);
  });
});

describe('anonymous DH (API-SSL without a certificate)', () => {
  it("Node's OpenSSL really negotiates an ADH cipher with the emulator in that mode", async () => {
    const emu = await emulator('anonymous-dh');
    const c = client(emu, { tls: tlsOptionsFor('anonymous-dh') });
    await c.connect();
    expect(c.tlsCipher).toMatch(/^ADH-/);
    expect(c.peerFingerprint).toBeNull();
    expect(await c.call('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('is never a silent fallback: the pinned mode cannot talk to a router without a certificate', async () => {
    const emu = await emulator('anonymous-dh');
    const c = client(emu, { tls: tlsOptionsFor('pinned') });
    await expect(c.connect()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(sawLogin(emu)).toBe(false);
  });

  it('a router with a certificate does not accept the anonymous mode either', async () => {
    const emu = await emulator('cert');
    const c = client(emu, { tls: tlsOptionsFor('anonymous-dh') });
    await expect(c.connect()).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
