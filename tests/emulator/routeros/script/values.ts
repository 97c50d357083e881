/**
 * RouterOS script values: str, num, bool, time, id, array, nil (and `nothing`, which we fold into nil).
 * Conversions follow what a router does: `:tonum` of a time is its seconds, a time prints as `1d02:03:04`,
 * a bool as `true`/`false`, an array as its items joined by `;`.
 */
import { formatRosDuration, parseRosDuration } from '../../../../src/main/routeros/values.js';
import type { Statement } from './parser.js';

export class RosTime {
  constructor(readonly seconds: number) {}
}

export class RosId {
  constructor(readonly id: string) {}
}

/** A function: `:local f do={ … }`, called as `[$f name=value]`. Holds the parsed body. */
export class RosCode {
  constructor(readonly body: readonly Statement[]) {}
}

export type Value = string | number | boolean | RosTime | RosId | RosCode | Value[] | null;

export function typeOf(v: Value): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return 'num';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof RosTime) return 'time';
  if (v instanceof RosId) return 'id';
  if (v instanceof RosCode) return 'code';
  return 'array';
}

/** `1d02:03:04`, `00:05:00`, `2w3d00:00:00` — how RouterOS prints a time value. */
export function timeText(seconds: number): string {
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  const w = Math.floor(s / 604800);
  s -= w * 604800;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return `${neg ? '-' : ''}${w > 0 ? `${w}w` : ''}${d > 0 ? `${d}d` : ''}${hms}`;
}

export function toStr(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof RosTime) return timeText(v.seconds);
  if (v instanceof RosId) return v.id;
  if (v instanceof RosCode) return '(code)';
  return v.map(toStr).join(';');
}

/** The form a menu stores for `set`/`add` (durations in the compact API form, id lists comma-separated). */
export function toParam(v: Value): string {
  if (v instanceof RosTime) return formatRosDuration(v.seconds * 1000);
  if (Array.isArray(v)) return v.map(toParam).join(',');
  return toStr(v);
}

export function toNum(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof RosTime) return v.seconds;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^-?\d+$/.test(t)) return Number(t);
    if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  }
  return null;
}

export function toTime(v: Value): RosTime | null {
  if (v instanceof RosTime) return v;
  if (typeof v === 'number') return new RosTime(v);
  if (typeof v === 'string') {
    const ms = parseRosDuration(v);
    return ms === undefined ? null : new RosTime(Math.floor(ms / 1000));
  }
  return null;
}

export function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v === 'true' || v === 'yes';
  return false;
}

export function equals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a instanceof RosTime && b instanceof RosTime) return a.seconds === b.seconds;
  if (typeof a === 'boolean' || typeof b === 'boolean')
    return truthy(a) === truthy(b) && typeOf(a) === typeOf(b);
  return toStr(a) === toStr(b);
}

export function compare(a: Value, b: Value): number {
  const na = a instanceof RosTime ? a.seconds : typeof a === 'number' ? a : null;
  const nb = b instanceof RosTime ? b.seconds : typeof b === 'number' ? b : null;
  if (na !== null && nb !== null) return na - nb;
  const sa = toStr(a);
  const sb = toStr(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
