/**
 * Prepaid billing periods. A subscription with billing day D (1–28) pays in advance for the period that
 * starts on day D of a month and ends the day before day D of the next month; the period is labelled with
 * the month it starts in (`2026-11` = 5 Nov – 4 Dec for D = 5). Dates are office calendar dates `YYYY-MM-DD`.
 */

export interface Period {
  period: string;
  start: string;
  /** Inclusive last day. */
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) throw new RangeError(`Bad date ${date}`);
  return [y, m, d];
}

/** Adds days to an office date (calendar arithmetic in UTC: no DST surprises). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = ymd(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = ymd(from);
  const [y2, m2, d2] = ymd(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

export function addMonths(period: string, months: number): string {
  const [y = 0, m = 1] = period.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}`;
}

/** The regular period labelled `period` for billing day `day`. */
export function periodOf(period: string, day: number): Period {
  const start = `${period}-${pad(day)}`;
  const end = addDays(`${addMonths(period, 1)}-${pad(day)}`, -1);
  return { period, start, end };
}

/** The regular period containing `date`. */
export function periodContaining(date: string, day: number): Period {
  const [y, m, d] = ymd(date);
  const label = `${y}-${pad(m)}`;
  return periodOf(d >= day ? label : addMonths(label, -1), day);
}

/** Weekday of an office date, 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  const [y, m, d] = ymd(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/**
 * The first invoice of a subscription that starts on `startDate`. When the start is not on the billing day
 * it covers only the tail of the regular period it falls in (labelled like that period, so the unique
 * subscription+period key still holds) — prorated by days when `prorate`, otherwise the full price.
 */
export function firstPeriod(
  startDate: string,
  day: number,
): Period & { partial: boolean; fullDays: number; days: number } {
  const regular = periodContaining(startDate, day);
  const fullDays = daysBetween(regular.start, regular.end) + 1;
  const days = daysBetween(startDate, regular.end) + 1;
  return {
    period: regular.period,
    start: startDate,
    end: regular.end,
    partial: startDate !== regular.start,
    fullDays,
    days,
  };
}

/** Price for `days` of a `fullDays` period, rounded to the rupiah. */
export function prorate(price: number, days: number, fullDays: number): number {
  if (days >= fullDays) return price;
  return Math.round((price * days) / fullDays);
}
