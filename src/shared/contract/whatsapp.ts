import { z } from 'zod';
import { normalizeKeyword } from '../whatsapp/keywords';
import { Period } from './dates';
import { Empty, Id, PageInput, event, method, page } from './define';

export const WA_STATUSES = ['disconnected', 'connecting', 'connected', 'logged_out'] as const;
export const WaStatus = z.enum(WA_STATUSES);
export type WaStatus = z.infer<typeof WaStatus>;

export const MESSAGE_KINDS = [
  'invoice_issued',
  'reminder',
  'receipt',
  'isolation',
  'restore',
  'custom',
  'optout_confirm',
  'optin_confirm',
] as const;
export const MessageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKind>;

/** Sent by Rukun itself in answer to a customer's keyword; not offered as a template for manual sends. */
export const AUTO_REPLY_KINDS: readonly MessageKind[] = ['optout_confirm', 'optin_confirm'];
export const MANUAL_KINDS: readonly MessageKind[] = MESSAGE_KINDS.filter(
  (k) => !AUTO_REPLY_KINDS.includes(k),
);

export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled', 'unknown'] as const;
export const MessageStatus = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const SessionView = z.object({
  status: WaStatus,
  /** Why the session is not connected (Indonesian, for the operator), or null. */
  reason: z.string().nullable(),
  /** Linked number, digits starting with 62. */
  phone: z.string().nullable(),
  /** While linking by QR: the current QR code as a PNG data URL. */
  qr: z.string().nullable(),
  /** While linking by pairing code: the 8-character code to type on the phone. */
  pairingCode: z.string().nullable(),
  linkedAt: z.number().nullable(),
  lastConnectedAt: z.number().nullable(),
  /** When the next automatic reconnect is planned (backoff), or null. */
  reconnectAt: z.number().nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

const Keyword = z
  .string()
  .trim()
  .min(1, 'Kata kunci kosong')
  .max(40, 'Kata kunci terlalu panjang (maks. 40 huruf)');

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Format jam HH:MM');

export const WaSettings = z
  .object({
    pacing: z.object({
      minDelaySec: z.number().int().min(1).max(3600),
      maxDelaySec: z.number().int().min(1).max(3600),
      jitterSec: z.number().int().min(0).max(600),
      hourlyCap: z.number().int().min(1).max(1000),
      dailyCap: z.number().int().min(1).max(10000),
      batchSize: z.number().int().min(1).max(1000),
      cooldownMin: z.number().int().min(0).max(240),
      businessStart: HhMm,
      businessEnd: HhMm,
      maxAttempts: z.number().int().min(1).max(10),
      retryBaseMin: z.number().int().min(1).max(240),
      /** Ramp the daily cap up over the first 7 days of a newly linked number. */
      warmup: z.boolean(),
    }),
    triggers: z.object({
      invoiceIssued: z.boolean(),
      /** Days before the due date to remind (e.g. 3 and 1). */
      reminderDaysBefore: z.array(z.number().int().min(1).max(30)).max(5),
      reminderOnDue: z.boolean(),
      /** Days after the due date to remind while unpaid. */
      reminderDaysAfter: z.array(z.number().int().min(1).max(60)).max(5),
      /** Office time at which the daily reminder run queues the day's reminders. */
      reminderTime: HhMm,
      receipt: z.boolean(),
      isolation: z.boolean(),
      restore: z.boolean(),
    }),
    /** Consecutive failed sends that raise the "session probably broken" alert. */
    failureAlertThreshold: z.number().int().min(2).max(100),
    /** Replies a customer sends as the whole message to stop or restart WhatsApp messages. */
    inbound: z.object({
      /** At least one each: customers must always be able to stop (and restart) messages by themselves. */
      optOutKeywords: z.array(Keyword).min(1, 'Isi minimal satu kata kunci berhenti').max(20),
      optInKeywords: z.array(Keyword).min(1, 'Isi minimal satu kata kunci berlangganan lagi').max(20),
    }),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, string>();
    for (const [list, words] of [
      ['optOutKeywords', s.inbound.optOutKeywords],
      ['optInKeywords', s.inbound.optInKeywords],
    ] as const) {
      words.forEach((w, i) => {
        const n = normalizeKeyword(w);
        if (!n) {
          ctx.addIssue({
            code: 'custom',
            path: ['inbound', list, i],
            message: `Kata kunci "${w}" tidak berisi huruf atau angka`,
          });
        } else if (seen.get(n) && seen.get(n) !== list) {
          ctx.addIssue({
            code: 'custom',
            path: ['inbound', list],
            message: `"${w}" ada di kedua daftar kata kunci`,
          });
        }
        if (n && !seen.has(n)) seen.set(n, list);
      });
    }
    if (s.pacing.maxDelaySec < s.pacing.minDelaySec) {
      ctx.addIssue({
        code: 'custom',
        path: ['pacing', 'maxDelaySec'],
        message: 'Jeda maksimum harus ≥ jeda minimum',
      });
    }
    if (s.pacing.businessEnd <= s.pacing.businessStart) {
      ctx.addIssue({
        code: 'custom',
        path: ['pacing', 'businessEnd'],
        message: 'Jam selesai harus setelah jam mulai',
      });
    }
  });
export type WaSettings = z.infer<typeof WaSettings>;

export const TemplateView = z.object({
  kind: MessageKind,
  body: z.string(),
  defaultBody: z.string(),
  isDefault: z.boolean(),
  enabled: z.boolean(),
  version: z.number().int(),
});
export type TemplateView = z.infer<typeof TemplateView>;

export const MessageRow = z.object({
  id: z.string(),
  kind: MessageKind,
  status: MessageStatus,
  /** Receipts and isolation notices go out at once; the rest is paced. */
  priority: z.enum(['immediate', 'paced']),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  invoiceId: z.string().nullable(),
  phone: z.string(),
  body: z.string(),
  dueAt: z.number(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  waitingConnection: z.boolean(),
  sentAt: z.number().nullable(),
  /** WhatsApp acknowledgement: 0 none, 2 server, 3 delivered, 4 read. */
  ack: z.number().int(),
  batchId: z.string().nullable(),
  createdAt: z.number(),
});
export type MessageRow = z.infer<typeof MessageRow>;

export const QueueStats = z.object({
  counts: z.record(MessageStatus, z.number().int()),
  waitingConnection: z.number().int(),
  sentToday: z.number().int(),
  dailyCapToday: z.number().int(),
  /** Failed attempts since the last successful send. */
  failedStreak: z.number().int(),
  alert: z.boolean(),
  nextDueAt: z.number().nullable(),
  /** Sends per hour over the last 24 hours, oldest first (for the chart). */
  hourly: z.array(z.object({ hour: z.number(), sent: z.number().int(), failed: z.number().int() })),
});
export type QueueStats = z.infer<typeof QueueStats>;

export const INBOUND_ACTIONS = ['opt_out', 'opt_in'] as const;
export const InboundAction = z.enum(INBOUND_ACTIONS);
export type InboundAction = z.infer<typeof InboundAction>;

/** A message a customer (or anyone) sent to the office number. */
export const InboundRow = z.object({
  id: z.string(),
  /** Sender's number, digits (62… for Indonesian numbers). */
  phone: z.string(),
  /** The name the sender set in WhatsApp. */
  pushName: z.string().nullable(),
  /** The customer with this number (the oldest one when several share it), or null for an unknown number. */
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  text: z.string(),
  receivedAt: z.number(),
  /** What Rukun did: opted the customer out, opted them back in, or nothing (null). */
  action: InboundAction.nullable(),
  /** Pending paced messages cancelled by an opt-out. */
  cancelledMessages: z.number().int(),
  /** The confirmation queued in reply (a message in the log), if any. */
  replyMessageId: z.string().nullable(),
  read: z.boolean(),
});
export type InboundRow = z.infer<typeof InboundRow>;

/** A message's recipient: a customer (from billing) or a typed number. */
export const Recipient = z.union([
  z.object({ customerId: Id, invoiceId: Id.optional() }),
  z.object({ phone: z.string().min(6).max(30), name: z.string().trim().max(100).optional() }),
]);

const BulkTarget = z.union([
  z.object({ customerIds: z.array(Id).min(1).max(10000) }),
  z.object({
    filter: z.object({
      /** Customers with an unpaid invoice in this period (`YYYY-MM`). */
      unpaidPeriod: Period.optional(),
      owing: z.boolean().optional(),
      status: z.array(z.enum(['active', 'isolated', 'inactive'])).optional(),
      area: z.string().max(100).optional(),
      search: z.string().max(100).optional(),
    }),
  }),
]);

const BulkInput = z.object({
  target: BulkTarget,
  kind: z.enum(['reminder', 'custom']),
  /** Text for `custom` (or an edited reminder text); variables are filled per customer. */
  body: z.string().trim().min(1).max(4000).optional(),
});

export const whatsappContract = {
  'whatsapp.status': method({
    input: Empty,
    output: SessionView,
    access: 'whatsapp.view',
    audited: false,
    summary: 'The WhatsApp session: status, linked number, current QR or pairing code.',
  }),
  'whatsapp.link': method({
    input: z.union([
      z.object({ method: z.literal('qr') }),
      z.object({ method: z.literal('pairing'), phone: z.string().min(6).max(30) }),
    ]),
    output: SessionView,
    access: 'whatsapp.manage',
    audited: true,
    summary:
      'Start linking a WhatsApp number by QR code or pairing code (shown live through whatsapp.session).',
  }),
  'whatsapp.reconnect': method({
    input: Empty,
    output: SessionView,
    access: 'whatsapp.manage',
    audited: false,
    summary: 'Reconnect a linked session now (after a replaced session or a long outage).',
  }),
  'whatsapp.logout': method({
    input: Empty,
    output: SessionView,
    access: 'whatsapp.manage',
    audited: true,
    summary: 'Unlink the WhatsApp number and erase its stored keys.',
  }),
  'whatsapp.settings.get': method({
    input: Empty,
    output: z.object({ settings: WaSettings, version: z.number().int() }),
    access: 'whatsapp.view',
    audited: false,
    summary: 'Pacing (anti-ban), reminder triggers and alert settings.',
  }),
  'whatsapp.settings.update': method({
    input: z.object({ settings: WaSettings, version: z.number().int() }),
    output: z.object({ settings: WaSettings, version: z.number().int() }),
    access: 'whatsapp.manage',
    audited: true,
    summary: 'Change pacing, triggers and alert settings (optimistic locking on version).',
  }),
  'whatsapp.templates.list': method({
    input: Empty,
    output: z.array(TemplateView),
    access: 'whatsapp.view',
    audited: false,
    summary: 'Every message template with its default text.',
  }),
  'whatsapp.templates.update': method({
    input: z.object({
      kind: MessageKind,
      body: z.string().trim().min(1).max(4000),
      enabled: z.boolean(),
      version: z.number().int(),
    }),
    output: TemplateView,
    access: 'whatsapp.manage',
    audited: true,
    summary: 'Edit a template (unknown {variables} are refused); version 0 for a template never edited.',
  }),
  'whatsapp.templates.reset': method({
    input: z.object({ kind: MessageKind }),
    output: TemplateView,
    access: 'whatsapp.manage',
    audited: true,
    summary: 'Back to the built-in Indonesian text.',
  }),
  'whatsapp.preview': method({
    input: z.object({
      kind: MessageKind,
      body: z.string().max(4000).optional(),
      customerId: Id.optional(),
      invoiceId: Id.optional(),
    }),
    output: z.object({
      text: z.string(),
      /** True when sample data was used (no customer given or billing not available). */
      sample: z.boolean(),
      customerName: z.string().nullable(),
      unknownVariables: z.array(z.string()),
    }),
    access: 'whatsapp.view',
    audited: false,
    summary: 'Render a template with a real customer (or sample data), with a greeting/closing variation.',
  }),
  'whatsapp.send': method({
    input: z.object({
      to: Recipient,
      kind: MessageKind,
      body: z.string().trim().min(1).max(4000).optional(),
    }),
    output: MessageRow,
    access: 'whatsapp.send',
    audited: true,
    summary: 'Send one message now (queued at the front, not paced); refused when WhatsApp is not connected.',
  }),
  'whatsapp.bulk.preview': method({
    input: BulkInput,
    output: z.object({
      recipients: z.number().int(),
      skippedOptOut: z.number().int(),
      skippedNoPhone: z.number().int(),
      samples: z.array(z.object({ customerName: z.string(), phone: z.string(), text: z.string() })),
      firstAt: z.number().nullable(),
      lastAt: z.number().nullable(),
    }),
    access: 'whatsapp.send',
    audited: false,
    summary: 'Who a bulk message would reach, sample texts and the paced schedule it would take.',
  }),
  'whatsapp.bulk.send': method({
    input: BulkInput,
    output: z.object({
      batchId: z.string(),
      queued: z.number().int(),
      firstAt: z.number().nullable(),
      lastAt: z.number().nullable(),
    }),
    access: 'whatsapp.send',
    audited: true,
    summary: 'Queue a bulk message to a selection or a filter; sent paced (anti-ban).',
  }),
  'whatsapp.messages.list': method({
    input: PageInput.extend({
      status: z.array(MessageStatus).optional(),
      kind: MessageKind.optional(),
      customerId: Id.optional(),
      batchId: z.string().optional(),
    }),
    output: page(MessageRow),
    access: 'whatsapp.view',
    audited: false,
    summary: 'Queue and message log, newest first (pending ones by due time when filtered to pending).',
  }),
  'whatsapp.messages.stats': method({
    input: Empty,
    output: QueueStats,
    access: 'whatsapp.view',
    audited: false,
    summary: 'Queue counts, today against the daily cap, failure streak/alert, sends per hour.',
  }),
  'whatsapp.messages.retry': method({
    input: z.object({ ids: z.array(z.string()).min(1).max(10000) }),
    output: z.object({ updated: z.number().int() }),
    access: 'whatsapp.send',
    audited: true,
    summary: 'Send failed, cancelled or unknown messages again (same WhatsApp message id).',
  }),
  'whatsapp.messages.cancel': method({
    input: z.object({ ids: z.array(z.string()).min(1).max(10000) }),
    output: z.object({ updated: z.number().int() }),
    access: 'whatsapp.send',
    audited: true,
    summary: 'Cancel pending messages.',
  }),
  'whatsapp.messages.markSent': method({
    input: z.object({ ids: z.array(z.string()).min(1).max(1000) }),
    output: z.object({ updated: z.number().int() }),
    access: 'whatsapp.send',
    audited: true,
    summary: 'Mark messages in the "unknown" state (interrupted mid-send) as sent after checking the phone.',
  }),
  'whatsapp.inbox.list': method({
    input: PageInput.extend({
      customerId: Id.optional(),
      /** `none`: messages Rukun did nothing with. */
      action: z.enum([...INBOUND_ACTIONS, 'none']).optional(),
    }),
    output: page(InboundRow),
    access: 'whatsapp.view',
    audited: false,
    summary:
      'Messages customers sent to the office number, newest first, with what Rukun did (opt-out, opt-in).',
  }),
  'whatsapp.inbox.unread': method({
    input: Empty,
    output: z.object({ unread: z.number().int() }),
    access: 'whatsapp.view',
    audited: false,
    summary: 'How many incoming messages nobody has looked at yet (the Inbox tab badge).',
  }),
  'whatsapp.inbox.markRead': method({
    input: Empty,
    output: z.object({ updated: z.number().int(), unread: z.number().int() }),
    access: 'whatsapp.view',
    audited: false,
    summary: 'Mark every incoming message as seen (the office shares one inbox).',
  }),
};

export const whatsappEvents = {
  'whatsapp.session': event({
    payload: SessionView,
    access: 'whatsapp.view',
    summary: 'Session status, QR code or pairing code changed.',
  }),
  'whatsapp.queue': event({
    payload: QueueStats,
    access: 'whatsapp.view',
    summary: 'Queue counts changed (sent, failed, queued); carries the failure alert.',
  }),
  'whatsapp.inbound': event({
    payload: z.object({ message: InboundRow.nullable(), unread: z.number().int() }),
    access: 'whatsapp.view',
    summary:
      'A customer sent a message to the office number (acted on when it was a keyword), or the inbox was read (message null).',
  }),
};
