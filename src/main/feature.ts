import type { AccountsService } from './auth/accounts';
import type { Deps } from './context';
import type { RouteRegistrar } from './http/server';
import type { SecretBox } from './lib/secrets';
import type { Handlers } from './rpc/dispatcher';
import type { SettingsService } from './settings/service';

/** What every feature is built from: the shared deps plus the foundation services. */
export interface FeatureBase extends Deps {
  secrets: SecretBox;
  settings: SettingsService;
  accounts: AccountsService;
  dataDir: string;
  headless: boolean;
  /** Base URL of the LAN listener (for links in receipts and router callbacks), once it listens. */
  lanUrl(): string | null;
}

/**
 * A feature (routers, vouchers, billing, WhatsApp, …): its contract handlers, the routes it adds to the LAN
 * listener, and the workers/schedulers it starts after the database is ready and stops before it closes.
 */
export interface Feature {
  name: string;
  handlers: Partial<Handlers>;
  routes?: RouteRegistrar;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}
