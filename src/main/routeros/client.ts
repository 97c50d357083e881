/**
 * Our own RouterOS API client (classic API on 8728, API-SSL on 8729).
 *
 * It replaces node-routeros, which is archived and has three defects that hurt an ISP office:
 *  - it crashes the process on the `!empty` reply that RouterOS 7.18+ sends for a print with no rows;
 *  - calls pending when the connection drops never settle, so a worker waits forever;
 *  - it encodes text as win1252 and counts word lengths in characters, so "Bu Siti — lunas ✓" is mangled.
 *
 * Design: one socket, every command tagged (`.tag=N`) and pipelined with a bounded number in flight (the rest
 * wait in a FIFO queue), every call with a timeout, and every pending call rejected with a typed error the
 * moment the connection is lost. Reconnect and keep-alive live in `connection.ts`.
 *
 * Timeouts: a call's deadline runs from the moment it is made, queue time included, and a call whose deadline
 * has passed is never sent — a timed-out `add` must not create the user afterwards. Once a reply streams in,
 * the deadline becomes an inactivity timeout: a 50,000-row print from a slow router lives as long as rows keep
 * arriving.
 *
 * Anything that is not a RouterOS reply (an unknown reply word, a runaway sentence) is a protocol error: the
 * word boundaries can no longer be trusted, so the connection is closed (and `connection.ts` reconnects).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

import {
  CertificateChangedError,
  ConnectionClosedError,
  FatalError,
  LoginFailedError,
  RouterOsError,
  TimeoutError,
  trapToError,
} from './errors.js';
import { encodeSentence, parseReplyStrict, ProtocolError, SentenceDecoder } from './protocol.js';
import { normalizeFingerprint, peerFingerprint } from './tls.js';

export type RosRow = Record<string, string>;
export type RosParamValue = string | number | boolean | undefined;
export type RosParams = Record<string, RosParamValue>;

export interface CallOptions {
  /** `.proplist`: only these properties are returned. */
  proplist?: readonly string[];
  /** Query words, passed through (`?name=x`, `?#|`, `?>uptime=1h` ...); a missing leading `?` is added. */
  query?: readonly string[];
  /** Overrides the client's default timeout for this call. */
  timeoutMs?: number;
}

export type ListenOptions = Omit<CallOptions, 'timeoutMs'>;

/** Everything a command returned: the `!re` rows and the attributes of `!done` (e.g. `ret` of add/count-only). */
export interface CallResult {
  rows: RosRow[];
  done: RosRow;
}

export interface ListenHandle {
  readonly tag: string;
  /** Sends `/cancel =tag=N` and resolves once the router confirmed (or the connection is gone). Idempotent. */
  cancel(): Promise<void>;
  /** Resolves when the stream ends (cancelled or finished); rejects on a trap or a lost connection. */
  readonly done: Promise<void>;
}

export interface RouterOsClientOptions {
  host: string;
  /** Default 8728, or 8729 with `tls`. */
  port?: number;
  /** `true` for API-SSL with default verification, or full `tls.connect` options (e.g. `ca`, `rejectUnauthorized`). */
  tls?: boolean | tls.ConnectionOptions;
  /**
   * API-SSL: the SHA-256 fingerprint ("AB:CD:…") the router's certificate must have. Checked right after the
   * handshake, before the login sends the password; anything else fails `connect()` with CertificateChangedError.
   */
  pinnedFingerprint?: string | undefined;
  username: string;
  password: string;
  /**
   * Default timeout of every call, in milliseconds, from the moment it is made (queue time included); once
   * replies stream in, the time since the last one. Default 10,000.
   */
  timeoutMs?: number;
  /** Tagged commands in flight at once; the rest queue. Default 16. Listens do not count. */
  maxInFlight?: number;
  /** TCP (+TLS) connect timeout. Default 10,000. */
  connectTimeoutMs?: number;
}

