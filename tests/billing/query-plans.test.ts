/**
 * Every long list must read its page from an index in its final order: no sort of a whole table before the
 * first row (`USE TEMP B-TREE FOR … ORDER BY`), no scan of a big table, and a filtered list must not walk the
 * unfiltered ordering index testing every row. A search may sort what it matched (bounded by the match).
 *
 * The calls go through the dispatcher; every statement they run is recorded and EXPLAINed with its own
 * parameters. Checked on a database without planner statistics (a new office) and after ANALYZE (a database
 * that has lived), because SQLite can choose differently in each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingFeature } from '../../src/main/billing/index';
import { AREAS, customerName, seedBilling, seedRouter, seedVouchers } from '../../scripts/bench/seed';
import { queryPlan, recordReads, type RecordedRead } from '../helpers/sql-recorder';
import { testCore, type TestCore } from '../helpers/core';

/** Tables that grow with the office (a full scan of one is a defect in a list). */
const BIG = new Set([
  'invoices',
  'customers',
  'payments',
  'payment_allocations',
  'ledger_entries',
  'subscriptions',
  'vouchers',
  'voucher_sales',
  'audit_log',
  'change_log',
  'wa_messages',
]);

interface Case {
  method: string;
  input: Record<string, unknown>;
  /** A search: it may sort the rows it matched (never the table). */
  search?: boolean;
  /** A filter (or a search matching most rows) checked row by row while walking in list order, and why. */
  walks?: string;
}

/** The table behind each name or alias a statement uses (`FROM invoices i`, `JOIN customers c`). */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const keywords = /^(WHERE|JOIN|LEFT|INNER|CROSS|ON|ORDER|GROUP|LIMIT|USING|AS)$/i;
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?/gi)) {
    const table = m[1] ?? '';
    out.set(table, table);
    if (m[2] && !keywords.test(m[2])) out.set(m[2], table);
  }
  return out;
}

function problems(
  sqlite: TestCore['core']['deps']['database']['sqlite'],
  c: Case,
  read: RecordedRead,
): string[] {
  const partial = new Set(
    (
      sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'").all() as {
        name: string;
      }[]
    ).map((r) => r.name),
  );
  const names = aliases(read.sql);
  const filtered = Object.keys(c.input).some(
    (k) => !['offset', 'limit', 'sort', 'search'].includes(k) && c.input[k] !== undefined,
  );
  const out: string[] = [];
  for (const step of queryPlan(sqlite, read)) {
    if (/TEMP B-TREE FOR .*ORDER BY/.test(step) && !c.search) out.push(step);
    const scan = /^SCAN (\w+)(?: USING (COVERING )?INDEX (\w+))?/.exec(step);
    if (!scan || step.includes('VIRTUAL TABLE')) continue;
    const table = names.get(scan[1] ?? '') ?? scan[1] ?? '';
    if (!BIG.has(table)) continue;
    const index = scan[3];
    if (!index) out.push(step);
    else if (c.search && !scan[2] && !c.walks) out.push(step);
    else if (filtered && !partial.has(index) && !c.walks) out.push(step);
  }
  return out.map((s) => `${s}   ← ${read.sql.replace(/\s+/g, ' ').slice(0, 140)}`);
}

let t: TestCore;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await testCore();
  token = await t.setupOwner();
  const sqlite = t.core.deps.database.sqlite;
  const now = t.clock.now();
  const pkg = await t.ok(
    'packages.create',
    { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
    token,
  );
  // Two months of history for 2,000 subscriptions (every invoice of a month issued at the same instant),
  // 500 customers without one, 1,500 vouchers on a router.
  seedBilling(sqlite, t.core.deps.ids, {
    customers: 2500,
    subscribed: 2000,
    months: 2,
    firstPeriod: '2026-09',
    unpaidShare: 0.25,
    packageId: pkg.id,
    now,
    analyze: false,
  });
  const routerId = seedRouter(sqlite, t.core.deps.ids, now);
  seedVouchers(sqlite, t.core.deps.ids, routerId, 1500, now, false);
  // A real run (audit rows, ledger, one issued_at for 2,000 invoices) and real payments (allocations).
  const billing = t.core.features.find((f) => f.name === 'billing') as BillingFeature;
  expect(billing).toBeDefined();
  const run = await t.ok('invoices.generate', {}, token);
  expect(run.created).toBeGreaterThan(1000);
  const someone = sqlite.prepare('SELECT id FROM customers ORDER BY rowid LIMIT 1 OFFSET 7').pluck().get();
  ids['customer'] = String(someone);
  for (let i = 0; i < 5; i++)
    await t.ok('payments.record', { customerId: ids['customer'], amount: 40_000, method: 'cash' }, token);
  ids['router'] = routerId;
  ids['batch'] = String(sqlite.prepare('SELECT id FROM voucher_batches LIMIT 1').pluck().get());
}, 120_000);

afterAll(async () => {
  await t?.core.stop();
});

