/**
 * One kept-alive connection per router: connects, logs in, reconnects with exponential backoff and jitter when
 * the connection is lost, and probes an idle connection with a cheap command so a silently dead peer (NAT
 * timeout, router rebooted behind a switch) is noticed in seconds, not when the next voucher batch hangs.
 *
 * Callers use `call()` like the client's: while connecting it waits for the router (up to the call's timeout);
 * while offline it fails at once with ConnectionClosedError, so job workers back off instead of piling up.
 */
import { EventEmitter } from 'node:events';

import {
  type CallOptions,
  type CallResult,
  type ListenHandle,
  type ListenOptions,
  type RosParams,
  type RosRow,
  RouterOsClient,
  type RouterOsClientOptions,
} from './client.js';
import { ConnectionClosedError, TimeoutError } from './errors.js';

export type ConnectionState = 'stopped' | 'connecting' | 'online' | 'offline';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Why the last attempt failed or the connection was lost; kept while reconnecting. */
  lastError: Error | undefined;
  /** Consecutive failed attempts (or sessions lost before they were stable) since the last stable session. */
  attempt: number;
  /** When offline: epoch ms of the next attempt. */
  nextRetryAt: number | undefined;
  /** When offline: the backoff delay chosen before the next attempt. */
  retryDelayMs: number | undefined;
  /** Epoch ms when this state was entered. */
  since: number;
}

export interface BackoffOptions {
  /** First retry delay. Default 1,000 ms. */
  initialMs?: number;
  /** Ceiling. Default 60,000 ms. */
  maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** Fraction of the delay randomly taken off (0..1), so a restarted office PC's routers do not retry in lockstep. Default 0.3. */
  jitter?: number;
  /**
   * A connection must stay up this long before the delays start over. A router that lets us log in and drops
   * us at once is failing, not recovering: without this it would be hammered with a login every `initialMs`.
   * Default 10,000 ms.
   */
  stableMs?: number;
}

export interface RouterConnectionOptions extends RouterOsClientOptions {
  backoff?: BackoffOptions;
  /** Probe a connection that received nothing for this long. Default 30,000 ms; 0 disables. */
  keepAliveIntervalMs?: number;
  /** A probe not answered within this time marks the connection dead. Default 10,000 ms. */
  keepAliveTimeoutMs?: number;
  /** Default `/system/identity/print`. */
  keepAliveCommand?: string;
  /** How long `call()` waits for a connecting router. Default: the call's timeout. */
  waitOnlineMs?: number;
  /** For tests: build the client (default `new RouterOsClient`). */
  createClient?: (opts: RouterOsClientOptions) => RouterOsClient;
  /** For tests: jitter source in [0, 1). */
  random?: () => number;
}

export interface RouterConnectionEvents {
  status: [ConnectionStatus];
}

