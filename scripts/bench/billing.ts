/**
 * Billing benchmarks on a file database with 50,000 customers, 20,000 PPPoE subscriptions and 24 months of
 * paid history (480,000 invoices, payments and allocations, 960,000 ledger entries).
 *   billing.invoice_run_20k.seconds  the monthly run issuing 20,000 invoices (one transaction). Target < 2.
 *   billing.invoice_notices_20k.seconds  then WhatsApp's batched flush queueing the 20,000 "tagihan terbit"
 *                                    notices (rendered, paced, one transaction) after the run returned.
 *   billing.customer_search.ms       customers.list with a typed name through the dispatcher, median. Target < 50.
 *   billing.ledger_balance.ms        one customer's balance from the ledger, median. Target < 5.
 *   billing.invoice_run_20k.vs_floor  the run's time ÷ the floor: inserting the very rows it wrote (invoices,
 *                                    ledger, audit, outbox) with plain prepared INSERTs in one transaction into a
 *                                    copy of the database as it was before the run (same schema, same data, same
 *                                    pragmas), in this same run. Target ≤ 2.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BillingFeature } from '../../src/main/billing/index';
import type { WhatsappFeature } from '../../src/main/whatsapp/index';
import { ledgerBalance } from '../../src/main/billing/ledger';
import { createCore } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import { addMonths } from '../../src/shared/billing/periods';
import { AREAS, customerName } from './seed';
import type { Bench, BenchResult } from './types';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** The rows an invoice run writes, by table, found by the run's instant. */
const RUN_ROWS: [table: string, where: string][] = [
  ['invoices', 'created_at = ?'],
  ['ledger_entries', "at = ? AND kind = 'charge'"],
  ['audit_log', "at = ? AND action = 'invoices.issue'"],
  ['change_log', "at = ? AND entity = 'invoice'"],
];

/**
 * The floor for the run: reads back every row the run wrote and inserts the same rows, column for column,
 * with one plain prepared INSERT per table in one transaction, into the copy of the database taken before the
 * run, on a connection with the run's pragmas. Seconds, commit included.
 */
function insertFloor(sqlite: BetterSqlite3.Database, floorPath: string, runAt: number): number {
  const rows = RUN_ROWS.map(([table, where]) => {
    const data = sqlite.prepare(`SELECT * FROM ${table} WHERE ${where}`).raw().all(runAt) as unknown[][];
    const cols = (sqlite.prepare(`SELECT * FROM ${table} LIMIT 0`).columns() ?? []).map((c) => c.name);
    return { table, cols, data };
  });
  const floor = new BetterSqlite3(floorPath);
  try {
    for (const p of ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout']) {
      const v = sqlite.pragma(p, { simple: true }) as string | number;
      floor.pragma(`${p} = ${v}`);
    }
    // The run raises the page cache for its transaction; the floor gets the same.
    floor.pragma('cache_size = -65536');
    const inserts = rows.map((r) => ({
      stmt: floor.prepare(
        `INSERT INTO ${r.table} (${r.cols.join(', ')}) VALUES (${r.cols.map(() => '?').join(', ')})`,
      ),
      data: r.data,
    }));
    const f0 = performance.now();
    floor.transaction(() => {
      for (const { stmt, data } of inserts) for (const row of data) stmt.run(...row);
    })();
    const seconds = (performance.now() - f0) / 1000;
    const written = rows.reduce((a, r) => a + r.data.length, 0);
    if (rows[0]?.data.length !== 20_000 || written !== 80_000)
      throw new Error(
        `floor found ${written} rows (${rows.map((r) => r.data.length).join('/')}), expected 4 × 20000`,
      );
    return seconds;
  } finally {
    floor.close();
  }
}

/**
 * billing.import25k_max_stall.ms: the longest the event loop went without turning while customers.import.commit
 * took a 25,000-row CSV (customers only) into a fresh file database: the largest gap between two ticks of a
 * 5 ms interval timer, from the call until its answer. The import reads the file in a worker and writes in
 * small transactions, yielding between them; before that it was one transaction (~3 s on a file database).
 */
