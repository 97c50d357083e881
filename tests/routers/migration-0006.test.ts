import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';

describe('migration 0006 (per-router reconcile policy)', () => {
  it('gives existing routers the behaviour they had before and refuses values the app does not know', () => {
    const db = new BetterSqlite3(':memory:');
    for (const m of migrations.filter((x) => x.version < 6)) m.up(db);
    db.prepare(
      `INSERT INTO routers (id, name, host, port, username, password_enc, created_at, updated_at) VALUES ('r1', 'Pusat', '10.0.0.1', 8728, 'admin', 'x', 1, 1)`,
    ).run();
    const m6 = migrations.find((x) => x.version === 6);
    expect(m6?.name).toMatch(/reconcile/);
    m6!.up(db);
    expect(
      db
        .prepare(
          'SELECT reconcile_interval_min, reconcile_missing, reconcile_different, reconcile_extra, reconcile_last_json FROM routers',
        )
        .get(),
    ).toEqual({
      reconcile_interval_min: 15,
      reconcile_missing: 'push',
      reconcile_different: 'fix',
      reconcile_extra: 'report',
      reconcile_last_json: null,
    });
    expect(() => db.prepare(`UPDATE routers SET reconcile_interval_min = 7`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE routers SET reconcile_extra = 'delete'`).run()).toThrow(/CHECK/);
    db.prepare(`UPDATE routers SET reconcile_interval_min = 0, reconcile_extra = 'remove'`).run();
    db.close();
  });
});
