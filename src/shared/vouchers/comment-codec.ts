/**
 * The voucher metadata Rukun keeps in a RouterOS hotspot user's `comment`, so a voucher stays self-describing on
 * the router while the office PC is off and when another tool looks at it.
 *
 * Format (positional head, versioned tail):
 *
 *   VOUCHER_SYSTEM|<price>|<first_login>|<valid_until>                         seed format (version 1)
 *   VOUCHER_SYSTEM|5000|1732150000|1732236400|v2|b=7Q4K|p=1Hari|v=1d|m=4000     Rukun (version 2)
 *
 * - The first four fields never move, so tools that only know the seed format keep reading price and times.
 * - Times are unix seconds; empty means "not yet". Legacy dates and milliseconds are read, never written.
 * - After `vN`, `key=value` fields; unknown keys (from a newer Rukun) are kept in order and written back.
 *   Values are percent-encoded for `%`, `|` and anything outside printable ASCII, because the classic API path
 *   to the router has mangled non-ASCII text in the past.
 * - A seed-format voucher without extended fields is written back in the seed format, byte for byte.
 *
 * Decoding never throws: a comment that is not ours is `{ kind: 'foreign' }` (or a Mikhmon shape).
 */
import { parseRouterOsDuration, formatRouterOsDuration } from '../routeros-duration';
import { parseMikhmonUserComment, type MikhmonUserComment } from './mikhmon';
import { DEFAULT_TIME_ZONE, parseLooseTimestamp } from './router-time';

export const VOUCHER_MARKER = 'VOUCHER_SYSTEM';
export const PPPOE_MARKER = 'PPPOE_SYSTEM';
/** The version Rukun writes when it has extended fields. */
export const VOUCHER_COMMENT_VERSION = 2;

export interface RukunVoucherComment {
  kind: 'rukun';
  /** 1 = seed format (no version marker); 2+ = extended. */
  version: number;
  /** Selling price in rupiah. */
  price: number | null;
  /** Epoch ms, second precision. */
  firstLoginAt: number | null;
  validUntil: number | null;
  /** Short batch id (`b=`). */
  batch?: string;
  /** Profile name at creation (`p=`). */
  profile?: string;
  /** Validity from first login (`v=`, RouterOS duration on the wire). */
  validityMs?: number;
  /** Cost price / harga modal in rupiah (`m=`). */
  cost?: number;
  /** Free note (`n=`). */
  note?: string;
  /** Unknown `key=value` fields, in order, values decoded; a bare token is `['', token]`. */
  extra: Array<[string, string]>;
  /** Positional values that could not be read, kept so that a re-encode does not lose them. */
  unparsed?: { price?: string; firstLogin?: string; validUntil?: string };
}

export type UserComment =
  RukunVoucherComment | MikhmonUserComment | { kind: 'empty' } | { kind: 'foreign'; raw: string };

export interface DecodeOptions {
  /** Zone in which zone-less legacy dates are read. */
  timeZone?: string;
}

const KNOWN_KEYS = ['b', 'p', 'v', 'm', 'n'] as const;

function escapeValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '%' || ch === '|' || code < 0x20 || code > 0x7e) {
      out += Array.from(
        new TextEncoder().encode(ch),
        (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'),
      ).join('');
    } else {
      out += ch;
    }
  }
  return out;
}

function unescapeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // A stray `%` typed by hand on the router: keep the text as it is.
    return value;
  }
}

/** Rupiah as people type it in comments: `5000`, `5.000`, `Rp 5.000`, `5000.00`. */
export function parseLooseRupiah(input: string): number | null {
  const t = input.trim().replace(/^rp\.?\s*/i, '');
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d{1,3}([.,]\d{3})+$/.test(t)) return Number(t.replace(/[.,]/g, ''));
  if (/^\d+[.,]\d{1,2}$/.test(t)) return Math.round(Number(t.replace(',', '.')));
  return null;
}

function splitHead(raw: string): string[] | null {
  const parts = raw.split('|');
  const marker = parts[0]?.trim() ?? '';
  return marker.toUpperCase() === VOUCHER_MARKER ? parts : null;
}

