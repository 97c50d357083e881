/** Kysely view of the billing tables (migration 0004). */
export interface BillingSettingsTable {
  id: number;
  data: string;
  version: number;
  updated_at: number;
}

export interface PackagesTable {
  id: string;
  name: string;
  speed: string;
  price: number;
  ppp_profile: string;
  rate_limit: string;
  local_address: string;
  remote_pool: string;
  taxable: number;
  tax_inclusive: number;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface CustomersTable {
  id: string;
  code: string;
  name: string;
  phone: string | null;
  whatsapp_opt_out: number;
  nik: string | null;
  address: string;
  lat: number | null;
  lng: number | null;
  area: string;
  router_id: string | null;
  notes: string;
  status: 'active' | 'isolated' | 'inactive';
  isolation_exempt: number;
  promise_until: string | null;
  registered_on: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface SubscriptionsTable {
  id: string;
  customer_id: string;
  package_id: string;
  router_id: string;
  username: string;
  password_enc: string;
  remote_address: string;
  billing_day: number;
  discount: number;
  status: 'active' | 'isolated' | 'inactive';
  start_date: string;
  prorate_first: number;
  isolation_method: string | null;
  original_profile: string | null;
  isolated_at: number | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface NumberSeriesTable {
  series: string;
  last_seq: number;
}

export interface InvoicesTable {
  id: string;
  number: string;
  customer_id: string;
  subscription_id: string | null;
  period: string;
  period_start: string;
  period_end: string;
  issued_at: number;
  issue_date: string;
  due_date: string;
  description: string;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  paid: number;
  status: 'open' | 'partial' | 'paid' | 'void';
  overdue: number;
  voided_at: number | null;
  void_reason: string | null;
  credit_note_number: string | null;
  public_token: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface PaymentsTable {
  id: string;
  receipt_number: string;
  customer_id: string;
  amount: number;
  method: 'cash' | 'transfer';
  reference: string;
  note: string;
  paid_at: number;
  recorded_by_id: string | null;
  recorded_by_name: string;
  receipt_token: string;
  unallocated: number;
  reversed_at: number | null;
  reversed_by_name: string | null;
  reverse_reason: string | null;
  created_at: number;
  version: number;
}

export interface PaymentAllocationsTable {
  id: string;
  payment_id: string;
  invoice_id: string;
  amount: number;
  at: number;
}

export interface LedgerEntriesTable {
  id: string;
  customer_id: string;
  at: number;
  kind: 'charge' | 'payment' | 'credit' | 'reversal';
  amount: number;
  invoice_id: string | null;
  payment_id: string | null;
  memo: string;
}

export interface BillingRunsTable {
  id: string;
  job: string;
  started_at: number;
  finished_at: number | null;
  ok: number | null;
  result_json: string | null;
  error: string | null;
  trigger: string;
}

export interface BillingTables {
  billing_settings: BillingSettingsTable;
  packages: PackagesTable;
  customers: CustomersTable;
  subscriptions: SubscriptionsTable;
  number_series: NumberSeriesTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  ledger_entries: LedgerEntriesTable;
  billing_runs: BillingRunsTable;
}
