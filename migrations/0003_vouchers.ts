import type { Migration } from './types';

/**
 * Hotspot vouchers: batches, vouchers (one row per code on one router), sales (one per voucher, at its first
 * login) and the per-router token that authenticates the routers' on-login callbacks.
 * Per-profile voucher settings (validity, prices, expiry policy) live in hotspot_profiles.meta_json (0002).
 */
export const m0003: Migration = {
  version: 3,
  name: 'vouchers: batches, vouchers, sales, print templates, router callback tokens',
  up(db) {
    db.exec(`
      CREATE TABLE voucher_batches (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        router_id TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        server TEXT NOT NULL DEFAULT 'all',
        count INTEGER NOT NULL CHECK (count BETWEEN 1 AND 10000),
        options_json TEXT NOT NULL,
        price_sell INTEGER NOT NULL DEFAULT 0,
        price_cost INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        created_by TEXT,
        created_by_name TEXT,
        created_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX voucher_batches_created ON voucher_batches(created_at DESC);
      CREATE INDEX voucher_batches_router ON voucher_batches(router_id, created_at DESC);

      CREATE TABLE vouchers (
        id TEXT PRIMARY KEY,
        batch_id TEXT REFERENCES voucher_batches(id) ON DELETE SET NULL,
        router_id TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        password TEXT NOT NULL,
        profile TEXT NOT NULL,
        server TEXT NOT NULL DEFAULT 'all',
        price_sell INTEGER NOT NULL DEFAULT 0,
        price_cost INTEGER NOT NULL DEFAULT 0,
        validity_s INTEGER NOT NULL DEFAULT 0,
        uptime_limit_s INTEGER NOT NULL DEFAULT 0,
        quota_bytes INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('unused','active','expired','disabled','removed')),
        push_state TEXT NOT NULL CHECK (push_state IN ('pending','pushed','failed')),
        push_error TEXT,
        first_login_at INTEGER,
        valid_until INTEGER,
        uptime_s INTEGER NOT NULL DEFAULT 0,
        bytes_total INTEGER NOT NULL DEFAULT 0,
        last_mac TEXT,
        last_ip TEXT,
        source TEXT NOT NULL DEFAULT 'rukun' CHECK (source IN ('rukun','adopted','mikhmon')),
        note TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE UNIQUE INDEX vouchers_router_username ON vouchers(router_id, username);
      CREATE INDEX vouchers_username ON vouchers(username);
      CREATE INDEX vouchers_batch ON vouchers(batch_id, username);
      CREATE INDEX vouchers_status ON vouchers(status, created_at DESC);
      CREATE INDEX vouchers_router_status ON vouchers(router_id, status);
      CREATE INDEX vouchers_profile ON vouchers(profile, created_at DESC);
      CREATE INDEX vouchers_created ON vouchers(created_at DESC);
      CREATE INDEX vouchers_push ON vouchers(batch_id, push_state);

      CREATE TABLE voucher_sales (
        id TEXT PRIMARY KEY,
        voucher_id TEXT UNIQUE REFERENCES vouchers(id) ON DELETE SET NULL,
        router_id TEXT NOT NULL,
        username TEXT NOT NULL,
        profile TEXT NOT NULL,
        batch_id TEXT,
        at INTEGER NOT NULL,
        office_date TEXT NOT NULL,
        price_sell INTEGER NOT NULL,
        price_cost INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('callback','poll','mikhmon')),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX voucher_sales_date ON voucher_sales(office_date, router_id, profile);
      CREATE INDEX voucher_sales_router ON voucher_sales(router_id, office_date);
      CREATE UNIQUE INDEX voucher_sales_mikhmon ON voucher_sales(router_id, username, at) WHERE voucher_id IS NULL;

      -- The office's edited print template per layout (absent = the built-in one). Data, never code.
      CREATE TABLE voucher_print_templates (
        layout TEXT PRIMARY KEY CHECK (layout IN ('a4-compact','a4-cards','thermal-58','thermal-80')),
        template_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE TABLE voucher_router_tokens (
        router_id TEXT PRIMARY KEY REFERENCES routers(id) ON DELETE CASCADE,
        token_enc TEXT NOT NULL,
        token_sha256 TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
