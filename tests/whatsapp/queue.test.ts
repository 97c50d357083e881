import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeMessenger, type FakeSent } from '../../src/main/whatsapp/fake-messenger';
import type { NewMessage } from '../../src/main/whatsapp/queue';
import { testCore } from '../helpers/core';
import { jakarta, waCore, whatsappOf, type WaTest } from './helpers';

const HOUR = 3_600_000;
const cores: WaTest[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.core.stop();
});

function reminders(n: number): NewMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'reminder' as const,
    phone: `62812${String(10_000_000 + i)}`,
    body: `Pengingat ${i}`,
    customerName: `Pelanggan ${i}`,
    dedupeKey: `test:${i}`,
  }));
}

/** Moves the fake clock from due time to due time, letting the worker send, until nothing is pending. */
async function drain(t: WaTest, maxSteps = 100_000): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    await t.wa.api.queue.runDue();
    const next = t.wa.api.queue.nextDueAt();
    if (next === null) return;
    if (next > t.clock.now()) t.clock.set(next);
  }
  throw new Error('queue did not drain');
}

const officeHour = (ms: number) =>
  new Date(ms + 7 * HOUR).getUTCHours() + new Date(ms + 7 * HOUR).getUTCMinutes() / 60;
const officeDay = (ms: number) => new Date(ms + 7 * HOUR).toISOString().slice(0, 10);