export interface ClientStats {
  calls: number;
  completed: number;
  failed: number;
  timeouts: number;
  bytesIn: number;
  bytesOut: number;
  sentencesIn: number;
  sentencesOut: number;
  /** Highest number of commands in flight at once since this client was created. */
  maxInFlightObserved: number;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'closed';

export interface RouterOsClientEvents {
  /** The connection ended; every pending call has been rejected with this error. */
  close: [ConnectionClosedError];
  /** Non-fatal problems (a listener's onRow threw). Only emitted when someone listens. */
  error: [Error];
}

/** The interface the rest of the core codes against (the emulator-backed tests use the same one). */
export interface RouterOsApi {
  connect(): Promise<void>;
  close(): Promise<void>;
  readonly connected: boolean;
  call(command: string, params?: RosParams, opts?: CallOptions): Promise<RosRow[]>;
  exec(command: string, params?: RosParams, opts?: CallOptions): Promise<CallResult>;
  listen(
    command: string,
    params: RosParams | undefined,
    onRow: (row: RosRow) => void,
    opts?: ListenOptions,
  ): ListenHandle;
  on<K extends keyof RouterOsClientEvents>(
    event: K,
    listener: (...args: RouterOsClientEvents[K]) => void,
  ): unknown;
  off<K extends keyof RouterOsClientEvents>(
    event: K,
    listener: (...args: RouterOsClientEvents[K]) => void,
  ): unknown;
}

type PendingKind = 'call' | 'listen' | 'control';

interface Pending {
  tag: string;
  command: string;
  words: string[];
  kind: PendingKind;
  rows: RosRow[];
  onRow: ((row: RosRow) => void) | undefined;
  resolve: (r: CallResult) => void;
  reject: (e: RouterOsError) => void;
  timer: NodeJS.Timeout | undefined;
  /** 0 = no timeout (listens). */
  timeoutMs: number;
  /** Epoch ms after which the call must not be sent any more. */
  deadline: number;
  /** Epoch ms of the last reply sentence for this tag (0 = none yet): streaming replies keep a call alive. */
  activeAt: number;
  /** queued → active (sent) → done; `done` is final and settles exactly once. */
  state: 'queued' | 'active' | 'done';
  countsInFlight: boolean;
  cancelRequested: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_IN_FLIGHT = 16;
/** Tags we stopped waiting for (timed out, trapped) whose trailing sentences must be dropped. */
const MAX_IGNORED_TAGS = 4096;

export function normalizeCommand(command: string): string {
  const c = command.trim().replace(/\s+/g, '/');
  return c.startsWith('/') ? c : `/${c}`;
}

export function paramWords(params: RosParams | undefined): string[] {
  const words: string[] = [];
  if (!params) return words;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    words.push(`=${key}=${text}`);
  }
  return words;
}

function optionWords(opts: ListenOptions | undefined): string[] {
  const words: string[] = [];
  if (opts?.proplist && opts.proplist.length > 0) words.push(`=.proplist=${opts.proplist.join(',')}`);
  for (const q of opts?.query ?? []) words.push(q.startsWith('?') ? q : `?${q}`);
  return words;
}

function withDone(result: CallResult): RosRow[] {
  // Like node-routeros, the `!done` attributes (`ret` of add, print count-only, ...) come back as a last row.
  return Object.keys(result.done).length > 0 ? [...result.rows, result.done] : result.rows;
}

export class RouterOsClient extends EventEmitter<RouterOsClientEvents> implements RouterOsApi {
  readonly stats: ClientStats = {
    calls: 0,
    completed: 0,
    failed: 0,
    timeouts: 0,
    bytesIn: 0,
    bytesOut: 0,
    sentencesIn: 0,
    sentencesOut: 0,
    maxInFlightObserved: 0,
  };
  /** `Date.now()` of the last byte received; the keep-alive uses it to stay quiet on a busy connection. */
  lastReceivedAt = 0;

  private readonly opts: Required<Omit<RouterOsClientOptions, 'tls' | 'pinnedFingerprint'>> &
    Pick<RouterOsClientOptions, 'tls' | 'pinnedFingerprint'>;
  private socket: net.Socket | undefined;
  private stateValue: ClientState = 'idle';
  private connecting: Promise<void> | undefined;
  private nextTag = 1;
  private inFlight = 0;
  private readonly active = new Map<string, Pending>();
  /** FIFO of calls waiting for a slot: `queue[queueHead..]`, entries settled meanwhile are skipped. */
  private queue: Array<Pending | undefined> = [];
  private queueHead = 0;
  private queued = 0;
  private pumping = false;
  private decoder: SentenceDecoder | undefined;
  private readonly ignored = new Set<string>();
  private closeReason: ConnectionClosedError | undefined;
  private socketError: Error | undefined;
  private fingerprint: string | null = null;
  private cipher: string | null = null;

