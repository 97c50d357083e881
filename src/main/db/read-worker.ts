/**
 * A read worker: its own read-only connection to rukun.db, answering the tasks of read-tasks.ts so a long list
 * or a search never holds the main thread (router callbacks, /health, the desktop's calls).
 */
import BetterSqlite3 from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { serveTasks, type TaskHandlers } from '../lib/worker-pool';
import { cachingReader } from './reader';
import { readTasks } from './read-tasks';

const { path } = workerData as { path: string };
const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
// Lists walk indexes of tables with hundreds of thousands of rows: keep more of them in memory (32 MB).
sqlite.pragma('cache_size = -32768');
const reader = cachingReader(sqlite);

const handlers: TaskHandlers = Object.fromEntries(
  Object.entries(readTasks).map(([name, task]) => [
    name,
    (input: never) => (task as (r: typeof reader, i: unknown) => unknown)(reader, input),
  ]),
);
serveTasks(handlers);
