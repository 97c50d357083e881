/**
 * The import's write phase (issue 9 #8/#18): a 25,000-row commit hands the event loop back between small
 * transactions, and a crash part-way — thrown inside a chunk's transaction, or a real kill -9 — is resumed at
 * the next start with every row imported exactly once and the customer numbering gapless.
 * No timings are asserted: only how the work is cut up and what ends up in the database.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingFeature } from '../../src/main/billing/index';
import { IMPORT_CHUNK_ROWS } from '../../src/main/billing/import-jobs';
import { createCore, type Core } from '../../src/main/core';
import type { EventMessage, EventPayload } from '../../src/shared/contract/index';
import { PASSWORD, testCore } from '../helpers/core';
import { setup, until } from '../routers/helpers';
import { IMPORT_PACKAGE, importCsv } from './import-csv';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const billingOf = (core: Core) => core.features.find((f) => f.name === 'billing') as BillingFeature;

type RunProto = { run: (this: BetterSqlite3.Statement, ...a: unknown[]) => unknown };

/**
 * Watches every write statement on `sqlite`: how many customers each transaction inserts, and which tick of a
 * 1 ms interval timer each insert saw (the same tick for all = the loop never turned while they were written).
 */
function watchWrites(sqlite: BetterSqlite3.Database) {
  const proto = Object.getPrototypeOf(sqlite.prepare('SELECT 1')) as RunProto;
  const saved = proto.run;
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 1);
  let inTrx = 0;
  const perTrx: number[] = [];
  const ticksSeen = new Set<number>();
  proto.run = function (this: BetterSqlite3.Statement, ...params: unknown[]) {
    if (this.database === sqlite) {
      const sql = this.source.trim().toLowerCase();
      if (sql === 'begin') inTrx = 0;
      else if (sql === 'commit') perTrx.push(inTrx);
      else if (sql.startsWith('insert into customers ')) {
        inTrx += 1;
        ticksSeen.add(ticks);
      }
    }
    return saved.apply(this, params);
  };
  return {
    perTrx,
    ticksSeen,
    ticks: () => ticks,
    stop() {
      clearInterval(timer);
      proto.run = saved;
    },
  };
}

/** Every imported name once, codes unique, and the number series advanced exactly once per customer. */
function expectExactlyOnce(sqlite: BetterSqlite3.Database, names: string[]) {
  const rows = sqlite.prepare('SELECT name, code FROM customers').all() as { name: string; code: string }[];
  expect(rows).toHaveLength(names.length);
  expect(new Set(rows.map((r) => r.name))).toEqual(new Set(names));
  expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
  const seq = sqlite
    .prepare('SELECT SUM(last_seq) AS n FROM number_series WHERE series NOT LIKE ?')
    .get('INV%') as { n: number };
  expect(seq.n).toBe(rows.length);
}

const progressOf = (msg: EventMessage) =>
  msg.name === 'customers.importProgress' ? (msg.payload as EventPayload<'customers.importProgress'>) : null;

const namesUpTo = (n: number) => Array.from({ length: n }, (_, i) => `Pelanggan ${i}`);

