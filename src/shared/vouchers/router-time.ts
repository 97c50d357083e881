/**
 * Tolerant reading of the instants found in router comments and scripts.
 *
 * Routers, Mikhmon and older billing tools wrote times in many shapes: unix seconds, unix milliseconds, RouterOS 6
 * dates (`nov/21/2026 10:04:05`), RouterOS 7.10+ dates (`2026-11-21 10:04:05`), ISO strings, and Indonesian
 * `21/11/2026 10:04`. Wall-clock shapes carry no zone: they are read in the office time zone, which is what the
 * router clock was set to.
 */
import { TZDate } from '@date-fns/tz';

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

function wallClock(tz: string, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const t = new TZDate(y, mo - 1, d, h, mi, s, tz).getTime();
  // Reject 31 February and friends, which Date would silently roll over into March.
  const check = new TZDate(t, tz);
  if (check.getDate() !== d || check.getMonth() !== mo - 1) return null;
  return t;
}

function parseClock(time: string | undefined): [number, number, number] | null {
  if (time === undefined || time === '') return [0, 0, 0];
  const m = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$/.exec(time);
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Year of a two-digit year, as Mikhmon writes it (`11.21.26`); vouchers are never from the last century. */
export function expandYear(y: number): number {
  return y < 100 ? 2000 + y : y;
}

/**
 * A RouterOS date (`nov/21/2026`, `2026-11-21`) with an optional time (`10:04:05`), in the office zone.
 * Returns epoch ms or null.
 */
export function parseRouterOsDate(
  date: string,
  time?: string,
  tz: string = DEFAULT_TIME_ZONE,
): number | null {
  const clock = parseClock(time?.trim());
  if (!clock) return null;
  const d = date.trim().toLowerCase();
  let m = /^([a-z]{3})\/(\d{1,2})\/(\d{4})$/.exec(d);
  if (m) {
    const mo = MONTHS.indexOf(m[1] as (typeof MONTHS)[number]) + 1;
    if (mo === 0) return null;
    return wallClock(tz, Number(m[3]), mo, Number(m[2]), ...clock);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (m) return wallClock(tz, Number(m[1]), Number(m[2]), Number(m[3]), ...clock);
  return null;
}

/**
 * Any instant we have seen in legacy comments, to epoch ms; null for empty, `0` and anything unreadable.
 * Never throws.
 */
export function parseLooseTimestamp(
  input: string | null | undefined,
  tz: string = DEFAULT_TIME_ZONE,
): number | null {
  if (input == null) return null;
  const text = input.trim();
  if (text === '' || /^0+$/.test(text)) return null;
  if (/^\d{9,11}$/.test(text)) return Number(text) * 1000;
  if (/^\d{12,14}$/.test(text)) return Number(text);

  // Date and optional time separated by a space or `T`, no zone: router or legacy wall clock.
  const m = /^(\S+?)(?:[ T](\d{1,2}[:.]\d{2}(?:[:.]\d{2})?))?$/.exec(text);
  if (m) {
    const [, date = '', time] = m;
    const ros = parseRouterOsDate(date, time, tz);
    if (ros !== null) return ros;
    const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(date);
    const clock = parseClock(time);
    if (dmy && clock)
      return wallClock(tz, expandYear(Number(dmy[3])), Number(dmy[2]), Number(dmy[1]), ...clock);
  }
  // An ISO string with an explicit zone is unambiguous.
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
