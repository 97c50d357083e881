import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/lib/clock';
import { createLogger } from '../../src/main/lib/logger';
import { createSecretBox, memoryKeyProvider } from '../../src/main/lib/secrets';
import { openDatabase } from '../../src/main/db/database';
import { AuthStore } from '../../src/main/whatsapp/auth-state';
import {
  BACKOFF_CAP_MS,
  BaileysMessenger,
  Reason,
  reconnectDecision,
} from '../../src/main/whatsapp/baileys-adapter';
import type { IncomingMessage, MessengerState } from '../../src/main/whatsapp/messenger';
import type { WaMessageLike } from '../../src/main/whatsapp/baileys-adapter';
import { ManualTimers, fakeBaileys, tick } from './fake-socket';

async function setup() {
  const database = openDatabase(':memory:');
  const clock = new FakeClock();
  const secrets = createSecretBox(memoryKeyProvider());
  const auth = new AuthStore(database.sqlite, secrets, clock);
  const { lib, sockets } = await fakeBaileys();
  const timers = new ManualTimers();
  const make = () =>
    new BaileysMessenger({
      auth,
      clock,
      log: createLogger('silent'),
      loadLib: async () => lib,
      timers,
      random: () => 0.5,
    });
  const messenger = make();
  const states: MessengerState[] = [];
  messenger.onState((s) => states.push(s));
  return { database, auth, sockets, timers, messenger, states, make, clock };
}

