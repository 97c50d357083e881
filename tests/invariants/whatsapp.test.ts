/**
 * The edge of WhatsApp business hours, for whatever hours the office configured: a paced message may go in
 * the last minute before closing and never at the closing minute itself — it waits for the next opening,
 * whether the planner or the worker (a PC that slept past closing) is the one that notices.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewMessage } from '../../src/main/whatsapp/queue';
import { jakarta, waCore, type WaTest } from '../whatsapp/helpers';

const cores: WaTest[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.core.stop();
});

const SECOND = 1000;

function reminder(key: string): NewMessage {
  return {
    kind: 'reminder',
    phone: '6281234567890',
    body: `Pengingat ${key}`,
    customerName: 'Ahmad Fauzi',
    dedupeKey: `invariant:${key}`,
  };
}

/** `HH:MM` plus `delta` minutes, as `HH:MM` (same day). */
function shift(hhmm: string, delta: number): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const t = h * 60 + m + delta;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

async function officeWithHours(start: string, end: string): Promise<WaTest> {
  const t = await waCore({ at: jakarta('2026-11-23', '06:00') });
  cores.push(t);
  const cur = await t.ok('whatsapp.settings.get', {}, t.token);
  await t.ok(
    'whatsapp.settings.update',
    {
      settings: {
        ...cur.settings,
        pacing: { ...cur.settings.pacing, businessStart: start, businessEnd: end },
      },
      version: cur.version,
    },
    t.token,
  );
  return t;
}

/** Queues one paced message at office time `at` on 23 Nov and lets the worker run then. */
async function queueAt(t: WaTest, at: number, key: string) {
  t.clock.set(at);
  const res = t.wa.api.queue.enqueue([reminder(key)], { priority: 'paced' });
  await t.wa.api.queue.runDue();
  return res;
}

const sentBodies = (t: WaTest) => t.fake.sent.map((s) => [s.text, s.at]);

describe.each([
  { start: '08:00', end: '21:00' },
  { start: '07:00', end: '20:00' },
  { start: '06:30', end: '17:45' },
])('WhatsApp business hours $start–$end', ({ start, end }) => {
  const day = '2026-11-23';
  const next = '2026-11-24';
  const lastMinute = shift(end, -1);

  it(`a message due at ${lastMinute} goes at once, also in its last second`, async () => {
    const t = await officeWithHours(start, end);
    const at = jakarta(day, lastMinute);
    const res = await queueAt(t, at, 'last-minute');
    expect(res.firstAt).toBe(at);
    expect(sentBodies(t)).toEqual([['Pengingat last-minute', at]]);

    // The last second of that minute, on another office (no earlier sends to pace against).
    const t2 = await officeWithHours(start, end);
    const late = at + 59 * SECOND + 999;
    await queueAt(t2, late, 'last-second');
    expect(sentBodies(t2)).toEqual([['Pengingat last-second', late]]);
  });

  it(`a message due at ${end} waits for ${start} the next day`, async () => {
    const t = await officeWithHours(start, end);
    const res = await queueAt(t, jakarta(day, end), 'closing');
    expect(res.firstAt).toBe(jakarta(next, start));
    expect(t.fake.sent).toEqual([]);
    // Nothing goes during the night, however often the worker looks.
    for (const instant of [jakarta(day, '23:59'), jakarta(next, '03:00'), jakarta(next, start) - 1]) {
      t.clock.set(instant);
      await t.wa.api.queue.runDue();
    }
    expect(t.fake.sent).toEqual([]);
    t.clock.set(jakarta(next, start));
    await t.wa.api.queue.runDue();
    expect(sentBodies(t)).toEqual([['Pengingat closing', jakarta(next, start)]]);
  });

  it(`a message planned for ${lastMinute} that the worker only reaches at ${end} waits for the next opening`, async () => {
    const t = await officeWithHours(start, end);
    const planned = jakarta(day, lastMinute) + 30 * SECOND;
    t.clock.set(planned);
    const res = t.wa.api.queue.enqueue([reminder('asleep')], { priority: 'paced' });
    expect(res.firstAt).toBe(planned);
    // The office PC slept through the last half minute: the worker wakes up at closing time.
    t.clock.set(jakarta(day, end));
    await t.wa.api.queue.runDue();
    expect(t.fake.sent).toEqual([]);
    expect(t.wa.api.queue.nextDueAt()).toBe(jakarta(next, start));
    t.clock.set(jakarta(next, start));
    await t.wa.api.queue.runDue();
    expect(sentBodies(t)).toEqual([['Pengingat asleep', jakarta(next, start)]]);
  });

  it(`the first minute: a message at ${shift(start, -1)} waits until ${start}`, async () => {
    const t = await officeWithHours(start, end);
    const res = await queueAt(t, jakarta(day, shift(start, -1)) + 59 * SECOND, 'opening');
    expect(res.firstAt).toBe(jakarta(day, start));
    expect(t.fake.sent).toEqual([]);
    t.clock.set(jakarta(day, start));
    await t.wa.api.queue.runDue();
    expect(sentBodies(t)).toEqual([['Pengingat opening', jakarta(day, start)]]);
  });
});
