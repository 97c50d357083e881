import type { AuthenticationState } from '@whiskeysockets/baileys';
import { normalizePhone } from '../../shared/phone';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { AuthStore, BaileysAuthLib } from './auth-state';
import {
  Listeners,
  MessengerError,
  initialState,
  type IncomingMessage,
  type LinkRequest,
  type Messenger,
  type MessengerState,
  type SendResult,
} from './messenger';

/** Baileys' DisconnectReason codes we act on (copied so the policy does not need Baileys loaded). */
export const Reason = {
  connectionClosed: 428,
  connectionLost: 408,
  connectionReplaced: 440,
  loggedOut: 401,
  badSession: 500,
  restartRequired: 515,
  multideviceMismatch: 411,
  forbidden: 403,
  unavailableService: 503,
} as const;

/** The subset of the Baileys socket the adapter uses; tests implement it with a fake socket. */
export interface SocketEvents {
  'connection.update': {
    connection?: 'open' | 'connecting' | 'close';
    lastDisconnect?: { error: Error | undefined; date?: Date };
    qr?: string;
    isNewLogin?: boolean;
  };
  'creds.update': unknown;
  'messages.update': { key: { id?: string | null }; update: { status?: number | null } }[];
  /** New messages: `notify` are live ones; `append` are history and our own sends from other devices. */
  'messages.upsert': { messages: WaMessageLike[]; type: string };
}

/** The fields of Baileys' `WAMessage` the inbound mapping reads. */
export interface WaMessageLike {
  key: {
    id?: string | null;
    remoteJid?: string | null;
    /** Baileys 7: the other addressing of the chat (the phone-number JID when `remoteJid` is a LID). */
    remoteJidAlt?: string | null;
    /** Baileys 6.7: the sender's phone-number JID on LID-addressed messages. */
    senderPn?: string | null;
    fromMe?: boolean | null;
    participant?: string | null;
  };
  message?: WaContentLike | null;
  /** Seconds since the epoch (a number or a protobuf Long). */
  messageTimestamp?: number | { toNumber(): number } | null;
  pushName?: string | null;
  messageStubType?: number | null;
}
export interface WaContentLike {
  conversation?: string | null;
  extendedTextMessage?: { text?: string | null } | null;
  /** Disappearing-messages chats wrap the content once more. */
  ephemeralMessage?: { message?: WaContentLike | null } | null;
  protocolMessage?: unknown;
  reactionMessage?: unknown;
  imageMessage?: { caption?: string | null } | null;
  videoMessage?: { caption?: string | null } | null;
  documentMessage?: { caption?: string | null; fileName?: string | null } | null;
  documentWithCaptionMessage?: {
    message?: { documentMessage?: { caption?: string | null; fileName?: string | null } | null } | null;
  } | null;
  audioMessage?: unknown;
}

/**
 * Media is not stored, but the office must see that a customer sent something — most often a photo of a
 * transfer slip — so it lands in the Inbox as a marked line with its caption.
 */
function mediaText(c: WaContentLike): string | null {
  const withCaption = (label: string, caption: string | null | undefined) =>
    caption?.trim() ? `${label} ${caption.trim()}` : label;
  if (c.imageMessage) return withCaption('[Foto]', c.imageMessage.caption);
  if (c.videoMessage) return withCaption('[Video]', c.videoMessage.caption);
  const doc = c.documentMessage ?? c.documentWithCaptionMessage?.message?.documentMessage;
  if (doc)
    return withCaption(doc.fileName?.trim() ? `[Dokumen: ${doc.fileName.trim()}]` : '[Dokumen]', doc.caption);
  if (c.audioMessage) return '[Pesan suara]';
  return null;
}
export interface SocketLike {
  ev: { on<E extends keyof SocketEvents>(event: E, listener: (arg: SocketEvents[E]) => void): void };
  user?: { id: string } | undefined;
  sendMessage(
    jid: string,
    content: { text: string },
    opts: { messageId: string },
  ): Promise<{ key: { id?: string | null } } | undefined>;
  requestPairingCode(phone: string): Promise<string>;
  logout(msg?: string): Promise<void>;
  end(error: Error | undefined): unknown;
}

