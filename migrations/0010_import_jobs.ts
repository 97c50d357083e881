import type { Migration } from './types';

/**
 * Customer imports commit in small transactions (src/main/billing/import-jobs.ts) so a 50,000-row file never
 * holds the event loop; the validated rows wait here, in chunks, until each chunk is written — together with
 * its `done` mark, in one transaction — so an import cut by a crash resumes on the next start where it
 * stopped: every row exactly once, no gap.
 *
 * - `staging`: chunks are still being stored (a crash here leaves nothing imported: the job is dropped);
 *   `running`: every chunk is stored, some may be written; `done`: all written, chunks deleted.
 * - `today` and `router_code` are fixed when the job starts, so a chunk written after a restart (even the
 *   next day) gets the same registration date and customer code pattern as the rest.
 * - `late_json`: rows skipped while writing (e.g. their phone number was registered by a colleague meanwhile),
 *   with their line and reason, so the report still accounts for every row.
 */
export const m0010: Migration = {
  version: 10,
  name: 'durable customer import jobs',
  up(db) {
    db.exec(`
      CREATE TABLE import_jobs (
        id TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        router_id TEXT,
        router_code TEXT NOT NULL,
        today TEXT NOT NULL,
        actor_id TEXT,
        actor_name TEXT NOT NULL,
        actor_role TEXT,
        actor_via TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('staging', 'running', 'done')),
        total INTEGER NOT NULL,
        invalid INTEGER NOT NULL,
        chunks INTEGER NOT NULL,
        written INTEGER NOT NULL DEFAULT 0,
        imported INTEGER NOT NULL DEFAULT 0,
        late_json TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX import_jobs_open ON import_jobs(status) WHERE status <> 'done';
      CREATE TABLE import_job_chunks (
        job_id TEXT NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        rows_json TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        skipped_json TEXT,
        PRIMARY KEY (job_id, seq)
      );
    `);
  },
};