  constructor(opts: RouterOsClientOptions) {
    super();
    this.opts = {
      host: opts.host,
      port: opts.port ?? (opts.tls ? 8729 : 8728),
      tls: opts.tls,
      pinnedFingerprint: opts.pinnedFingerprint,
      username: opts.username,
      password: opts.password,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxInFlight: Math.max(1, opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
      connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
  }

  get state(): ClientState {
    return this.stateValue;
  }

  get connected(): boolean {
    return this.stateValue === 'open';
  }

  /** Commands sent and not yet answered (listens excluded), and commands waiting for a slot. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queued };
  }

  /** API-SSL: SHA-256 fingerprint of the certificate the router presented (null: none, or not TLS). */
  get peerFingerprint(): string | null {
    return this.fingerprint;
  }

  /** API-SSL: the negotiated cipher, e.g. "ADH-AES128-SHA256" for a router without a certificate. */
  get tlsCipher(): string | null {
    return this.cipher;
  }

  connect(): Promise<void> {
    if (this.stateValue === 'open') return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.connecting = this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    this.stateValue = 'connecting';
    this.closeReason = undefined;
    this.socketError = undefined;
    const socket = await this.openSocket();
    this.socket = socket;
    const decoder = new SentenceDecoder((words) => this.onSentence(words));
    this.decoder = decoder;
    socket.on('data', (chunk: Buffer) => {
      this.stats.bytesIn += chunk.length;
      this.lastReceivedAt = Date.now();
      try {
        decoder.push(chunk);
      } catch (e) {
        // A desynchronised stream (or a bug while handling a reply) leaves nothing trustworthy on this socket:
        // close it, so every pending call is rejected and the connection manager reconnects.
        const what = e instanceof ProtocolError ? 'protocol error' : 'error while reading a reply';
        this.destroy(new ConnectionClosedError(`${what}: ${(e as Error).message}`, { cause: e }));
      }
    });
    socket.on('error', (e) => {
      this.socketError = e;
    });
    socket.on('close', () => this.onClosed(socket));
    try {
      await this.login();
    } catch (e) {
      const err = e instanceof RouterOsError ? e : new ConnectionClosedError(String(e), { cause: e });
      this.destroy(
        err instanceof ConnectionClosedError ? err : new ConnectionClosedError(err.message, { cause: err }),
      );
      throw err;
    }
    this.stateValue = 'open';
  }

  private openSocket(): Promise<net.Socket> {
    this.fingerprint = null;
    this.cipher = null;
    const { host, port, connectTimeoutMs } = this.opts;
    return new Promise<net.Socket>((resolve, reject) => {
      const tlsOpts = this.opts.tls;
      const socket = tlsOpts
        ? tls.connect({ host, port, ...(typeof tlsOpts === 'object' ? tlsOpts : {}) })
        : net.connect({ host, port });
      const readyEvent = tlsOpts ? 'secureConnect' : 'connect';
      const fail = (err: ConnectionClosedError): void => {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.destroy();
        this.stateValue = 'closed';
        reject(err);
      };
      const timer = setTimeout(
        () =>
          fail(
            new ConnectionClosedError(`connect to ${host}:${port} timed out after ${connectTimeoutMs} ms`),
          ),
        connectTimeoutMs,
      );
      socket.once('error', (e) =>
        fail(new ConnectionClosedError(`connect to ${host}:${port} failed: ${e.message}`, { cause: e })),
      );
      socket.once('close', () =>
        fail(new ConnectionClosedError(`connection to ${host}:${port} closed during connect`)),
      );
      socket.once(readyEvent, () => {
        if (tlsOpts) {
          const presented = peerFingerprint(socket as tls.TLSSocket);
          this.fingerprint = presented;
          this.cipher = (socket as tls.TLSSocket).getCipher()?.name ?? null;
          const pinned = this.opts.pinnedFingerprint;
          // Before the login: a certificate we do not know never receives the password.
          if (pinned && normalizeFingerprint(pinned) !== presented) {
            clearTimeout(timer);
            socket.removeAllListeners();
            socket.on('error', () => {});
            socket.destroy();
            this.stateValue = 'closed';
            reject(new CertificateChangedError(normalizeFingerprint(pinned), presented));
            return;
          }
        }
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        resolve(socket);
      });
    });
  }

  /**
   * RouterOS 6.43+ accepts the password in `/login` and answers a bare `!done`. Older routers (and 6.43–6.45
   * configured for it) ignore the password and answer `!done =ret=<challenge>`: we then prove knowledge of the
   * password with `00` + md5(0x00 + password + challenge). The reply decides; no version guessing.
   */
  private async login(): Promise<void> {
    const { username, password } = this.opts;
    // Any unclassified trap during login means "not let in"; timeouts and lost connections keep their type.
    const asLoginError = (e: unknown): unknown =>
      e instanceof RouterOsError && e.kind === 'trap'
        ? new LoginFailedError(e.message, { command: '/login', category: e.category, cause: e })
        : e;
    let first: CallResult;
    try {
      first = await this.enqueue(
        'call',
        '/login',
        ['=name=' + username, '=password=' + password],
        this.opts.timeoutMs,
      );
    } catch (e) {
      throw asLoginError(e);
    }
    const challenge = first.done['ret'];
    if (challenge === undefined || challenge === '') return;
    const digest = createHash('md5')
      .update(Buffer.from([0]))
      .update(Buffer.from(password, 'utf8'))
      .update(Buffer.from(challenge, 'hex'))
      .digest('hex');
    try {
      await this.enqueue(
        'call',
        '/login',
        ['=name=' + username, '=response=00' + digest],
        this.opts.timeoutMs,
      );
    } catch (e) {
      throw asLoginError(e);
    }
  }

  /** Graceful close: pending calls are rejected with ConnectionClosedError, resolves once the socket is closed. */
  async close(): Promise<void> {
    if (this.connecting) await this.connecting.catch(() => {});
    const socket = this.socket;
    if (!socket || socket.destroyed || this.stateValue === 'closed') {
      this.stateValue = 'closed';
      return;
    }
    this.closeReason = new ConnectionClosedError('connection closed by client');
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      socket.end();
    });
  }

