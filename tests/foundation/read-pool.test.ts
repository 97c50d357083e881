import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import { recordReads } from '../helpers/sql-recorder';
import { PASSWORD } from '../helpers/core';

let core: Core | null = null;
let dir = '';
afterEach(async () => {
  await core?.stop();
  core = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function fileCore(): Promise<{ core: Core; token: string }> {
  dir = mkdtempSync(join(tmpdir(), 'rukun-reads-'));
  core = createCore({ dataDir: dir, clock: new FakeClock(), logLevel: 'silent' });
  await core.start();
  const r = await core.call('auth.setup', {
    officeName: 'RT/RW Net Sukamaju',
    fullName: 'Budi Santoso',
    username: 'budi',
    password: PASSWORD,
  });
  if (!r.ok) throw new Error(r.error.message);
  return { core, token: (r.value as { token: string }).token };
}

const LISTS: [string, Record<string, unknown>][] = [
  ['customers.list', { limit: 50, search: 'budi' }],
  ['invoices.list', { limit: 50 }],
  ['payments.list', { limit: 50 }],
  ['vouchers.list', { limit: 50 }],
  ['audit.list', { limit: 50 }],
  ['billing.summary', {}],
];

describe('heavy reads on worker threads', () => {
  it('with a database file, long lists never read on the main connection', async () => {
    const { core: c, token } = await fileCore();
    const created = await c.call(
      'customers.create',
      { name: 'Budi Hartono', address: 'Jl. Melati 1', area: 'Sukamaju', notes: '', whatsappOptOut: false },
      { token },
    );
    expect(created.ok).toBe(true);
    const rec = recordReads(c.deps.database.sqlite);
    try {
      for (const [method, input] of LISTS) {
        const r = await c.call(method, input, { token });
        expect(r.ok, method).toBe(true);
      }
      const onMain = rec
        .take()
        .map((r) => r.sql)
        .filter((sql) => /\b(customers|invoices|payments|vouchers|audit_log)\b/.test(sql));
      expect(onMain).toEqual([]);
    } finally {
      rec.stop();
    }
  });

  it('a worker sees what the main connection just committed', async () => {
    const { core: c, token } = await fileCore();
    const before = await c.call('customers.list', { limit: 10 }, { token });
    expect(before.ok && (before.value as { total: number }).total).toBe(0);
    for (const name of ['Siti Rahayu', 'Agus Saputra']) {
      const r = await c.call(
        'customers.create',
        { name, address: 'Jl. Kenanga', area: 'Cibogo', notes: '', whatsappOptOut: false },
        { token },
      );
      expect(r.ok).toBe(true);
      // The cached total must not survive the commit.
      const after = await c.call('customers.list', { limit: 10 }, { token });
      expect(after.ok && (after.value as { rows: { name: string }[] }).rows.map((x) => x.name)).toContain(
        name,
      );
    }
    const all = await c.call('customers.list', { limit: 10 }, { token });
    expect(all.ok && (all.value as { total: number }).total).toBe(2);
  });

  it('runs inline on the main thread only for an in-memory database', async () => {
    core = createCore({ dataDir: ':memory:', clock: new FakeClock(), logLevel: 'silent' });
    await core.start();
    const reads = core.deps.reads as { threaded?: boolean };
    expect(reads.threaded).toBe(false);
  });
});
