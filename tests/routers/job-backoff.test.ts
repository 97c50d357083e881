/**
 * Invariant: a router job that fails transiently waits longer after every attempt (exponential backoff with
 * jitter, up to a ceiling), so a router that times out is not hammered by its own queue. Read from the job's
 * own row (next_try_at against the fake clock), so the test is about the schedule, not about wall time.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { TimeoutError } from '../../src/main/routeros/index';
import { routersOf, setup, until, type Setup } from './helpers';

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('router-job backoff', () => {
  it('retry delays of a transient failure grow by the factor, within the jitter, up to the ceiling', async () => {
    s = await setup({});
    const { api, jobs } = { api: routersOf(s.t.core).api, jobs: routersOf(s.t.core).internals.jobs };
    jobs.backoff.initialMs = 1000;
    jobs.backoff.maxMs = 6000;
    let runs = 0;
    api.registerOperation('test.alwaysTimesOut', () => {
      runs++;
      return Promise.reject(new TimeoutError('router did not answer', 15_000));
    });
    const db = s.t.core.deps.database.db;
    const id = await api.enqueue(db, { routerId: s.routerId, operation: 'test.alwaysTimesOut', payload: {} });
    api.poke(s.routerId);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await until(async () => {
        const row = await db.selectFrom('router_jobs').selectAll().where('id', '=', id).executeTakeFirst();
        return row?.state === 'pending' && row.attempts === attempt;
      });
      const row = await db
        .selectFrom('router_jobs')
        .select(['next_try_at', 'updated_at', 'last_error'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.last_error).toMatch(/tidak menjawab tepat waktu/);
      delays.push(row.next_try_at - row.updated_at);
      // Not due yet: poking the worker does not run it early.
      api.poke(s.routerId);
      await new Promise((r) => setTimeout(r, 150));
      expect(runs).toBe(attempt);
      // Due: move the office clock past it and wake the worker.
      s.t.clock.advance(row.next_try_at - s.t.clock.now());
      api.poke(s.routerId);
    }
    // 1 s, 2 s, 4 s, then the 6 s ceiling — each with up to 30 % taken off so routers do not retry in lockstep.
    const nominal = [1000, 2000, 4000, 6000, 6000];
    delays.forEach((d, i) => {
      expect(d, `delay after attempt ${i + 1}`).toBeLessThanOrEqual(nominal[i]!);
      expect(d, `delay after attempt ${i + 1}`).toBeGreaterThanOrEqual(nominal[i]! * 0.7);
    });
    // Strictly growing until the ceiling: a constant or zero backoff fails here whatever the jitter drew.
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    expect(delays[2]!).toBeGreaterThan(delays[1]!);
    expect(delays[2]!).toBeGreaterThan(2 * 0.7 * delays[0]!);
  });
});
