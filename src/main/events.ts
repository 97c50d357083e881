import { EventEmitter } from 'node:events';
import type { EventMessage, EventName, EventPayload } from '../shared/contract/index';

export interface EventAudience {
  /** Only this user's transports receive the event (e.g. their session ended). */
  userId?: string;
  /** Only the transport holding this session token hash. */
  sessionId?: string;
}

export type EventListener = (msg: EventMessage, audience: EventAudience) => void;

/** In-process fan-out of contract events to the transports, which filter by session and permission. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  emit<E extends EventName>(name: E, payload: EventPayload<E>, audience: EventAudience = {}): void {
    this.emitter.emit('event', { name, payload } as EventMessage, audience);
  }
  subscribe(listener: EventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