  /** Drop the connection now (used by the keep-alive when the router stopped answering). */
  destroy(reason?: ConnectionClosedError): void {
    this.closeReason ??= reason ?? new ConnectionClosedError('connection destroyed by client');
    // Nothing read after this point is acted on (e.g. replies behind a `!fatal` in the same chunk).
    this.decoder?.stop();
    const socket = this.socket;
    if (socket && !socket.destroyed) socket.destroy();
    else if (this.stateValue !== 'closed') this.onClosed(socket);
  }

  call(command: string, params?: RosParams, opts?: CallOptions): Promise<RosRow[]> {
    return this.exec(command, params, opts).then(withDone);
  }

  exec(command: string, params?: RosParams, opts?: CallOptions): Promise<CallResult> {
    const cmd = normalizeCommand(command);
    if (this.stateValue !== 'open') {
      return Promise.reject(this.notConnected(cmd));
    }
    return this.enqueue(
      'call',
      cmd,
      [...paramWords(params), ...optionWords(opts)],
      opts?.timeoutMs ?? this.opts.timeoutMs,
    );
  }

  listen(
    command: string,
    params: RosParams | undefined,
    onRow: (row: RosRow) => void,
    opts?: ListenOptions,
  ): ListenHandle {
    const cmd = normalizeCommand(command);
    if (this.stateValue !== 'open') {
      const done = Promise.reject(this.notConnected(cmd));
      done.catch(() => {});
      return { tag: '', cancel: () => Promise.resolve(), done };
    }
    let pending: Pending | undefined;
    const done = this.enqueue('listen', cmd, [...paramWords(params), ...optionWords(opts)], 0, onRow, (p) => {
      pending = p;
    }).then(() => undefined);
    // The caller may only ever call cancel(); a lost connection must not become an unhandled rejection.
    done.catch(() => {});
    const p = pending as Pending | undefined;
    const tag = p?.tag ?? '';
    let cancelling: Promise<void> | undefined;
    const cancel = (): Promise<void> => {
      if (cancelling) return cancelling;
      cancelling = (async () => {
        if (!p || !this.active.has(p.tag)) return;
        p.cancelRequested = true;
        await this.enqueue('control', '/cancel', [`=tag=${p.tag}`], this.opts.timeoutMs).catch(
          () => undefined,
        );
        await done.catch(() => undefined);
      })();
      return cancelling;
    };
    return { tag, cancel, done };
  }

