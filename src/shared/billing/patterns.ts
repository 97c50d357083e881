/**
 * Number and code patterns the office configures: customer codes (`{LOC}-{ROUTER}{DDMMYY}-{NNN}` →
 * `KCB-CKP010225-001`), invoice/receipt numbers (`INV/{YYYY}/{MM}/{NNNNN}` → `INV/2026/11/00001`) and PPPoE
 * usernames (`{ROUTER}{RRR}` → `CKP123`). Pure functions: the services supply the date parts and counters.
 *
 * Tokens: {YYYY} {YY} {MM} {DD} {DDMMYY} {LOC} {ROUTER}; {N…} a zero-padded sequence (width = number of N);
 * {R…} random digits (usernames only).
 */
export interface PatternParts {
  /** Office date `YYYY-MM-DD`. */
  date: string;
  loc?: string;
  router?: string;
}

const TOKEN = /\{([A-Z]+)\}/g;

function datePart(token: string, date: string): string | null {
  const [y = '', m = '', d = ''] = date.split('-');
  switch (token) {
    case 'YYYY':
      return y;
    case 'YY':
      return y.slice(2);
    case 'MM':
      return m;
    case 'DD':
      return d;
    case 'DDMMYY':
      return `${d}${m}${y.slice(2)}`;
    default:
      return null;
  }
}

/** Codes are uppercase letters and digits only (`Cikampek` → `CIKAMPEK`). */
export function codePart(s: string | undefined): string {
  return (s ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The series a number belongs to: the pattern with every date/location part filled in and the sequence
 * left as `{#}`. Numbers are gapless per series (INV/2026/11/… restarts at 1 in December).
 */
export function seriesOf(pattern: string, parts: PatternParts): string {
  return pattern.replace(TOKEN, (whole, token: string) => {
    if (/^N+$/.test(token)) return '{#}';
    const d = datePart(token, parts.date);
    if (d !== null) return d;
    if (token === 'LOC') return codePart(parts.loc);
    if (token === 'ROUTER') return codePart(parts.router);
    return whole;
  });
}

/** Width of the `{NNN}` sequence in a pattern (0 when it has none). */
export function sequenceWidth(pattern: string): number {
  const m = /\{(N+)\}/.exec(pattern);
  return m?.[1]?.length ?? 0;
}

/** Fills a series (from seriesOf) with its sequence number. */
export function formatNumberInSeries(series: string, seq: number, width: number): string {
  return series.replace('{#}', String(seq).padStart(width, '0'));
}

/** Checks a number/code pattern: it needs exactly one `{N…}` and only known tokens. */
export function validatePattern(pattern: string, allowed: readonly string[]): string | null {
  const tokens = [...pattern.matchAll(TOKEN)].map((m) => m[1] ?? '');
  const seqs = tokens.filter((t) => /^N+$/.test(t));
  if (seqs.length !== 1) return 'Pola harus memuat tepat satu nomor urut, misalnya {NNNNN}';
  const unknown = tokens.find((t) => !/^N+$/.test(t) && !allowed.includes(t));
  if (unknown) return `Penanda tidak dikenal: {${unknown}}`;
  return null;
}

export const NUMBER_TOKENS = ['YYYY', 'YY', 'MM', 'DD'] as const;
export const CUSTOMER_TOKENS = ['YYYY', 'YY', 'MM', 'DD', 'DDMMYY', 'LOC', 'ROUTER'] as const;

/**
 * PPPoE username from `{ROUTER}{RRR}`: router code + random digits. `random` returns an integer in
 * [0, 10^width); the caller retries on a clash with an existing secret.
 */
export function usernameFromPattern(
  pattern: string,
  routerCode: string,
  random: (max: number) => number,
): string {
  return pattern.replace(TOKEN, (whole, token: string) => {
    if (token === 'ROUTER') return codePart(routerCode);
    if (/^R+$/.test(token)) return String(random(10 ** token.length)).padStart(token.length, '0');
    return whole;
  });
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** An 8-character password without look-alike characters (no 0/o, 1/l/i), easy to read out on the phone. */
export function generatePassword(random: (max: number) => number, length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += PASSWORD_ALPHABET[random(PASSWORD_ALPHABET.length)] ?? 'x';
  return s;
}
