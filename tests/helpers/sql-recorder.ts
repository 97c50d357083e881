import type BetterSqlite3 from 'better-sqlite3';

export interface RecordedRead {
  sql: string;
  params: unknown[];
}

type StatementProto = Record<
  'all' | 'get' | 'iterate',
  (this: BetterSqlite3.Statement, ...a: unknown[]) => unknown
>;

/**
 * Records every read statement run on `sqlite` (raw prepared statements, cached ones and Kysely's alike) with
 * its parameters, so a test can EXPLAIN exactly what a contract call ran. Patches better-sqlite3's Statement
 * prototype; `stop()` restores it.
 */
export function recordReads(sqlite: BetterSqlite3.Database): {
  take(): RecordedRead[];
  stop(): void;
} {
  const proto = Object.getPrototypeOf(sqlite.prepare('SELECT 1')) as StatementProto;
  const saved = { all: proto.all, get: proto.get, iterate: proto.iterate };
  let seen: RecordedRead[] = [];
  for (const name of ['all', 'get', 'iterate'] as const) {
    const orig = saved[name];
    proto[name] = function (this: BetterSqlite3.Statement, ...params: unknown[]) {
      if (this.database === sqlite && this.reader && !this.source.startsWith('EXPLAIN'))
        seen.push({ sql: this.source, params });
      return orig.apply(this, params);
    };
  }
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
    stop() {
      Object.assign(proto, saved);
    },
  };
}

/** `EXPLAIN QUERY PLAN` of a recorded read, one detail line per step (e.g. `SEARCH i USING INDEX …`). */
export function queryPlan(sqlite: BetterSqlite3.Database, read: RecordedRead): string[] {
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${read.sql}`).all(...read.params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}
