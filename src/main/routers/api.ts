/**
 * The public API of the routers feature, for the features built on it (vouchers, billing, isolation).
 *
 * The database holds the desired state; routers enforce it through durable jobs. A feature changes its own
 * rows and enqueues the router change in the SAME transaction, so either both commit or neither does; the
 * per-router worker then runs the job (now, or when the router comes back) exactly as often as needed to
 * reach the desired state — every operation is idempotent.
 */
import type { Actor } from '../context';
import type { Db, Trx } from '../db/database';
import type { RosRow, RouterConnection, RouterOsVersion } from '../routeros/index';
import type { JobState } from './schema';

export interface RouterInfo {
  id: string;
  name: string;
  location: string;
  host: string;
  port: number;
  tls: boolean;
  enabled: boolean;
  identity: string | null;
  /** Detected on connect from /system/resource; drives v6/v7 differences (date formats, `!empty`). */
  version: RouterOsVersion | null;
  online: boolean;
}

export interface OperationContext<P> {
  conn: RouterConnection;
  router: RouterInfo;
  payload: P;
  jobId: string;
}

/** An idempotent step: running it twice leaves the router as running it once would. */
export type OperationRun<P> = (ctx: OperationContext<P>) => Promise<unknown>;

export interface JobInput {
  routerId: string;
  operation: string;
  payload: unknown;
  /**
   * Jobs with the same key on a router run strictly in order. Defaults: `menu.*` jobs use `<menu>|<match>`,
   * kicks use the session name; other jobs without a key run concurrently.
   */
  key?: string;
  /** Groups jobs for progress (e.g. a voucher batch). */
  batchId?: string;
}

export interface FinishedJob {
  id: string;
  routerId: string;
  operation: string;
  payload: unknown;
  key: string | null;
  batchId: string | null;
  state: Extract<JobState, 'done' | 'failed' | 'cancelled'>;
  result: unknown;
  lastError: string | null;
}

export interface BatchProgress {
  batchId: string;
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  pending: number;
}

/** Payloads of the built-in operations. */
export interface MenuUpsertPayload {
  /** e.g. `/ip/hotspot/user` */
  menu: string;
  /** Identifies the row, e.g. `{ name: 'KX7P2M' }`. */
  match: Record<string, string>;
  values: Record<string, string>;
}
export interface MenuRemovePayload {
  menu: string;
  match: Record<string, string>;
}
export interface MenuSetPayload {
  menu: string;
  match: Record<string, string>;
  values: Record<string, string>;
  /** Absent row = success instead of a failed job. */
  ifExists?: boolean;
}
export interface PppKickPayload {
  name: string;
}
export interface HotspotKickPayload {
  user: string;
}
export interface ScriptRunPayload {
  /** Name of a /system/script to run. */
  name: string;
}

/** A desired-state provider for the reconciler: what one router menu should contain. */
export interface DesiredStateProvider {
  /** e.g. `/ip/hotspot/user` */
  menu: string;
  /** Short label for the UI, e.g. "Pengguna hotspot". */
  label?: string;
  /** Key property, e.g. `name`. */
  key: string;
  /** Is a row on the router one Rukun manages (so an extra one may be removed)? e.g. comment starts with VOUCHER_SYSTEM. */
  managed(row: RosRow): boolean;
  /** Compared properties (router names, e.g. `profile`, `rate-limit`). */
  fields: readonly string[];
  /** Key → desired values of `fields` (a field left out is not compared). */
  desired(routerId: string): Promise<Map<string, Record<string, string>>>;
  /** Keys Rukun knows (adopted) but does not enforce: never reported as extra. */
  known?(routerId: string): Promise<Set<string>>;
  /**
   * The job that pushes one desired row (missing or different). Default: `menu.upsert` with the desired values.
   * Providers whose values hold secrets return an operation that reads them from the database at run time.
   */
  pushJob?(key: string, values: Record<string, string>): { operation: string; payload: unknown };
  /** Take rows that exist only on the router into the database; returns how many were adopted. */
  adopt?(routerId: string, rows: RosRow[], actor: Actor): Promise<number>;
}

export interface PppSecretInput {
  routerId: string;
  name: string;
  password: string;
  profile: string;
  service?: string;
  remoteAddress?: string;
  disabled?: boolean;
  comment?: string;
  subscriptionId?: string | null;
}

/** A PPP secret as Rukun keeps it (the password stays encrypted; ask `password(id)` when you must show it). */
export interface PppSecretView {
  id: string;
  routerId: string;
  name: string;
  profile: string;
  service: string;
  remoteAddress: string;
  disabled: boolean;
  comment: string;
  subscriptionId: string | null;
  adopted: boolean;
  version: number;
}