  private notConnected(command: string): ConnectionClosedError {
    return this.closeReason
      ? new ConnectionClosedError(`not connected: ${this.closeReason.message}`, {
          command,
          cause: this.closeReason,
        })
      : new ConnectionClosedError('not connected', { command });
  }

  private enqueue(
    kind: PendingKind,
    command: string,
    args: string[],
    timeoutMs: number,
    onRow?: (row: RosRow) => void,
    created?: (p: Pending) => void,
  ): Promise<CallResult> {
    return new Promise<CallResult>((resolve, reject) => {
      const tag = String(this.nextTag++);
      const now = Date.now();
      const p: Pending = {
        tag,
        command,
        words: [command, ...args, `.tag=${tag}`],
        kind,
        rows: [],
        onRow,
        resolve,
        reject,
        timer: undefined,
        timeoutMs,
        deadline: timeoutMs > 0 ? now + timeoutMs : Infinity,
        activeAt: 0,
        state: 'queued',
        countsInFlight: kind === 'call',
        cancelRequested: false,
      };
      if (kind !== 'control') this.stats.calls++;
      created?.(p);
      if (!this.writable()) {
        this.settle(p, this.closedError(p.command));
        return;
      }
      if (timeoutMs > 0) this.arm(p, timeoutMs);
      if (p.countsInFlight && (this.inFlight >= this.opts.maxInFlight || this.queued > 0)) {
        this.queue.push(p);
        this.queued++;
      } else {
        this.send(p);
      }
    });
  }

  private arm(p: Pending, ms: number): void {
    p.timer = setTimeout(() => this.onTimeout(p), Math.max(1, ms));
    p.timer.unref?.();
  }

  private writable(): boolean {
    return this.socket !== undefined && !this.socket.destroyed && this.closeReason === undefined;
  }

  private closedError(command: string): ConnectionClosedError {
    const reason = this.closeReason;
    if (reason instanceof FatalError) return new FatalError(reason.message, { command, cause: reason });
    return reason
      ? new ConnectionClosedError(reason.message, { command, cause: reason })
      : new ConnectionClosedError('connection closed', { command });
  }

  private timeoutError(p: Pending, sent: boolean): TimeoutError {
    const note = sent ? '' : ' (never sent)';
    return new TimeoutError(`${p.command} timed out after ${p.timeoutMs} ms${note}`, p.timeoutMs, {
      command: p.command,
    });
  }

  /** Put `p` on the wire, unless its deadline passed while it waited (its timer may not have run yet). */
  private send(p: Pending): void {
    const socket = this.socket!;
    if (Date.now() >= p.deadline) {
      if (p.kind !== 'control') this.stats.timeouts++;
      this.settle(p, this.timeoutError(p, false));
      return;
    }
    p.state = 'active';
    this.active.set(p.tag, p);
    if (p.countsInFlight) {
      this.inFlight++;
      if (this.inFlight > this.stats.maxInFlightObserved) this.stats.maxInFlightObserved = this.inFlight;
    }
    const buf = encodeSentence(p.words);
    this.stats.bytesOut += buf.length;
    this.stats.sentencesOut++;
    socket.write(buf);
  }

