import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROLES,
  ROLE_PERMISSIONS,
  contract,
  type MethodName,
  type Role,
} from '../../src/shared/contract/index';
import { testCore, type TestCore } from '../helpers/core';

/**
 * Generated from the contract: every method, every role, and anonymous callers. The dispatcher must check
 * who is calling before what they sent (issue 9 #2): bodies here are garbage that no input schema accepts,
 * so a caller who passes authentication and permission gets VALIDATION, and one who does not gets
 * UNAUTHENTICATED or FORBIDDEN — never a field-by-field description of an input they may not send.
 */
const methods = Object.keys(contract) as MethodName[];
/** What permissions.ts grants: the expectation each call is checked against. */
const grants = (role: Role, m: MethodName): boolean => {
  const access = contract[m].access;
  if (access === 'public' || access === 'authenticated') return true;
  return ROLE_PERMISSIONS[role].includes(access);
};
const nonPublic = methods.filter((m) => contract[m].access !== 'public');

const GARBAGE: unknown[] = [
  undefined,
  null,
  42,
  'x',
  [],
  {},
  { id: 'not-a-uuid', version: 'x', amount: -1 },
  JSON.parse('{"__proto__": {"admin": true}, "constructor": "x"}') as unknown,
  { deeply: { nested: [{ value: 'a'.repeat(10_000) }] } },
];
/** Rejected by every input schema (all are objects), so a permitted call stops at validation. */
const REJECTED_BY_ALL = 42;

let t: TestCore;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  t = await testCore();
  tokens.owner = await t.setupOwner();
  for (const role of ROLES) if (role !== 'owner') tokens[role] = await t.staff(tokens.owner, role);
});
afterAll(async () => {
  await t.core.stop();
});

describe('permission and check order, generated from the contract', () => {
  it('has methods of every kind to check (the generation is not empty)', () => {
    expect(nonPublic.length).toBeGreaterThan(100);
    for (const m of methods) expect(contract[m].input.safeParse(REJECTED_BY_ALL).success, m).toBe(false);
  });

  it('answers UNAUTHENTICATED to an anonymous caller on every non-public method, whatever the body', async () => {
    const wrong: string[] = [];
    for (const m of nonPublic) {
      for (const body of GARBAGE) {
        const r = await t.raw(m, body, null);
        if (r.ok || r.error.code !== 'UNAUTHENTICATED' || r.error.details !== undefined)
          wrong.push(`${m} ${JSON.stringify(body)?.slice(0, 40)} → ${r.ok ? 'ok' : r.error.code}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a session that is not valid is anonymous too', async () => {
    for (const m of nonPublic) {
      expect(await t.raw(m, REJECTED_BY_ALL, 'bukan-token-yang-sah'), m).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    }
  });

  for (const role of ROLES) {
    it(`${role}: every method passes or is FORBIDDEN exactly as permissions.ts says`, async () => {
      const wrong: string[] = [];
      for (const m of nonPublic) {
        const access = contract[m].access;
        const allowed = grants(role, m);
        const r = await t.raw(m, REJECTED_BY_ALL, tokens[role]);
        const code = r.ok ? 'ok' : r.error.code;
        if (allowed && code !== 'VALIDATION') wrong.push(`${m}: expected VALIDATION, got ${code}`);
        if (!allowed && (r.ok || code !== 'FORBIDDEN' || r.error.details?.['permission'] !== access))
          wrong.push(`${m}: expected FORBIDDEN (${access}), got ${code}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});

describe('refused calls are audited, without flooding the log', () => {
  const WINDOW_MS = 10 * 60_000;
  const forbiddenRows = (method: string, since: number) =>
    (
      t.core.deps.database.sqlite
        .prepare(
          "SELECT after_json FROM audit_log WHERE action = 'auth.forbidden' AND entity_id = ? AND at >= ?",
        )
        .all(method, since) as { after_json: string }[]
    ).map(
      (r) => JSON.parse(r.after_json) as { permission: string; reason?: string; unrecordedBefore?: number },
    );

  it('writes one row per user and method per window, then says how many it left out', async () => {
    t.clock.advance(WINDOW_MS + 1);
    const since = t.clock.now();
    const body = { username: 'susup', fullName: 'Penyusup', role: 'owner', password: 'rahasia-kuat-1' };
    for (let i = 0; i < 50; i++) {
      expect(await t.raw('staff.create', body, tokens.cashier)).toMatchObject({
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(forbiddenRows('staff.create', since)).toEqual([{ permission: 'staff.manage' }]);
    // Another method is its own key.
    await t.raw('audit.list', {}, tokens.cashier);
    expect(forbiddenRows('audit.list', since)).toHaveLength(1);

    t.clock.advance(WINDOW_MS + 1);
    await t.raw('staff.create', body, tokens.cashier);
    expect(forbiddenRows('staff.create', since)).toEqual([
      { permission: 'staff.manage' },
      { permission: 'staff.manage', unrecordedBefore: 49 },
    ]);
  });

  it('audits a refusal the service makes too (an admin creating an owner)', async () => {
    t.clock.advance(WINDOW_MS + 1);
    const since = t.clock.now();
    const r = await t.raw(
      'staff.create',
      { username: 'bos-baru', fullName: 'Bos Baru', role: 'owner', password: 'rahasia-kuat-1' },
      tokens.admin,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(forbiddenRows('staff.create', since)).toEqual([
      { permission: 'staff.manage', reason: expect.stringContaining('peran') as unknown },
    ]);
  });

  it('keeps the total bounded when a user tries every method they lack, again and again', async () => {
    t.clock.advance(WINDOW_MS + 1);
    const since = t.clock.now();
    const lacking = nonPublic.filter((m) => !grants('technician', m));
    for (let round = 0; round < 5; round++)
      for (const m of lacking) await t.raw(m, REJECTED_BY_ALL, tokens.technician);
    const rows = t.core.deps.database.sqlite
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'auth.forbidden' AND at >= ?")
      .pluck()
      .get(since) as number;
    expect(rows).toBe(Math.min(lacking.length, 100));
  });
});
