import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/contract/errors';
import { WorkerPool, workerEntry } from '../../src/main/lib/worker-pool';

const entry = workerEntry('pool-worker', new URL('./fixtures/x.ts', import.meta.url).href);
let pool: WorkerPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('worker pool', () => {
  it('runs tasks on other threads and returns their values', async () => {
    pool = new WorkerPool({ name: 'test', entry, size: 2 });
    expect(await pool.run('double', 21)).toBe(42);
    const tid = await pool.run<number>('thread', null);
    expect(tid).not.toBe(threadId);
  });

  it('brings an AppError back with its code and details; other errors become INTERNAL', async () => {
    pool = new WorkerPool({ name: 'test', entry, size: 1 });
    const refused = await pool.run('refuse', null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'CONFLICT', message: 'Sudah ada', details: { field: 'x' } });
    await expect(pool.run('crash', null)).rejects.toMatchObject({ code: 'INTERNAL', message: 'boom' });
    // The worker survives a thrown error and serves the next task.
    expect(await pool.run('double', 2)).toBe(4);
  });

  it('never runs more threads than its size; queued tasks all settle', async () => {
    pool = new WorkerPool({ name: 'test', entry, size: 2 });
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => pool!.run<number>('double', i)));
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(pool.threads).toBeLessThanOrEqual(2);
  });

  it('stops a task past its time limit with the given error, and keeps serving', async () => {
    pool = new WorkerPool({
      name: 'test',
      entry,
      size: 1,
      timeoutError: (ms) => new AppError('VALIDATION', `lebih dari ${ms} ms`),
    });
    await expect(pool.run('spin', 60_000, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'lebih dari 300 ms',
    });
    expect(await pool.run('double', 5)).toBe(10);
  });

  it('a worker that dies fails its task, and a new worker takes the next one', async () => {
    pool = new WorkerPool({ name: 'test', entry, size: 1 });
    await expect(pool.run('exit', null)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await pool.run('double', 7)).toBe(14);
  });
});
