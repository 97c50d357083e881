import type { Clock } from '../lib/clock';
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

export interface FakeSent {
  phone: string;
  text: string;
  id: string;
  at: number;
}

/**
 * An in-process messenger for tests and the demo: records what would have gone out, lets a test decide
 * whether the session is connected and whether sends fail. Linking shows a QR that a test (or the demo's
 * timer) "scans" with `completeLink()`.
 */
export class FakeMessenger implements Messenger {
  readonly sent: FakeSent[] = [];
  /** Numbers WhatsApp would reject as not registered. */
  readonly invalidNumbers = new Set<string>();
  /** Throw this many transient errors before sending succeeds again. */
  failNext = 0;
  /** Called before a send resolves (a test can stop the core here to simulate a crash mid-send). */
  beforeResolve: ((phone: string, id: string) => Promise<void>) | null = null;
  private current: MessengerState = { ...initialState };
  private readonly stateListeners = new Listeners<[MessengerState]>();
  private readonly ackListeners = new Listeners<[string, number]>();
  private readonly messageListeners = new Listeners<[IncomingMessage]>();
  private received = 0;

  constructor(
    private readonly clock: Clock,
    opts: { connected?: boolean; phone?: string } = {},
  ) {
    if (opts.connected)
      this.current = { ...initialState, status: 'connected', phone: opts.phone ?? '6281100000000' };
  }

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
  /**
   * A customer's message arrives (test/demo control). Without an id a fresh one is made; pass the same id
   * twice to play WhatsApp redelivering a message.
   */
  deliver(m: { phone: string; text: string; id?: string; at?: number; pushName?: string }): IncomingMessage {
    this.received += 1;
    const msg: IncomingMessage = {
      id: m.id ?? `FAKEIN${this.clock.now().toString(36).toUpperCase()}${this.received}`,
      phone: m.phone,
      text: m.text,
      at: m.at ?? this.clock.now(),
      ...(m.pushName ? { pushName: m.pushName } : {}),
    };
    this.messageListeners.emit(msg);
    return msg;
  }
  async start(): Promise<void> {}
  async link(req: LinkRequest): Promise<void> {
    if (req.method === 'qr')
      this.set({
        status: 'connecting',
        qr: `2@fake-qr-${this.clock.now()}`,
        pairingCode: null,
        reason: null,
      });
    else this.set({ status: 'connecting', qr: null, pairingCode: 'RUKN-2026', reason: null });
  }
  /** The phone scanned the QR / typed the pairing code. */
  completeLink(phone = '6281100000000'): void {
    this.set({ status: 'connected', phone, qr: null, pairingCode: null, reason: null });
  }
  async reconnect(): Promise<void> {
    if (this.current.phone) this.set({ status: 'connected', reason: null });
  }
  setConnected(connected: boolean): void {
    this.set(
      connected
        ? { status: 'connected', reason: null }
        : { status: 'disconnected', reason: 'Koneksi terputus' },
    );
  }
  async send(phone: string, text: string, messageId: string): Promise<SendResult> {
    if (this.current.status !== 'connected')
      throw new MessengerError('not_connected', 'WhatsApp tidak terhubung');
    if (this.invalidNumbers.has(phone))
      throw new MessengerError('invalid_number', 'Nomor tidak terdaftar di WhatsApp');
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new MessengerError('transient', 'Gagal mengirim (gangguan sementara)');
    }
    await this.beforeResolve?.(phone, messageId);
    this.sent.push({ phone, text, id: messageId, at: this.clock.now() });
    return { id: messageId };
  }
  ack(id: string, ack: number): void {
    this.ackListeners.emit(id, ack);
  }
  async logout(): Promise<void> {
    this.set({ ...initialState, status: 'logged_out', reason: 'Keluar dari WhatsApp' });
  }
  async stop(): Promise<void> {}
  private set(patch: Partial<MessengerState>): void {
    this.current = { ...this.current, ...patch };
    this.stateListeners.emit(this.current);
  }
}
