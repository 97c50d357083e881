import type { Migration } from './types';

/**
 * Each router's own automatic reconcile: how often it runs (0 = only when the router connects or by hand) and
 * what it repairs per kind of drift, plus the outcome of its last run so the office sees what happened.
 * The defaults are the behaviour before this migration: every 15 minutes, push missing rows, fix different
 * ones, only report extra ones.
 */
export const m0006: Migration = {
  version: 6,
  name: 'routers: per-router reconcile interval, repair policy and last outcome',
  up(db) {
    db.exec(`
      ALTER TABLE routers ADD COLUMN reconcile_interval_min INTEGER NOT NULL DEFAULT 15
        CHECK (reconcile_interval_min IN (0, 5, 15, 30, 60));
      ALTER TABLE routers ADD COLUMN reconcile_missing TEXT NOT NULL DEFAULT 'push'
        CHECK (reconcile_missing IN ('push', 'report'));
      ALTER TABLE routers ADD COLUMN reconcile_different TEXT NOT NULL DEFAULT 'fix'
        CHECK (reconcile_different IN ('fix', 'report'));
      ALTER TABLE routers ADD COLUMN reconcile_extra TEXT NOT NULL DEFAULT 'report'
        CHECK (reconcile_extra IN ('report', 'disable', 'remove'));
      -- JSON of the last ReconcileOutcome (src/shared/contract/routers.ts); NULL until the first run.
      ALTER TABLE routers ADD COLUMN reconcile_last_json TEXT;
    `);
  },
};
