import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract, ERROR_CODES } from '../../src/shared/contract/index';
import { describeContract } from '../../src/main/http/server';
import { testCore, type TestCore } from '../helpers/core';

let t: TestCore;
beforeEach(async () => {
  t = await testCore();
});
afterEach(async () => {
  await t.core.stop();
});

describe('dispatcher', () => {
  it('names the offending field in a VALIDATION error', async () => {
    const r = await t.raw('auth.setup', {
      officeName: 'Net',
      fullName: 'Budi',
      username: 'B!',
      password: 'short',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    const paths = r.error.details?.issues?.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'password']));
    expect(r.error.message).toContain('username');
  });

  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    expect(await t.raw('nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('only ever answers with codes from the fixed list', async () => {
    const results = await Promise.all([
      t.raw('staff.list', {}),
      t.raw('auth.login', { username: 'x', password: 'y' }),
      t.raw('settings.update', { version: 'x' }),
    ]);
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(ERROR_CODES).toContain(r.error.code);
    }
  });
});

describe('GET /api/contract description', () => {
  it('lists every method with input/output JSON Schema and permission', () => {
    const d = describeContract();
    expect(d.methods.map((m) => m.name).sort()).toEqual(Object.keys(contract).sort());
    for (const m of d.methods) {
      expect('type' in m.input || 'anyOf' in m.input).toBe(true);
      expect(m.output).toBeTypeOf('object');
      expect(typeof m.permission).toBe('string');
    }
    const login = d.methods.find((m) => m.name === 'auth.login');
    expect(login?.permission).toBe('public');
    expect(JSON.stringify(login?.input)).toContain('username');
  });
});
