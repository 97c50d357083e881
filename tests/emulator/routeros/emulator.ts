/**
 * RouterOS emulator: the real API wire protocol over TCP or TLS on 127.0.0.1, stateful menus with version
 * profiles (6.49, 7.15, 7.18), exact trap texts and fault injection. Tests, benches and the demo use it.
 *
 *   const emu = new RouterOsEmulator({ version: '7.18', users: [{ name: 'admin', password: 'x' }] });
 *   const { port } = await emu.start();
 *   ...
 *   await emu.stop();
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

import type { Menu, Row } from './menu.js';
import { type EmulatorVersion, PROFILES, type VersionProfile } from './menus.js';
import { type EmulatorFaults, type LoginMode, Session, type SessionHost } from './session.js';
import {
  type HotspotLoginInput,
  type LoginResult,
  type PppConnectInput,
  RouterState,
  type ScriptHook,
  type ScriptRun,
} from './state.js';

export interface EmulatorOptions {
  /** Default '7.18'. */
  version?: EmulatorVersion;
  /**
   * API-SSL with the committed self-signed test certificate (`true`), your own cert/key, or 'anonymous-dh': no
   * certificate at all, anonymous Diffie-Hellman ciphers only (API-SSL on a router with no certificate set).
   */
  tls?: boolean | TlsCertificate | 'anonymous-dh';
  /** API users. Default `admin` with an empty password. */
  users?: Array<{ name: string; password: string }>;
  /** 'auto' (default): 6.49 answers both login styles; 'legacy': 6.49 only hands out challenges; 7.x is always modern. */
  loginMode?: LoginMode;
  identity?: string;
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Keep a ring buffer of every sentence: `true` = 1,000 entries, or the capacity. */
  log?: boolean | number;
  /** Emulated wall clock at start (epoch ms). */
  now?: number;
  timeZone?: { name: string; offsetMinutes: number };
  faults?: EmulatorFaults;
}

export interface LogEntry {
  dir: 'in' | 'out';
  words: string[];
  at: number;
  conn: number;
}

export interface EmulatorStats {
  /** API sessions opened (over TLS: handshakes completed). */
  connections: number;
  /** TCP connections accepted, including TLS handshakes that failed or were abandoned by the client. */
  tcpConnections: number;
  logins: number;
  /** Commands received after login (incl. /cancel). */
  commands: number;
  /** Commands received and not yet answered right now (listens excluded). */
  inFlight: number;
  /** Highest `inFlight` seen since start or `resetStats()`. */
  maxInFlight: number;
  sentencesIn: number;
  sentencesOut: number;
}

export interface TlsCertificate {
  cert: string | Buffer;
  key: string | Buffer;
}

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** The router's own self-signed certificate (CN=localhost). */
export function testCertificate(): { cert: Buffer; key: Buffer } {
  return {
    cert: readFileSync(new URL('cert.pem', FIXTURES)),
    key: readFileSync(new URL('key.pem', FIXTURES)),
  };
}

/** A second self-signed certificate with the same name: what a man in the middle (or a re-keyed router) shows. */
export function otherTestCertificate(): { cert: Buffer; key: Buffer } {
  return {
    cert: readFileSync(new URL('other-cert.pem', FIXTURES)),
    key: readFileSync(new URL('other-key.pem', FIXTURES)),
  };
}

/** SHA-256 fingerprint of a PEM certificate, "AB:CD:…" as Winbox and OpenSSL print it. */
export function certificateFingerprint(cert: string | Buffer): string {
  return new X509Certificate(cert).fingerprint256;
}

/**
 * What RouterOS offers on API-SSL without a certificate: anonymous DH, TLS 1.2. OpenSSL 3 needs security
 * level 0 for aNULL ciphers.
 */
const ANON_DH_SERVER_CIPHERS = 'ADH-AES128-SHA256:ADH-AES256-SHA256:ADH-AES128-SHA:ADH-AES256-SHA@SECLEVEL=0';

export class RouterOsEmulator implements SessionHost {
  readonly profile: VersionProfile;
  readonly state: RouterState;
  readonly loginMode: LoginMode;
  readonly users: ReadonlyArray<{ name: string; password: string }>;
  /** Change at any time; applies to the next command or login. */
  faults: EmulatorFaults;
  readonly stats: EmulatorStats = {
    connections: 0,
    tcpConnections: 0,
    logins: 0,
    commands: 0,
    inFlight: 0,
    maxInFlight: 0,
    sentencesIn: 0,
    sentencesOut: 0,
  };
  /** Ring buffer of sentences both ways (empty unless the `log` option is set). */
  readonly log: LogEntry[] = [];
  readonly logging: boolean;

  private readonly logCapacity: number;
  private server: net.Server | undefined;
  private readonly sessions = new Set<Session>();
  private nextConn = 1;
  private paused = false;
  private readonly opts: EmulatorOptions;
  private boundPort = 0;
  private presented: string | Buffer | undefined;

