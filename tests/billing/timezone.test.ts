import { afterEach, describe, expect, it } from 'vitest';
import { startOfOfficeDay } from '../../src/shared/dates';
import { testCore, type TestCore } from '../helpers/core';
import { whatsappOf } from '../whatsapp/helpers';
import { billingOf } from './helpers';

const MIN = 60_000;
let t: TestCore | null = null;
afterEach(async () => {
  await t?.core.stop();
  t = null;
});

/** The daily jobs run at an office time: moving the office to another zone moves the next planned runs. */
describe('schedules follow the office time zone', () => {
  it('billing runs and WhatsApp reminders are re-planned when settings.timeZone changes', async () => {
    t = await testCore();
    // 2026-11-21 09:00 in Jakarta (UTC+7), 11:00 in Jayapura (UTC+9).
    t.clock.set(Date.UTC(2026, 10, 21, 2, 0));
    const token = await t.setupOwner();
    const scheduler = billingOf(t.core).scheduler;
    const triggers = whatsappOf(t.core).api.triggers!;
    const at = (date: string, tz: string, hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number);
      return startOfOfficeDay(date, tz) + ((h ?? 0) * 60 + (m ?? 0)) * MIN;
    };

    // Defaults: invoices 00:10, overdue + isolation 10:00, reminders 08:00 — office time.
    expect(scheduler.nextRuns()).toEqual({
      invoices: at('2026-11-22', 'Asia/Jakarta', '00:10'),
      isolation: at('2026-11-21', 'Asia/Jakarta', '10:00'),
    });
    expect(triggers.nextReminderRun()).toBe(at('2026-11-22', 'Asia/Jakarta', '08:00'));

    const s = await t.ok('settings.get', {}, token);
    await t.ok('settings.update', { version: s.version, timeZone: 'Asia/Jayapura' }, token);

    // In Jayapura it is already 11:00: today's 10:00 isolation run has passed, tomorrow's is two hours
    // earlier in UTC than Jakarta's would be.
    expect(scheduler.nextRuns()).toEqual({
      invoices: at('2026-11-22', 'Asia/Jayapura', '00:10'),
      isolation: at('2026-11-22', 'Asia/Jayapura', '10:00'),
    });
    expect(triggers.nextReminderRun()).toBe(at('2026-11-22', 'Asia/Jayapura', '08:00'));
    expect(triggers.nextReminderRun()).toBe(Date.UTC(2026, 10, 21, 23, 0));
  });
});