describe('Baileys adapter with a fake socket', () => {
  it('links by QR: shows the QR, reconnects at once on "restart required", connects, and keeps the link across restarts', async () => {
    const t = await setup();
    await t.messenger.link({ method: 'qr' });
    const s1 = t.sockets[0];
    expect(s1).toBeDefined();
    if (!s1) return;
    s1.emit('connection.update', { qr: '2@QRPAYLOAD' });
    await tick();
    expect(t.messenger.state()).toMatchObject({ status: 'connecting', qr: '2@QRPAYLOAD' });

    // The phone scanned: Baileys stores the new creds and asks for a restart (515).
    s1.auth.creds.registered = true;
    s1.emit('creds.update', {});
    s1.close(Reason.restartRequired);
    await tick();
    expect(t.sockets).toHaveLength(2);
    expect(t.timers.pending).toHaveLength(0);
    const s2 = t.sockets[1];
    if (!s2) return;
    s2.user = { id: '6281234567890:7@s.whatsapp.net' };
    s2.emit('connection.update', { connection: 'open' });
    await tick();
    expect(t.messenger.state()).toMatchObject({ status: 'connected', phone: '6281234567890', qr: null });

    // Auth state is stored sealed: no key material in plain text.
    const rows = t.auth.rawRows();
    expect(rows.some((r) => r.category === 'creds')).toBe(true);
    for (const r of rows) {
      expect(r.sealed.startsWith('v1:')).toBe(true);
      expect(r.sealed).not.toContain('noiseKey');
    }

    // A new process with the same database connects by itself, no QR.
    await t.messenger.stop();
    const again = t.make();
    await again.start();
    expect(t.sockets).toHaveLength(3);
    expect(t.sockets[2]?.auth.creds.registered).toBe(true);
    expect(again.state().status).toBe('connecting');
  });

  it('links by pairing code: asks Baileys for a code for the normalised number and shows it instead of a QR', async () => {
    const t = await setup();
    await t.messenger.link({ method: 'pairing', phone: '0812-3456-7890' });
    const s = t.sockets[0];
    if (!s) throw new Error('no socket');
    s.emit('connection.update', { qr: '2@ignored' });
    await tick();
    expect(s.pairingRequests).toEqual(['6281234567890']);
    expect(t.messenger.state()).toMatchObject({ status: 'connecting', pairingCode: 'ABCD1234', qr: null });
    s.emit('connection.update', { qr: '2@second' });
    await tick();
    expect(s.pairingRequests).toHaveLength(1);
  });

  it('reconnect policy: logged out forgets the keys, replaced stops without a loop, others back off with jitter', async () => {
    const t = await setup();
    await t.messenger.link({ method: 'qr' });
    const first = t.sockets[0];
    if (!first) throw new Error('no socket');
    first.auth.creds.registered = true;
    first.emit('creds.update', {});
    first.emit('connection.update', { connection: 'open' });
    await tick();

    // Connection lost → backoff, no new socket until the timer fires.
    first.close(Reason.connectionLost);
    await tick();
    expect(t.messenger.state()).toMatchObject({ status: 'disconnected' });
    expect(t.messenger.state().reconnectAt).toBe(t.clock.now() + 1500);
    expect(t.timers.pending.map((p) => p.ms)).toEqual([1500]);
    expect(t.sockets).toHaveLength(1);
    t.timers.fire();
    await tick();
    expect(t.sockets).toHaveLength(2);

    // Replaced by another session → stop, no timer, no new socket.
    t.sockets[1]?.close(Reason.connectionReplaced);
    await tick();
    expect(t.messenger.state().status).toBe('disconnected');
    expect(t.messenger.state().reason).toMatch(/digantikan/);
    expect(t.timers.pending).toHaveLength(0);
    expect(t.sockets).toHaveLength(2);

    // Operator reconnects; then the phone removes the device → logged out, keys erased.
    await t.messenger.reconnect();
    expect(t.sockets).toHaveLength(3);
    t.sockets[2]?.close(Reason.loggedOut);
    await tick();
    expect(t.messenger.state().status).toBe('logged_out');
    expect(t.auth.hasCreds()).toBe(false);
    expect(t.sockets).toHaveLength(3);
  });

  it('an unfinished link (QR codes ran out) stops instead of reconnecting forever', async () => {
    const t = await setup();
    await t.messenger.link({ method: 'qr' });
    t.sockets[0]?.close(Reason.connectionLost);
    await tick();
    expect(t.messenger.state()).toMatchObject({ status: 'disconnected', qr: null });
    expect(t.messenger.state().reason).toMatch(/QR/);
    expect(t.timers.pending).toHaveLength(0);
  });

  it('backoff grows exponentially with jitter and is capped', () => {
    const lo = () => 0;
    const hi = () => 0.999;
    expect(reconnectDecision(Reason.connectionClosed, 0, false, lo)).toEqual(
      expect.objectContaining({ action: 'backoff', delayMs: 1000 }),
    );
    expect(reconnectDecision(Reason.connectionClosed, 3, false, lo)).toEqual(
      expect.objectContaining({ delayMs: 8000 }),
    );
    const capped = reconnectDecision(undefined, 30, false, hi);
    expect(
      capped.action === 'backoff' && capped.delayMs <= BACKOFF_CAP_MS && capped.delayMs > BACKOFF_CAP_MS / 2,
    ).toBe(true);
    expect(reconnectDecision(Reason.restartRequired, 5, true, lo)).toEqual({ action: 'now' });
  });

  it('sends to the number JID with our message id, refuses while disconnected, and reports acks', async () => {
    const t = await setup();
    await expect(t.messenger.send('6281234567890', 'x', 'ID1')).rejects.toMatchObject({
      kind: 'not_connected',
    });
    await t.messenger.link({ method: 'qr' });
    const s = t.sockets[0];
    if (!s) throw new Error('no socket');
    s.emit('connection.update', { connection: 'open' });
    await tick();
    const acks: [string, number][] = [];
    t.messenger.onAck((id, ack) => acks.push([id, ack]));
    const res = await t.messenger.send('6281234567890', 'Halo', '3EB0ABC');
    expect(res.id).toBe('3EB0ABC');
    expect(s.sentMessages).toEqual([
      { jid: '6281234567890@s.whatsapp.net', text: 'Halo', messageId: '3EB0ABC' },
    ]);
    s.emit('messages.update', [{ key: { id: '3EB0ABC' }, update: { status: 3 } }]);
    expect(acks).toEqual([['3EB0ABC', 3]]);
    await t.messenger.logout();
    expect(s.loggedOut).toBe(true);
    expect(t.messenger.state().status).toBe('logged_out');
  });
});