export interface PppSecretsApi {
  /** Create or update the secret (by router + name) and enqueue `menu.upsert` on /ppp/secret. */
  upsert(trx: Trx, actor: Actor, input: PppSecretInput): Promise<PppSecretView>;
  setProfile(trx: Trx, actor: Actor, routerId: string, name: string, profile: string): Promise<PppSecretView>;
  setDisabled(
    trx: Trx,
    actor: Actor,
    routerId: string,
    name: string,
    disabled: boolean,
  ): Promise<PppSecretView>;
  /**
   * Link (or unlink) an adopted secret to a subscription; no router change. `desiredProfile` records the profile
   * Rukun wants for it WITHOUT pushing it: a different one on the router is then reported as drift, not changed.
   */
  link(
    trx: Trx,
    actor: Actor,
    routerId: string,
    name: string,
    subscriptionId: string | null,
    desiredProfile?: string,
  ): Promise<PppSecretView>;
  /** Remove from Rukun and enqueue `menu.remove` (and a `ppp.kick` so the session ends too). */
  remove(trx: Trx, actor: Actor, routerId: string, name: string): Promise<void>;
  get(routerId: string, name: string, trx?: Db | Trx): Promise<PppSecretView | null>;
  list(filter?: { routerId?: string; subscriptionId?: string; unlinked?: boolean }): Promise<PppSecretView[]>;
  /** Decrypted password (for showing to a technician); never put it in audit entries. */
  password(routerId: string, name: string): Promise<string | null>;
}

export interface HotspotProfileInput {
  routerId: string;
  name: string;
  rateLimit?: string;
  sharedUsers?: number;
  comment?: string;
  /** Managed by Rukun (its comment carries VOUCHER_SYSTEM). Default true. */
  managed?: boolean;
  /** Extra properties pushed to the router with the profile (e.g. `on-login`), not stored here. */
  extra?: Record<string, string>;
  meta?: Record<string, unknown>;
}

export interface HotspotProfileView {
  id: string;
  routerId: string;
  name: string;
  rateLimit: string;
  sharedUsers: number;
  comment: string;
  managed: boolean;
  meta: Record<string, unknown>;
  version: number;
}

export interface PppProfileInput {
  routerId: string;
  name: string;
  rateLimit?: string;
  localAddress?: string;
  remoteAddress?: string;
  comment?: string;
  managed?: boolean;
  extra?: Record<string, string>;
}

export interface PppProfileView {
  id: string;
  routerId: string;
  name: string;
  rateLimit: string;
  localAddress: string;
  remoteAddress: string;
  comment: string;
  managed: boolean;
  version: number;
}

export interface ProfilesApi {
  hotspot: {
    upsert(trx: Trx, actor: Actor, input: HotspotProfileInput): Promise<HotspotProfileView>;
    remove(trx: Trx, actor: Actor, routerId: string, name: string): Promise<void>;
    list(routerId?: string): Promise<HotspotProfileView[]>;
    setMeta(
      trx: Trx,
      actor: Actor,
      routerId: string,
      name: string,
      meta: Record<string, unknown>,
    ): Promise<HotspotProfileView>;
  };
  ppp: {
    upsert(trx: Trx, actor: Actor, input: PppProfileInput): Promise<PppProfileView>;
    remove(trx: Trx, actor: Actor, routerId: string, name: string): Promise<void>;
    list(routerId?: string): Promise<PppProfileView[]>;
  };
}

export interface RoutersApi {
  list(): Promise<RouterInfo[]>;
  /** NOT_FOUND when unknown. */
  get(id: string): Promise<RouterInfo>;
  /** The router's kept-alive connection (for reads: print, listen). Started while the router is enabled. */
  connection(routerId: string): RouterConnection;
  /** Register an idempotent operation run by the per-router worker. Register at build time, before start. */
  registerOperation<P>(name: string, run: OperationRun<P>, opts?: { readsCurrentState?: boolean }): void;
  /** A durable job in the caller's transaction (or directly on the db): returns the job id. */
  enqueue(trx: Db | Trx, job: JobInput): Promise<string>;
  /** Bulk form (10,000 vouchers): one prepared statement, inside the caller's transaction when it is one. */
  enqueueMany(trx: Db | Trx, jobs: readonly JobInput[]): Promise<string[]>;
  /** Called once per job reaching done / failed / cancelled. Returns an unsubscribe function. */
  onJobFinished(listener: (job: FinishedJob) => void): () => void;
  /** Counts per state; `routerJobs.progress` events carry the same figures while a batch runs. */
  batchProgress(batchId: string): Promise<BatchProgress>;
  /** Resolves when every job of the batch has finished (done, failed or cancelled). */
  waitForBatch(batchId: string): Promise<BatchProgress>;
  /** Wake the router's worker (e.g. after enqueueing outside a contract call); cheap and idempotent. */
  poke(routerId?: string): void;
  /** Register what one router menu should contain, for the reconciler. */
  registerDesiredState(provider: DesiredStateProvider): void;
  /** Called whenever a router comes online (after its version is known). */
  onRouterOnline(listener: (router: RouterInfo) => void): () => void;
  pppSecrets: PppSecretsApi;
  profiles: ProfilesApi;
}

/** Comment markers of the profiles Rukun manages. */
export const VOUCHER_MARKER = 'VOUCHER_SYSTEM';
export const PPPOE_MARKER = 'PPPOE_SYSTEM';
