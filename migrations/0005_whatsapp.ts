import type { Migration } from './types';

export const m0005: Migration = {
  version: 5,
  name: 'whatsapp: session, encrypted auth state, settings, templates, durable message queue and attempts',
  up(db) {
    db.exec(`
      -- One linked WhatsApp number per office. Status mirrors the live connection for screens and restarts.
      CREATE TABLE wa_session (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        status TEXT NOT NULL DEFAULT 'disconnected',
        reason TEXT,
        phone TEXT,
        linked_at INTEGER,
        last_connected_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Baileys auth state (creds + signal keys), every value sealed with the SecretBox (AES-256-GCM).
      CREATE TABLE wa_auth (
        category TEXT NOT NULL,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (category, key_id)
      ) STRICT, WITHOUT ROWID;

      -- Pacing, triggers and alert settings as validated JSON with a version (optimistic locking).
      CREATE TABLE wa_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        data TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Edited templates; a kind without a row uses the built-in Indonesian default.
      CREATE TABLE wa_templates (
        kind TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
        version INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- The durable queue and the message log in one table: a row is a message from enqueue to its end state.
      CREATE TABLE wa_messages (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        priority INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','sending','sent','failed','cancelled','unknown')),
        customer_id TEXT,
        customer_name TEXT,
        invoice_id TEXT,
        phone TEXT NOT NULL,
        body TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        last_error TEXT,
        wait_connection INTEGER NOT NULL DEFAULT 0,
        wa_id TEXT NOT NULL,
        ack INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER,
        dedupe_key TEXT UNIQUE,
        batch_id TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      -- The worker's pick: pending by priority then due time.
      CREATE INDEX wa_messages_due ON wa_messages(status, priority, due_at);
      CREATE INDEX wa_messages_created ON wa_messages(created_at DESC);
      CREATE INDEX wa_messages_status_created ON wa_messages(status, created_at DESC);
      CREATE INDEX wa_messages_customer ON wa_messages(customer_id, created_at DESC);
      CREATE INDEX wa_messages_sent ON wa_messages(sent_at) WHERE sent_at IS NOT NULL;
      CREATE INDEX wa_messages_wa_id ON wa_messages(wa_id);

      -- Every send attempt, for the log screen and the failure alert.
      CREATE TABLE wa_attempts (
        id TEXT PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES wa_messages(id),
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('sent','failed','unknown')),
        error TEXT
      ) STRICT;
      CREATE INDEX wa_attempts_message ON wa_attempts(message_id, at);
      CREATE INDEX wa_attempts_at ON wa_attempts(at DESC);
    `);
  },
};