describe('Baileys adapter: incoming messages', () => {
  /** A connected adapter on a fake socket, collecting what it reports as incoming. */
  async function connected() {
    const t = await setup();
    await t.messenger.link({ method: 'qr' });
    const s = t.sockets[0];
    if (!s) throw new Error('no socket');
    s.emit('connection.update', { connection: 'open' });
    await tick();
    const got: IncomingMessage[] = [];
    t.messenger.onMessage((m) => got.push(m));
    return { ...t, s, got };
  }
  const text = (
    id: string,
    key: Partial<WaMessageLike['key']>,
    body: WaMessageLike['message'] = { conversation: 'STOP' },
  ): WaMessageLike => ({
    key: { id, remoteJid: '6281234567890@s.whatsapp.net', fromMe: false, ...key },
    message: body,
    messageTimestamp: 1_790_000_000,
    pushName: 'Siti',
  });

  it('reports a customer text with number, text, time and push name; reads extended and disappearing texts', async () => {
    const t = await connected();
    t.s.emit('messages.upsert', {
      type: 'notify',
      messages: [
        text('A1', {}),
        text(
          'A2',
          { remoteJid: '6281234567890:3@s.whatsapp.net' },
          { extendedTextMessage: { text: 'Berhenti!' } },
        ),
        text('A3', {}, { ephemeralMessage: { message: { extendedTextMessage: { text: 'mulai' } } } }),
        { ...text('A4', {}), messageTimestamp: { toNumber: () => 1_790_000_100 }, pushName: null },
      ],
    });
    expect(t.got).toEqual([
      { id: 'A1', phone: '6281234567890', text: 'STOP', at: 1_790_000_000_000, pushName: 'Siti' },
      { id: 'A2', phone: '6281234567890', text: 'Berhenti!', at: 1_790_000_000_000, pushName: 'Siti' },
      { id: 'A3', phone: '6281234567890', text: 'mulai', at: 1_790_000_000_000, pushName: 'Siti' },
      { id: 'A4', phone: '6281234567890', text: 'STOP', at: 1_790_000_100_000 },
    ]);
  });

  it('skips our own messages, groups, status, broadcasts, reactions, protocol messages, empty texts and history', async () => {
    const t = await connected();
    t.s.emit('messages.upsert', {
      type: 'notify',
      messages: [
        text('B1', { fromMe: true }),
        text('B2', { remoteJid: '120363025246125888@g.us', participant: '6281234567890@s.whatsapp.net' }),
        text('B3', { remoteJid: 'status@broadcast', participant: '6281234567890@s.whatsapp.net' }),
        text('B4', { remoteJid: '1234567890@broadcast' }),
        text('B5', { remoteJid: '120363111111111111@newsletter' }),
        text('B6', {}, { reactionMessage: { text: '👍' } }),
        text('B7', {}, { protocolMessage: { type: 0 } }),
        text('B8', {}, null),
        { ...text('B9', {}), messageStubType: 2 },
        text('B10', {}, { conversation: '   ' }),
      ],
    });
    // History sync and our own sends from the phone arrive as "append", never as new customer messages.
    t.s.emit('messages.upsert', { type: 'append', messages: [text('B11', {})] });
    expect(t.got).toEqual([]);
    t.s.emit('messages.upsert', { type: 'notify', messages: [text('B12', {})] });
    expect(t.got.map((m) => m.id)).toEqual(['B12']);
  });

  it('media shows up as a marked line with its caption (a transfer slip photo must not vanish); stickers do not', async () => {
    const t = await connected();
    t.s.emit('messages.upsert', {
      type: 'notify',
      messages: [
        text('M1', {}, { imageMessage: { caption: 'sudah transfer ya pak' } }),
        text('M2', {}, { imageMessage: {} }),
        text(
          'M3',
          {},
          {
            documentWithCaptionMessage: {
              message: { documentMessage: { fileName: 'bukti.pdf', caption: 'bukti bayar' } },
            },
          },
        ),
        text('M4', {}, { audioMessage: {} }),
        text('M5', {}, { stickerMessage: {} } as WaMessageLike['message']),
      ],
    });
    expect(t.got.map((m) => [m.id, m.text])).toEqual([
      ['M1', '[Foto] sudah transfer ya pak'],
      ['M2', '[Foto]'],
      ['M3', '[Dokumen: bukti.pdf] bukti bayar'],
      ['M4', '[Pesan suara]'],
    ]);
  });

  it('Baileys 7 LID chats: the number comes from remoteJidAlt (or senderPn); a LID without a number is skipped', async () => {
    const t = await connected();
    t.s.emit('messages.upsert', {
      type: 'notify',
      messages: [
        text('C1', { remoteJid: '215589313241183@lid', remoteJidAlt: '6289876543210@s.whatsapp.net' }),
        text('C2', { remoteJid: '215589313241184@lid', senderPn: '6281122334455@s.whatsapp.net' }),
        text('C3', { remoteJid: '215589313241185@lid' }),
        text('C4', { remoteJid: '215589313241186@lid', remoteJidAlt: '215589313241186@lid' }),
      ],
    });
    expect(t.got.map((m) => [m.id, m.phone])).toEqual([
      ['C1', '6289876543210'],
      ['C2', '6281122334455'],
    ]);
  });

  it('a failing listener does not stop the messages after it', async () => {
    const t = await connected();
    t.messenger.onMessage(() => {
      throw new Error('boom');
    });
    t.s.emit('messages.upsert', { type: 'notify', messages: [text('D1', {}), text('D2', {})] });
    expect(t.got.map((m) => m.id)).toEqual(['D1', 'D2']);
  });
});
