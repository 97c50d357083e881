/**
 * Reading what Mikhmon (the PHP hotspot manager most offices used before Rukun) leaves on a router, so that an
 * office can import its vouchers, profiles and sales history. Read-only: Rukun never writes these shapes.
 *
 * - User comments: `vc-<batch>-<mm.dd.yy>-<note>` (user = password) and `up-<batch>-<mm.dd.yy>-<note>`
 *   (separate password). After first login Mikhmon's on-login script replaces the comment with the expiry:
 *   `nov/22/2026 10:04:05 N` (RouterOS 6) or `2026-11-22 10:04:05 X` (RouterOS 7.10+); N = notify, X = remove.
 * - Profile on-login header: `:put (",<expmode>,<price>,<validity>,<sellprice>,,<lock>,<lockserver>,");`.
 * - Sales records: /system/script items named
 *   `<date>-|-<time>-|-<user>-|-<price>-|-<ip>-|-<mac>-|-<validity>-|-<profile>-|-<comment>`, `comment=mikhmon`.
 */
import { parseRouterOsDuration } from '../routeros-duration';
import { DEFAULT_TIME_ZONE, expandYear, parseRouterOsDate } from './router-time';

export interface MikhmonVoucherComment {
  kind: 'mikhmon';
  /** `vc`: username = password; `up`: separate password. */
  mode: 'vc' | 'up';
  batchCode: string;
  /** Generation date as `YYYY-MM-DD`, null when missing or unreadable. */
  generatedOn: string | null;
  note: string;
}

export interface MikhmonActiveComment {
  kind: 'mikhmon-active';
  /** Epoch ms at which Mikhmon's scheduler expires the user. */
  expiresAt: number;
  /** What Mikhmon does at expiry: `N` notify (limit-uptime=1s), `X` remove; null when no mode letter. */
  onExpiry: 'notify' | 'remove' | null;
}

export type MikhmonUserComment = MikhmonVoucherComment | MikhmonActiveComment;

/** Parses a Mikhmon hotspot user comment; null when it is not one. */
export function parseMikhmonUserComment(
  comment: string,
  tz: string = DEFAULT_TIME_ZONE,
): MikhmonUserComment | null {
  const raw = comment.trim();
  const vc = /^(vc|up)-([^-]*)(?:-(.*))?$/is.exec(raw);
  if (vc) {
    const mode = (vc[1] ?? '').toLowerCase() === 'up' ? 'up' : 'vc';
    const batchCode = vc[2] ?? '';
    let rest = vc[3] ?? '';
    let generatedOn: string | null = null;
    const date = /^(\d{2})\.(\d{2})\.(\d{2}|\d{4})(?:-|$)(.*)$/s.exec(rest);
    if (date) {
      const mo = Number(date[1]);
      const d = Number(date[2]);
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
        const y = expandYear(Number(date[3]));
        generatedOn = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        rest = date[4] ?? '';
      }
    }
    return { kind: 'mikhmon', mode, batchCode, generatedOn, note: rest };
  }
  const active = /^(\S+)\s+(\d{1,2}:\d{2}:\d{2})(?:\s+([NXnx]))?$/.exec(raw);
  if (active) {
    const expiresAt = parseRouterOsDate(active[1] ?? '', active[2], tz);
    if (expiresAt === null) return null;
    const letter = active[3]?.toUpperCase();
    return {
      kind: 'mikhmon-active',
      expiresAt,
      onExpiry: letter === 'N' ? 'notify' : letter === 'X' ? 'remove' : null,
    };
  }
  return null;
}

export type MikhmonExpiryMode = 'none' | 'remove' | 'notify' | 'remove_record' | 'notify_record';

const EXPIRY_MODES: Record<string, MikhmonExpiryMode> = {
  '0': 'none',
  rem: 'remove',
  ntf: 'notify',
  remc: 'remove_record',
  ntfc: 'notify_record',
};

export interface MikhmonProfileHeader {
  expiryMode: MikhmonExpiryMode;
  /** Cost price (Mikhmon "price"), rupiah. */
  price: number | null;
  /** Validity in ms; null when the profile has none. */
  validity: number | null;
  sellingPrice: number | null;
  lockUser: boolean;
  lockServer: boolean;
}

function rupiah(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Math.round(Number(t));
}

/** Reads the `:put (",…,")` header of a Mikhmon profile's on-login script; null when there is none. */
export function parseMikhmonProfileHeader(
  onLoginSource: string | null | undefined,
): MikhmonProfileHeader | null {
  if (!onLoginSource) return null;
  const m = /:put\s*\(\s*"(,[^"]*)"\s*\)/.exec(onLoginSource);
  if (!m) return null;
  const f = (m[1] ?? '').split(',');
  // f[0] is the empty string before the leading comma.
  const modeRaw = (f[1] ?? '').trim().toLowerCase();
  let expiryMode = EXPIRY_MODES[modeRaw] ?? 'none';
  // Some Mikhmon forks write `rem`/`ntf` in the header but still add the sales-record script.
  if (/\/system\s+script\s+add/.test(onLoginSource)) {
    if (expiryMode === 'remove') expiryMode = 'remove_record';
    if (expiryMode === 'notify') expiryMode = 'notify_record';
  }
  const enabled = (s: string | undefined) => (s ?? '').trim().toLowerCase() === 'enable';
  return {
    expiryMode,
    price: rupiah(f[2]),
    validity: parseRouterOsDuration(f[3]),
    sellingPrice: rupiah(f[4]),
    lockUser: enabled(f[6]),
    lockServer: enabled(f[7]),
  };
}

export interface MikhmonSale {
  /** Epoch ms of the first login that made the sale; null when date/time is unreadable. */
  soldAt: number | null;
  date: string;
  time: string;
  username: string;
  price: number | null;
  ipAddress: string;
  macAddress: string;
  validity: number | null;
  validityRaw: string;
  profile: string;
  /** The voucher comment at login time (e.g. `vc-123-11.21.26-`); may itself contain `-|-`. */
  comment: string;
}

const SEP = '-|-';

/** Parses a Mikhmon sales-record script name; null when it is not one. Never throws. */
export function parseMikhmonSaleScript(name: string, tz: string = DEFAULT_TIME_ZONE): MikhmonSale | null {
  if (!name.includes(SEP)) return null;
  const parts = name.split(SEP);
  if (parts.length < 8) return null;
  const [
    date = '',
    time = '',
    username = '',
    price = '',
    ip = '',
    mac = '',
    validity = '',
    profile = '',
    ...rest
  ] = parts;
  if (username === '') return null;
  return {
    soldAt: parseRouterOsDate(date, time, tz),
    date,
    time,
    username,
    price: rupiah(price),
    ipAddress: ip,
    macAddress: mac,
    validity: parseRouterOsDuration(validity),
    validityRaw: validity,
    profile,
    comment: rest.join(SEP),
  };
}
