/** Kysely view of the routers tables (migration 0002). */
export interface RoutersTable {
  id: string;
  name: string;
  location: string;
  host: string;
  port: number;
  tls: number;
  username: string;
  password_enc: string;
  identity: string | null;
  version_text: string | null;
  board: string | null;
  last_seen_at: number | null;
  last_error: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
  version: number;
  /** Migration 0006: the router's automatic reconcile. */
  reconcile_interval_min: number;
  reconcile_missing: 'push' | 'report';
  reconcile_different: 'fix' | 'report';
  reconcile_extra: 'report' | 'disable' | 'remove';
  /** ReconcileOutcome as JSON, or null before the first run. */
  reconcile_last_json: string | null;
  /** Migration 0008: API-SSL trust. */
  tls_mode: 'pinned' | 'anonymous-dh';
  /** Pinned SHA-256 fingerprint of the router's certificate; null until first seen. */
  tls_fingerprint: string | null;
  /** A different certificate the router presented and was refused for; null when none is waiting. */
  tls_offered_fingerprint: string | null;
}

export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RouterJobsTable {
  id: string;
  seq: number;
  router_id: string;
  operation: string;
  payload_json: string;
  key: string | null;
  batch_id: string | null;
  state: JobState;
  attempts: number;
  next_try_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  result_json: string | null;
}

export interface HotspotProfilesTable {
  id: string;
  router_id: string;
  name: string;
  rate_limit: string;
  shared_users: number;
  comment: string;
  managed: number;
  /** Other features' per-profile settings (vouchers: validity, prices, expiry policy...). */
  meta_json: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface PppProfilesTable {
  id: string;
  router_id: string;
  name: string;
  rate_limit: string;
  local_address: string;
  remote_address: string;
  comment: string;
  managed: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface PppSecretsTable {
  id: string;
  router_id: string;
  name: string;
  password_enc: string;
  profile: string;
  service: string;
  remote_address: string;
  disabled: number;
  comment: string;
  subscription_id: string | null;
  adopted: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface RoutersTables {
  routers: RoutersTable;
  router_jobs: RouterJobsTable;
  hotspot_profiles: HotspotProfilesTable;
  ppp_profiles: PppProfilesTable;
  ppp_secrets: PppSecretsTable;
}