describe('WhatsApp queue pacing', () => {
  it('spreads 2,500 reminders by the pacing rules: gaps, rests, hourly and daily caps, business hours; each sent once', async () => {
    const t = await waCore({ at: jakarta('2026-11-23', '06:00') });
    cores.push(t);
    const res = t.wa.api.queue.enqueue(reminders(2500), { priority: 'paced' });
    expect(res.ids).toHaveLength(2500);
    // Nothing before business hours (07:00).
    expect(res.firstAt).toBeGreaterThanOrEqual(jakarta('2026-11-23', '07:00'));

    await drain(t);
    const sent = t.fake.sent;
    expect(sent).toHaveLength(2500);
    expect(new Set(sent.map((s) => s.phone)).size).toBe(2500);
    expect(new Set(sent.map((s) => s.id)).size).toBe(2500);

    const times = sent.map((s) => s.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(8000);
    for (const at of times) {
      expect(officeHour(at)).toBeGreaterThanOrEqual(7);
      expect(officeHour(at)).toBeLessThan(20);
    }
    const perDay = new Map<string, number>();
    for (const at of times) perDay.set(officeDay(at), (perDay.get(officeDay(at)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(300);
    expect(perDay.size).toBe(Math.ceil(2500 / 300));
    // Rolling hour: never more than 50.
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= HOUR) lo++;
      expect(hi - lo + 1).toBeLessThanOrEqual(50);
    }
    // A rest of at least 5 minutes after every 20 sends in a row.
    let run = 1;
    for (let i = 1; i < times.length; i++) {
      if (times[i]! - times[i - 1]! >= 5 * 60_000) run = 1;
      else run++;
      expect(run).toBeLessThanOrEqual(20);
    }
    const stats = await t.ok('whatsapp.messages.stats', {}, await t.relogin());
    expect(stats.counts.sent).toBe(2500);
    expect(stats.counts.pending).toBe(0);
  });

  it('warm-up: a newly linked number sends at most 20 on its first day', async () => {
    const t = await waCore({ connected: false });
    cores.push(t);
    const s = await t.ok('whatsapp.settings.get', {}, t.token);
    await t.ok(
      'whatsapp.settings.update',
      { settings: { ...s.settings, pacing: { ...s.settings.pacing, warmup: true } }, version: s.version },
      t.token,
    );
    t.clock.set(jakarta('2026-11-23', '07:30'));
    t.fake.completeLink();
    await new Promise((r) => setTimeout(r, 5));
    const res = t.wa.api.queue.enqueue(reminders(60), { priority: 'paced' });
    const dayOne = t.wa.api.queue.plan(0);
    expect(dayOne).toEqual([]);
    expect(res.lastAt).toBeGreaterThan(jakarta('2026-11-24', '07:00'));
    await drain(t);
    const first = t.fake.sent.filter((x) => officeDay(x.at) === '2026-11-23');
    const second = t.fake.sent.filter((x) => officeDay(x.at) === '2026-11-24');
    expect(first).toHaveLength(20);
    expect(second).toHaveLength(40);
  });
});

describe('WhatsApp queue durability', () => {
  it('a restart mid-queue still sends every message exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rukun-wa-'));
    try {
      const t1 = await waCore({ dataDir: dir });
      t1.clock.set(jakarta('2026-11-23', '08:00'));
      t1.wa.api.queue.enqueue(reminders(60), { priority: 'paced' });
      for (let i = 0; i < 25; i++) {
        await t1.wa.api.queue.runDue();
        const next = t1.wa.api.queue.nextDueAt();
        if (next !== null && next > t1.clock.now()) t1.clock.set(next);
      }
      const before: FakeSent[] = [...t1.fake.sent];
      expect(before.length).toBeGreaterThan(10);
      expect(before.length).toBeLessThan(60);
      const at = t1.clock.now();
      await t1.core.stop();

      const t2 = await testCore({ dataDir: dir });
      t2.clock.set(at);
      const wa = whatsappOf(t2.core);
      const fake = new FakeMessenger(t2.clock, { connected: true });
      await wa.api.setMessenger(fake);
      const token = (await t2.ok('auth.login', { username: 'budi', password: 'rahasia-kuat-1' })).token;
      const t: WaTest = { ...t2, wa, fake, token, relogin: async () => token };
      cores.push(t);
      await drain(t);
      const all = [...before, ...fake.sent];
      expect(all).toHaveLength(60);
      expect(new Set(all.map((s) => s.phone)).size).toBe(60);
      expect(new Set(all.map((s) => s.id)).size).toBe(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a message interrupted mid-send is not resent blindly: it becomes "unknown" until the operator decides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rukun-wa-'));
    try {
      const t1 = await waCore({ dataDir: dir });
      t1.clock.set(jakarta('2026-11-23', '08:00'));
      const { ids } = t1.wa.api.queue.enqueue(reminders(1), { priority: 'immediate' });
      const id = ids[0]!;
      // Simulate the crash: the row was claimed (committed) and the process died before the outcome.
      t1.core.deps.database.sqlite
        .prepare("UPDATE wa_messages SET status = 'sending', attempts = 1 WHERE id = ?")
        .run(id);
      await t1.core.stop();

      const t2 = await testCore({ dataDir: dir });
      const wa = whatsappOf(t2.core);
      const fake = new FakeMessenger(t2.clock, { connected: true });
      await wa.api.setMessenger(fake);
      cores.push({ ...t2, wa, fake, token: '', relogin: async () => '' });
      const token = (await t2.ok('auth.login', { username: 'budi', password: 'rahasia-kuat-1' })).token;
      await wa.api.queue.runDue();
      expect(fake.sent).toHaveLength(0);
      const list = await t2.ok('whatsapp.messages.list', { status: ['unknown'] }, token);
      expect(list.rows.map((r) => r.id)).toEqual([id]);

      await t2.ok('whatsapp.messages.retry', { ids: [id] }, token);
      await wa.api.queue.runDue();
      expect(fake.sent).toHaveLength(1);
      const row = await t2.ok('whatsapp.messages.list', { status: ['sent'] }, token);
      expect(row.rows[0]?.id).toBe(id);
      // The resend carries the same WhatsApp message id as the interrupted attempt would have.
      const waId = t2.core.deps.database.sqlite
        .prepare('SELECT wa_id FROM wa_messages WHERE id = ?')
        .pluck()
        .get(id);
      expect(fake.sent[0]?.id).toBe(waId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends while disconnected are logged as failed and go out once the session is back, not lost', async () => {
    const t = await waCore({ connected: false, at: jakarta('2026-11-23', '09:00') });
    cores.push(t);
    t.wa.api.queue.enqueue([{ kind: 'receipt', phone: '6281234567890', body: 'Nota' }], {
      priority: 'immediate',
    });
    await t.wa.api.queue.runDue();
    expect(t.fake.sent).toHaveLength(0);
    const pending = await t.ok('whatsapp.messages.list', { status: ['pending'] }, t.token);
    expect(pending.rows[0]).toMatchObject({ waitingConnection: true, attempts: 0 });
    expect(pending.rows[0]?.lastError).toMatch(/tidak terhubung/);
    const attempts = t.core.deps.database.sqlite
      .prepare("SELECT COUNT(*) FROM wa_attempts WHERE outcome = 'failed'")
      .pluck()
      .get();
    expect(attempts).toBe(1);

    t.fake.setConnected(true);
    await new Promise((r) => setTimeout(r, 5));
    await t.wa.api.queue.runDue();
    expect(t.fake.sent.map((s) => s.text)).toEqual(['Nota']);
    await t.wa.api.queue.runDue();
    expect(t.fake.sent).toHaveLength(1);
  });

  it('retries transient failures with backoff up to the limit, then fails; many failures in a row raise the alert', async () => {
    const t = await waCore({ at: jakarta('2026-11-23', '09:00') });
    cores.push(t);
    t.fake.failNext = 100;
    t.wa.api.queue.enqueue(reminders(2), { priority: 'immediate' });
    await t.wa.api.queue.runDue();
    let rows = (await t.ok('whatsapp.messages.list', {}, t.token)).rows;
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 1)).toBe(true);
    expect(rows[0]!.dueAt - t.clock.now()).toBe(10 * 60_000);
    t.clock.advance(10 * 60_000);
    await t.wa.api.queue.runDue();
    rows = (await t.ok('whatsapp.messages.list', {}, t.token)).rows;
    expect(rows[0]!.dueAt - t.clock.now()).toBe(20 * 60_000);
    t.clock.advance(20 * 60_000);
    await t.wa.api.queue.runDue();
    rows = (await t.ok('whatsapp.messages.list', {}, t.token)).rows;
    expect(rows.every((r) => r.status === 'failed' && r.attempts === 3)).toBe(true);
    const stats = await t.ok('whatsapp.messages.stats', {}, t.token);
    expect(stats.failedStreak).toBe(6);
    expect(stats.alert).toBe(true);
    expect(stats.hourly.reduce((n, h) => n + h.failed, 0)).toBe(6);
    expect(stats.hourly.filter((h) => h.failed > 0).length).toBeLessThanOrEqual(2);

    t.fake.failNext = 0;
    await t.ok('whatsapp.messages.retry', { ids: rows.map((r) => r.id) }, t.token);
    await t.wa.api.queue.runDue();
    expect(t.fake.sent).toHaveLength(2);
    expect((await t.ok('whatsapp.messages.stats', {}, t.token)).alert).toBe(false);
  });

  it('cancel keeps a pending message from going out; an unknown number fails at once', async () => {
    const t = await waCore({ at: jakarta('2026-11-23', '09:00') });
    cores.push(t);
    t.fake.invalidNumbers.add('62812999');
    const { ids } = t.wa.api.queue.enqueue(reminders(3), { priority: 'paced' });
    t.wa.api.queue.enqueue([{ kind: 'custom', phone: '62812999', body: 'x' }], { priority: 'immediate' });
    await t.ok('whatsapp.messages.cancel', { ids: [ids[1]!] }, t.token);
    await drain(t);
    expect(t.fake.sent.map((s) => s.text)).toEqual(['Pengingat 0', 'Pengingat 2']);
    const failed = await t.ok('whatsapp.messages.list', { status: ['failed'] }, await t.relogin());
    expect(failed.rows[0]).toMatchObject({ phone: '62812999', attempts: 1 });
  });
});
