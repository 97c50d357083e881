import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/main/context';
import type { FinishedJob, JobInput } from '../../src/main/routers/api';
import { routersOf, setup, until, VERSIONS, waitEvent, type Setup } from './helpers';

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const userJob = (routerId: string, i: number, batchId: string): JobInput => ({
  routerId,
  operation: 'menu.upsert',
  batchId,
  payload: {
    menu: '/ip/hotspot/user',
    match: { name: `V${String(i).padStart(4, '0')}` },
    values: {
      password: `p${i}`,
      profile: 'default',
      'limit-uptime': '3h',
      comment: `VOUCHER_SYSTEM|5000|0|0 Bu Siti — lunas ✓ ${i}`,
    },
  },
});

describe.each(VERSIONS)('router jobs on RouterOS %s', (version) => {
  it('a connection dropped mid-batch loses nothing: every user lands exactly once, comments intact', async () => {
    s = await setup({ version, faults: { latencyMs: 2 } });
    const api = routersOf(s.t.core).api;
    const finished: FinishedJob[] = [];
    api.onJobFinished((j) => finished.push(j));
    // Every session is cut after 150 commands: the batch survives several drops and reconnects.
    s.emu.faults.dropAfterCommands = 150;
    const offline = waitEvent(s.t.core, 'routers.status', (p) => p.state === 'offline');
    const routerId = s.routerId;
    await s.t.core.deps.database.db.transaction().execute(async (trx) => {
      await api.enqueueMany(
        trx,
        Array.from({ length: 400 }, (_, i) => userJob(routerId, i, 'batch-drop')),
      );
    });
    await offline;
    const progress = await api.waitForBatch('batch-drop');
    s.emu.faults.dropAfterCommands = undefined;
    expect(progress).toMatchObject({ total: 400, done: 400, failed: 0, pending: 0 });
    const rows = s.emu
      .menu('/ip/hotspot/user')
      .rows()
      .filter((r) => r['name']?.startsWith('V'));
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((r) => r['name'])).size).toBe(400);
    expect(rows.find((r) => r['name'] === 'V0007')?.['comment']).toBe(
      'VOUCHER_SYSTEM|5000|0|0 Bu Siti — lunas ✓ 7',
    );
    // Each job reported finished exactly once.
    expect(finished.filter((j) => j.batchId === 'batch-drop')).toHaveLength(400);
    expect(new Set(finished.map((j) => j.id)).size).toBe(finished.length);
  });

  it('an offline router keeps jobs waiting (menunggu sinkron) with the error, and they run when it is back', async () => {
    s = await setup({ version });
    const { api } = routersOf(s.t.core);
    s.emu.pause();
    await waitEvent(s.t.core, 'routers.status', (p) => p.state === 'offline');
    const id = await api.enqueue(s.t.core.deps.database.db, userJob(s.routerId, 1, 'b-off'));
    const list = await s.t.ok('routerJobs.list', { routerId: s.routerId, state: 'pending' }, s.token);
    expect(list.rows.map((r) => r.id)).toContain(id);
    const view = await s.t.ok('routers.get', { id: s.routerId }, s.token);
    expect(view.online).toBe(false);
    expect(view.lastError).toMatch(/tidak dapat dihubungi|tidak menjawab/);
    expect(view.jobsPending).toBe(1);
    s.emu.resume();
    await api.waitForBatch('b-off');
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'V0001')).toBeDefined();
  });
});

