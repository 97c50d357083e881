import { createHash, randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import {
  ROLE_PERMISSIONS,
  canManageRole,
  type Permission,
  type Role,
} from '../../shared/contract/permissions';
import type { UserPublic } from '../../shared/contract/auth';
import { recordChange } from '../audit';
import type { Actor, Deps } from '../context';
import type { UsersTable } from '../db/schema';
import type { Trx } from '../db/database';
import { LOCKOUT_MS, LoginLockout, MAX_FAILED_LOGINS, type Reservation } from './lockout';
import { argon2Hasher, type PasswordHasher } from './passwords';
import { AuditSampler, WindowLimiter } from './throttle';

export { LOCKOUT_MS, MAX_FAILED_LOGINS };
/** Login attempts one address may make per window (a successful login gives its attempt back). */
export const ADDRESS_ATTEMPTS = 20;
export const ADDRESS_WINDOW_MS = 15 * 60_000;
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

export interface SessionInfo {
  sessionId: string;
  user: UserPublic;
  permissions: Permission[];
  expiresAt: number;
}

export interface IssuedSession extends SessionInfo {
  token: string;
}

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export function toPublic(u: UsersTable): UserPublic {
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    role: u.role,
    phone: u.phone,
    active: u.active === 1,
    lockedUntil: u.locked_until,
    lastLoginAt: u.last_login_at,
    createdAt: u.created_at,
    version: u.version,
  };
}

export const actorOf = (user: UserPublic, via: Actor['via']): Actor => ({
  userId: user.id,
  name: user.fullName,
  role: user.role,
  via,
});

type SessionRow = UsersTable & { s_id: string; s_expires: number; s_seen: number; s_created: number };

export interface AccountsOptions {
  /** Argon2id by default; tests wrap it to count verifications. */
  passwords?: PasswordHasher;
}

const WRONG_PASSWORD = 'Nama pengguna atau kata sandi salah';
const LOCKED = 'Akun dikunci sementara karena terlalu banyak percobaan gagal';

export class AccountsService {
  private readonly findSession: BetterSqlite3.Statement<[string], SessionRow>;
  private readonly touchSession: BetterSqlite3.Statement<[number, string]>;
  private readonly passwords: PasswordHasher;
  private readonly lockout: LoginLockout;
  /** Per-address allowance of login attempts, checked before any password is verified. */
  private readonly addresses: WindowLimiter;
  /** Failed logins an outsider can repeat at will: a few rows per account or address, the rest counted. */
  private readonly failureAudit: AuditSampler;
  /** A real hash of a random string, verified against when the username is unknown (equal timing). */
  private dummy: Promise<string> | null = null;

