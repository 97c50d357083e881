import { afterEach, expect, it } from 'vitest';
import { testCore, type TestCore } from '../helpers/core';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.core.stop();
  t = undefined;
});

const plan = (t: TestCore, sql: string): string =>
  (t.core.deps.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
    .map((r) => r.detail)
    .join(' | ');

it('0003 creates the voucher tables, and the hot queries use their indexes', async () => {
  t = await testCore();
  const tables = (
    t.core.deps.database.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'voucher%'`)
      .pluck()
      .all() as string[]
  ).sort();
  expect(tables).toEqual([
    'voucher_batches',
    'voucher_print_templates',
    'voucher_router_tokens',
    'voucher_sales',
    'vouchers',
  ]);
  // A batch's vouchers in list order (migration 0009 orders the batch index like the list: newest, then code).
  const batchPlan = plan(
    t,
    `SELECT * FROM vouchers WHERE batch_id = 'x' ORDER BY created_at DESC, username ASC`,
  );
  expect(batchPlan).toMatch(/USING INDEX vouchers_batch/);
  expect(batchPlan).not.toMatch(/TEMP B-TREE/);
  // A code typed from paper, on one router (callback, push).
  expect(plan(t, `SELECT * FROM vouchers WHERE router_id = 'r' AND username = 'ABC123'`)).toMatch(
    /USING INDEX vouchers_router_username/,
  );
  // Status filter, newest first.
  expect(
    plan(t, `SELECT * FROM vouchers WHERE status = 'active' ORDER BY created_at DESC LIMIT 100`),
  ).toMatch(/USING INDEX vouchers_status/);
  // Push progress of a batch.
  expect(
    plan(t, `SELECT push_state, COUNT(*) FROM vouchers WHERE batch_id = 'x' GROUP BY push_state`),
  ).toMatch(/USING (COVERING )?INDEX vouchers_push/);
  // Sales report over a date range.
  expect(
    plan(
      t,
      `SELECT office_date, SUM(price_sell) FROM voucher_sales WHERE office_date BETWEEN '2026-11-01' AND '2026-11-30' GROUP BY office_date`,
    ),
  ).toMatch(/USING (COVERING )?INDEX voucher_sales_date/);
  // One sale per voucher, enforced by the database.
  const db = t.core.deps.database.sqlite;
  db.prepare(
    `INSERT INTO voucher_sales (id, voucher_id, router_id, username, profile, at, office_date, price_sell, price_cost, source, created_at) VALUES ('s1', NULL, 'r', 'u', 'p', 1, '2026-11-21', 5000, 4000, 'mikhmon', 1)`,
  ).run();
  expect(() =>
    db
      .prepare(
        `INSERT INTO voucher_sales (id, voucher_id, router_id, username, profile, at, office_date, price_sell, price_cost, source, created_at) VALUES ('s2', NULL, 'r', 'u', 'p', 1, '2026-11-21', 5000, 4000, 'mikhmon', 1)`,
      )
      .run(),
  ).toThrow(/UNIQUE/);
});
