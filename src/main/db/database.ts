import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../migrations/index';
import type { DB } from './schema';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;

export interface Database {
  /** Raw handle for hot paths (bulk inserts, prepared statements) and migrations. */
  sqlite: BetterSqlite3.Database;
  db: Db;
  path: string;
  schemaVersion: number;
  /**
   * Runs `fn` with every commit made meanwhile synced to disk (`synchronous = FULL`). Commits outside run
   * with NORMAL, which is crash-safe but can lose the last commits on a power cut: money-moving work
   * (payments, invoices) runs here so an acknowledged payment — whose receipt may already be on its way
   * by WhatsApp — survives one. Never call it inside a transaction: it waits for the connection.
   */
  durably<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class NewerDatabaseError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `Database schema version ${found} is newer than this Rukun supports (${supported}). ` +
        'Update Rukun before opening this data.',
    );
    this.name = 'NewerDatabaseError';
  }
}

/**
 * Opens the database file (or `:memory:`), applies pragmas and runs every pending migration in one
 * transaction before anything else may touch it.
 */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') protectFiles(path);
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  try {
    migrate(sqlite);
  } catch (e) {
    sqlite.close();
    throw e;
  }
  // The -wal and -shm files now exist: an older install may have left them group/world-readable.
  if (path !== ':memory:') protectFiles(path);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    sqlite,
    db,
    path,
    schemaVersion: LATEST_SCHEMA_VERSION,
    durably: durability(sqlite, db),
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Owner-only access (0700), created or tightened: the data dir holds the database and the data key. */
export function protectDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * The database, its WAL and shared-memory files are readable by the service user only (0600). The file is
 * created 0600 before SQLite opens it, because SQLite gives the -wal and -shm files the database's mode.
 */
function protectFiles(path: string): void {
  protectDir(dirname(path));
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/** `Database.durably`: FULL while at least one durable call runs, switched only between transactions. */
function durability(sqlite: BetterSqlite3.Database, db: Db): Database['durably'] {
  let holders = 0;
  let full = false;
  // SQLite refuses to change the safety level inside a transaction: take the connection (Kysely's mutex
  // waits for any open transaction) and set the level every running durable call needs.
  const apply = () =>
    db.connection().execute(async () => {
      const want = holders > 0;
      if (want === full) return;
      sqlite.pragma(`synchronous = ${want ? 'FULL' : 'NORMAL'}`);
      full = want;
    });
  return async (fn) => {
    holders += 1;
    try {
      await apply();
      return await fn();
    } finally {
      holders -= 1;
      // Staying on FULL after a failure to switch back is slower, never less safe.
      await apply().catch(() => undefined);
    }
  };
}

export function migrate(sqlite: BetterSqlite3.Database): number {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) throw new NewerDatabaseError(current, LATEST_SCHEMA_VERSION);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  sqlite.transaction(() => {
    for (const m of pending) {
      m.up(sqlite);
      sqlite.pragma(`user_version = ${m.version}`);
    }
  })();
  return LATEST_SCHEMA_VERSION;
}
