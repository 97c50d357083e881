import { z } from 'zod';

/**
 * Office dates and billing periods as the contract accepts them: real calendar days only.
 *
 * A shape check alone let `2026-13-45` through (it became invoice number INV/2026/13/…), `2026-02-31` was kept
 * as a promise-to-pay date, and `0000-00-00` reached date code that threw. Every method that takes a
 * YYYY-MM-DD or YYYY-MM uses these two schemas, so the rule lives in one place.
 *
 * Years outside 1900–2999 are refused too: nothing an office records is older, and JavaScript maps the
 * years 0–99 to 1900–1999 in `Date.UTC`, which would silently shift such a date by centuries.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

export const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const PERIOD_SHAPE = /^(\d{4})-(\d{2})$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `YYYY-MM-DD` naming a day that exists (leap years included). */
export function isCalendarDate(s: string): boolean {
  const m = DATE_SHAPE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= MIN_YEAR && y <= MAX_YEAR && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** `YYYY-MM` naming a real month. */
export function isPeriod(s: string): boolean {
  const m = PERIOD_SHAPE.exec(s);
  if (!m) return false;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return y >= MIN_YEAR && y <= MAX_YEAR && mo >= 1 && mo <= 12;
}

export const DATE_MESSAGE = 'Tanggal tidak valid: gunakan tanggal kalender YYYY-MM-DD, mis. 2026-01-31';
export const PERIOD_MESSAGE = 'Periode tidak valid: gunakan bulan YYYY-MM, mis. 2026-01';

/** A calendar date `YYYY-MM-DD` (office time zone). */
export const CalendarDate = z
  .string()
  .regex(DATE_SHAPE, DATE_MESSAGE)
  .refine(isCalendarDate, { message: DATE_MESSAGE });

/** A billing period `YYYY-MM`. */
export const Period = z
  .string()
  .regex(PERIOD_SHAPE, PERIOD_MESSAGE)
  .refine(isPeriod, { message: PERIOD_MESSAGE });
