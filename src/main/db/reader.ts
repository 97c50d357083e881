import type BetterSqlite3 from 'better-sqlite3';

/**
 * What a list query reads through: the main connection (tests, `:memory:`) or a read worker's own read-only
 * connection (src/main/db/read-worker.ts). List functions take a Reader, never a service context, so the same
 * code runs on either thread.
 */
export interface Reader {
  readonly sqlite: BetterSqlite3.Database;
  /** A prepared statement, prepared once per connection. */
  prepare(sql: string): BetterSqlite3.Statement;
  /** `COUNT(*)` for a list's total (`sql` selects one column `n`). */
  count(sql: string, params: readonly unknown[]): number;
}

function statements(sqlite: BetterSqlite3.Database): (sql: string) => BetterSqlite3.Statement {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = sqlite.prepare(sql)));
    return s;
  };
}

const countOf = (s: BetterSqlite3.Statement, params: readonly unknown[]) =>
  (s.get(...params) as { n: number }).n;

/** Reads on the given connection, every count computed afresh (it may be the connection that writes). */
export function directReader(sqlite: BetterSqlite3.Database): Reader {
  const prepare = statements(sqlite);
  return { sqlite, prepare, count: (sql, params) => countOf(prepare(sql), params) };
}

/**
 * For a connection that never writes: a list's total is remembered until another connection commits
 * (`PRAGMA data_version` changes), so scrolling 20,000 rows in blocks of 200 counts them once, not 100 times.
 */
export function cachingReader(sqlite: BetterSqlite3.Database): Reader {
  const prepare = statements(sqlite);
  const version = sqlite.prepare('PRAGMA data_version').pluck();
  let seen = -1;
  const totals = new Map<string, number>();
  return {
    sqlite,
    prepare,
    count(sql, params) {
      const v = version.get() as number;
      if (v !== seen) {
        totals.clear();
        seen = v;
      }
      const key = `${sql}\u0000${JSON.stringify(params)}`;
      let n = totals.get(key);
      if (n === undefined) {
        n = countOf(prepare(sql), params);
        // A few hundred distinct filters between two commits is plenty; beyond that, start over.
        if (totals.size > 500) totals.clear();
        totals.set(key, n);
      }
      return n;
    },
  };
}

/**
 * A page in two steps: first the page's rowids, read from the ordering index (skipping 10,000 rows to reach a
 * deep page, or sorting a search's matches, touches only narrow index entries), then just those rows with their
 * joins and subqueries, put back in page order. `rowsSql` selects `<table>.rowid AS _rid` and filters
 * `<table>.rowid IN (SELECT value FROM json_each(?))`.
 */
export function pageOf<T>(r: Reader, idsSql: string, idsBind: readonly unknown[], rowsSql: string): T[] {
  const ids = r
    .prepare(idsSql)
    .pluck()
    .all(...idsBind) as number[];
  if (ids.length === 0) return [];
  const at = new Map(ids.map((id, i) => [id, i]));
  const rows = r.prepare(rowsSql).all(JSON.stringify(ids)) as (T & { _rid: number })[];
  return rows.sort((a, b) => (at.get(a._rid) ?? 0) - (at.get(b._rid) ?? 0));
}

/**
 * Whether a search matched so much of a table that walking it in list order finds a page sooner than sorting
 * every match (a word in every address matches every customer); rare matches are sorted instead.
 */
export function denseMatch(r: Reader, matched: number, table: string): boolean {
  return matched * 10 >= r.count(`SELECT COUNT(*) AS n FROM ${table}`, []);
}
