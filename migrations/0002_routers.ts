import type { Migration } from './types';

/**
 * Routers, their durable job queue, and the desired state Rukun keeps for them (hotspot/PPP profiles and
 * PPP secrets). The router enforces this state; the reconciler compares it with what the router holds.
 */
export const m0002: Migration = {
  version: 2,
  name: 'routers: routers, router jobs, hotspot/ppp profiles, ppp secrets',
  up(db) {
    db.exec(`
      CREATE TABLE routers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        location TEXT NOT NULL DEFAULT '',
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        tls INTEGER NOT NULL DEFAULT 0 CHECK (tls IN (0,1)),
        username TEXT NOT NULL,
        password_enc TEXT NOT NULL,
        identity TEXT,
        version_text TEXT,
        board TEXT,
        last_seen_at INTEGER,
        last_error TEXT,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      -- seq orders jobs (same key strictly in order); id stays the public UUID.
      CREATE TABLE router_jobs (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        router_id TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        operation TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        key TEXT,
        batch_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending','running','done','failed','cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER,
        result_json TEXT
      ) STRICT;
      CREATE INDEX router_jobs_queue ON router_jobs(router_id, state, seq);
      CREATE INDEX router_jobs_state ON router_jobs(state, seq);
      CREATE INDEX router_jobs_batch ON router_jobs(batch_id, state) WHERE batch_id IS NOT NULL;

      CREATE TABLE hotspot_profiles (
        id TEXT PRIMARY KEY,
        router_id TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        rate_limit TEXT NOT NULL DEFAULT '',
        shared_users INTEGER NOT NULL DEFAULT 1,
        comment TEXT NOT NULL DEFAULT '',
        managed INTEGER NOT NULL DEFAULT 0 CHECK (managed IN (0,1)),
        meta_json TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (router_id, name)
      ) STRICT;

      CREATE TABLE ppp_profiles (
        id TEXT PRIMARY KEY,
        router_id TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        rate_limit TEXT NOT NULL DEFAULT '',
        local_address TEXT NOT NULL DEFAULT '',
        remote_address TEXT NOT NULL DEFAULT '',
        comment TEXT NOT NULL DEFAULT '',
        managed INTEGER NOT NULL DEFAULT 0 CHECK (managed IN (0,1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (router_id, name)
      ) STRICT;

      CREATE TABLE ppp_secrets (
        id TEXT PRIMARY KEY,
        router_id TEXT NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        password_enc TEXT NOT NULL,
        profile TEXT NOT NULL,
        service TEXT NOT NULL DEFAULT 'pppoe',
        remote_address TEXT NOT NULL DEFAULT '',
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
        comment TEXT NOT NULL DEFAULT '',
        subscription_id TEXT,
        adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0,1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (router_id, name)
      ) STRICT;
      CREATE INDEX ppp_secrets_subscription ON ppp_secrets(subscription_id) WHERE subscription_id IS NOT NULL;
    `);
  },
};
