import { z } from 'zod';
import { Empty, PageInput, method, page } from './define';

export const AuditEntry = z.object({
  id: z.string(),
  at: z.number(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  via: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const systemContract = {
  'system.info': method({
    input: Empty,
    output: z.object({
      appVersion: z.string(),
      schemaVersion: z.number().int(),
      timeZone: z.string(),
      now: z.number(),
      headless: z.boolean(),
      /** Base URL routers and customers use for the LAN listener, or null when it is not listening. */
      lanUrl: z.string().nullable(),
    }),
    access: 'authenticated',
    audited: false,
    summary: 'Version, schema version, office time zone and server time.',
  }),
  'audit.list': method({
    input: PageInput.extend({
      action: z.string().max(64).optional(),
      entity: z.string().max(64).optional(),
      actorId: z.string().optional(),
    }),
    output: page(AuditEntry),
    access: 'audit.view',
    audited: false,
    summary: 'The audit log, newest first, paged and searchable.',
  }),
};