  constructor(opts: EmulatorOptions = {}) {
    this.opts = opts;
    const version = opts.version ?? '7.18';
    this.profile = PROFILES[version];
    this.loginMode = opts.loginMode ?? 'auto';
    if (this.loginMode === 'legacy' && !this.profile.legacyLogin) {
      throw new Error(`RouterOS ${version} has no legacy (challenge) login`);
    }
    this.users = opts.users ?? [{ name: 'admin', password: '' }];
    this.faults = { ...opts.faults };
    this.logCapacity = opts.log === true ? 1000 : typeof opts.log === 'number' ? opts.log : 0;
    this.logging = this.logCapacity > 0;
    this.state = new RouterState({
      version,
      ...(opts.identity === undefined ? {} : { identity: opts.identity }),
      ...(opts.now === undefined ? {} : { now: opts.now }),
      ...(opts.timeZone === undefined ? {} : { timeZone: opts.timeZone }),
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.opts.host ?? '127.0.0.1';
  }

  /** Open API sessions right now. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<{ port: number; host: string }> {
    const onConnection = (socket: net.Socket): void => this.accept(socket);
    const tlsOpt = this.opts.tls;
    if (tlsOpt === true) this.presented = testCertificate().cert;
    else if (typeof tlsOpt === 'object') this.presented = tlsOpt.cert;
    this.server =
      tlsOpt === 'anonymous-dh'
        ? tls.createServer(
            { ciphers: ANON_DH_SERVER_CIPHERS, dhparam: 'auto', maxVersion: 'TLSv1.2' },
            onConnection,
          )
        : tlsOpt
          ? tls.createServer(tlsOpt === true ? testCertificate() : tlsOpt, onConnection)
          : net.createServer(onConnection);
    this.server.on('tlsClientError', () => {});
    this.server.on('connection', () => {
      this.stats.tcpConnections++;
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : 0;
    return { port: this.boundPort, host: this.host };
  }

  async stop(): Promise<void> {
    this.dropAllConnections();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (this.paused) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.stats.connections++;
    const session = new Session(this, socket, this.nextConn++);
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
  }

  /**
   * API-SSL: present another certificate to new connections (open ones keep theirs). Simulates a man in the
   * middle, or an admin who replaced the router's certificate.
   */
  setCertificate(certificate: TlsCertificate): void {
    if (!(this.server instanceof tls.Server) || this.opts.tls === 'anonymous-dh') {
      throw new Error('setCertificate needs an emulator started with a certificate (tls: true or cert/key)');
    }
    this.server.setSecureContext({ cert: certificate.cert, key: certificate.key });
    this.presented = certificate.cert;
  }

  /** SHA-256 fingerprint of the certificate new API-SSL connections see; null without one (plain API or ADH). */
  get tlsFingerprint(): string | null {
    return this.presented === undefined ? null : certificateFingerprint(this.presented);
  }

  /** Reset every open API connection (like a router reboot or a cable pulled), keep accepting new ones. */
  dropAllConnections(): void {
    for (const s of this.sessions) s.destroy();
    this.sessions.clear();
  }

  /** Router unreachable: drop every connection and refuse new ones until `resume()`. */
  pause(): void {
    this.paused = true;
    this.dropAllConnections();
  }

  resume(): void {
    this.paused = false;
  }

  resetStats(): void {
    this.stats.maxInFlight = this.stats.inFlight;
    this.stats.commands = 0;
    this.stats.sentencesIn = 0;
    this.stats.sentencesOut = 0;
  }

  record(dir: 'in' | 'out', words: string[], conn: number): void {
    this.log.push({ dir, words, at: Date.now(), conn });
    if (this.log.length > this.logCapacity) this.log.splice(0, this.log.length - this.logCapacity);
  }

  // ------------------------------------------------------------- state access and controls

  /** A menu for direct assertions: `emu.menu('/ip/hotspot/user').rows()`. */
  menu(path: string): Menu {
    return this.state.menu(path);
  }

  /** Bulk insert without validation (benches, fixtures). Returns the new ids. */
  seed(path: string, rows: readonly Row[]): string[] {
    return this.state.menu(path).seed(rows);
  }

  /** The router-script hook: hotspot on-login/on-logout, PPP on-up/on-down, scheduler and `/system/script run`. */
  get onScriptRun(): ScriptHook | undefined {
    return this.state.onScriptRun;
  }

  set onScriptRun(hook: ScriptHook | undefined) {
    this.state.onScriptRun = hook;
  }

  get scriptLog(): readonly ScriptRun[] {
    return this.state.scriptLog;
  }

  /** Emulated clock (epoch ms). */
  now(): number {
    return this.state.now();
  }

  hotspotLogin(input: HotspotLoginInput): LoginResult {
    return this.state.hotspotLogin(input);
  }

  hotspotLogout(user: string): number {
    return this.state.hotspotLogout(user);
  }

  pppConnect(input: PppConnectInput): LoginResult {
    return this.state.pppConnect(input);
  }

  pppDisconnect(name: string): number {
    return this.state.pppDisconnect(name);
  }

  advanceTime(ms: number): void {
    this.state.advanceTime(ms);
  }

  addTraffic(user: string, bytesIn: number, bytesOut: number): void {
    this.state.addTraffic(user, bytesIn, bytesOut);
  }
}
