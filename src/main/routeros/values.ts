/**
 * RouterOS value formats shared by the client's callers and the emulator: durations ("1w2d3h4m5s",
 * "00:30:00", "1d02:03:04"), booleans ("true"/"false" in print, "yes"/"no" accepted on input).
 */

const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Duration text → milliseconds; `undefined` when the text is not a RouterOS duration. "none"/"" → 0. */
export function parseRosDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === '' || s === 'none' || s === 'never') return 0;
  // "1d02:03:04", "02:03:04", "02:03:04.500"
  let m = /^(?:(\d+)w)?(?:(\d+)d)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(s);
  if (m) {
    const [, w, d, h, mi, se, ms] = m;
    const sec =
      Number(w ?? 0) * 604800 + Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(mi) * 60 + Number(se);
    return sec * 1000 + (ms ? Number(ms.padEnd(3, '0')) : 0);
  }
  // "1w2d3h4m5s", "30m", "90" (bare number = seconds), "500ms"
  m = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(s);
  if (m && m.slice(1).some((g) => g !== undefined)) {
    const [, w, d, h, mi, se, ms] = m;
    const sec =
      Number(w ?? 0) * UNIT_SECONDS.w! +
      Number(d ?? 0) * UNIT_SECONDS.d! +
      Number(h ?? 0) * UNIT_SECONDS.h! +
      Number(mi ?? 0) * UNIT_SECONDS.m! +
      Number(se ?? 0);
    return sec * 1000 + Number(ms ?? 0);
  }
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  return undefined;
}

/** Milliseconds → the compact form the API prints, e.g. 93784000 → "1d2h3m4s"; 0 → "0s". */
export function formatRosDuration(ms: number): string {
  let sec = Math.floor(Math.max(0, ms) / 1000);
  if (sec === 0) return '0s';
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(sec / size);
    if (n > 0) {
      out += `${n}${unit}`;
      sec -= n * size;
    }
  }
  return out;
}

/** RouterOS booleans: print shows "true"/"false", input accepts "yes"/"no" too. */
export function parseRosBool(text: string | undefined): boolean | undefined {
  switch (text?.trim().toLowerCase()) {
    case 'true':
    case 'yes':
      return true;
    case 'false':
    case 'no':
      return false;
    default:
      return undefined;
  }
}
