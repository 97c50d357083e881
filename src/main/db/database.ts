import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
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
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    sqlite,
    db,
    path,
    schemaVersion: LATEST_SCHEMA_VERSION,
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
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
