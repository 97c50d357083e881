import { TZDate } from '@date-fns/tz';

/**
 * Anti-ban pacing for one WhatsApp number, as pure math so it is deterministic under a fake clock and a
 * seeded random source. The planner gives each paced message its earliest send time; the worker checks
 * the same rules again against the sends that really happened (a retry or a clock jump can never break a cap).
 */
export interface PacingRules {
  minDelayMs: number;
  maxDelayMs: number;
  jitterMs: number;
  hourlyCap: number;
  dailyCap: number;
  /** After this many sends in a row, rest for `cooldownMs`. */
  batchSize: number;
  cooldownMs: number;
  /** Business hours in office minutes of the day, [start, end). */
  businessStartMin: number;
  businessEndMin: number;
  timeZone: string;
  /** When the number was linked, for the 7-day warm-up; null = no warm-up. */
  warmupFrom: number | null;
}

/** Daily caps of a new number over its first 7 office days, then the configured cap. */
export const WARMUP_CAPS = [20, 40, 70, 100, 150, 200, 250] as const;

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Office-time view of instants, caching the zone offset per UTC hour (10k lookups stay cheap). */
export class OfficeTime {
  private readonly offsets = new Map<number, number>();
  constructor(readonly timeZone: string) {}
  offsetMs(t: number): number {
    const h = Math.floor(t / HOUR);
    let o = this.offsets.get(h);
    if (o === undefined) {
      o = -new TZDate(h * HOUR, this.timeZone).getTimezoneOffset() * 60_000;
      this.offsets.set(h, o);
    }
    return o;
  }
  /** Office day number (days since epoch in office time). */
  day(t: number): number {
    return Math.floor((t + this.offsetMs(t)) / DAY);
  }
  minuteOfDay(t: number): number {
    return Math.floor(((t + this.offsetMs(t)) % DAY) / 60_000);
  }
  /** Instant of minute `m` on office day `day` (offset of that day's start; no DST in Indonesia). */
  at(day: number, minute: number): number {
    const guess = day * DAY + minute * 60_000;
    return guess - this.offsetMs(guess - this.offsetMs(guess));
  }
}

export function dailyCapOn(rules: PacingRules, day: number, time: OfficeTime): number {
  if (rules.warmupFrom === null) return rules.dailyCap;
  const age = day - time.day(rules.warmupFrom);
  const ramp = age >= 0 && age < WARMUP_CAPS.length ? WARMUP_CAPS[age] : undefined;
  return ramp === undefined ? rules.dailyCap : Math.min(ramp, rules.dailyCap);
}

/** What the planner knows of sends already made or already planned on this number. */
export class PacerState {
  /** Send times (made or planned), ascending. Only the last hour matters for the hourly cap. */
  private readonly times: number[] = [];
  private readonly perDay = new Map<number, number>();
  last: number | null = null;
  /** Sends since the last cool-down. */
  sinceRest = 0;

  /** `restGapMs`: a pause at least this long (cool-down, night, cap wait) starts a fresh batch. */
  constructor(
    private readonly time: OfficeTime,
    private readonly restGapMs: number,
  ) {}

  add(t: number): void {
    if (this.last !== null && t - this.last >= this.restGapMs) this.sinceRest = 0;
    // Keep ascending order; planned times are appended in order, history is loaded sorted.
    if (this.times.length > 0 && t < (this.times[this.times.length - 1] ?? 0)) {
      const i = this.times.findIndex((x) => x > t);
      this.times.splice(i, 0, t);
    } else {
      this.times.push(t);
    }
    const d = this.time.day(t);
    this.perDay.set(d, (this.perDay.get(d) ?? 0) + 1);
    if (this.last === null || t >= this.last) this.last = t;
    this.sinceRest += 1;
  }

  onDay(day: number): number {
    return this.perDay.get(day) ?? 0;
  }

  /** The time before which a send at `t` would exceed the hourly cap, or null when it fits. */
  hourlyBlockedUntil(t: number, cap: number): number | null {
    // Sends within (t - 1h, t]: find the first index inside the window by binary search.
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] ?? 0) > t - HOUR) hi = mid;
      else lo = mid + 1;
    }
    let hiEnd = lo;
    while (hiEnd < this.times.length && (this.times[hiEnd] ?? 0) <= t) hiEnd += 1;
    const inWindow = hiEnd - lo;
    if (inWindow < cap) return null;
    // The window frees up one hour after the (inWindow - cap + 1)-th send in it.
    const freeing = this.times[lo + inWindow - cap];
    return freeing === undefined ? null : freeing + HOUR + 1;
  }
}

/**
 * Earliest allowed send time at or after `t`: inside business hours, under the day's cap and the hourly cap.
 * Loops until every rule holds (each step moves time forward, so it ends).
 */
export function fitRules(t: number, rules: PacingRules, state: PacerState, time: OfficeTime): number {
  for (let guard = 0; guard < 10_000; guard++) {
    const day = time.day(t);
    const minute = time.minuteOfDay(t);
    if (minute < rules.businessStartMin) {
      t = time.at(day, rules.businessStartMin);
      continue;
    }
    if (minute >= rules.businessEndMin) {
      t = time.at(day + 1, rules.businessStartMin);
      continue;
    }
    if (state.onDay(day) >= dailyCapOn(rules, day, time)) {
      t = time.at(day + 1, rules.businessStartMin);
      continue;
    }
    const blocked = state.hourlyBlockedUntil(t, rules.hourlyCap);
    if (blocked !== null) {
      t = blocked;
      continue;
    }
    return t;
  }
  throw new Error('Pacing rules cannot be satisfied');
}

/** The random gap before the next send: uniform in [min, max] plus up to `jitter`. */
export function randomGap(rules: PacingRules, rnd: () => number): number {
  return Math.round(
    rules.minDelayMs + rnd() * (rules.maxDelayMs - rules.minDelayMs) + rnd() * rules.jitterMs,
  );
}

/** Plans the next send after the state's last one, not before `from`, and records it in the state. */
export function planNext(
  from: number,
  rules: PacingRules,
  state: PacerState,
  time: OfficeTime,
  rnd: () => number,
): number {
  let t = from;
  if (state.last !== null) {
    let earliest = state.last + randomGap(rules, rnd);
    if (rules.batchSize > 0 && state.sinceRest >= rules.batchSize) {
      earliest = state.last + rules.cooldownMs + randomGap(rules, rnd);
    }
    t = Math.max(t, earliest);
  }
  const fitted = fitRules(t, rules, state, time);
  state.add(fitted);
  return fitted;
}

/** A small seeded PRNG (mulberry32) for reproducible plans in tests and benches. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hhmmToMinutes(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