  constructor(
    private readonly deps: Deps,
    opts: AccountsOptions = {},
  ) {
    this.passwords = opts.passwords ?? argon2Hasher;
    this.lockout = new LoginLockout(deps.database.sqlite);
    const now = () => deps.clock.now();
    this.addresses = new WindowLimiter({
      limit: ADDRESS_ATTEMPTS,
      windowMs: ADDRESS_WINDOW_MS,
      maxKeys: 10_000,
      now,
    });
    this.failureAudit = new AuditSampler({
      perKey: MAX_FAILED_LOGINS,
      total: 100,
      windowMs: LOCKOUT_MS,
      maxKeys: 10_000,
      now,
    });
    // The session lookup runs on every contract call: a prepared statement keeps it in microseconds.
    this.findSession = deps.database.sqlite.prepare(
      `SELECT u.*, s.id AS s_id, s.expires_at AS s_expires, s.last_seen_at AS s_seen, s.created_at AS s_created
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    );
    this.touchSession = deps.database.sqlite.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  }

  private get db() {
    return this.deps.database.db;
  }

  async isSetUp(): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'owner')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Resolves a bearer token to a live session, enforcing idle and absolute expiry. */
  resolve(token: string | null | undefined): SessionInfo | null {
    if (!token) return null;
    const row = this.findSession.get(tokenId(token));
    if (!row) return null;
    const now = this.deps.clock.now();
    if (row.active !== 1 || now >= row.s_expires || now - row.s_seen > SESSION_IDLE_MS) {
      this.deps.database.sqlite.prepare('DELETE FROM sessions WHERE id = ?').run(row.s_id);
      return null;
    }
    if (now - row.s_seen > TOUCH_EVERY_MS) this.touchSession.run(now, row.s_id);
    const user = toPublic(row);
    return {
      sessionId: row.s_id,
      user,
      permissions: [...ROLE_PERMISSIONS[user.role]],
      expiresAt: row.s_expires,
    };
  }

  private async issue(user: UsersTable, via: Actor['via'], ip: string | null): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const sessionId = tokenId(token);
    const expiresAt = now + SESSION_MAX_MS;
    await this.db
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        via,
        ip,
      })
      .execute();
    const pub = toPublic(user);
    return { token, sessionId, user: pub, permissions: [...ROLE_PERMISSIONS[pub.role]], expiresAt };
  }

  async setup(
    input: { officeName: string; fullName: string; username: string; password: string },
    via: Actor['via'],
    ip: string | null,
    initSettings: (officeName: string, trx: Trx) => Promise<void>,
  ): Promise<IssuedSession> {
    const passwordHash = await this.passwords.hash(input.password);
    const now = this.deps.clock.now();
    const id = this.deps.ids();
    const user = await this.db.transaction().execute(async (trx) => {
      // Checked inside the write transaction: two racing setups cannot both create an owner.
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (existing) throw new AppError('ALREADY_SET_UP', 'Rukun sudah disiapkan. Silakan masuk.');
      const row: UsersTable = {
        id,
        username: input.username,
        full_name: input.fullName,
        role: 'owner',
        phone: null,
        password_hash: passwordHash,
        active: 1,
        failed_attempts: 0,
        locked_until: null,
        last_login_at: now,
        created_at: now,
        updated_at: now,
        version: 1,
      };
      await trx.insertInto('users').values(row).execute();
      await initSettings(input.officeName, trx);
      const actor: Actor = { userId: id, name: input.fullName, role: 'owner', via };
      await recordChange(trx, this.deps, {
        actor,
        action: 'auth.setup',
        entity: 'user',
        entityId: id,
        after: { ...toPublic(row), officeName: input.officeName },
        op: 'insert',
      });
      return row;
    });
    return this.issue(user, via, ip);
  }

  private dummyHash(): Promise<string> {
    return (this.dummy ??= this.passwords.hash(`dummy-${randomBytes(16).toString('hex')}`));
  }

  /**
   * Writes a failed-attempt audit row unless this account or address already wrote its share this window;
   * `auth.locked` rows of real accounts are always written (at most one per lock window).
   */
  private async auditFailure(
    action: 'auth.login_failed' | 'auth.locked' | 'auth.changePassword_failed',
    u: UsersTable | null,
    name: string,
    via: Actor['via'],
    ip: string | null,
    extra: Record<string, unknown>,
  ): Promise<void> {
    // Keyed by account, or by the name tried: an address can try only so many names (see `addresses`).
    const key = u ? `user:${u.id}` : `name:${name}`;
    const admitted = this.failureAudit.admit(key);
    if (!(action === 'auth.locked' && u) && !admitted.write) return;
    await recordChange(this.db, this.deps, {
      actor: u
        ? { userId: u.id, name: u.full_name, role: u.role, via }
        : { userId: null, name, role: null, via },
      action,
      entity: 'user',
      entityId: u?.id ?? null,
      after: {
        username: name,
        ip,
        ...extra,
        ...(admitted.suppressed > 0 ? { unrecordedBefore: admitted.suppressed } : {}),
      },
    });
  }

  private lockedError(until: number): AppError {
    return new AppError('ACCOUNT_LOCKED', LOCKED, { until });
  }

  /**
   * Checks a password against a reserved attempt. Unknown usernames verify against a dummy hash and lock like
   * real accounts, so neither the answer nor its timing says whether the account exists.
   */
  private async checkReserved(r: Exclude<Reservation, { kind: 'locked' }>, password: string) {
    const stored = r.kind === 'reserved' ? r.user.password_hash : await this.dummyHash();
    const ok = (await this.passwords.verify(stored, password)) && r.kind === 'reserved';
    return { ok, user: r.kind === 'reserved' ? r.user : null, lockedUntil: r.lockedUntil };
  }

  async login(
    username: string,
    password: string,
    via: Actor['via'],
    ip: string | null,
  ): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const address = ip ?? via;
    if (!this.addresses.take(address)) {
      const until = this.addresses.resetAt(address);
      throw new AppError(
        'RATE_LIMITED',
        'Terlalu banyak percobaan masuk dari perangkat ini. Coba lagi nanti.',
        {
          until,
        },
      );
    }
    const reservation = this.lockout.reserveByUsername(username, now);
    if (reservation.kind === 'locked') {
      await this.auditFailure('auth.login_failed', null, username, via, ip, { reason: 'locked' });
      throw this.lockedError(reservation.until);
    }
    const { ok, user, lockedUntil } = await this.checkReserved(reservation, password);
    if (!ok || !user) {
      const reason = user ? 'bad_password' : 'unknown_user';
      if (lockedUntil !== null) {
        await this.auditFailure('auth.locked', user, username, via, ip, { reason });
        throw this.lockedError(lockedUntil);
      }
      await this.auditFailure('auth.login_failed', user, username, via, ip, { reason });
      throw new AppError('UNAUTHENTICATED', WRONG_PASSWORD);
    }
    this.addresses.refund(address);
    this.lockout.clear(user.id);
    if (user.active !== 1) {
      await this.auditFailure('auth.login_failed', user, username, via, ip, { reason: 'inactive' });
      throw new AppError('UNAUTHENTICATED', 'Akun ini dinonaktifkan. Hubungi pemilik atau admin.');
    }
    await this.db.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
    await recordChange(this.db, this.deps, {
      actor: { userId: user.id, name: user.full_name, role: user.role, via },
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
      after: { username, ip },
    });
    return this.issue({ ...user, failed_attempts: 0, locked_until: null, last_login_at: now }, via, ip);
  }

  async logout(session: SessionInfo, via: Actor['via']): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', session.sessionId).execute();
    await recordChange(this.db, this.deps, {
      actor: actorOf(session.user, via),
      action: 'auth.logout',
      entity: 'user',
      entityId: session.user.id,
    });
    this.deps.events.emit('auth.sessionEnded', { reason: 'logout' }, { sessionId: session.sessionId });
  }

  async changePassword(
    session: SessionInfo,
    current: string,
    next: string,
    via: Actor['via'],
  ): Promise<void> {
    // A wrong current password counts toward the same lock as a wrong login: a session left open on a shared
    // PC must not become an unlimited password-guessing oracle.
    const reservation = this.lockout.reserveById(session.user.id, this.deps.clock.now());
    if (reservation.kind === 'locked') throw this.lockedError(reservation.until);
    if (reservation.kind === 'unknown') throw new AppError('UNAUTHENTICATED', 'Silakan masuk');
    const user = reservation.user;
    const name = user.username;
    if (!(await this.passwords.verify(user.password_hash, current))) {
      if (reservation.lockedUntil !== null) {
        await this.auditFailure('auth.locked', user, name, via, null, { reason: 'bad_current_password' });
        throw this.lockedError(reservation.lockedUntil);
      }
      await this.auditFailure('auth.changePassword_failed', user, name, via, null, {});
      throw new AppError('VALIDATION', 'Kata sandi lama salah', {
        issues: [{ path: 'currentPassword', message: 'Kata sandi lama salah', code: 'custom' }],
      });
    }
    this.lockout.clear(user.id);
    if (current === next) {
      throw new AppError('VALIDATION', 'Kata sandi baru harus berbeda', {
        issues: [{ path: 'newPassword', message: 'Kata sandi baru harus berbeda', code: 'custom' }],
      });
    }
    const hashed = await this.passwords.hash(next);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hashed, updated_at: this.deps.clock.now(), version: user.version + 1 })
        .where('id', '=', user.id)
        .execute();
      // Other sessions of this user end: a changed password should lock out whoever else knew the old one.
      await trx
        .deleteFrom('sessions')
        .where('user_id', '=', user.id)
        .where('id', '!=', session.sessionId)
        .execute();
      await recordChange(trx, this.deps, {
        actor: actorOf(session.user, via),
        action: 'auth.changePassword',
        entity: 'user',
        entityId: user.id,
      });
    });
  }

  // ---- staff management -------------------------------------------------------------------------------

  async list(): Promise<UserPublic[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
    return rows.map(toPublic);
  }

  async create(
    actor: Actor,
    input: { username: string; fullName: string; role: Role; phone?: string | null; password: string },
  ): Promise<UserPublic> {
    if (!actor.role || !canManageRole(actor.role, input.role)) {
      throw new AppError('FORBIDDEN', 'Anda tidak boleh membuat akun dengan peran ini');
    }
    const passwordHash = await this.passwords.hash(input.password);
    const now = this.deps.clock.now();
    const row: UsersTable = {
      id: this.deps.ids(),
      username: input.username,
      full_name: input.fullName,
      role: input.role,
      phone: input.phone ?? null,
      password_hash: passwordHash,
      active: 1,
      failed_attempts: 0,
      locked_until: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (taken) {
        throw new AppError('CONFLICT', 'Nama pengguna sudah dipakai', {
          issues: [{ path: 'username', message: 'Nama pengguna sudah dipakai', code: 'custom' }],
        });
      }
      await trx.insertInto('users').values(row).execute();
      const pub = toPublic(row);
      await recordChange(trx, this.deps, {
        actor,
        action: 'staff.create',
        entity: 'user',
        entityId: row.id,
        after: pub,
        op: 'insert',
      });
      return pub;
    });
  }

  async update(
    actor: Actor,
    input: {
      id: string;
      version: number;
      fullName?: string;
      role?: Role;
      phone?: string | null;
      active?: boolean;
      unlock?: boolean;
    },
  ): Promise<UserPublic> {
    const result = await this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!user) throw new AppError('NOT_FOUND', 'Akun tidak ditemukan');
      if (
        !actor.role ||
        !canManageRole(actor.role, user.role) ||
        (input.role && !canManageRole(actor.role, input.role))
      ) {
        throw new AppError('FORBIDDEN', 'Anda tidak boleh mengubah akun ini');
      }
      if (user.version !== input.version) {
        throw new AppError('CONFLICT', 'Akun ini baru saja diubah orang lain. Muat ulang lalu coba lagi.', {
          currentVersion: user.version,
        });
      }
      if (user.id === actor.userId && (input.active === false || (input.role && input.role !== user.role))) {
        throw new AppError('CONFLICT', 'Anda tidak dapat menonaktifkan atau mengubah peran akun sendiri');
      }
      const demotingOwner =
        user.role === 'owner' && ((input.role && input.role !== 'owner') || input.active === false);
      if (demotingOwner) {
        const owners = await trx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('role', '=', 'owner')
          .where('active', '=', 1)
          .executeTakeFirstOrThrow();
        if (owners.n <= 1) throw new AppError('CONFLICT', 'Harus ada setidaknya satu pemilik yang aktif');
      }
      const next: UsersTable = {
        ...user,
        full_name: input.fullName ?? user.full_name,
        role: input.role ?? user.role,
        phone: input.phone === undefined ? user.phone : input.phone,
        active: input.active === undefined ? user.active : input.active ? 1 : 0,
        failed_attempts: input.unlock ? 0 : user.failed_attempts,
        locked_until: input.unlock ? null : user.locked_until,
        updated_at: this.deps.clock.now(),
        version: user.version + 1,
      };
      await trx.updateTable('users').set(next).where('id', '=', user.id).execute();
      const endSessions = next.active === 0 || next.role !== user.role;
      if (endSessions) await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await recordChange(trx, this.deps, {
        actor,
        action: 'staff.update',
        entity: 'user',
        entityId: user.id,
        before: toPublic(user),
        after: toPublic(next),
        op: 'update',
      });
      return { pub: toPublic(next), endSessions };
    });
    if (result.endSessions)
      this.deps.events.emit('auth.sessionEnded', { reason: 'deactivated' }, { userId: input.id });
    return result.pub;
  }

  async resetPassword(actor: Actor, id: string, newPassword: string): Promise<void> {
    const hashed = await this.passwords.hash(newPassword);
    await this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!user) throw new AppError('NOT_FOUND', 'Akun tidak ditemukan');
      if (!actor.role || !canManageRole(actor.role, user.role)) {
        throw new AppError('FORBIDDEN', 'Anda tidak boleh mengubah akun ini');
      }
      await trx
        .updateTable('users')
        .set({
          password_hash: hashed,
          failed_attempts: 0,
          locked_until: null,
          updated_at: this.deps.clock.now(),
          version: user.version + 1,
        })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await recordChange(trx, this.deps, {
        actor,
        action: 'staff.resetPassword',
        entity: 'user',
        entityId: id,
      });
    });
    this.deps.events.emit('auth.sessionEnded', { reason: 'password_changed' }, { userId: id });
  }

  /** Removes expired sessions; run by the housekeeping schedule. */
  async purgeExpired(): Promise<number> {
    const now = this.deps.clock.now();
    const res = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', now - SESSION_IDLE_MS)]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
