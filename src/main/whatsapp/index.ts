import QRCode from 'qrcode';
import { AppError } from '../../shared/contract/errors';
import type { SessionView } from '../../shared/contract/whatsapp';
import { recordChange } from '../audit';
import type { BillingApi } from '../billing/api';
import type { Actor } from '../context';
import type { Feature, FeatureBase } from '../feature';
import type { Handlers } from '../rpc/dispatcher';
import { AuthStore } from './auth-state';
import { BaileysMessenger } from './baileys-adapter';
import { InboundService } from './inbound';
import { MessengerError, type LinkRequest, type Messenger, type MessengerState } from './messenger';
import { MessageQueue } from './queue';
import { WhatsappService } from './service';
import { WaSettingsStore } from './settings';
import { TemplateStore } from './templates';
import { Triggers } from './triggers';

type WhatsappMethods = Extract<keyof Handlers, `whatsapp.${string}`>;

/** What other features (and tests, and the demo) can use. */
export interface WhatsappApi {
  queue: MessageQueue;
  service: WhatsappService;
  /** Incoming messages and reply keywords. */
  inbound: InboundService;
  templates: TemplateStore;
  triggers: Triggers | null;
  messenger(): Messenger;
  /** Swap the messenger (tests and the demo use the fake one); the old one is stopped. */
  setMessenger(m: Messenger): Promise<void>;
  session(): SessionView;
}

export interface WhatsappFeature extends Feature {
  api: WhatsappApi;
}

