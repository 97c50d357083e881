import type BetterSqlite3 from 'better-sqlite3';
import type { UsersTable } from '../db/schema';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;

/**
 * A password check takes a slot BEFORE the password is verified, in one atomic UPDATE: however many requests
 * arrive at once, at most MAX_FAILED_LOGINS of them get a slot per lock window, so at most that many wrong
 * passwords are ever verified. The slot that reaches the limit also sets the lock; a correct password then
 * clears it (`clear`). A crash between reservation and verification leaves the attempt counted — the safe
 * side.
 */
export type Reservation =
  | { kind: 'reserved'; user: UsersTable; lockedUntil: number | null }
  | { kind: 'locked'; until: number }
  /** No such account; `lockedUntil` is the lock this attempt set on the username, as for a real account. */
  | { kind: 'unknown'; lockedUntil: number | null };

// `fresh` is the attempt count the window starts from: an expired lock starts a new window at zero.
const FRESH = `(CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 0 ELSE failed_attempts END)`;
const RESERVE_SET = `
  SET failed_attempts = ${FRESH} + 1,
      locked_until = CASE WHEN ${FRESH} + 1 >= @max THEN @now + @lockMs ELSE NULL END
  WHERE (locked_until IS NULL OR locked_until <= @now)`;

type Params = { now: number; max: number; lockMs: number; key: string };

export class LoginLockout {
  private readonly byName: BetterSqlite3.Statement<[Params], UsersTable>;
  private readonly byId: BetterSqlite3.Statement<[Params], UsersTable>;
  private readonly lockOf: BetterSqlite3.Statement<[string], { locked_until: number | null }>;
  private readonly lockOfId: BetterSqlite3.Statement<[string], { locked_until: number | null }>;
  private readonly clearStmt: BetterSqlite3.Statement<[string]>;
  /**
   * Unknown usernames lock exactly like real ones (in memory, bounded), so the answers — including
   * ACCOUNT_LOCKED after five tries — never tell an outsider which accounts exist.
   */
  private readonly ghosts = new Map<string, { failed: number; lockedUntil: number | null }>();

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly opts: { max?: number; lockMs?: number; maxGhosts?: number } = {},
  ) {
    this.byName = sqlite.prepare(`UPDATE users ${RESERVE_SET} AND username = @key RETURNING *`);
    this.byId = sqlite.prepare(`UPDATE users ${RESERVE_SET} AND id = @key RETURNING *`);
    this.lockOf = sqlite.prepare('SELECT locked_until FROM users WHERE username = ?');
    this.lockOfId = sqlite.prepare('SELECT locked_until FROM users WHERE id = ?');
    this.clearStmt = sqlite.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?');
  }

  private params(key: string, now: number): Params {
    return { now, key, max: this.opts.max ?? MAX_FAILED_LOGINS, lockMs: this.opts.lockMs ?? LOCKOUT_MS };
  }

  /** Takes an attempt slot for a login by username (known or not). */
  reserveByUsername(username: string, now: number): Reservation {
    const user = this.byName.get(this.params(username, now));
    if (user) return { kind: 'reserved', user, lockedUntil: user.locked_until };
    const row = this.lockOf.get(username);
    if (row) return { kind: 'locked', until: row.locked_until ?? now + this.lockMs };
    return this.reserveGhost(username, now);
  }

  /** Takes an attempt slot for a logged-in user re-entering their password (auth.changePassword). */
  reserveById(id: string, now: number): Reservation {
    const user = this.byId.get(this.params(id, now));
    if (user) return { kind: 'reserved', user, lockedUntil: user.locked_until };
    const row = this.lockOfId.get(id);
    if (row) return { kind: 'locked', until: row.locked_until ?? now + this.lockMs };
    return { kind: 'unknown', lockedUntil: null };
  }

  /** A correct password ends the window: the count and any lock are cleared. */
  clear(userId: string): void {
    this.clearStmt.run(userId);
  }

  private get lockMs(): number {
    return this.opts.lockMs ?? LOCKOUT_MS;
  }

  private reserveGhost(username: string, now: number): Reservation {
    const max = this.opts.max ?? MAX_FAILED_LOGINS;
    const prev = this.ghosts.get(username);
    if (prev?.lockedUntil != null && prev.lockedUntil > now)
      return { kind: 'locked', until: prev.lockedUntil };
    const failed = (prev?.lockedUntil != null ? 0 : (prev?.failed ?? 0)) + 1;
    const lockedUntil = failed >= max ? now + this.lockMs : null;
    this.ghosts.delete(username);
    this.ghosts.set(username, { failed, lockedUntil });
    while (this.ghosts.size > (this.opts.maxGhosts ?? 10_000)) {
      const oldest = this.ghosts.keys().next().value;
      if (oldest === undefined) break;
      this.ghosts.delete(oldest);
    }
    return { kind: 'unknown', lockedUntil };
  }
}