const CASES: Case[] = [
  // Invoices: the default order, every filter the page offers, searches, the indexed sorts.
  { method: 'invoices.list', input: { offset: 0, limit: 200 } },
  { method: 'invoices.list', input: { offset: 1800, limit: 200 } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, period: '2026-11' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, status: 'unpaid' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, status: 'open' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, status: 'partial' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, status: 'paid' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, status: 'void' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, overdue: true } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, period: '2026-10', status: 'unpaid' } },
  { method: 'invoices.list', input: { offset: 0, limit: 50, customerId: 'CUSTOMER' } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, search: 'Ahmad' }, search: true },
  { method: 'invoices.list', input: { offset: 0, limit: 200, search: 'inv/2026/11/0001' }, search: true },
  {
    method: 'invoices.list',
    input: { offset: 0, limit: 200, search: 'melati' },
    search: true,
    walks: 'a word in every address matches every invoice: read in list order until the page is full',
  },
  { method: 'invoices.list', input: { offset: 0, limit: 200, sort: { field: 'number', dir: 'asc' } } },
  { method: 'invoices.list', input: { offset: 0, limit: 200, sort: { field: 'issuedAt', dir: 'asc' } } },
  {
    method: 'invoices.list',
    input: { offset: 0, limit: 200, sort: { field: 'customerName', dir: 'asc' } },
  },
  {
    method: 'invoices.list',
    input: { offset: 0, limit: 200, sort: { field: 'customerName', dir: 'desc' } },
  },
  // Customers.
  { method: 'customers.list', input: { offset: 0, limit: 200 } },
  { method: 'customers.list', input: { offset: 2000, limit: 200 } },
  { method: 'customers.list', input: { offset: 0, limit: 200, status: 'active' } },
  { method: 'customers.list', input: { offset: 0, limit: 200, area: AREAS[1] } },
  {
    method: 'customers.list',
    input: { offset: 0, limit: 200, owing: true },
    walks: 'customers in name order, each checked for an unpaid invoice by index; a page stops when full',
  },
  { method: 'customers.list', input: { offset: 0, limit: 200, search: customerName(12) }, search: true },
  { method: 'customers.list', input: { offset: 0, limit: 200, search: 'siti nur' }, search: true },
  {
    method: 'customers.list',
    input: { offset: 0, limit: 200, search: 'melati' },
    search: true,
    walks: 'a word in every address: read in name order until the page is full',
  },
  { method: 'customers.list', input: { offset: 0, limit: 200, search: '0812' }, search: true },
  { method: 'customers.list', input: { offset: 0, limit: 200, search: 'SKM-BEN011124-0042' }, search: true },
  { method: 'customers.list', input: { offset: 0, limit: 200, sort: { field: 'name', dir: 'desc' } } },
  { method: 'customers.list', input: { offset: 0, limit: 200, sort: { field: 'code', dir: 'asc' } } },
  { method: 'customers.list', input: { offset: 0, limit: 200, sort: { field: 'createdAt', dir: 'desc' } } },
  { method: 'customers.list', input: { offset: 0, limit: 200, sort: { field: 'area', dir: 'asc' } } },
  // Vouchers.
  { method: 'vouchers.list', input: { offset: 0, limit: 200 } },
  { method: 'vouchers.list', input: { offset: 1000, limit: 200 } },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, status: 'active' } },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, profile: '1Hari' } },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, batchId: 'BATCH' } },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, routerId: 'ROUTER' } },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, search: 'ab' }, search: true },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, search: 'aa:bb:cc:1' }, search: true },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, sort: { field: 'username', dir: 'asc' } } },
  { method: 'vouchers.list', input: { offset: 0, limit: 200, sort: { field: 'createdAt', dir: 'asc' } } },
  // Payments.
  { method: 'payments.list', input: { offset: 0, limit: 200 } },
  { method: 'payments.list', input: { offset: 0, limit: 200, customerId: 'CUSTOMER' } },
  {
    method: 'payments.list',
    input: { offset: 0, limit: 200, from: Date.UTC(2026, 9, 1), to: Date.UTC(2026, 10, 1) },
  },
  { method: 'payments.list', input: { offset: 0, limit: 200, search: 'KW/2026/10/0001' }, search: true },
  { method: 'payments.list', input: { offset: 0, limit: 200, search: 'budi' }, search: true },
  // The audit log (a month's run writes 20,000 rows into it).
  { method: 'audit.list', input: { offset: 0, limit: 200 } },
  { method: 'audit.list', input: { offset: 0, limit: 200, action: 'invoices.issue' } },
];

const resolve = (input: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(input).map(([k, v]) => [
      k,
      v === 'CUSTOMER' ? ids['customer'] : v === 'ROUTER' ? ids['router'] : v === 'BATCH' ? ids['batch'] : v,
    ]),
  );

async function check(): Promise<string[]> {
  const sqlite = t.core.deps.database.sqlite;
  const rec = recordReads(sqlite);
  const found: string[] = [];
  try {
    for (const c of CASES) {
      rec.take();
      const input = resolve(c.input);
      const res = await t.raw(c.method, input, token);
      expect(res.ok, `${c.method} ${JSON.stringify(input)}`).toBe(true);
      const reads = rec.take().filter((r) => [...aliases(r.sql).values()].some((tb) => BIG.has(tb)));
      expect(reads.length, `${c.method} read nothing`).toBeGreaterThan(0);
      for (const r of reads)
        for (const p of problems(sqlite, c, r)) found.push(`${c.method} ${JSON.stringify(c.input)}: ${p}`);
    }
  } finally {
    rec.stop();
  }
  return found;
}

describe('query plans of the long lists', () => {
  it('list queries run on the main connection in tests (so they can be recorded here)', () => {
    expect(t.core.deps.database.path).toBe(':memory:');
  });

  it('read pages from indexes in list order on a new database (no planner statistics)', async () => {
    expect(await check()).toEqual([]);
  });

  it('still do after ANALYZE', async () => {
    t.core.deps.database.sqlite.exec('ANALYZE');
    expect(await check()).toEqual([]);
  });
});
