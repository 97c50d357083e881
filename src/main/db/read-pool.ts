import { availableParallelism } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { Logger } from '../lib/logger';
import { WorkerPool, workerEntry } from '../lib/worker-pool';
import { directReader, type Reader } from './reader';
import { readTasks, type ReadInput, type ReadOutput, type ReadTask } from './read-tasks';

/** How a service asks for a heavy read (see read-tasks.ts). */
export interface Reads {
  run<K extends ReadTask>(task: K, input: ReadInput<K>): Promise<ReadOutput<K>>;
}

/**
 * Heavy reads on worker threads, each with its own read-only connection (WAL lets them read while the main
 * connection writes; they see every committed change). A `:memory:` database cannot be shared with another
 * thread, so tests run the same tasks inline on the main connection.
 */
export class ReadPool implements Reads {
  private readonly pool: WorkerPool | null;
  private readonly inline: Reader;

  constructor(
    sqlite: BetterSqlite3.Database,
    path: string,
    private readonly log: Logger,
    size = Math.max(1, Math.min(2, availableParallelism() - 1)),
  ) {
    this.inline = directReader(sqlite);
    this.pool =
      path === ':memory:'
        ? null
        : new WorkerPool({
            name: 'read',
            entry: workerEntry('read-worker', import.meta.url),
            size,
            workerData: { path },
          });
  }

  /** Starts the read workers in the background (the first list then does not wait for one to load). */
  warm(): void {
    this.pool?.warm();
  }

  /** True when reads run on worker threads. */
  get threaded(): boolean {
    return this.pool !== null;
  }

  async run<K extends ReadTask>(task: K, input: ReadInput<K>): Promise<ReadOutput<K>> {
    if (!this.pool) return this.runInline(task, input);
    try {
      return await this.pool.run<ReadOutput<K>>(task, input);
    } catch (e) {
      // A worker that could not start or died mid-task must not take the lists down with it.
      if (e instanceof AppError && e.details?.['workerDied']) {
        this.log.warn('read worker failed; reading on the main thread', {
          task,
          reason: e.details['reason'],
        });
        return this.runInline(task, input);
      }
      throw e;
    }
  }

  close(): Promise<void> {
    return this.pool?.close() ?? Promise.resolve();
  }

  private runInline<K extends ReadTask>(task: K, input: ReadInput<K>): ReadOutput<K> {
    return (readTasks[task] as (r: Reader, i: ReadInput<K>) => ReadOutput<K>)(this.inline, input);
  }
}
