import { afterEach, describe, expect, it } from 'vitest';
import { ADDRESS_ATTEMPTS, LOCKOUT_MS, MAX_FAILED_LOGINS } from '../../src/main/auth/accounts';
import { argon2Hasher, type PasswordHasher } from '../../src/main/auth/passwords';
import { createCore, type Core } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import type { RpcResult } from '../../src/shared/contract/index';
import { PASSWORD, testCore, type TestCore } from '../helpers/core';

/** Argon2 as in production, counting how many passwords it actually verified. */
function countingHasher(): PasswordHasher & { verified: number } {
  const h = {
    verified: 0,
    hash: argon2Hasher.hash,
    async verify(stored: string, password: string) {
      h.verified += 1;
      return argon2Hasher.verify(stored, password);
    },
  };
  return h;
}

const errorOf = (r: RpcResult<unknown>) => (r.ok ? null : r.error);
const auditCount = (core: Core, where: string) =>
  (
    core.deps.database.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE ${where}`).get() as {
      n: number;
    }
  ).n;

let t: TestCore;
let hasher: ReturnType<typeof countingHasher>;
const cores: Core[] = [];

async function start() {
  hasher = countingHasher();
  t = await testCore({ passwords: hasher });
  cores.push(t.core);
}

afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

/** A login from its own address, so the per-address throttle cannot be what stops it. */
const loginFrom = (i: number, username: string, password: string) =>
  t.core.call('auth.login', { username, password }, { via: 'http', ip: `10.1.${i >> 8}.${i & 255}` });

describe('login lockout under concurrency (issue 9 #1)', () => {
  it('verifies at most five wrong passwords when 200 arrive at once, and locks the account', async () => {
    await start();
    await t.setupOwner();
    hasher.verified = 0;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => loginFrom(i, 'budi', `salah-${i}`)),
    );
    expect(hasher.verified).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    expect(answers.every((a) => !a.ok)).toBe(true);
    const codes = answers.map((a) => errorOf(a)?.code);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(MAX_FAILED_LOGINS - 1);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(200 - (MAX_FAILED_LOGINS - 1));
    // The right password is refused while locked, without being checked.
    const before = hasher.verified;
    expect(errorOf(await loginFrom(999, 'budi', PASSWORD))?.code).toBe('ACCOUNT_LOCKED');
    expect(hasher.verified).toBe(before);
    t.clock.advance(LOCKOUT_MS + 1);
    expect((await loginFrom(1000, 'budi', PASSWORD)).ok).toBe(true);
  });

  it('keeps the audit log to a handful of rows for a 200-request burst', async () => {
    await start();
    await t.setupOwner();
    await Promise.all(Array.from({ length: 200 }, (_, i) => loginFrom(i, 'budi', `salah-${i}`)));
    const failed = auditCount(t.core, "action IN ('auth.login_failed', 'auth.locked')");
    expect(failed).toBeGreaterThan(0);
    // At most five rows for the account's wrong passwords, five for refusals while locked, and the lock.
    expect(failed).toBeLessThanOrEqual(2 * MAX_FAILED_LOGINS + 1);
    expect(auditCount(t.core, "action = 'auth.locked'")).toBe(1);
  });

  it('verifies at most five when 200 wrong logins come through the real HTTP listener', async () => {
    hasher = countingHasher();
    const core = createCore({
      dataDir: ':memory:',
      clock: new FakeClock(Date.now()),
      logLevel: 'silent',
      passwords: hasher,
      http: { host: '127.0.0.1', port: 0, serveApi: true },
    });
    cores.push(core);
    await core.start();
    const base = core.httpUrl ?? '';
    const post = (method: string, body: unknown) =>
      fetch(`${base}/api/rpc/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => (await r.json()) as RpcResult<unknown>);
    const setup = await post('auth.setup', {
      officeName: 'Sukamaju Net',
      fullName: 'Budi Santoso',
      username: 'budi',
      password: PASSWORD,
    });
    expect(setup.ok).toBe(true);
    hasher.verified = 0;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post('auth.login', { username: 'budi', password: `x-${i}` })),
    );
    expect(hasher.verified).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    expect(answers.some((a) => errorOf(a)?.code === 'ACCOUNT_LOCKED')).toBe(true);
    expect(answers.every((a) => !a.ok)).toBe(true);
  });

  it('answers an unknown username exactly like a known one, lock included', async () => {
    await start();
    await t.setupOwner();
    const shape = async (username: string, offset: number) => {
      const out: unknown[] = [];
      for (let i = 0; i < MAX_FAILED_LOGINS + 1; i++) {
        const e = errorOf(await loginFrom(offset + i, username, 'salah-salah'));
        // The lock's end time differs by when it was set; everything else must be identical.
        out.push({ ...e, details: e?.details ? Object.keys(e.details) : null });
      }
      return out;
    };
    const known = await shape('budi', 0);
    const unknown = await shape('tidak-ada', 100);
    expect(unknown).toEqual(known);
    expect(JSON.stringify(known)).not.toContain('remaining');
    expect((known[0] as { code: string }).code).toBe('UNAUTHENTICATED');
    expect((known[MAX_FAILED_LOGINS - 1] as { code: string }).code).toBe('ACCOUNT_LOCKED');
  });

  it('throttles login attempts per address before any password is verified', async () => {
    await start();
    await t.setupOwner();
    const from = (ip: string, username: string, password = 'salah-salah') =>
      t.core.call('auth.login', { username, password }, { via: 'http', ip });
    // A correct login gives its attempt back: staff logging in all day never hit the limit.
    for (let i = 0; i < ADDRESS_ATTEMPTS + 5; i++)
      expect((await from('10.9.9.9', 'budi', PASSWORD)).ok).toBe(true);
    hasher.verified = 0;
    // Fresh usernames each time, so no account lock is what stops them.
    for (let i = 0; i < ADDRESS_ATTEMPTS; i++) {
      expect(errorOf(await from('10.0.0.66', `tebakan${i}`))?.code).toBe('UNAUTHENTICATED');
    }
    const verified = hasher.verified;
    const refused = errorOf(await from('10.0.0.66', 'tebakan-lagi'));
    expect(refused?.code).toBe('RATE_LIMITED');
    expect(typeof refused?.details?.['until']).toBe('number');
    expect(hasher.verified).toBe(verified);
    // Another address is not affected, and the window ends.
    expect((await from('10.0.0.67', 'budi', PASSWORD)).ok).toBe(true);
    t.clock.advance(LOCKOUT_MS + 1);
    expect(errorOf(await from('10.0.0.66', 'tebakan-baru'))?.code).toBe('UNAUTHENTICATED');
  });

  it('counts wrong current passwords in auth.changePassword toward the same lock', async () => {
    await start();
    const token = await t.setupOwner();
    hasher.verified = 0;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.raw('auth.changePassword', { currentPassword: `salah-${i}`, newPassword: 'baru-sekali-9' }, token),
      ),
    );
    expect(hasher.verified).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    const codes = answers.map((a) => errorOf(a)?.code);
    expect(codes.filter((c) => c === 'VALIDATION')).toHaveLength(MAX_FAILED_LOGINS - 1);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(50 - (MAX_FAILED_LOGINS - 1));
    // The same lock stops logins.
    expect(errorOf(await loginFrom(1, 'budi', PASSWORD))?.code).toBe('ACCOUNT_LOCKED');
    t.clock.advance(LOCKOUT_MS + 1);
    await t.ok('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'baru-sekali-9' }, token);
    expect((await loginFrom(2, 'budi', 'baru-sekali-9')).ok).toBe(true);
  });
});
