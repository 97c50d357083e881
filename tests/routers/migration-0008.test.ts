import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';

describe('migration 0008 (API-SSL certificate pinning)', () => {
  it('gives existing routers the pinned mode with nothing pinned yet (pinned on their next connection)', () => {
    const db = new BetterSqlite3(':memory:');
    for (const m of migrations.filter((x) => x.version < 8)) m.up(db);
    db.prepare(
      `INSERT INTO routers (id, name, host, port, tls, username, password_enc, created_at, updated_at)
       VALUES ('r1', 'Pusat', '10.0.0.1', 8729, 1, 'admin', 'x', 1, 1)`,
    ).run();
    const m8 = migrations.find((x) => x.version === 8);
    expect(m8?.name).toMatch(/certificate pinning/);
    m8!.up(db);
    expect(
      db.prepare('SELECT tls_mode, tls_fingerprint, tls_offered_fingerprint FROM routers').get(),
    ).toEqual({
      tls_mode: 'pinned',
      tls_fingerprint: null,
      tls_offered_fingerprint: null,
    });
    expect(() => db.prepare(`UPDATE routers SET tls_mode = 'none'`).run()).toThrow(/CHECK/);
    db.prepare(`UPDATE routers SET tls_mode = 'anonymous-dh'`).run();
    db.close();
  });
});
