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
import { dummyHash, hashPassword, verifyPassword } from './passwords';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
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

export class AccountsService {
  private readonly findSession: BetterSqlite3.Statement<[string], SessionRow>;
  private readonly touchSession: BetterSqlite3.Statement<[number, string]>;

  constructor(private readonly deps: Deps) {
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
    const passwordHash = await hashPassword(input.password);
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

  async login(
    username: string,
    password: string,
    via: Actor['via'],
    ip: string | null,
  ): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    const audit = (action: string, u: UsersTable | undefined, extra: Record<string, unknown> = {}) =>
      recordChange(this.db, this.deps, {
        actor: u
          ? { userId: u.id, name: u.full_name, role: u.role, via }
          : { userId: null, name: username, role: null, via },
        action,
        entity: 'user',
        entityId: u?.id ?? null,
        after: { username, ip, ...extra },
      });
    if (!user) {
      await verifyPassword(await dummyHash(), password);
      await audit('auth.login_failed', undefined, { reason: 'unknown_user' });
      throw new AppError('UNAUTHENTICATED', 'Nama pengguna atau kata sandi salah');
    }
    if (user.locked_until !== null && user.locked_until > now) {
      await audit('auth.login_failed', user, { reason: 'locked' });
      throw new AppError('ACCOUNT_LOCKED', 'Akun dikunci sementara karena terlalu banyak percobaan gagal', {
        until: user.locked_until,
      });
    }
    const ok = await verifyPassword(user.password_hash, password);
    if (!ok) {
      const failed = user.failed_attempts + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      await this.db
        .updateTable('users')
        .set({
          failed_attempts: lock ? 0 : failed,
          locked_until: lock ? now + LOCKOUT_MS : user.locked_until,
        })
        .where('id', '=', user.id)
        .execute();
      await audit(lock ? 'auth.locked' : 'auth.login_failed', user, { reason: 'bad_password', failed });
      if (lock) {
        throw new AppError('ACCOUNT_LOCKED', 'Akun dikunci 15 menit karena 5 kali gagal masuk', {
          until: now + LOCKOUT_MS,
        });
      }
      throw new AppError('UNAUTHENTICATED', 'Nama pengguna atau kata sandi salah', {
        remainingAttempts: MAX_FAILED_LOGINS - failed,
      });
    }
    if (user.active !== 1) {
      await audit('auth.login_failed', user, { reason: 'inactive' });
      throw new AppError('UNAUTHENTICATED', 'Akun ini dinonaktifkan. Hubungi pemilik atau admin.');
    }
    await this.db
      .updateTable('users')
      .set({ failed_attempts: 0, locked_until: null, last_login_at: now })
      .where('id', '=', user.id)
      .execute();
    await audit('auth.login', user);
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
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', session.user.id)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(user.password_hash, current))) {
      throw new AppError('VALIDATION', 'Kata sandi lama salah', {
        issues: [{ path: 'currentPassword', message: 'Kata sandi lama salah', code: 'custom' }],
      });
    }
    if (current === next) {
      throw new AppError('VALIDATION', 'Kata sandi baru harus berbeda', {
        issues: [{ path: 'newPassword', message: 'Kata sandi baru harus berbeda', code: 'custom' }],
      });
    }
    const hashed = await hashPassword(next);
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
    const passwordHash = await hashPassword(input.password);
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
    const hashed = await hashPassword(newPassword);
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
