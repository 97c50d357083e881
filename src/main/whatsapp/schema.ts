/** Kysely view of the WhatsApp tables (migrations/0005_whatsapp.ts, 0007_whatsapp_inbound.ts). */
export interface WaSessionTable {
  id: number;
  status: string;
  reason: string | null;
  phone: string | null;
  linked_at: number | null;
  last_connected_at: number | null;
  updated_at: number;
}

export interface WaAuthTable {
  category: string;
  key_id: string;
  sealed: string;
  updated_at: number;
}

export interface WaSettingsTable {
  id: number;
  data: string;
  version: number;
  updated_at: number;
}

export interface WaTemplatesTable {
  kind: string;
  body: string;
  enabled: number;
  version: number;
  updated_at: number;
}

export interface WaMessagesTable {
  id: string;
  kind: string;
  priority: number;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'unknown';
  customer_id: string | null;
  customer_name: string | null;
  invoice_id: string | null;
  phone: string;
  body: string;
  due_at: number;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  wait_connection: number;
  wa_id: string;
  ack: number;
  sent_at: number | null;
  dedupe_key: string | null;
  batch_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface WaAttemptsTable {
  id: string;
  message_id: string;
  at: number;
  outcome: 'sent' | 'failed' | 'unknown';
  error: string | null;
}

export interface WaInboundTable {
  id: string;
  wa_message_id: string;
  phone: string;
  push_name: string | null;
  customer_id: string | null;
  customer_name: string | null;
  text: string;
  received_at: number;
  action: 'opt_out' | 'opt_in' | null;
  cancelled_messages: number;
  reply_message_id: string | null;
  read_at: number | null;
  created_at: number;
}

export interface WhatsappTables {
  wa_session: WaSessionTable;
  wa_auth: WaAuthTable;
  wa_settings: WaSettingsTable;
  wa_templates: WaTemplatesTable;
  wa_messages: WaMessagesTable;
  wa_attempts: WaAttemptsTable;
  wa_inbound: WaInboundTable;
}