export async function importStall(rows: number): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rukun-bench-import-'));
  const core = createCore({
    dataDir: dir,
    clock: new FakeClock(Date.UTC(2026, 10, 21, 3)),
    logLevel: 'silent',
  });
  await core.start();
  try {
    const setup = await core.call('auth.setup', {
      officeName: 'Bench Net',
      fullName: 'Bench Owner',
      username: 'owner',
      password: 'rahasia-kuat-1',
    });
    if (!setup.ok) throw new Error(setup.error.message);
    const token = (setup.value as { token: string }).token;
    const pkg = await core.call(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
      { token },
    );
    if (!pkg.ok) throw new Error(pkg.error.message);
    const lines = [
      'nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register',
    ];
    for (let i = 0; i < rows; i++)
      lines.push(
        `${customerName(i)},62812${String(i).padStart(8, '0')},0,${(i % 28) + 1},Area ${i % 40},Paket 10 Mbps,150000,150000,,2025-01-15`,
      );
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const res = await core.call(
      'customers.import.commit',
      { fileName: 'bench.csv', content: `${lines.join('\n')}\n`, format: 'csv' },
      { token },
    );
    maxGap = Math.max(maxGap, performance.now() - last);
    clearInterval(timer);
    if (!res.ok) throw new Error(res.error.message);
    return { name: `billing.import${Math.round(rows / 1000)}k_max_stall.ms`, value: maxGap, unit: 'ms' };
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The import stall on its own (no 50,000-customer seed needed): `npm run bench -- billing.import`. */
export const importBench: Bench = {
  prefix: 'billing.import',
  run: async () => [await importStall(25_000)],
};

export const bench: Bench = {
  prefix: 'billing.',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'rukun-bench-billing-'));
    const clock = new FakeClock(Date.UTC(2026, 10, 21, 3, 0, 0));
    const core = createCore({ dataDir: dir, clock, logLevel: 'silent' });
    await core.start();
    try {
      const setup = await core.call('auth.setup', {
        officeName: 'Bench Net',
        fullName: 'Bench Owner',
        username: 'owner',
        password: 'rahasia-kuat-1',
      });
      if (!setup.ok) throw new Error(setup.error.message);
      const token = (setup.value as { token: string }).token;
      const billing = core.features.find((f) => f.name === 'billing') as BillingFeature;
      const sqlite = core.deps.database.sqlite;
      const ids = core.deps.ids;
      const pkg = await core.call(
        'packages.create',
        { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
        { token },
      );
      if (!pkg.ok) throw new Error(pkg.error.message);
      const pkgId = (pkg.value as { id: string }).id;

      const t0 = performance.now();
      const now = clock.now();
      sqlite.transaction(() => {
        const cust = sqlite.prepare(
          `INSERT INTO customers (id, code, name, phone, address, area, status, registered_on, created_at, updated_at) VALUES (?,?,?,?,?,?,'active','2024-11-01',?,?)`,
        );
        const sub = sqlite.prepare(
          `INSERT INTO subscriptions (id, customer_id, package_id, router_id, username, password_enc, billing_day, discount, status, start_date, created_at, updated_at)
           VALUES (?,?,?,'bench-router',?,'v1:x',?,0,'active','2024-11-01',?,?)`,
        );
        const inv = sqlite.prepare(
          `INSERT INTO invoices (id, number, customer_id, subscription_id, period, period_start, period_end, issued_at, issue_date, due_date, description,
             subtotal, total, paid, status, public_token, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,'Paket 10 Mbps',150000,150000,150000,'paid',?,?,?)`,
        );
        const pay = sqlite.prepare(
          `INSERT INTO payments (id, receipt_number, customer_id, amount, method, paid_at, recorded_by_name, receipt_token, unallocated, created_at)
           VALUES (?,?,?,150000,'cash',?,'Kasir',?,0,?)`,
        );
        const alloc = sqlite.prepare(
          'INSERT INTO payment_allocations (id, payment_id, invoice_id, amount, at) VALUES (?,?,?,150000,?)',
        );
        const led = sqlite.prepare(
          'INSERT INTO ledger_entries (id, customer_id, at, kind, amount, invoice_id, payment_id, memo) VALUES (?,?,?,?,?,?,?,?)',
        );
        const seq = new Map<string, number>();
        const next = (prefix: string) => {
          const n = (seq.get(prefix) ?? 0) + 1;
          seq.set(prefix, n);
          return `${prefix}${String(n).padStart(5, '0')}`;
        };
        for (let i = 0; i < 50_000; i++) {
          const id = ids();
          const name = customerName(i);
          cust.run(
            id,
            `SKM-BEN011124-${String(i + 1).padStart(5, '0')}`,
            name,
            `628${String(1_000_000_000 + i)}`,
            `Jl. Melati ${i % 300}`,
            AREAS[i % AREAS.length],
            now,
            now,
          );
          if (i >= 20_000) continue;
          const subId = ids();
          const day = (i % 28) + 1;
          sub.run(subId, id, pkgId, `BEN${i}`, day, now, now);
          for (let m = 0; m < 24; m++) {
            const period = addMonths('2024-11', m);
            const start = `${period}-${String(day).padStart(2, '0')}`;
            const at = Date.parse(`${start}T03:00:00Z`);
            const invId = ids();
            inv.run(
              invId,
              next(`INV/${period.replace('-', '/')}/`),
              id,
              subId,
              period,
              start,
              start,
              at,
              start,
              start,
              `t${invId}`,
              at,
              at,
            );
            const payId = ids();
            pay.run(payId, next(`KW/${period.replace('-', '/')}/`), id, at, `r${payId}`, at);
            alloc.run(ids(), payId, invId, at);
            led.run(ids(), id, at, 'charge', 150_000, invId, null, '');
            led.run(ids(), id, at, 'payment', -150_000, null, payId, '');
          }
        }
        const series = sqlite.prepare('INSERT INTO number_series (series, last_seq) VALUES (?, ?)');
        for (const [prefix, n] of seq) series.run(`${prefix}{#}`, n);
      })();
      sqlite.pragma('optimize');
      process.stderr.write(`  billing: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      // The floor's database: this one as it is before the run, byte for byte.
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const floorPath = join(dir, 'floor.db');
      copyFileSync(core.deps.database.path, floorPath);

      const cpu0 = process.cpuUsage();
      const r0 = performance.now();
      const run = await billing.handlers['invoices.generate'](
        { date: '2026-11-28' },
        {
          session: null,
          actor: { userId: null, name: 'Bench', role: null, via: 'system' },
          call: { token: null, via: 'ipc', ip: null },
        },
      );
      const runSeconds = (performance.now() - r0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      // WhatsApp handles the run's hooks after it returns (one batched flush): measured on its own.
      const wa = core.features.find((f) => f.name === 'whatsapp') as WhatsappFeature | undefined;
      const cpuN = process.cpuUsage();
      const n0 = performance.now();
      await wa?.api.triggers?.flush();
      const noticeSeconds = (performance.now() - n0) / 1000;
      const cpuNotices = process.cpuUsage(cpuN);
      const notices = sqlite
        .prepare("SELECT COUNT(*) FROM wa_messages WHERE kind = 'invoice_issued'")
        .pluck()
        .get() as number;
      process.stderr.write(
        `  billing: ${notices} invoice notices queued in ${noticeSeconds.toFixed(2)} s wall, ${((cpuNotices.user + cpuNotices.system) / 1e6).toFixed(2)} s CPU\n`,
      );
      // CPU time tells a busy shared machine apart from a slow run (wall time includes waiting for a core).
      process.stderr.write(
        `  billing: invoice run ${runSeconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU\n`,
      );
      if (run.created !== 20_000) throw new Error(`invoice run created ${run.created}, expected 20000`);
      const floorSeconds = insertFloor(sqlite, floorPath, now);
      process.stderr.write(
        `  billing: floor (same rows, plain INSERTs, one transaction) ${floorSeconds.toFixed(2)} s → ${(runSeconds / floorSeconds).toFixed(2)}×\n`,
      );

      const searches = [
        'ahmad',
        'siti nur',
        'santoso 12',
        'wati hand',
        'SKM-BEN011124-0421',
        'melati 29',
        '0810000012',
      ];
      const times: number[] = [];
      for (let i = 0; i < 70; i++) {
        const s0 = performance.now();
        const res = await core.call(
          'customers.list',
          { search: searches[i % searches.length], limit: 50 },
          { token },
        );
        times.push(performance.now() - s0);
        if (!res.ok) throw new Error(res.error.message);
      }
      const custIds = sqlite
        .prepare('SELECT id FROM customers LIMIT 500 OFFSET 100')
        .pluck()
        .all() as string[];
      const ledgerTimes = custIds.map((id) => {
        const l0 = performance.now();
        ledgerBalance(sqlite, id);
        return performance.now() - l0;
      });
      return [
        { name: 'billing.invoice_run_20k.seconds', value: runSeconds, unit: 's' },
        { name: 'billing.invoice_run_20k.vs_floor', value: runSeconds / floorSeconds, unit: '×' },
        { name: 'billing.invoice_notices_20k.seconds', value: noticeSeconds, unit: 's' },
        { name: 'billing.customer_search.ms', value: median(times), unit: 'ms' },
        { name: 'billing.ledger_balance.ms', value: median(ledgerTimes), unit: 'ms' },
      ];
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
