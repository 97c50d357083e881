import type BetterSqlite3 from 'better-sqlite3';

/** A forward-only schema step. `version` is stored in PRAGMA user_version once the step has run. */
export interface Migration {
  version: number;
  name: string;
  up(db: BetterSqlite3.Database): void;
}
