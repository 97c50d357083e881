import type BetterSqlite3 from 'better-sqlite3';
import { formatNumberInSeries, seriesOf, sequenceWidth } from '../../shared/billing/patterns';
import type { Actor } from '../context';
import type { IdGen } from '../lib/ids';

/**
 * Raw prepared statements for the hot paths (invoice runs over 20,000 subscriptions, allocations, balances).
 * They run on the same connection as Kysely, so inside a Kysely transaction callback they join it.
 */
const cache = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

export function stmt(sqlite: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let m = cache.get(sqlite);
  if (!m) cache.set(sqlite, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = sqlite.prepare(sql)));
  return s;
}

/** Next gapless number of the pattern's series for an office date; call inside the row's transaction. */
export function nextNumber(
  sqlite: BetterSqlite3.Database,
  pattern: string,
  date: string,
  parts: { loc?: string; router?: string } = {},
): string {
  const series = seriesOf(pattern, { date, ...parts });
  const row = stmt(
    sqlite,
    'INSERT INTO number_series (series, last_seq) VALUES (?, 1) ON CONFLICT(series) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq',
  ).get(series) as { last_seq: number };
  return formatNumberInSeries(series, row.last_seq, sequenceWidth(pattern));
}

/** Audit + outbox rows written with raw statements (same columns as recordChange) for bulk runs. */
export function auditRaw(
  sqlite: BetterSqlite3.Database,
  ids: IdGen,
  at: number,
  actor: Actor,
  rec: {
    action: string;
    entity: string;
    entityId: string;
    after?: unknown;
    before?: unknown;
    op?: 'insert' | 'update';
  },
): void {
  const after = rec.after === undefined ? null : JSON.stringify(rec.after);
  stmt(
    sqlite,
    'INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, via) VALUES (?,?,?,?,?,?,?,?,?,?)',
  ).run(
    ids(),
    at,
    actor.userId,
    actor.name,
    rec.action,
    rec.entity,
    rec.entityId,
    rec.before === undefined ? null : JSON.stringify(rec.before),
    after,
    actor.via,
  );
  if (rec.op) {
    stmt(sqlite, 'INSERT INTO change_log (at, entity, entity_id, op, data_json) VALUES (?,?,?,?,?)').run(
      at,
      rec.entity,
      rec.entityId,
      rec.op,
      after,
    );
  }
}

/**
 * Numbers for a bulk run: reads each series' counter once, counts in memory and writes the counters back
 * before the transaction commits (`flush`). Same gapless guarantee as nextNumber inside one transaction.
 */
export class NumberBatch {
  private readonly counters = new Map<string, number>();
  /** A run issues thousands of numbers on one or two dates: the series and width are worked out once. */
  private readonly seriesByDate = new Map<string, string>();
  private readonly width: number;
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly pattern: string,
  ) {
    this.width = sequenceWidth(pattern);
  }

  next(date: string): string {
    let series = this.seriesByDate.get(date);
    if (series === undefined) this.seriesByDate.set(date, (series = seriesOf(this.pattern, { date })));
    let n = this.counters.get(series);
    if (n === undefined) {
      const row = stmt(this.sqlite, 'SELECT last_seq FROM number_series WHERE series = ?').get(series) as
        { last_seq: number } | undefined;
      n = row?.last_seq ?? 0;
    }
    n++;
    this.counters.set(series, n);
    return formatNumberInSeries(series, n, this.width);
  }

  flush(): void {
    const up = stmt(
      this.sqlite,
      'INSERT INTO number_series (series, last_seq) VALUES (?, ?) ON CONFLICT(series) DO UPDATE SET last_seq = excluded.last_seq',
    );
    for (const [series, n] of this.counters) up.run(series, n);
  }
}