function decodeRukun(raw: string, tz: string): RukunVoucherComment | null {
  const parts = splitHead(raw);
  if (!parts) return null;
  const [, priceRaw = '', firstRaw = '', untilRaw = '', ...tail] = parts.map((p) => p.trim());
  const meta: RukunVoucherComment = {
    kind: 'rukun',
    version: 1,
    price: parseLooseRupiah(priceRaw),
    firstLoginAt: parseLooseTimestamp(firstRaw, tz),
    validUntil: parseLooseTimestamp(untilRaw, tz),
    extra: [],
  };
  const unparsed: NonNullable<RukunVoucherComment['unparsed']> = {};
  if (meta.price === null && priceRaw !== '') unparsed.price = priceRaw;
  if (meta.firstLoginAt === null && firstRaw !== '' && !/^0+$/.test(firstRaw)) unparsed.firstLogin = firstRaw;
  if (meta.validUntil === null && untilRaw !== '' && !/^0+$/.test(untilRaw)) unparsed.validUntil = untilRaw;
  if (Object.keys(unparsed).length > 0) meta.unparsed = unparsed;

  for (const token of tail) {
    if (token === '') continue;
    const version = /^v(\d{1,3})$/i.exec(token);
    if (version) {
      meta.version = Math.max(2, Number(version[1]));
      continue;
    }
    const eq = token.indexOf('=');
    if (eq <= 0) {
      // A bare word from some other tool: keep it (with an empty key) rather than guess.
      meta.extra.push(['', unescapeValue(token)]);
      continue;
    }
    const key = unescapeValue(token.slice(0, eq));
    const value = unescapeValue(token.slice(eq + 1));
    switch (key) {
      case 'b':
        meta.batch = value;
        break;
      case 'p':
        meta.profile = value;
        break;
      case 'n':
        meta.note = value;
        break;
      case 'v': {
        const ms = parseRouterOsDuration(value);
        if (ms === null) meta.extra.push([key, value]);
        else meta.validityMs = ms;
        break;
      }
      case 'm': {
        const rp = parseLooseRupiah(value);
        if (rp === null) meta.extra.push([key, value]);
        else meta.cost = rp;
        break;
      }
      default:
        meta.extra.push([key, value]);
    }
  }
  if (meta.version === 1 && meta.extra.length > 0) meta.version = VOUCHER_COMMENT_VERSION;
  return meta;
}

/** Reads any hotspot user comment: Rukun/seed, Mikhmon, empty, or foreign. Never throws. */
export function decodeUserComment(
  comment: string | null | undefined,
  options: DecodeOptions = {},
): UserComment {
  const raw = (comment ?? '').trim();
  if (raw === '') return { kind: 'empty' };
  const tz = options.timeZone ?? DEFAULT_TIME_ZONE;
  try {
    return decodeRukun(raw, tz) ?? parseMikhmonUserComment(raw, tz) ?? { kind: 'foreign', raw };
  } catch {
    // Belt and braces: a comment typed on a router must never take a sync run down.
    return { kind: 'foreign', raw };
  }
}

/** Rukun/seed voucher metadata, or null when the comment is anything else. */
export function decodeVoucherComment(
  comment: string | null | undefined,
  options: DecodeOptions = {},
): RukunVoucherComment | null {
  const c = decodeUserComment(comment, options);
  return c.kind === 'rukun' ? c : null;
}

function seconds(ms: number | null, raw: string | undefined): string {
  if (ms === null) return raw ?? '';
  return String(Math.floor(ms / 1000));
}

export type VoucherCommentInput = Omit<RukunVoucherComment, 'kind' | 'version' | 'extra'> & {
  version?: number;
  extra?: Array<[string, string]>;
};

/** Writes the comment. Seed format when there is nothing extended to say; otherwise `|v2|` and fields. */
export function encodeVoucherComment(meta: VoucherCommentInput): string {
  const price = meta.price === null ? (meta.unparsed?.price ?? '') : String(Math.round(meta.price));
  const head = [
    VOUCHER_MARKER,
    price,
    seconds(meta.firstLoginAt, meta.unparsed?.firstLogin),
    seconds(meta.validUntil, meta.unparsed?.validUntil),
  ];
  const fields: string[] = [];
  const known: Record<(typeof KNOWN_KEYS)[number], string | undefined> = {
    b: meta.batch,
    p: meta.profile,
    v: meta.validityMs === undefined ? undefined : formatRouterOsDuration(meta.validityMs),
    m: meta.cost === undefined ? undefined : String(Math.round(meta.cost)),
    n: meta.note,
  };
  for (const key of KNOWN_KEYS) {
    const value = known[key];
    if (value !== undefined) fields.push(`${key}=${escapeValue(value)}`);
  }
  for (const [key, value] of meta.extra ?? []) {
    fields.push(key === '' ? escapeValue(value) : `${escapeValue(key)}=${escapeValue(value)}`);
  }
  // The head holds digits, or raw text that came out of a `|`-split: it needs no escaping.
  if (fields.length === 0 && (meta.version ?? 1) <= 1) return head.join('|');
  const version = Math.max(VOUCHER_COMMENT_VERSION, meta.version ?? VOUCHER_COMMENT_VERSION);
  return [...head, `v${version}`, ...fields].join('|');
}

/** Whether a profile comment marks it as managed by Rukun (`VOUCHER_SYSTEM` hotspot, `PPPOE_SYSTEM` PPP). */
export function profileMarker(comment: string | null | undefined): 'hotspot' | 'ppp' | null {
  const head = (comment ?? '').trim().split(/[|\s]/, 1)[0]?.toUpperCase();
  if (head === VOUCHER_MARKER) return 'hotspot';
  if (head === PPPOE_MARKER) return 'ppp';
  return null;
}
