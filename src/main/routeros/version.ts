/**
 * RouterOS versions and the date formats that changed with them. `/system/resource print` reports e.g.
 * "6.49.10 (long-term)" or "7.18.2 (stable)"; dates are `nov/21/2026` up to 7.9 and ISO `2026-11-21` from 7.10.
 */

export interface RouterOsVersion {
  major: number;
  minor: number;
  patch: number;
  /** "stable", "long-term", "testing", "development", or a pre-release like "beta4" / "rc2". */
  channel: string | undefined;
  raw: string;
}

const VERSION_RE = /^\s*(\d+)\.(\d+)(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?\s*(?:\(([^)]*)\))?/i;

export function parseRouterOsVersion(raw: string): RouterOsVersion | undefined {
  const m = VERSION_RE.exec(raw);
  if (!m) return undefined;
  const pre = m[4] ? `${m[4].toLowerCase()}${m[5] ?? ''}` : undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    channel: m[6]?.trim() || pre,
    raw: raw.trim(),
  };
}

export function compareVersions(
  a: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>,
  b: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>,
): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `atLeast(v, 7, 18)` — true for 7.18.0 and later. */
export function atLeast(
  v: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>,
  major: number,
  minor = 0,
  patch = 0,
): boolean {
  return compareVersions(v, { major, minor, patch }) >= 0;
}

/** 7.10 switched dates (clock, scheduler, last-logged-out) to ISO `YYYY-MM-DD`. */
export function usesIsoDates(v: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>): boolean {
  return atLeast(v, 7, 10);
}

/** 7.18 sends `!empty` (then `!done`) for a print with no rows. */
export function sendsEmptyReply(v: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>): boolean {
  return atLeast(v, 7, 18);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

export interface RosDate {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
}

export interface RosTime {
  hour: number;
  minute: number;
  second: number;
}

/** Parse either `nov/21/2026` (v6, v7 < 7.10) or `2026-11-21` (7.10+). */
export function parseRosDate(text: string): RosDate | undefined {
  const s = text.trim().toLowerCase();
  let m = /^([a-z]{3})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[1] as (typeof MONTHS)[number]) + 1;
    if (month === 0) return undefined;
    return validDate({ year: Number(m[3]), month, day: Number(m[2]) });
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return validDate({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
  return undefined;
}

function validDate(d: RosDate): RosDate | undefined {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return undefined;
  return d;
}

export function parseRosTime(text: string): RosTime | undefined {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const t = { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3]) };
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return undefined;
  return t;
}

/** Format a date the way a router of version `v` prints it. */
export function formatRosDate(d: RosDate, v: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>): string {
  const dd = String(d.day).padStart(2, '0');
  if (usesIsoDates(v)) return `${d.year}-${String(d.month).padStart(2, '0')}-${dd}`;
  return `${MONTHS[d.month - 1]}/${dd}/${d.year}`;
}

export function formatRosTime(t: RosTime): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
}

/**
 * Router-local date + time → epoch milliseconds. The router reports wall-clock time in its own zone, so the
 * caller passes that zone's UTC offset (Asia/Jakarta: +420 minutes). Accepts `date` alone, `date time`, or
 * both separately (`/system/clock` has them in two fields; `last-logged-out` joins them with a space).
 */
export function rosDateTimeToEpoch(
  date: string,
  time: string | undefined,
  utcOffsetMinutes: number,
): number | undefined {
  let datePart = date.trim();
  let timePart = time?.trim();
  if (timePart === undefined) {
    const sp = datePart.indexOf(' ');
    if (sp !== -1) {
      timePart = datePart.slice(sp + 1);
      datePart = datePart.slice(0, sp);
    }
  }
  const d = parseRosDate(datePart);
  if (!d) return undefined;
  const t = timePart === undefined ? { hour: 0, minute: 0, second: 0 } : parseRosTime(timePart);
  if (!t) return undefined;
  return Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute, t.second) - utcOffsetMinutes * 60_000;
}

/** Epoch milliseconds → router-local `{date, time}` strings for version `v`. */
export function epochToRosDateTime(
  epochMs: number,
  utcOffsetMinutes: number,
  v: Pick<RouterOsVersion, 'major' | 'minor' | 'patch'>,
): { date: string; time: string } {
  const local = new Date(epochMs + utcOffsetMinutes * 60_000);
  return {
    date: formatRosDate(
      { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() },
      v,
    ),
    time: formatRosTime({
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
    }),
  };
}