/** Delay before attempt number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = opts.initialMs ?? 1000;
  const max = opts.maxMs ?? 60_000;
  const factor = opts.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.3));
  const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - jitter * random()));
}

export class RouterConnection extends EventEmitter<RouterConnectionEvents> {
  private readonly opts: RouterConnectionOptions;
  private current: RouterOsClient | undefined;
  private running = false;
  private statusValue: ConnectionStatus = {
    state: 'stopped',
    lastError: undefined,
    attempt: 0,
    nextRetryAt: undefined,
    retryDelayMs: undefined,
    since: Date.now(),
  };
  private retryTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private keepAliveInFlight = false;
  private lastSeenBytes = -1;
  private readonly waiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();

  constructor(opts: RouterConnectionOptions) {
    super();
    this.opts = opts;
  }

  get status(): ConnectionStatus {
    return { ...this.statusValue };
  }

  get online(): boolean {
    return this.statusValue.state === 'online';
  }

  /** The live client while online (for stats); undefined otherwise. */
  get client(): RouterOsClient | undefined {
    return this.online ? this.current : undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.statusValue.attempt = 0;
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    this.stopKeepAlive();
    const client = this.current;
    this.current = undefined;
    this.setStatus('stopped', this.statusValue.lastError);
    this.rejectWaiters(new ConnectionClosedError('router connection stopped'));
    if (client) await client.close();
  }

  /** API-SSL: later connections must present the certificate with this SHA-256 fingerprint. */
  pin(fingerprint: string): void {
    this.opts.pinnedFingerprint = fingerprint;
  }

  /** The connection's pinned certificate fingerprint, if any. */
  get pinnedFingerprint(): string | undefined {
    return this.opts.pinnedFingerprint;
  }

  /** Resolves when online; rejects after `timeoutMs`, or at once when offline or stopped. */
  waitOnline(timeoutMs: number): Promise<void> {
    const s = this.statusValue.state;
    if (s === 'online') return Promise.resolve();
    if (s !== 'connecting') return Promise.reject(this.offlineError());
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new TimeoutError(`router not online within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async call(command: string, params?: RosParams, opts?: CallOptions): Promise<RosRow[]> {
    const client = await this.ready(opts?.timeoutMs);
    return client.call(command, params, opts);
  }

  async exec(command: string, params?: RosParams, opts?: CallOptions): Promise<CallResult> {
    const client = await this.ready(opts?.timeoutMs);
    return client.exec(command, params, opts);
  }

  /** Needs the router online now; a stream ends with the connection, so re-subscribe on the next `online` status. */
  listen(
    command: string,
    params: RosParams | undefined,
    onRow: (row: RosRow) => void,
    opts?: ListenOptions,
  ): ListenHandle {
    const client = this.client;
    if (!client) {
      const done = Promise.reject(this.offlineError());
      done.catch(() => {});
      return { tag: '', cancel: () => Promise.resolve(), done };
    }
    return client.listen(command, params, onRow, opts);
  }

  private async ready(timeoutMs: number | undefined): Promise<RouterOsClient> {
    if (!this.online)
      await this.waitOnline(this.opts.waitOnlineMs ?? timeoutMs ?? this.opts.timeoutMs ?? 10_000);
    const client = this.current;
    if (!client || !client.connected) throw this.offlineError();
    return client;
  }

  private offlineError(): ConnectionClosedError {
    const { state, lastError } = this.statusValue;
    if (state === 'stopped') return new ConnectionClosedError('router connection stopped');
    return new ConnectionClosedError(lastError ? `router offline: ${lastError.message}` : 'router offline', {
      cause: lastError,
    });
  }

  private async attempt(): Promise<void> {
    if (!this.running) return;
    this.setStatus('connecting', this.statusValue.lastError);
    const create = this.opts.createClient ?? ((o: RouterOsClientOptions) => new RouterOsClient(o));
    const client = create(this.opts);
    this.current = client;
    client.on('close', (err) => this.onClientClose(client, err));
    try {
      await client.connect();
    } catch (e) {
      if (this.current !== client || !this.running) return;
      this.current = undefined;
      this.offline(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (this.current !== client || !this.running) {
      await client.close();
      return;
    }
    // The backoff starts over only once this session proved stable (see BackoffOptions.stableMs).
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => {
      if (this.current === client && this.online) this.statusValue.attempt = 0;
    }, this.opts.backoff?.stableMs ?? 10_000);
    this.stableTimer.unref?.();
    this.setStatus('online', undefined);
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
    this.startKeepAlive(client);
  }

  private onClientClose(client: RouterOsClient, err: ConnectionClosedError): void {
    if (this.current !== client || this.statusValue.state !== 'online') return;
    this.current = undefined;
    clearTimeout(this.stableTimer);
    this.stopKeepAlive();
    if (this.running) this.offline(err);
  }

  private offline(err: Error): void {
    this.statusValue.attempt++;
    const delay = backoffDelay(this.statusValue.attempt, this.opts.backoff, this.opts.random);
    this.rejectWaiters(new ConnectionClosedError(`router offline: ${err.message}`, { cause: err }));
    this.setStatus('offline', err, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.attempt(), delay);
  }

  private rejectWaiters(err: Error): void {
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
  }

  private setStatus(state: ConnectionState, lastError: Error | undefined, retryDelayMs?: number): void {
    const now = Date.now();
    const retrying = state === 'offline' && retryDelayMs !== undefined;
    this.statusValue = {
      state,
      lastError,
      attempt: this.statusValue.attempt,
      nextRetryAt: retrying ? now + retryDelayMs : undefined,
      retryDelayMs: retrying ? retryDelayMs : undefined,
      since: now,
    };
    this.emit('status', this.status);
  }

  private startKeepAlive(client: RouterOsClient): void {
    const interval = this.opts.keepAliveIntervalMs ?? 30_000;
    if (interval <= 0) return;
    this.lastSeenBytes = client.stats.bytesIn;
    this.keepAliveTimer = setInterval(() => {
      const idle = client.stats.bytesIn === this.lastSeenBytes;
      this.lastSeenBytes = client.stats.bytesIn;
      if (!idle || this.keepAliveInFlight || !client.connected) return;
      this.keepAliveInFlight = true;
      const timeoutMs = this.opts.keepAliveTimeoutMs ?? 10_000;
      client
        .call(this.opts.keepAliveCommand ?? '/system/identity/print', undefined, { timeoutMs })
        .catch((e: unknown) => {
          if (e instanceof TimeoutError) {
            client.destroy(
              new ConnectionClosedError(`keep-alive not answered within ${timeoutMs} ms`, { cause: e }),
            );
          }
        })
        .finally(() => {
          this.keepAliveInFlight = false;
        });
    }, interval);
    this.keepAliveTimer.unref?.();
  }

  private stopKeepAlive(): void {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    this.keepAliveInFlight = false;
  }
}
