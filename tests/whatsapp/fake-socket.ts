import { EventEmitter } from 'node:events';
import type { AuthenticationState } from '@whiskeysockets/baileys';
import type { BaileysLib, SocketEvents, SocketLike, Timers } from '../../src/main/whatsapp/baileys-adapter';
import { loadBaileys } from '../../src/main/whatsapp/baileys-adapter';

/** A stand-in for the Baileys socket: the test plays WhatsApp's side by emitting connection updates. */
export class FakeSocket implements SocketLike {
  readonly emitter = new EventEmitter();
  readonly sentMessages: { jid: string; text: string; messageId: string }[] = [];
  readonly pairingRequests: string[] = [];
  user: { id: string } | undefined;
  ended = false;
  loggedOut = false;
  ev = {
    on: <E extends keyof SocketEvents>(event: E, listener: (arg: SocketEvents[E]) => void) => {
      this.emitter.on(event, listener);
    },
  };
  constructor(readonly auth: AuthenticationState) {}
  emit<E extends keyof SocketEvents>(event: E, arg: SocketEvents[E]): void {
    this.emitter.emit(event, arg);
  }
  async sendMessage(jid: string, content: { text: string }, opts: { messageId: string }) {
    this.sentMessages.push({ jid, text: content.text, messageId: opts.messageId });
    return { key: { id: opts.messageId } };
  }
  async requestPairingCode(phone: string): Promise<string> {
    this.pairingRequests.push(phone);
    return 'ABCD1234';
  }
  async logout(): Promise<void> {
    this.loggedOut = true;
  }
  end(): void {
    this.ended = true;
  }
  /** WhatsApp closes the connection with a Boom-like error carrying this status code. */
  close(statusCode: number): void {
    const error = Object.assign(new Error(`closed ${statusCode}`), { output: { statusCode } });
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
}

/** Real Baileys auth helpers (initAuthCreds, BufferJSON) with a fake socket factory. */
export async function fakeBaileys(): Promise<{ lib: BaileysLib; sockets: FakeSocket[] }> {
  const real = await loadBaileys();
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    lib: {
      ...real,
      makeSocket: ({ auth }) => {
        const s = new FakeSocket(auth);
        sockets.push(s);
        return s;
      },
    },
  };
}

/** Timers the test fires by hand, so backoff delays are asserted, not waited for. */
export class ManualTimers implements Timers {
  readonly pending: { fn: () => void; ms: number; id: number }[] = [];
  private next = 1;
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clear(handle: unknown): void {
    const i = this.pending.findIndex((p) => p.id === handle);
    if (i >= 0) this.pending.splice(i, 1);
  }
  fire(): void {
    const p = this.pending.shift();
    p?.fn();
  }
}

export const tick = () => new Promise((r) => setImmediate(r));