export function createWhatsappFeature(
  base: FeatureBase,
  billing: BillingApi | null,
  opts: { random?: () => number } = {},
): WhatsappFeature {
  const random = opts.random ?? Math.random;
  const log = base.log.child('whatsapp');
  const settings = new WaSettingsStore(base);
  const templates = new TemplateStore(base, random);
  const auth = new AuthStore(base.database.sqlite, base.secrets, base.clock);
  let messenger: Messenger = new BaileysMessenger({ auth, clock: base.clock, log });
  let unbind: (() => void)[] = [];
  let qrDataUrl: { raw: string; url: string } | null = null;
  let view: SessionView = sessionFromDb();
  let stateChain: Promise<void> = Promise.resolve();

  function sessionFromDb(): SessionView {
    const row = base.database.sqlite.prepare('SELECT * FROM wa_session WHERE id = 1').get() as
      | {
          status: string;
          reason: string | null;
          phone: string | null;
          linked_at: number | null;
          last_connected_at: number | null;
        }
      | undefined;
    return {
      // What was stored is history; until the messenger reports, a stored "connected" is "connecting".
      status: row?.status === 'logged_out' ? 'logged_out' : 'disconnected',
      reason: row?.reason ?? null,
      phone: row?.phone ?? null,
      qr: null,
      pairingCode: null,
      linkedAt: row?.linked_at ?? null,
      lastConnectedAt: row?.last_connected_at ?? null,
      reconnectAt: null,
    };
  }

  const queue = new MessageQueue(base, settings, () => messenger, {
    random,
    linkedAt: () => view.linkedAt,
    onChange: () => queueChanged(),
  });
  const service = new WhatsappService(base, billing, templates, queue, () => messenger, settings);
  const inbound = new InboundService(base, settings, templates, queue, {
    onQueueChange: () => queueChanged(),
  });
  const triggers = billing ? new Triggers(base, billing, settings, templates, service, queue) : null;

  let queueTimer: NodeJS.Timeout | null = null;
  function queueChanged(): void {
    // Coalesce: a burst of sends becomes one event per 250 ms.
    if (queueTimer) return;
    queueTimer = setTimeout(() => {
      queueTimer = null;
      try {
        base.events.emit('whatsapp.queue', queue.stats());
      } catch (e) {
        log.warn('queue stats failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }, 250);
    queueTimer.unref();
  }

  async function onState(s: MessengerState): Promise<void> {
    const now = base.clock.now();
    const wasConnected = view.status === 'connected';
    let qr: string | null = null;
    if (s.qr) {
      if (qrDataUrl?.raw !== s.qr)
        qrDataUrl = {
          raw: s.qr,
          url: await QRCode.toDataURL(s.qr, { margin: 1, width: 320, errorCorrectionLevel: 'L' }),
        };
      qr = qrDataUrl.url;
    }
    const connected = s.status === 'connected';
    const newLink = connected && (view.phone !== s.phone || view.linkedAt === null);
    view = {
      status: s.status,
      reason: s.reason,
      phone: s.phone ?? (s.status === 'logged_out' ? null : view.phone),
      qr,
      pairingCode: s.pairingCode,
      linkedAt: s.status === 'logged_out' ? null : newLink ? now : view.linkedAt,
      lastConnectedAt: connected ? now : view.lastConnectedAt,
      reconnectAt: s.reconnectAt,
    };
    base.database.sqlite
      .prepare(
        `INSERT INTO wa_session (id, status, reason, phone, linked_at, last_connected_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, phone = excluded.phone,
           linked_at = excluded.linked_at, last_connected_at = excluded.last_connected_at, updated_at = excluded.updated_at`,
      )
      .run(view.status, view.reason, view.phone, view.linkedAt, view.lastConnectedAt, now);
    base.events.emit('whatsapp.session', view);
    if (connected && !wasConnected) queue.resumeAfterConnect();
  }

  function bind(m: Messenger): void {
    unbind = [
      // Serialised: QR rendering is async, and an older update must never overwrite a newer one.
      m.onState((s) => {
        stateChain = stateChain
          .then(() => onState(s))
          .catch((e: unknown) => log.error('session update failed', { error: String(e) }));
      }),
      m.onAck((id, ack) => queue.markAck(id, ack)),
      m.onMessage((msg) => inbound.accept(msg)),
    ];
  }
  bind(messenger);

  async function audit(actor: Actor, action: string, after: unknown): Promise<void> {
    await base.database.db
      .transaction()
      .execute((trx) =>
        recordChange(trx, base, { actor, action, entity: 'whatsapp_session', entityId: 'whatsapp', after }),
      );
  }

  async function link(actor: Actor, req: LinkRequest): Promise<SessionView> {
    if (view.status === 'connected')
      throw new AppError('CONFLICT', 'WhatsApp sudah tertaut. Lepaskan dulu nomor yang lama.');
    try {
      await messenger.link(req);
    } catch (e) {
      if (e instanceof MessengerError && e.kind === 'invalid_number') {
        throw new AppError('VALIDATION', e.message, {
          issues: [{ path: 'phone', message: e.message, code: 'custom' }],
        });
      }
      throw new AppError(
        'MESSENGER_UNAVAILABLE',
        `WhatsApp tidak bisa dihubungi: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    await audit(actor, 'whatsapp.link', { method: req.method });
    await stateChain;
    return view;
  }

  const api: WhatsappApi = {
    queue,
    service,
    inbound,
    templates,
    triggers,
    messenger: () => messenger,
    async setMessenger(m) {
      for (const u of unbind) u();
      await messenger.stop();
      messenger = m;
      bind(m);
      await onState(m.state());
      await m.start();
    },
    session: () => view,
  };

  const handlers: Pick<Handlers, WhatsappMethods> = {
    'whatsapp.status': async () => {
      await stateChain;
      return view;
    },
    'whatsapp.link': (input, ctx) => link(ctx.actor, input),
    'whatsapp.reconnect': async () => {
      await messenger.reconnect();
      await stateChain;
      return view;
    },
    'whatsapp.logout': async (_input, ctx) => {
      const phone = view.phone;
      await messenger.logout();
      await audit(ctx.actor, 'whatsapp.logout', { phone });
      await stateChain;
      return view;
    },
    'whatsapp.settings.get': () => settings.get(),
    'whatsapp.settings.update': async (input, ctx) => {
      const res = await settings.update(ctx.actor, input.settings, input.version);
      triggers?.scheduleReminders();
      queue.kick();
      return res;
    },
    'whatsapp.templates.list': () => templates.list(),
    'whatsapp.templates.update': (input, ctx) => templates.update(ctx.actor, input),
    'whatsapp.templates.reset': (input, ctx) => templates.reset(ctx.actor, input.kind),
    'whatsapp.preview': (input) => service.preview(input),
    'whatsapp.send': (input, ctx) => service.send(ctx.actor, input),
    'whatsapp.bulk.preview': (input) => service.bulkPreview(input),
    'whatsapp.bulk.send': (input, ctx) => service.bulkSend(ctx.actor, input),
    'whatsapp.messages.list': (input) => service.list(input),
    'whatsapp.messages.stats': () => queue.stats(),
    'whatsapp.messages.retry': (input, ctx) => service.retry(ctx.actor, input.ids),
    'whatsapp.messages.cancel': (input, ctx) => service.cancel(ctx.actor, input.ids),
    'whatsapp.messages.markSent': (input, ctx) => service.markSent(ctx.actor, input.ids),
    'whatsapp.inbox.list': (input) => inbound.list(input),
    'whatsapp.inbox.unread': () => inbound.unread(),
    'whatsapp.inbox.markRead': () => inbound.markRead(),
  };

  return {
    name: 'whatsapp',
    api,
    handlers,
    async start() {
      const recovered = queue.recoverInterrupted();
      if (recovered > 0) log.warn('messages interrupted mid-send marked unknown', { count: recovered });
      await messenger.start().catch((e: unknown) => log.error('whatsapp start failed', { error: String(e) }));
      triggers?.start();
      queue.start();
    },
    async stop() {
      triggers?.stop();
      await inbound.idle();
      await queue.stop();
      await messenger.stop();
      for (const u of unbind) u();
      if (queueTimer) clearTimeout(queueTimer);
    },
  };
}
