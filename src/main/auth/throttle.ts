/**
 * In-memory counters that keep attackers from turning Rukun's own safeguards into a cost: they bound how many
 * login attempts one address may make, and how many audit rows a burst of refused calls may write. Every map
 * is bounded — an attacker choosing fresh keys (usernames, addresses) evicts the oldest entries instead of
 * growing memory. Counters live in memory only: a restart forgets them, which is acceptable because the
 * per-account lock they sit in front of is stored in the database.
 */

interface Window {
  start: number;
  count: number;
}

export interface WindowOptions {
  /** Hits allowed per key per window. */
  limit: number;
  windowMs: number;
  /** Most keys remembered at once; the least recently used goes first. */
  maxKeys: number;
  now: () => number;
}

/** Fixed-window counter per key: `take` says whether one more hit fits in the key's current window. */
export class WindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly opts: WindowOptions) {}

  private current(key: string): Window {
    const now = this.opts.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.opts.windowMs) w = { start: now, count: 0 };
    // Re-inserting moves the key to the end of the Map's order, so eviction drops the least recently used.
    this.windows.delete(key);
    this.windows.set(key, w);
    while (this.windows.size > this.opts.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
    return w;
  }

  /** Counts a hit if it fits; false (and nothing counted) once the key used its limit this window. */
  take(key: string): boolean {
    const w = this.current(key);
    if (w.count >= this.opts.limit) return false;
    w.count += 1;
    return true;
  }

  /** Gives a hit back (a successful login does not use up the address's allowance). */
  refund(key: string): void {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count -= 1;
  }

  /** When the key's current window ends (epoch ms). */
  resetAt(key: string): number {
    const w = this.windows.get(key);
    return w ? w.start + this.opts.windowMs : this.opts.now();
  }

  get size(): number {
    return this.windows.size;
  }
}

export interface AuditAdmission {
  /** Write this audit row. */
  write: boolean;
  /** Events of this key left unwritten since its previous row (the row written now should say so). */
  suppressed: number;
}

/**
 * Caps audit rows for events an outsider can trigger at will (failed logins, refused calls): per key at most
 * `perKey` rows per window, and at most `total` rows per window overall. Events over the cap are counted and
 * the next row written for the key carries the count, so the log still says how many happened.
 */
export class AuditSampler {
  private readonly perKey: WindowLimiter;
  private readonly total: WindowLimiter;
  private readonly skipped = new Map<string, number>();
  private readonly maxKeys: number;

  constructor(opts: { perKey: number; total: number; windowMs: number; maxKeys: number; now: () => number }) {
    this.maxKeys = opts.maxKeys;
    this.perKey = new WindowLimiter({
      limit: opts.perKey,
      windowMs: opts.windowMs,
      maxKeys: opts.maxKeys,
      now: opts.now,
    });
    this.total = new WindowLimiter({ limit: opts.total, windowMs: opts.windowMs, maxKeys: 1, now: opts.now });
  }

  admit(key: string): AuditAdmission {
    if (this.perKey.take(key) && this.total.take('*')) {
      const suppressed = this.skipped.get(key) ?? 0;
      this.skipped.delete(key);
      return { write: true, suppressed };
    }
    const count = (this.skipped.get(key) ?? 0) + 1;
    this.skipped.delete(key);
    this.skipped.set(key, count);
    // Bounded like the limiter: the oldest unreported counts go first.
    while (this.skipped.size > this.maxKeys) {
      const oldest = this.skipped.keys().next().value;
      if (oldest === undefined) break;
      this.skipped.delete(oldest);
    }
    return { write: false, suppressed: 0 };
  }
}