describe('router job semantics (7.18)', () => {
  it('upsert sets only differing fields, remove of an absent row succeeds, set of an absent row fails in Indonesian', async () => {
    s = await setup();
    const { api } = routersOf(s.t.core);
    const db = s.t.core.deps.database.db;
    s.emu.seed('/ip/hotspot/user', [{ name: 'ADA', password: 'lama', profile: 'default', comment: 'lama' }]);
    const results = new Map<string, FinishedJob>();
    api.onJobFinished((j) => results.set(j.id, j));
    const up = await api.enqueue(db, {
      routerId: s.routerId,
      operation: 'menu.upsert',
      batchId: 'sem',
      payload: {
        menu: '/ip/hotspot/user',
        match: { name: 'ADA' },
        values: { password: 'baru', comment: 'lama' },
      },
    });
    const rm = await api.enqueue(db, {
      routerId: s.routerId,
      operation: 'menu.remove',
      batchId: 'sem',
      payload: { menu: '/ip/hotspot/user', match: { name: 'TIDAK-ADA' } },
    });
    const set = await api.enqueue(db, {
      routerId: s.routerId,
      operation: 'menu.set',
      batchId: 'sem',
      payload: { menu: '/ip/hotspot/user', match: { name: 'TIDAK-ADA' }, values: { comment: 'x' } },
    });
    const bad = await api.enqueue(db, {
      routerId: s.routerId,
      operation: 'menu.upsert',
      batchId: 'sem',
      payload: { menu: '/ip/hotspot/user', match: { name: 'SALAH' }, values: { 'limit-uptime': 'tiga jam' } },
    });
    const p = await api.waitForBatch('sem');
    expect(p).toMatchObject({ total: 4, done: 2, failed: 2 });
    expect(results.get(up)?.result).toEqual({ action: 'set', id: expect.any(String), fields: ['password'] });
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'ADA')?.['password']).toBe('baru');
    expect(results.get(rm)?.state).toBe('done');
    expect(results.get(set)?.lastError).toMatch(/Tidak ditemukan di router/);
    expect(results.get(bad)?.lastError).toMatch(/^Nilai ditolak router/);
    // A refused value fails at once: one attempt only.
    const failed = await s.t.ok('routerJobs.list', { routerId: s.routerId, state: 'failed' }, s.token);
    expect(failed.rows.find((r) => r.id === bad)?.attempts).toBe(1);
  });

  it('jobs with the same key run strictly in order; cancel and retry work', async () => {
    s = await setup({ faults: { latencyMs: 3 } });
    const { api } = routersOf(s.t.core);
    const db = s.t.core.deps.database.db;
    const u = (values: Record<string, string>) => ({
      routerId: s!.routerId,
      operation: 'menu.upsert',
      batchId: 'ord',
      payload: { menu: '/ip/hotspot/user', match: { name: 'URUT' }, values },
    });
    await db.transaction().execute(async (trx) => {
      await api.enqueueMany(trx, [
        u({ comment: 'satu' }),
        {
          routerId: s!.routerId,
          operation: 'menu.remove',
          batchId: 'ord',
          payload: { menu: '/ip/hotspot/user', match: { name: 'URUT' } },
        },
        u({ comment: 'dua' }),
        u({ comment: 'tiga' }),
      ]);
    });
    await api.waitForBatch('ord');
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'URUT')?.['comment']).toBe('tiga');

    // Cancel while the router is away, then retry the cancelled job.
    s.emu.pause();
    await waitEvent(s.t.core, 'routers.status', (p) => p.state === 'offline');
    const id = await api.enqueue(db, { ...u({ comment: 'empat' }), batchId: 'c' });
    expect((await s.t.ok('routerJobs.cancel', { ids: [id] }, s.token)).count).toBe(1);
    expect(await api.batchProgress('c')).toMatchObject({ cancelled: 1, pending: 0 });
    s.emu.resume();
    await waitEvent(s.t.core, 'routers.status', (p) => p.online);
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'URUT')?.['comment']).toBe('tiga');
    expect((await s.t.ok('routerJobs.retry', { ids: [id] }, s.token)).count).toBe(1);
    await api.waitForBatch('c');
    expect(s.emu.menu('/ip/hotspot/user').findBy('name', 'URUT')?.['comment']).toBe('empat');
  });

  it('secrets enqueued after their profile wait for it (no race to the router)', async () => {
    s = await setup({ faults: { latencyMs: 4 } });
    const { api, internals } = routersOf(s.t.core);
    await s.t.core.deps.database.db.transaction().execute(async (trx) => {
      await api.profiles.ppp.upsert(trx, systemActor, {
        routerId: s!.routerId,
        name: 'PAKET-5M',
        rateLimit: '5M/5M',
      });
      for (let i = 0; i < 40; i++) {
        await api.pppSecrets.upsert(trx, systemActor, {
          routerId: s!.routerId,
          name: `cik${i}`,
          password: `pw${i}`,
          profile: 'PAKET-5M',
        });
      }
    });
    await until(async () => {
      const c = await internals.jobs.counts(s!.routerId);
      return c.pending + c.running === 0;
    });
    const failed = await s.t.ok('routerJobs.list', { routerId: s.routerId, state: 'failed' }, s.token);
    expect(failed.rows.map((r) => r.lastError)).toEqual([]);
    expect(
      s.emu
        .menu('/ppp/secret')
        .rows()
        .filter((r) => r['profile'] === 'PAKET-5M'),
    ).toHaveLength(40);
    expect(s.emu.menu('/ppp/profile').findBy('name', 'PAKET-5M')?.['comment']).toBe('PPPOE_SYSTEM');
  });

  it('a job enqueued in a transaction that rolls back never reaches the router', async () => {
    s = await setup();
    const { api } = routersOf(s.t.core);
    const db = s.t.core.deps.database.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await api.pppSecrets.upsert(trx, systemActor, {
          routerId: s!.routerId,
          name: 'batal',
          password: 'x1',
          profile: 'default',
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await db.transaction().execute(async (trx) => {
      await api.pppSecrets.upsert(trx, systemActor, {
        routerId: s!.routerId,
        name: 'jadi',
        password: 'x2',
        profile: 'default',
        comment: 'Pak Joko ✓',
      });
    });
    await until(() => !!s!.emu.menu('/ppp/secret').findBy('name', 'jadi'));
    expect(s.emu.menu('/ppp/secret').findBy('name', 'batal')).toBeUndefined();
    const jobs = await s.t.ok('routerJobs.list', { routerId: s.routerId }, s.token);
    expect(jobs.total).toBe(1);
    // No password in the job list or the audit log.
    expect(JSON.stringify(jobs)).not.toContain('x2');
    const audit = await s.t.core.deps.database.db
      .selectFrom('audit_log')
      .select(['before_json', 'after_json'])
      .execute();
    expect(JSON.stringify(audit)).not.toContain('x2');
    expect(JSON.stringify(audit)).not.toContain(ROS_PASSWORD_MARK);
  });
});

const ROS_PASSWORD_MARK = 'api-rahasia';