export interface BaileysLib extends BaileysAuthLib {
  makeSocket(opts: { auth: AuthenticationState; logger: BaileysLogger }): SocketLike;
}

export interface BaileysLogger {
  level: string;
  child(obj: Record<string, unknown>): BaileysLogger;
  trace(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type ReconnectDecision =
  | { action: 'now' }
  | { action: 'logged_out'; reason: string }
  | { action: 'stop'; reason: string }
  | { action: 'backoff'; delayMs: number; reason: string };

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 300_000;

/**
 * What to do when the socket closes, by Baileys' disconnect reason:
 * - restart required (515, sent right after linking) → reconnect at once;
 * - logged out (401) or a broken/refused session (500, 403) → forget the keys, ask to link again;
 * - replaced by another session (440: WhatsApp Web opened elsewhere with these keys) → stop, no loop that
 *   would keep kicking the other session off;
 * - while linking, anything else (QR codes ran out) → stop, the operator starts again;
 * - anything else → back off exponentially with "equal jitter" (half fixed, half random), capped at 5 min.
 */
export function reconnectDecision(
  code: number | undefined,
  attempt: number,
  linking: boolean,
  rnd: () => number,
): ReconnectDecision {
  if (code === Reason.restartRequired) return { action: 'now' };
  if (code === Reason.loggedOut)
    return { action: 'logged_out', reason: 'Perangkat dikeluarkan dari WhatsApp. Tautkan lagi.' };
  if (code === Reason.badSession)
    return { action: 'logged_out', reason: 'Sesi WhatsApp rusak. Tautkan lagi.' };
  if (code === Reason.forbidden)
    return { action: 'logged_out', reason: 'WhatsApp menolak nomor ini (mungkin diblokir).' };
  if (code === Reason.connectionReplaced) {
    return {
      action: 'stop',
      reason: 'Sesi ini digantikan oleh WhatsApp Web/perangkat lain. Sambungkan ulang bila perlu.',
    };
  }
  if (linking)
    return { action: 'stop', reason: 'Penautan tidak selesai (kode QR kedaluwarsa). Coba tautkan lagi.' };
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
  return {
    action: 'backoff',
    delayMs: Math.round(ceiling / 2 + rnd() * (ceiling / 2)),
    reason: 'Koneksi terputus, menyambung ulang…',
  };
}

function statusCodeOf(err: unknown): number | undefined {
  const out = (err as { output?: { statusCode?: unknown } } | undefined)?.output;
  return typeof out?.statusCode === 'number' ? out.statusCode : undefined;
}

/** `6281234567890:12@s.whatsapp.net` → `6281234567890`. */
export function phoneOfJid(jid: string | undefined): string | null {
  if (!jid) return null;
  return jid.split('@')[0]?.split(':')[0] ?? null;
}

/** Personal chats only: numbers (`@s.whatsapp.net`, legacy `@c.us`). LIDs (`@lid`) hide the number. */
const PN_JID = /^(\d{6,15})(?::\d+)?@(s\.whatsapp\.net|c\.us)$/;

function pnOf(jid: string | null | undefined): string | null {
  return jid ? (PN_JID.exec(jid)?.[1] ?? null) : null;
}

function timestampMs(ts: WaMessageLike['messageTimestamp']): number | null {
  if (ts === null || ts === undefined) return null;
  const n = typeof ts === 'number' ? ts : ts.toNumber();
  return Number.isFinite(n) && n > 0 ? n * 1000 : null;
}

/**
 * A Baileys message → an incoming text, or null for everything Rukun does not answer: our own messages,
 * groups, status updates, broadcast lists and channels, protocol messages (edits, deletes, key shares),
 * reactions and stubs; media arrives as a marked line ("[Foto] caption"). Baileys 7 addresses many chats by LID (`…@lid`), which hides
 * the number; the number then comes from `remoteJidAlt` (7.x) or `senderPn` (6.7), and without one the
 * message is skipped — a reply we cannot tie to a number cannot be matched to a customer.
 */
export function incomingFromBaileys(m: WaMessageLike, now: number): IncomingMessage | null {
  const { key } = m;
  const jid = key.remoteJid ?? '';
  if (!key.id || key.fromMe) return null;
  if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@c.us') && !jid.endsWith('@lid')) return null;
  if (m.messageStubType) return null;
  let content = m.message ?? null;
  if (content?.ephemeralMessage?.message) content = content.ephemeralMessage.message;
  if (!content || content.protocolMessage || content.reactionMessage) return null;
  const text = content.conversation ?? content.extendedTextMessage?.text ?? mediaText(content);
  if (!text?.trim()) return null;
  const phone = pnOf(jid) ?? pnOf(key.remoteJidAlt) ?? pnOf(key.senderPn);
  if (!phone) return null;
  const pushName = m.pushName?.trim();
  return {
    id: key.id,
    phone,
    text,
    at: timestampMs(m.messageTimestamp) ?? now,
    ...(pushName ? { pushName } : {}),
  };
}

function toBaileysLogger(log: Logger): BaileysLogger {
  const msg = (obj: unknown, m?: string) => m ?? (typeof obj === 'string' ? obj : 'baileys');
  const data = (obj: unknown) =>
    obj && typeof obj === 'object' ? { data: obj as Record<string, unknown> } : undefined;
  const l: BaileysLogger = {
    level: 'warn',
    child: () => l,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (o, m) => log.warn(msg(o, m), data(o)),
    error: (o, m) => log.error(msg(o, m), data(o)),
  };
  return l;
}

/** Loads Baileys on first use: it is large, and a core that never links WhatsApp should not pay for it. */
export async function loadBaileys(): Promise<BaileysLib> {
  const b = await import('@whiskeysockets/baileys');
  const make = b.makeWASocket;
  return {
    initAuthCreds: b.initAuthCreds,
    BufferJSON: b.BufferJSON,
    fromAppStateSyncKey: (v) => b.proto.Message.AppStateSyncKeyData.fromObject(v as Record<string, unknown>),
    makeSocket: ({ auth, logger }) =>
      // The real socket's emitter is a superset of SocketLike; its generic `on` signature differs only in
      // the event map it is typed against, hence the one cast.
      make({
        auth: { creds: auth.creds, keys: b.makeCacheableSignalKeyStore(auth.keys, logger) },
        logger,
        browser: b.Browsers.ubuntu('Rukun'),
        markOnlineOnConnect: false,
        syncFullHistory: false,
        // No fetchLatestBaileysVersion(): offices may be offline at start; the pinned default is used.
      }) as unknown as SocketLike,
  };
}

export interface BaileysMessengerDeps {
  auth: AuthStore;
  clock: Clock;
  log: Logger;
  loadLib?: () => Promise<BaileysLib>;
  timers?: Timers;
  random?: () => number;
  sendTimeoutMs?: number;
}

/** The real WhatsApp connection through Baileys, behind the Messenger interface. */
export class BaileysMessenger implements Messenger {
  private current: MessengerState = { ...initialState };
  private readonly stateListeners = new Listeners<[MessengerState]>();
  private readonly ackListeners = new Listeners<[string, number]>();
  private readonly messageListeners = new Listeners<[IncomingMessage]>();
  private lib: BaileysLib | null = null;
  private sock: SocketLike | null = null;
  /** Bumped for every socket: events of an older socket (closed by us) are ignored. */
  private gen = 0;
  private attempt = 0;
  private linking: LinkRequest | null = null;
  private pairingRequested = false;
  private timer: unknown = null;
  private stopped = false;

  constructor(private readonly deps: BaileysMessengerDeps) {}

  state(): MessengerState {
    return this.current;
  }
  onState(listener: (s: MessengerState) => void): () => void {
    return this.stateListeners.add(listener);
  }
  onAck(listener: (id: string, ack: number) => void): () => void {
    return this.ackListeners.add(listener);
  }
  onMessage(listener: (m: IncomingMessage) => void): () => void {
    return this.messageListeners.add(listener);
  }

  private async getLib(): Promise<BaileysLib> {
    return (this.lib ??= await (this.deps.loadLib ?? loadBaileys)());
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (!this.deps.auth.hasCreds()) return;
    const lib = await this.getLib();
    if (this.deps.auth.isRegistered(lib)) await this.connect();
  }

  async link(req: LinkRequest): Promise<void> {
    this.stopped = false;
    if (req.method === 'pairing' && !normalizePhone(req.phone)) {
      throw new MessengerError('invalid_number', 'Nomor WhatsApp tidak valid');
    }
    this.closeSocket();
    this.deps.auth.clear();
    this.linking =
      req.method === 'pairing' ? { method: 'pairing', phone: normalizePhone(req.phone) ?? req.phone } : req;
    this.pairingRequested = false;
    this.attempt = 0;
    this.set({ ...initialState, status: 'connecting' });
    await this.connect();
  }

  async reconnect(): Promise<void> {
    this.stopped = false;
    this.attempt = 0;
    this.closeSocket();
    const lib = await this.getLib();
    if (!this.deps.auth.isRegistered(lib)) {
      this.set({ ...initialState, status: 'logged_out', reason: 'Belum ada nomor yang ditautkan.' });
      return;
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.timer !== null) (this.deps.timers ?? realTimers).clear(this.timer);
    this.timer = null;
    const lib = await this.getLib();
    const { state, saveCreds } = this.deps.auth.load(lib);
    const gen = ++this.gen;
    this.set({ status: 'connecting', reconnectAt: null });
    const sock = lib.makeSocket({ auth: state, logger: toBaileysLogger(this.deps.log) });
    this.sock = sock;
    sock.ev.on('creds.update', () => {
      if (gen === this.gen) saveCreds();
    });
    sock.ev.on('messages.update', (updates) => {
      for (const u of updates)
        if (u.key.id && typeof u.update.status === 'number')
          this.ackListeners.emit(u.key.id, u.update.status);
    });
    sock.ev.on('messages.upsert', (u) => {
      if (gen !== this.gen || u.type !== 'notify') return;
      for (const m of u.messages) this.deliver(m);
    });
    sock.ev.on('connection.update', (u) => {
      if (gen !== this.gen) return;
      void this.onConnectionUpdate(sock, u).catch((e: unknown) =>
        this.deps.log.error('whatsapp connection update failed', {
          error: e instanceof Error ? e.message : String(e),
        }),
      );
    });
  }

  private deliver(m: WaMessageLike): void {
    const incoming = incomingFromBaileys(m, this.deps.clock.now());
    if (!incoming) {
      if (
        !m.key.fromMe &&
        m.key.remoteJid?.endsWith('@lid') &&
        (m.message?.conversation || m.message?.extendedTextMessage)
      ) {
        this.deps.log.info('incoming message without a phone number skipped (LID only)');
      }
      return;
    }
    try {
      this.messageListeners.emit(incoming);
    } catch (e) {
      // A listener failing must not break Baileys' event loop for the messages after this one.
      this.deps.log.error('incoming message handler failed', {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  private async onConnectionUpdate(sock: SocketLike, u: SocketEvents['connection.update']): Promise<void> {
    if (u.qr) {
      if (this.linking?.method === 'pairing') {
        // Baileys is ready to register once it shows a QR; a pairing code replaces the QR for this link.
        if (!this.pairingRequested) {
          this.pairingRequested = true;
          const code = await sock.requestPairingCode(this.linking.phone);
          this.set({ status: 'connecting', pairingCode: code, qr: null, reason: null });
        }
      } else {
        this.set({ status: 'connecting', qr: u.qr, pairingCode: null, reason: null });
      }
    }
    if (u.connection === 'open') {
      this.attempt = 0;
      this.linking = null;
      this.set({
        status: 'connected',
        phone: phoneOfJid(sock.user?.id),
        qr: null,
        pairingCode: null,
        reason: null,
        reconnectAt: null,
      });
      return;
    }
    if (u.connection !== 'close') return;
    this.sock = null;
    if (this.stopped) return;
    const decision = reconnectDecision(
      statusCodeOf(u.lastDisconnect?.error),
      this.attempt,
      this.linking !== null && !this.pairedJustNow(u),
      this.deps.random ?? Math.random,
    );
    this.deps.log.info('whatsapp closed', {
      code: statusCodeOf(u.lastDisconnect?.error),
      action: decision.action,
    });
    switch (decision.action) {
      case 'now':
        await this.connect();
        return;
      case 'logged_out':
        this.linking = null;
        this.deps.auth.clear();
        this.set({ ...initialState, status: 'logged_out', reason: decision.reason });
        return;
      case 'stop':
        this.linking = null;
        this.set({
          status: 'disconnected',
          reason: decision.reason,
          qr: null,
          pairingCode: null,
          reconnectAt: null,
        });
        return;
      case 'backoff': {
        this.attempt += 1;
        const at = this.deps.clock.now() + decision.delayMs;
        this.set({
          status: 'disconnected',
          reason: decision.reason,
          qr: null,
          pairingCode: null,
          reconnectAt: at,
        });
        this.timer = (this.deps.timers ?? realTimers).set(() => {
          this.timer = null;
          if (!this.stopped) void this.connect();
        }, decision.delayMs);
        return;
      }
      default: {
        const never: never = decision;
        throw new Error(`unhandled ${String(never)}`);
      }
    }
  }

  /** After a successful QR scan/pairing Baileys closes with 515; other codes while linking end the attempt. */
  private pairedJustNow(u: SocketEvents['connection.update']): boolean {
    return statusCodeOf(u.lastDisconnect?.error) === Reason.restartRequired;
  }

  async send(phone: string, text: string, messageId: string): Promise<SendResult> {
    const sock = this.sock;
    if (!sock || this.current.status !== 'connected')
      throw new MessengerError('not_connected', 'WhatsApp tidak terhubung');
    try {
      const res = await sock.sendMessage(`${phone}@s.whatsapp.net`, { text }, { messageId });
      return { id: res?.key.id ?? messageId };
    } catch (e) {
      throw new MessengerError('transient', e instanceof Error ? e.message : String(e));
    }
  }

  async logout(): Promise<void> {
    const sock = this.sock;
    this.stopped = true;
    this.gen += 1;
    this.sock = null;
    if (sock) {
      try {
        await sock.logout();
      } catch (e) {
        this.deps.log.warn('whatsapp logout failed', { error: e instanceof Error ? e.message : String(e) });
      }
      sock.end(undefined);
    }
    this.deps.auth.clear();
    this.linking = null;
    this.set({ ...initialState, status: 'logged_out', reason: 'Nomor sudah dilepas dari Rukun.' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) (this.deps.timers ?? realTimers).clear(this.timer);
    this.timer = null;
    this.closeSocket();
  }

  private closeSocket(): void {
    const sock = this.sock;
    this.gen += 1;
    this.sock = null;
    if (sock) sock.end(undefined);
  }

  private set(patch: Partial<MessengerState>): void {
    this.current = { ...this.current, ...patch };
    this.stateListeners.emit(this.current);
  }
}
