import { can, events, type Access, type EventMessage, type Role } from '../shared/contract/index';
import type { EventAudience } from './events';

/** The parts of a session a transport needs to decide who receives an event. */
export interface SessionRef {
  sessionId: string;
  user: { id: string; role: Role };
}

/**
 * What a transport does with one bus event:
 * - `deliver`: send it;
 * - `skip`: not for this session, keep listening;
 * - `deliver-and-end`: the session is gone and this event tells it why (e.g. `auth.sessionEnded`): send, then stop;
 * - `end`: the session is gone: stop without sending.
 */
export type Delivery = 'deliver' | 'skip' | 'deliver-and-end' | 'end';

/** The permission an event needs, from the contract; undefined for a name this build does not declare. */
export function contractEventAccess(name: string): Access | undefined {
  return Object.hasOwn(events, name) ? events[name as EventMessage['name']].access : undefined;
}

/**
 * The one event filter every transport (SSE over HTTP, IPC to a window) applies, so a window and a browser
 * tab see exactly the same events. `opened` is the session the transport was bound to; `live` is the same
 * token resolved again now (null once it was logged out, expired or its user deactivated). Re-checking on
 * every event is what stops a stream after a logout and applies a role change at once.
 */
export function shouldDeliver(
  msg: { name: string },
  audience: EventAudience,
  opened: SessionRef,
  live: SessionRef | null,
  accessOf: (name: string) => Access | undefined = contractEventAccess,
): Delivery {
  if (!live) {
    const addressedToIt = audience.sessionId === opened.sessionId || audience.userId === opened.user.id;
    return addressedToIt ? 'deliver-and-end' : 'end';
  }
  if (audience.userId && audience.userId !== live.user.id) return 'skip';
  if (audience.sessionId && audience.sessionId !== live.sessionId) return 'skip';
  const access = accessOf(msg.name);
  if (access === undefined || !can(live.user.role, access)) return 'skip';
  return 'deliver';
}
