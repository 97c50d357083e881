import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrations } from '../../migrations/index';
import { NewerDatabaseError, openDatabase } from '../../src/main/db/database';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('database', () => {
  it('registers migrations in order, numbered 1..N without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
  });

  it('runs every migration, uses WAL and foreign keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rukun-db-'));
    dirs.push(dir);
    const d = openDatabase(join(dir, 'rukun.db'));
    expect(d.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(d.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(d.sqlite.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const tables = (
      d.sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['users', 'sessions', 'audit_log', 'change_log', 'office_settings']),
    );
    await d.close();
    // Re-opening is a no-op migration.
    const again = openDatabase(join(dir, 'rukun.db'));
    expect(again.sqlite.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    await again.close();
  });

  it('refuses a database written by a newer Rukun and leaves it untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rukun-db-'));
    dirs.push(dir);
    const file = join(dir, 'rukun.db');
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.close();
    expect(() => openDatabase(file)).toThrow(NewerDatabaseError);
    const check = new BetterSqlite3(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    check.close();
  });
});
