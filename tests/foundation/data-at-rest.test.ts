import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract/index';
import { PASSWORD } from '../helpers/core';

const roots: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function freshDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'rukun-rest-'));
  roots.push(root);
  return join(root, 'data');
}

async function startCore(dataDir: string, logLevel: 'silent' | 'info' = 'silent'): Promise<Core> {
  const core = createCore({ dataDir, clock: new FakeClock(Date.UTC(2026, 10, 21, 3)), logLevel });
  cores.push(core);
  await core.start();
  return core;
}

const mode = (path: string) => statSync(path).mode & 0o777;
const DB_FILES = ['rukun.db', 'rukun.db-wal', 'rukun.db-shm'];

describe.skipIf(process.platform === 'win32')('data at rest (issue 9 #5)', () => {
  it('creates the data dir 0700 and the database, WAL, shared memory and key files 0600', async () => {
    const dir = freshDir();
    const core = await startCore(dir);
    core.secrets.encrypt('router-password'); // the key file is made on first use
    expect(mode(dir)).toBe(0o700);
    for (const f of [...DB_FILES, 'secret.key']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
      expect(mode(join(dir, f)), f).toBe(0o600);
    }
  });

  it('tightens an existing data dir and files an older install left readable', async () => {
    const dir = freshDir();
    const first = await startCore(dir);
    first.secrets.encrypt('x');
    await first.stop();
    chmodSync(dir, 0o755);
    for (const f of ['rukun.db', 'secret.key']) chmodSync(join(dir, f), 0o644);
    await startCore(dir);
    expect(mode(dir)).toBe(0o700);
    for (const f of [...DB_FILES, 'secret.key']) expect(mode(join(dir, f)), f).toBe(0o600);
  });

  it('says in the log where the data key lives', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const dir = freshDir();
    await startCore(dir, 'info');
    expect(lines.some((l) => l.includes(join(dir, 'secret.key')))).toBe(true);
  });
});

describe('durability of money-moving commits (issue 9 #6)', () => {
  it('commits payments and their reversal with synchronous = FULL, on a real file', async () => {
    const core = await startCore(freshDir());
    const sqlite = core.deps.database.sqlite;
    // Record, inside each commit, the safety level the connection commits it with (2 = FULL, 1 = NORMAL).
    sqlite.exec(`
      CREATE TEMP TABLE seen_sync (what TEXT, level INTEGER);
      CREATE TEMP TRIGGER pay_ins AFTER INSERT ON main.payments
        BEGIN INSERT INTO seen_sync SELECT 'insert', synchronous FROM pragma_synchronous; END;
      CREATE TEMP TRIGGER pay_upd AFTER UPDATE ON main.payments
        BEGIN INSERT INTO seen_sync SELECT 'update', synchronous FROM pragma_synchronous; END;
      CREATE TEMP TRIGGER cust_ins AFTER INSERT ON main.customers
        BEGIN INSERT INTO seen_sync SELECT 'customer', synchronous FROM pragma_synchronous; END;`);
    const ok = async <M extends MethodName>(m: M, input: MethodInput<M>, token: string | null) => {
      const r = await core.call(m, input, { token });
      if (!r.ok) throw new Error(`${m}: ${r.error.code} ${r.error.message}`);
      return r.value as MethodOutput<M>;
    };
    const { token } = await ok(
      'auth.setup',
      { officeName: 'Sukamaju Net', fullName: 'Budi Santoso', username: 'budi', password: PASSWORD },
      null,
    );
    const customer = await ok('customers.create', { name: 'Siti Aminah', phone: '081234567890' }, token);
    const paid = await Promise.all(
      [50_000, 75_000, 100_000].map((amount) =>
        ok('payments.record', { customerId: customer.id, amount, method: 'cash' }, token),
      ),
    );
    const first = paid[0];
    if (!first) throw new Error('no payment');
    await ok('payments.reverse', { id: first.id, version: first.version, reason: 'salah catat' }, token);
    const seen = sqlite.prepare('SELECT what, level FROM seen_sync').all() as {
      what: string;
      level: number;
    }[];
    const money = seen.filter((s) => s.what !== 'customer');
    expect(money.filter((s) => s.what === 'insert')).toHaveLength(3);
    expect(money.some((s) => s.what === 'update')).toBe(true);
    expect(money.every((s) => s.level === 2)).toBe(true);
    // Work that moves no money keeps the cheaper level (one sync per checkpoint, not per commit).
    expect(seen.find((s) => s.what === 'customer')?.level).toBe(1);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1);
  });
});
