/**
 * The invoice run is the hottest write path (20,000 invoices in one transaction, issue 9 #19) and the first
 * place an optimisation would be tempted to skip bookkeeping. Whatever makes it faster, every invoice it issues
 * keeps its ledger charge, its audit entry and its outbox row, and a second run writes none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBilling } from '../../scripts/bench/seed';
import { testCore, type TestCore } from '../helpers/core';

let t: TestCore;
let token: string;

beforeAll(async () => {
  t = await testCore();
  token = await t.setupOwner();
  const pkg = await t.ok(
    'packages.create',
    { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
    token,
  );
  seedBilling(t.core.deps.database.sqlite, t.core.deps.ids, {
    customers: 300,
    subscribed: 280,
    months: 1,
    firstPeriod: '2026-10',
    packageId: pkg.id,
    now: t.clock.now(),
    analyze: false,
  });
});

afterAll(async () => {
  await t?.core.stop();
});

describe('the invoice run keeps its books', () => {
  it('one ledger charge, one audit entry and one outbox row per issued invoice; a second run writes none', async () => {
    const sqlite = t.core.deps.database.sqlite;
    const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
    const before = {
      audit: count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invoices.issue'"),
      outbox: count("SELECT COUNT(*) AS n FROM change_log WHERE entity = 'invoice' AND op = 'insert'"),
    };
    const run = await t.ok('invoices.generate', {}, token);
    expect(run.created).toBeGreaterThan(100);
    const issued = sqlite
      .prepare('SELECT id, number, customer_id, total FROM invoices WHERE created_at = ?')
      .all(t.clock.now()) as { id: string; number: string; customer_id: string; total: number }[];
    expect(issued).toHaveLength(run.created);
    const audit = new Map(
      (
        sqlite
          .prepare("SELECT entity_id, after_json FROM audit_log WHERE action = 'invoices.issue'")
          .all() as { entity_id: string; after_json: string }[]
      ).map((r) => [
        r.entity_id,
        JSON.parse(r.after_json) as { number: string; total: number; customerId: string },
      ]),
    );
    const outbox = new Set(
      (
        sqlite
          .prepare("SELECT entity_id FROM change_log WHERE entity = 'invoice' AND op = 'insert'")
          .all() as { entity_id: string }[]
      ).map((r) => r.entity_id),
    );
    const charges = new Map(
      (
        sqlite
          .prepare(
            "SELECT invoice_id, customer_id, amount FROM ledger_entries WHERE kind = 'charge' AND at = ?",
          )
          .all(t.clock.now()) as { invoice_id: string; customer_id: string; amount: number }[]
      ).map((r) => [r.invoice_id, r]),
    );
    for (const inv of issued) {
      expect(audit.get(inv.id)).toMatchObject({
        number: inv.number,
        total: inv.total,
        customerId: inv.customer_id,
      });
      expect(outbox.has(inv.id)).toBe(true);
      expect(charges.get(inv.id)).toMatchObject({ customer_id: inv.customer_id, amount: inv.total });
    }
    expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invoices.issue'") - before.audit).toBe(
      run.created,
    );
    expect(
      count("SELECT COUNT(*) AS n FROM change_log WHERE entity = 'invoice' AND op = 'insert'") -
        before.outbox,
    ).toBe(run.created);

    const again = await t.ok('invoices.generate', {}, token);
    expect(again.created).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invoices.issue'") - before.audit).toBe(
      run.created,
    );
  });
});
