/** Kysely view of the vouchers tables (migration 0003). */
export type VoucherStatus = 'unused' | 'active' | 'expired' | 'disabled' | 'removed';
export type PushState = 'pending' | 'pushed' | 'failed';

export interface VoucherBatchesTable {
  id: string;
  code: string;
  router_id: string;
  profile: string;
  server: string;
  count: number;
  options_json: string;
  price_sell: number;
  price_cost: number;
  note: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: number;
  version: number;
}

export interface VouchersTable {
  id: string;
  batch_id: string | null;
  router_id: string;
  username: string;
  password: string;
  profile: string;
  server: string;
  price_sell: number;
  price_cost: number;
  validity_s: number;
  uptime_limit_s: number;
  quota_bytes: number;
  status: VoucherStatus;
  push_state: PushState;
  push_error: string | null;
  first_login_at: number | null;
  valid_until: number | null;
  uptime_s: number;
  bytes_total: number;
  last_mac: string | null;
  last_ip: string | null;
  source: 'rukun' | 'adopted' | 'mikhmon';
  note: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface VoucherSalesTable {
  id: string;
  voucher_id: string | null;
  router_id: string;
  username: string;
  profile: string;
  batch_id: string | null;
  at: number;
  office_date: string;
  price_sell: number;
  price_cost: number;
  source: 'callback' | 'poll' | 'mikhmon';
  created_at: number;
}

export interface VoucherRouterTokensTable {
  router_id: string;
  token_enc: string;
  token_sha256: string;
  created_at: number;
}

export interface VoucherPrintTemplatesTable {
  layout: string;
  template_json: string;
  updated_at: number;
  version: number;
}

export interface VouchersTables {
  voucher_print_templates: VoucherPrintTemplatesTable;
  voucher_batches: VoucherBatchesTable;
  vouchers: VouchersTable;
  voucher_sales: VoucherSalesTable;
  voucher_router_tokens: VoucherRouterTokensTable;
}