describe('customer import commit', () => {
  it('writes 25,000 rows in small transactions and lets timers and other calls run between them', async () => {
    const t = await testCore();
    cleanups.push(() => t.core.stop());
    const token = await t.setupOwner();
    await t.ok('packages.create', IMPORT_PACKAGE, token);
    const sqlite = t.core.deps.database.sqlite;
    const w = watchWrites(sqlite);
    cleanups.push(() => w.stop());

    // A colleague registers a customer by hand while the import runs.
    let colleague: Promise<unknown> | null = null;
    const off = t.core.deps.events.subscribe((msg) => {
      if ((progressOf(msg)?.written ?? 0) >= 5000 && !colleague) {
        colleague = t.ok(
          'customers.create',
          { name: 'Tamu Kantor', address: 'Jl. Melati', area: 'Area 1', notes: '', whatsappOptOut: false },
          token,
        );
      }
    });
    cleanups.push(off);
    const progress: number[] = [];
    const offProgress = t.core.deps.events.subscribe((msg) => {
      const p = progressOf(msg);
      if (p) progress.push(p.written);
    });
    cleanups.push(offProgress);

    const res = await t.ok(
      'customers.import.commit',
      { fileName: 'besar.csv', content: importCsv(25_000), format: 'csv' },
      token,
    );
    w.stop();
    expect(res).toMatchObject({ imported: 25_000, skipped: 0 });
    // No transaction wrote more than a few hundred customers (a chunk), and there were as many as the chunks.
    const withCustomers = w.perTrx.filter((n) => n > 0);
    expect(Math.max(...withCustomers)).toBeLessThanOrEqual(Math.min(IMPORT_CHUNK_ROWS, 500));
    expect(withCustomers.length).toBeGreaterThanOrEqual(25_000 / IMPORT_CHUNK_ROWS);
    // The interval timer fired between the chunks, many times over, while the customers were being written.
    expect(w.ticksSeen.size).toBeGreaterThanOrEqual(50);
    // The colleague's call went through during the import, in the same number series.
    expect(colleague).not.toBeNull();
    await colleague;
    expectExactlyOnce(sqlite, [...namesUpTo(25_000), 'Tamu Kantor']);
    // Progress went up chunk by chunk to the end.
    expect(progress.at(-1)).toBe(25_000);
    expect(progress.length).toBeGreaterThanOrEqual(25_000 / IMPORT_CHUNK_ROWS);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // One audit entry for the import, as before.
    const audits = sqlite.prepare("SELECT after_json FROM audit_log WHERE action = 'customers.import'").all();
    expect(audits).toHaveLength(1);
  }, 120_000);

  it('a crash inside a chunk rolls that chunk back; the restart resumes and writes every row once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rukun-import-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const rows = 20 * IMPORT_CHUNK_ROWS + 37;
    const first = createCore({ dataDir, logLevel: 'silent' });
    await first.start();
    const setup = await first.call('auth.setup', {
      officeName: 'Sukamaju Net',
      fullName: 'Budi',
      username: 'budi',
      password: PASSWORD,
    });
    if (!setup.ok) throw new Error(setup.error.message);
    const token = (setup.value as { token: string }).token;
    expect((await first.call('packages.create', IMPORT_PACKAGE, { token })).ok).toBe(true);
    // The 8th chunk has written its customers when the "crash" comes, before its commit.
    billingOf(first).imports.beforeChunkCommit = (_job, seq) => {
      if (seq === 7) throw new Error('simulated crash');
    };
    const res = await first.call(
      'customers.import.commit',
      { fileName: 'besar.csv', content: importCsv(rows), format: 'csv' },
      { token },
    );
    expect(res.ok).toBe(false);
    const count = () =>
      (first.deps.database.sqlite.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
    expect(count()).toBe(7 * IMPORT_CHUNK_ROWS);
    await first.stop();

    const second = createCore({ dataDir, logLevel: 'silent' });
    await second.start();
    cleanups.push(() => second.stop());
    const sqlite = second.deps.database.sqlite;
    const status = () =>
      (sqlite.prepare('SELECT status FROM import_jobs').get() as { status: string } | undefined)?.status;
    await until(() => status() === 'done', 60_000);
    expectExactlyOnce(sqlite, namesUpTo(rows));
    expect(sqlite.prepare('SELECT COUNT(*) AS n FROM import_job_chunks').get()).toEqual({ n: 0 });
    expect(
      sqlite.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'customers.import'").get(),
    ).toEqual({ n: 1 });
  }, 120_000);

  it('a core killed -9 mid-import resumes on restart: every row exactly once, no gap', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rukun-import-kill-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const rows = 12_000;
    const first = createCore({ dataDir, logLevel: 'silent' });
    await first.start();
    const setup = await first.call('auth.setup', {
      officeName: 'Sukamaju Net',
      fullName: 'Budi',
      username: 'budi',
      password: PASSWORD,
    });
    if (!setup.ok) throw new Error(setup.error.message);
    const token = (setup.value as { token: string }).token;
    expect((await first.call('packages.create', IMPORT_PACKAGE, { token })).ok).toBe(true);
    await first.stop();

    // node itself (tsx as a loader), so SIGKILL hits the process that runs the core.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'import-child.ts'), dataDir, String(rows), PASSWORD],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    cleanups.push(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const written = () => Math.max(0, ...[...out.matchAll(/WRITTEN (\d+)/g)].map((m) => Number(m[1])));
    await until(() => written() >= 3000, 90_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(out).not.toContain('FINISHED');

    const third = createCore({ dataDir, logLevel: 'silent' });
    await third.start();
    cleanups.push(() => third.stop());
    const sqlite = third.deps.database.sqlite;
    const status = () =>
      (sqlite.prepare('SELECT status FROM import_jobs').get() as { status: string } | undefined)?.status;
    await until(() => status() === 'done', 90_000);
    expectExactlyOnce(sqlite, namesUpTo(rows));
  }, 180_000);
});

describe('customer import commit with a router', () => {
  it('creates every subscription once across chunks; a phone registered meanwhile skips its row with a reason', async () => {
    const s = await setup({ version: '7.18' });
    cleanups.push(() => s.close());
    await s.t.ok('packages.create', IMPORT_PACKAGE, s.token);
    const rows = 2 * IMPORT_CHUNK_ROWS + 50;
    const late = rows - 10;
    const phone = `62812${String(late).padStart(8, '0')}`;
    // After the first chunk, a colleague registers the customer of a later row by hand.
    let colleague: Promise<unknown> | null = null;
    const off = s.t.core.deps.events.subscribe((msg) => {
      if (progressOf(msg) && !colleague)
        colleague = s.t.ok(
          'customers.create',
          {
            name: 'Didaftar Manual',
            phone,
            address: 'Jl. Mawar',
            area: 'Area 1',
            notes: '',
            whatsappOptOut: false,
          },
          s.token,
        );
    });
    cleanups.push(off);
    const res = await s.t.ok(
      'customers.import.commit',
      { fileName: 'router.csv', content: importCsv(rows), format: 'csv', routerId: s.routerId },
      s.token,
    );
    await colleague;
    expect(res).toMatchObject({ imported: rows - 1, skipped: 1 });
    expect(res.rows.find((r) => r.line === late + 2)).toMatchObject({
      valid: false,
      errors: [expect.stringMatching(/didaftarkan saat impor berjalan/)],
    });
    const sqlite = s.t.core.deps.database.sqlite;
    const subs = sqlite.prepare('SELECT customer_id, username FROM subscriptions').all() as {
      customer_id: string;
      username: string;
    }[];
    expect(subs).toHaveLength(rows - 1);
    expect(new Set(subs.map((x) => x.customer_id)).size).toBe(rows - 1);
    expect(new Set(subs.map((x) => x.username)).size).toBe(rows - 1);
    const names = namesUpTo(rows).filter((n) => n !== `Pelanggan ${late}`);
    expectExactlyOnce(sqlite, [...names, 'Didaftar Manual']);
  }, 120_000);
});
