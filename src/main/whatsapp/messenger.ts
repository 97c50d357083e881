import type { WaStatus } from '../../shared/contract/whatsapp';

/**
 * What the queue and the screens need from a WhatsApp connection. The Baileys adapter implements it for
 * real; tests and the demo use the fake messenger. Status changes arrive through `onState`.
 */
export interface MessengerState {
  status: WaStatus;
  reason: string | null;
  /** Linked number (digits, 62…). */
  phone: string | null;
  /** Raw QR payload while linking by QR (the feature renders it to an image). */
  qr: string | null;
  pairingCode: string | null;
  reconnectAt: number | null;
}

export type LinkRequest = { method: 'qr' } | { method: 'pairing'; phone: string };

export interface SendResult {
  /** WhatsApp message id (equals the id we asked for when the transport honours it). */
  id: string;
}

/** A text message a customer sent to the office number. */
export interface IncomingMessage {
  /** WhatsApp message id (a redelivery carries the same id). */
  id: string;
  /** Sender's number: digits, 62… for Indonesian numbers. */
  phone: string;
  text: string;
  /** When WhatsApp says it was sent (epoch ms). */
  at: number;
  /** The name the sender set in WhatsApp, when known. */
  pushName?: string;
}

/** Why a send failed, so the queue knows whether to wait for the connection, retry, or give up. */
export class MessengerError extends Error {
  constructor(
    readonly kind: 'not_connected' | 'invalid_number' | 'transient',
    message: string,
  ) {
    super(message);
    this.name = 'MessengerError';
  }
}

export interface Messenger {
  state(): MessengerState;
  onState(listener: (s: MessengerState) => void): () => void;
  /** Delivery acknowledgements (2 server, 3 delivered, 4 read) for sent message ids. */
  onAck(listener: (id: string, ack: number) => void): () => void;
  /** Text messages customers send to the linked number (not our own, not groups, not status updates). */
  onMessage(listener: (m: IncomingMessage) => void): () => void;
  /** Connects when a linked session is stored; otherwise stays disconnected until `link`. */
  start(): Promise<void>;
  link(req: LinkRequest): Promise<void>;
  reconnect(): Promise<void>;
  /** `messageId` is our idempotency key: a resend of the same queue row reuses it. */
  send(phone: string, text: string, messageId: string): Promise<SendResult>;
  logout(): Promise<void>;
  stop(): Promise<void>;
}

export const initialState: MessengerState = {
  status: 'disconnected',
  reason: null,
  phone: null,
  qr: null,
  pairingCode: null,
  reconnectAt: null,
};

/** Small listener set shared by the messengers. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...a: A) => void>();
  add(fn: (...a: A) => void): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }
  emit(...a: A): void {
    for (const fn of this.set) fn(...a);
  }
}
