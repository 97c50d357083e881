import type { Migration } from './types';

export const m0004: Migration = {
  version: 4,
  name: 'billing: packages, customers, subscriptions, invoices, ledger, payments, schedules',
  up(db) {
    db.exec(`
      -- One row: billing settings as validated JSON (patterns, grace, isolation policy, receipt toggles).
      CREATE TABLE billing_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        data TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE packages (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        speed TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        ppp_profile TEXT NOT NULL,
        rate_limit TEXT NOT NULL DEFAULT '',
        local_address TEXT NOT NULL DEFAULT '',
        remote_pool TEXT NOT NULL DEFAULT '',
        taxable INTEGER NOT NULL DEFAULT 0 CHECK (taxable IN (0,1)),
        tax_inclusive INTEGER NOT NULL DEFAULT 1 CHECK (tax_inclusive IN (0,1)),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        phone TEXT,
        whatsapp_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (whatsapp_opt_out IN (0,1)),
        nik TEXT,
        address TEXT NOT NULL DEFAULT '',
        lat REAL,
        lng REAL,
        area TEXT NOT NULL DEFAULT '',
        router_id TEXT,
        notes TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','isolated','inactive')),
        isolation_exempt INTEGER NOT NULL DEFAULT 0 CHECK (isolation_exempt IN (0,1)),
        promise_until TEXT,
        registered_on TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
      CREATE INDEX customers_phone ON customers(phone);
      CREATE INDEX customers_status ON customers(status, name COLLATE NOCASE);
      CREATE INDEX customers_area ON customers(area COLLATE NOCASE, name COLLATE NOCASE);
      CREATE INDEX customers_router ON customers(router_id);
      CREATE INDEX customers_created ON customers(created_at DESC);

      -- Word-prefix search over 50,000 customers (name, code, address, phone).
      CREATE VIRTUAL TABLE customers_fts USING fts5(
        name, code, phone, address, area, content='customers', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
        INSERT INTO customers_fts(rowid, name, code, phone, address, area) VALUES (new.rowid, new.name, new.code, new.phone, new.address, new.area);
      END;
      CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
        INSERT INTO customers_fts(customers_fts, rowid, name, code, phone, address, area) VALUES ('delete', old.rowid, old.name, old.code, old.phone, old.address, old.area);
      END;
      CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, code, phone, address, area ON customers BEGIN
        INSERT INTO customers_fts(customers_fts, rowid, name, code, phone, address, area) VALUES ('delete', old.rowid, old.name, old.code, old.phone, old.address, old.area);
        INSERT INTO customers_fts(rowid, name, code, phone, address, area) VALUES (new.rowid, new.name, new.code, new.phone, new.address, new.area);
      END;

      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        package_id TEXT NOT NULL REFERENCES packages(id),
        router_id TEXT NOT NULL,
        username TEXT NOT NULL,
        password_enc TEXT NOT NULL,
        remote_address TEXT NOT NULL DEFAULT '',
        billing_day INTEGER NOT NULL CHECK (billing_day BETWEEN 1 AND 28),
        discount INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','isolated','inactive')),
        start_date TEXT NOT NULL,
        prorate_first INTEGER NOT NULL DEFAULT 0,
        -- Isolation memory: the method used and the profile to restore.
        isolation_method TEXT,
        original_profile TEXT,
        isolated_at INTEGER,
        disabled_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (router_id, username)
      ) STRICT;
      CREATE INDEX subscriptions_customer ON subscriptions(customer_id);
      CREATE INDEX subscriptions_package ON subscriptions(package_id);
      CREATE INDEX subscriptions_status ON subscriptions(status, billing_day);

      -- Gapless counters per number series (INV/2026/11/{#}); bumped in the same transaction as the row.
      CREATE TABLE number_series (
        series TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE invoices (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        subscription_id TEXT REFERENCES subscriptions(id),
        period TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        issue_date TEXT NOT NULL,
        due_date TEXT NOT NULL,
        description TEXT NOT NULL,
        subtotal INTEGER NOT NULL,
        discount INTEGER NOT NULL DEFAULT 0,
        tax INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL,
        -- Sum of payment allocations, kept in the same transaction as them (the ledger stays the truth).
        paid INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','partial','paid','void')),
        overdue INTEGER NOT NULL DEFAULT 0,
        voided_at INTEGER,
        void_reason TEXT,
        credit_note_number TEXT UNIQUE,
        public_token TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      -- One invoice per subscription per period: a double run cannot double-bill.
      CREATE UNIQUE INDEX invoices_subscription_period ON invoices(subscription_id, period) WHERE subscription_id IS NOT NULL;
      CREATE INDEX invoices_customer ON invoices(customer_id, issued_at);
      CREATE INDEX invoices_status_due ON invoices(status, due_date);
      CREATE INDEX invoices_period ON invoices(period, status);
      CREATE INDEX invoices_issued ON invoices(issued_at DESC);

      CREATE TABLE payments (
        id TEXT PRIMARY KEY,
        receipt_number TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        amount INTEGER NOT NULL CHECK (amount > 0),
        method TEXT NOT NULL CHECK (method IN ('cash','transfer')),
        reference TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        paid_at INTEGER NOT NULL,
        recorded_by_id TEXT,
        recorded_by_name TEXT NOT NULL,
        receipt_token TEXT NOT NULL UNIQUE,
        -- Part of the payment not yet allocated to an invoice (credit), kept with the allocations.
        unallocated INTEGER NOT NULL DEFAULT 0,
        reversed_at INTEGER,
        reversed_by_name TEXT,
        reverse_reason TEXT,
        created_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX payments_customer ON payments(customer_id, paid_at);
      CREATE INDEX payments_paid_at ON payments(paid_at DESC);
      CREATE INDEX payments_credit ON payments(customer_id, paid_at) WHERE unallocated > 0;

      -- Append-only: a reversal or a void adds negative rows.
      CREATE TABLE payment_allocations (
        id TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL REFERENCES payments(id),
        invoice_id TEXT NOT NULL REFERENCES invoices(id),
        amount INTEGER NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX allocations_payment ON payment_allocations(payment_id);
      CREATE INDEX allocations_invoice ON payment_allocations(invoice_id);

      -- The source of truth for balances. Signed: charge > 0 (owed); payment, credit < 0; a reversal undoes one.
      CREATE TABLE ledger_entries (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('charge','payment','credit','reversal')),
        amount INTEGER NOT NULL,
        invoice_id TEXT,
        payment_id TEXT,
        memo TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX ledger_customer ON ledger_entries(customer_id, at, amount);

      -- Every scheduled (or manually started) run: visible in the UI, safe to run twice.
      CREATE TABLE billing_runs (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        ok INTEGER,
        result_json TEXT,
        error TEXT,
        trigger TEXT NOT NULL
      ) STRICT;
      CREATE INDEX billing_runs_job ON billing_runs(job, started_at DESC);
    `);
  },
};
