import type { Migration } from './types';

/**
 * Indexes that let every long list read its page straight from an index, in its final order, without sorting
 * the whole table first (tests/billing/query-plans.test.ts checks the plans).
 *
 * - Each list has a deterministic order whose last term is unique (invoice number, customer code, voucher
 *   username, audit id, payment rowid), and the index carries it: a run issues a month's invoices at one
 *   instant, so `ORDER BY issued_at DESC` alone left 20,000 ties for a temporary B-tree to sort on every page.
 * - The invoice status filters get partial indexes: `unpaid` is `status IN ('open','partial')`, which no
 *   (status, …) index can return in issued order. Paid and void invoices enter theirs when they change, so an
 *   invoice run writes only the unpaid ones (and no more indexes than before: (status, due_date) becomes the
 *   partial unpaid (due_date)).
 * - Prefix search on voucher codes, MAC and IP addresses uses NOCASE indexes (LIKE is case-insensitive); the
 *   MAC/IP ones are partial, so a batch of fresh vouchers (no MAC yet) does not write them.
 */
export const m0009: Migration = {
  version: 9,
  name: 'indexes for list orders, status filters and search',
  up(db) {
    db.exec(`
      DROP INDEX invoices_issued;
      CREATE INDEX invoices_issued ON invoices(issued_at, number);
      DROP INDEX invoices_period;
      CREATE INDEX invoices_period ON invoices(period, issued_at, number);
      DROP INDEX invoices_customer;
      CREATE INDEX invoices_customer ON invoices(customer_id, issued_at, number);
      CREATE INDEX invoices_unpaid ON invoices(issued_at, number) WHERE status IN ('open','partial');
      -- Reminders, overdue marking and isolation look for unpaid invoices by due date; (status, due_date) also
      -- drew the planner to it for the list's status filters (then sorting them all).
      DROP INDEX invoices_status_due;
      CREATE INDEX invoices_unpaid_due ON invoices(due_date) WHERE status IN ('open','partial');
      CREATE INDEX invoices_paid ON invoices(issued_at, number) WHERE status = 'paid';
      CREATE INDEX invoices_void ON invoices(issued_at, number) WHERE status = 'void';

      DROP INDEX customers_name;
      CREATE INDEX customers_name ON customers(name COLLATE NOCASE, code);
      DROP INDEX customers_status;
      CREATE INDEX customers_status ON customers(status, name COLLATE NOCASE, code);
      DROP INDEX customers_area;
      CREATE INDEX customers_area ON customers(area COLLATE NOCASE, name COLLATE NOCASE, code);
      DROP INDEX customers_router;
      CREATE INDEX customers_router ON customers(router_id, name COLLATE NOCASE, code);
      DROP INDEX customers_created;
      CREATE INDEX customers_created ON customers(created_at, code);

      -- Ascending, so a backward walk gives paid_at DESC with the newest rowid first (the list's order).
      DROP INDEX payments_paid_at;
      CREATE INDEX payments_paid_at ON payments(paid_at);

      DROP INDEX vouchers_created;
      CREATE INDEX vouchers_created ON vouchers(created_at DESC, username);
      DROP INDEX vouchers_status;
      CREATE INDEX vouchers_status ON vouchers(status, created_at DESC, username);
      DROP INDEX vouchers_profile;
      CREATE INDEX vouchers_profile ON vouchers(profile, created_at DESC, username);
      DROP INDEX vouchers_batch;
      CREATE INDEX vouchers_batch ON vouchers(batch_id, created_at DESC, username);
      CREATE INDEX vouchers_router_created ON vouchers(router_id, created_at DESC, username);
      CREATE INDEX vouchers_username_nocase ON vouchers(username COLLATE NOCASE);
      CREATE INDEX vouchers_mac ON vouchers(last_mac COLLATE NOCASE) WHERE last_mac IS NOT NULL;
      CREATE INDEX vouchers_ip ON vouchers(last_ip COLLATE NOCASE) WHERE last_ip IS NOT NULL;

      DROP INDEX audit_at;
      CREATE INDEX audit_at ON audit_log(at, id);
      DROP INDEX audit_action;
      CREATE INDEX audit_action ON audit_log(action, at, id);
    `);
  },
};
