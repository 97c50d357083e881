import { z } from 'zod';
import type { Access } from './permissions';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** Audited methods write an audit entry in the service; this flag documents it in /api/contract. */
  audited: boolean;
  summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  payload: P;
  /** Only sessions with this access receive the event. */
  access: Access;
  summary: string;
}

export function event<P extends z.ZodType>(def: EventDef<P>): EventDef<P> {
  return def;
}

export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });
export const Id = z.string().uuid();

/** Paged list input shared by every table that can grow large (server-side paging, sorting, search). */
export const PageInput = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  search: z.string().max(200).optional(),
  sort: z.object({ field: z.string().max(64), dir: z.enum(['asc', 'desc']) }).optional(),
});
export type PageInput = z.infer<typeof PageInput>;

export function page<T extends z.ZodType>(row: T) {
  return z.object({ rows: z.array(row), total: z.number().int() });
}
