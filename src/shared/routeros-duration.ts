/**
 * RouterOS durations, as they appear in `limit-uptime`, `uptime`, `session-timeout`, Mikhmon validity, etc.
 *
 * RouterOS prints and accepts several shapes, depending on version and menu:
 *   `1w2d3h4m5s`, `30d`, `500ms`, `00:30:00`, `1d 02:00:00`, `1w2d03:04:05`, `1d02:00:00.5`, and a bare `3600`
 *   (seconds). All of them are parsed to milliseconds.
 */

const MS = {
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
} as const;

type Unit = keyof typeof MS;

// Unit-suffixed parts, optionally followed by a clock part (`1d02:00:00` is what RouterOS 6 prints).
const UNIT_PART = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/gy;
const CLOCK = /^(\d+):([0-5]?\d)(?::([0-5]?\d(?:\.\d+)?))?$/;

/** Parses a RouterOS duration to milliseconds; `null` when the text is not a duration. Never throws. */
export function parseRouterOsDuration(input: string | null | undefined): number | null {
  if (input == null) return null;
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return null;
  if (/^\d+$/.test(text)) return Number(text) * MS.s;

  let total = 0;
  let pos = 0;
  let sawAny = false;
  UNIT_PART.lastIndex = 0;
  for (;;) {
    // Spaces may separate the unit parts from each other and from the clock (`1d 02:00:00`).
    while (text[pos] === ' ') pos += 1;
    UNIT_PART.lastIndex = pos;
    const m = UNIT_PART.exec(text);
    if (!m) break;
    // `1m30` must not be read as `1m` + garbage; `1ms` must win over `1m` + `s` (the alternation order does that).
    total += Number(m[1]) * MS[m[2] as Unit];
    pos = UNIT_PART.lastIndex;
    sawAny = true;
  }
  const rest = text.slice(pos).trim();
  if (rest !== '') {
    const c = CLOCK.exec(rest);
    if (!c) return null;
    total += Number(c[1]) * MS.h + Number(c[2]) * MS.m + Number(c[3] ?? 0) * MS.s;
    sawAny = true;
  }
  if (!sawAny || !Number.isFinite(total)) return null;
  return Math.round(total);
}

/**
 * Formats milliseconds the way RouterOS accepts them everywhere (`1w2d3h4m5s`); zero is `0s`.
 * Sub-second remainders are kept as `ms` so that parse(format(x)) === x.
 */
export function formatRouterOsDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Durasi tidak valid: ${ms}`);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms'] as const) {
    const n = Math.floor(rest / MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * MS[unit];
    }
  }
  return out;
}

const ID_UNITS: ReadonlyArray<readonly [number, string]> = [
  [MS.w, 'minggu'],
  [MS.d, 'hari'],
  [MS.h, 'jam'],
  [MS.m, 'menit'],
  [MS.s, 'detik'],
];

/**
 * Human Indonesian duration for vouchers and receipts: `1 hari`, `3 jam`, `1 minggu 2 hari`, `1 jam 30 menit`.
 * Weeks are used only for whole weeks (`1 minggu`); anything else is counted in days (`9 hari`, `30 hari`),
 * because that is how offices price and advertise packages.
 * At most `maxParts` units are shown, so an odd remainder does not clutter a printed voucher.
 */
export function formatDurationIndonesian(ms: number, maxParts = 2): string {
  if (!Number.isFinite(ms) || ms <= 0) return '-';
  let rest = Math.round(ms);
  const parts: string[] = [];
  const useWeeks = rest % MS.w === 0;
  for (const [size, label] of ID_UNITS) {
    if (size === MS.w && !useWeeks) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n} ${label}`);
      rest -= n * size;
    }
    if (parts.length >= maxParts) break;
  }
  return parts.length > 0 ? parts.join(' ') : '< 1 detik';
}
