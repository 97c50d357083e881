import type { Generated } from 'kysely';
import type { BillingTables } from '../billing/schema';
import type { RoutersTables } from '../routers/schema';
import type { VouchersTables } from '../vouchers/schema';
import type { WhatsappTables } from '../whatsapp/schema';

/** Kysely view of the tables. Column names are snake_case as in the migrations. */
export interface UsersTable {
  id: string;
  username: string;
  full_name: string;
  role: 'owner' | 'admin' | 'cashier' | 'technician';
  phone: string | null;
  password_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  via: string;
  ip: string | null;
}

export interface OfficeSettingsTable {
  id: number;
  data: string;
  logo_asset_id: string | null;
  version: number;
  updated_at: number;
}

export interface AssetsTable {
  id: string;
  kind: string;
  mime: string;
  bytes: Buffer;
  sha256: string;
  created_at: number;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  via: string | null;
}

export interface ChangeLogTable {
  seq: Generated<number>;
  at: number;
  entity: string;
  entity_id: string;
  op: 'insert' | 'update' | 'delete';
  data_json: string | null;
}

export interface DB extends RoutersTables, VouchersTables, BillingTables, WhatsappTables {
  users: UsersTable;
  sessions: SessionsTable;
  office_settings: OfficeSettingsTable;
  assets: AssetsTable;
  audit_log: AuditLogTable;
  change_log: ChangeLogTable;
}