  /**
   * Fill free slots from the queue. A loop, never re-entered: settling a call inside it (an expired one) must
   * not start another pump, or 20,000 queued calls become 20,000 nested frames.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queued > 0 && this.inFlight < this.opts.maxInFlight && this.writable()) {
        const next = this.queue[this.queueHead];
        this.queue[this.queueHead] = undefined;
        this.queueHead++;
        if (!next || next.state !== 'queued') continue;
        this.queued--;
        this.send(next);
      }
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
    } finally {
      this.pumping = false;
    }
  }

  private onTimeout(p: Pending): void {
    p.timer = undefined;
    if (p.state === 'done') return;
    if (p.state === 'queued') {
      // Never sent: the router never sees it (the slot it waits for is skipped when it comes up).
      this.queued--;
      if (p.kind !== 'control') this.stats.timeouts++;
      this.settle(p, this.timeoutError(p, false));
      return;
    }
    // A reply that keeps streaming is not late: the timeout counts from its last sentence.
    if (p.activeAt > 0) {
      const quietFor = Date.now() - p.activeAt;
      if (quietFor < p.timeoutMs) {
        this.arm(p, p.timeoutMs - quietFor);
        return;
      }
    }
    // Stop waiting, free the slot, drop whatever still arrives for this tag, and ask the router to stop.
    this.ignore(p.tag);
    if (p.kind !== 'control' && this.stateValue === 'open' && this.writable()) {
      this.enqueue('control', '/cancel', [`=tag=${p.tag}`], this.opts.timeoutMs).catch(() => undefined);
    }
    if (p.kind !== 'control') this.stats.timeouts++;
    this.settle(p, this.timeoutError(p, true));
  }

  private ignore(tag: string): void {
    this.ignored.add(tag);
    if (this.ignored.size > MAX_IGNORED_TAGS) {
      const oldest = this.ignored.values().next().value;
      if (oldest !== undefined) this.ignored.delete(oldest);
    }
  }

  /** Remove `p` from the books and settle its promise (error → reject). Exactly once per call. */
  private settle(p: Pending, error: RouterOsError | undefined, done: RosRow = {}): void {
    if (p.state === 'done') return;
    p.state = 'done';
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    if (this.active.get(p.tag) === p) {
      this.active.delete(p.tag);
      if (p.countsInFlight) this.inFlight--;
    }
    if (p.kind !== 'control') {
      if (error) this.stats.failed++;
      else this.stats.completed++;
    }
    if (error) p.reject(error);
    else p.resolve({ rows: p.rows, done });
    this.pump();
  }

  private onSentence(words: string[]): void {
    this.stats.sentencesIn++;
    const reply = parseReplyStrict(words);
    if (reply.type === '!fatal') {
      this.destroy(new FatalError(`router closed the session: ${reply.message ?? 'fatal'}`));
      return;
    }
    // Every command we send is tagged: an untagged sentence (e.g. a stray `!empty`) belongs to nobody.
    if (reply.tag === undefined) return;
    const p = this.active.get(reply.tag);
    if (!p) {
      if (reply.type === '!done') this.ignored.delete(reply.tag);
      return;
    }
    p.activeAt = this.lastReceivedAt;
    switch (reply.type) {
      case '!re':
        if (p.onRow) {
          try {
            p.onRow(reply.attrs);
          } catch (e) {
            if (this.listenerCount('error') > 0)
              this.emit('error', e instanceof Error ? e : new Error(String(e)));
          }
        } else {
          p.rows.push(reply.attrs);
        }
        return;
      case '!empty':
        // RouterOS 7.18+: "no rows", followed by `!done`.
        return;
      case '!trap': {
        const category = reply.attrs['category'] === undefined ? undefined : Number(reply.attrs['category']);
        if (p.cancelRequested && category === 2) return; // "interrupted": the `!done` that follows ends it.
        this.ignore(p.tag); // the `!done` that follows a trap
        this.settle(p, trapToError(reply.attrs['message'] ?? 'trap', { command: p.command, category }));
        return;
      }
      case '!done':
        this.settle(p, undefined, reply.attrs);
        return;
      default:
        return;
    }
  }

  private onClosed(socket: net.Socket | undefined): void {
    if (socket !== this.socket || this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.decoder?.stop();
    const reason =
      this.closeReason ??
      new ConnectionClosedError(
        this.socketError ? `connection lost: ${this.socketError.message}` : 'connection closed by router',
        { cause: this.socketError },
      );
    this.closeReason = reason;
    const all: Pending[] = [...this.active.values()];
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const p = this.queue[i];
      if (p && p.state === 'queued') all.push(p);
    }
    this.active.clear();
    this.queue = [];
    this.queueHead = 0;
    this.queued = 0;
    this.ignored.clear();
    this.inFlight = 0;
    for (const p of all) {
      if (p.state === 'done') continue;
      p.state = 'done';
      if (p.timer) clearTimeout(p.timer);
      p.timer = undefined;
      if (p.kind !== 'control') this.stats.failed++;
      p.reject(this.closedError(p.command));
    }
    this.emit('close', reason);
  }
}

export function createRouterOsClient(opts: RouterOsClientOptions): RouterOsClient {
  return new RouterOsClient(opts);
}
