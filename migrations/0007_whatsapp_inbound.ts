import type { Migration } from './types';

export const m0007: Migration = {
  version: 7,
  name: 'whatsapp: incoming messages (inbox) and reply-based opt-out/opt-in',
  up(db) {
    db.exec(`
      -- Messages customers send to the office number. WhatsApp may deliver a message more than once (after a
      -- reconnect): the unique message id stores it, and acts on it, once.
      CREATE TABLE wa_inbound (
        id TEXT PRIMARY KEY,
        wa_message_id TEXT NOT NULL UNIQUE,
        phone TEXT NOT NULL,
        push_name TEXT,
        -- Matched by the customer's normalised number when the message arrived; null for an unknown number.
        customer_id TEXT,
        customer_name TEXT,
        text TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        -- What Rukun did with it: opted the customer out / back in, or nothing (null).
        action TEXT CHECK (action IN ('opt_out','opt_in')),
        cancelled_messages INTEGER NOT NULL DEFAULT 0,
        -- The confirmation queued in reply (wa_messages.id).
        reply_message_id TEXT,
        read_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX wa_inbound_received ON wa_inbound(received_at DESC);
      CREATE INDEX wa_inbound_customer ON wa_inbound(customer_id, received_at DESC);
      CREATE INDEX wa_inbound_unread ON wa_inbound(created_at) WHERE read_at IS NULL;
    `);
  },
};
