import type { z } from 'zod';
import { authContract, authEvents } from './auth';
import { routersContract, routersEvents } from './routers';
import { billingContract, billingEvents } from './billing';
import { settingsContract, settingsEvents } from './settings';
import { staffContract } from './staff';
import { systemContract } from './system';
import { vouchersContract, vouchersEvents } from './vouchers';
import { whatsappContract, whatsappEvents } from './whatsapp';
import type { EventDef, MethodDef } from './define';

/**
 * Every contract method, declared once. Each feature adds its own map here; the dispatcher, the HTTP and
 * IPC transports, the renderer client and GET /api/contract all derive from this object.
 */
export const contract = {
  ...authContract,
  ...staffContract,
  ...settingsContract,
  ...systemContract,
  ...routersContract,
  ...vouchersContract,
  ...billingContract,
  ...whatsappContract,
} satisfies Record<string, MethodDef>;

export const events = {
  ...authEvents,
  ...settingsEvents,
  ...routersEvents,
  ...vouchersEvents,
  ...billingEvents,
  ...whatsappEvents,
} satisfies Record<string, EventDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;
export interface EventMessage<E extends EventName = EventName> {
  name: E;
  payload: EventPayload<E>;
}

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(contract, name);

export * from './errors';
export * from './permissions';
export { PageInput } from './define';
