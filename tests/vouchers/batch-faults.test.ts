import { afterEach, expect, it } from 'vitest';
import { decodeVoucherComment } from '../../src/shared/vouchers/comment-codec';
import { routersOf, setupVouchers, until, waitEvent, type VoucherSetup } from './helpers';

let s: VoucherSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

it('a batch interrupted by a dropped connection completes after reconnect with exactly the requested count', async () => {
  s = await setupVouchers({ version: '7.18', faults: { latencyMs: 2 } });
  await s.t.ok(
    'vouchers.profiles.save',
    {
      routerId: s.routerId,
      name: '3Jam',
      sharedUsers: 1,
      validitySeconds: 3 * 3600,
      priceCost: 2000,
      priceSell: 3000,
      expiryPolicy: 'disable',
    },
    s.token,
  );
  await routersOf(s.t.core)
    .api.waitForBatch('none')
    .catch(() => undefined);
  const progressEvents: number[] = [];
  const off = s.t.core.deps.events.subscribe((m) => {
    if (m.name === 'vouchers.batchProgress') progressEvents.push((m.payload as { pushed: number }).pushed);
  });
  // The connection drops in the middle of the push (some adds reached the router, their answers did not).
  s.emu.faults.dropAfterCommands = 400;
  const offline = waitEvent(s.t.core, 'routers.status', (p) => !p.online);
  const batch = await s.t.ok(
    'vouchers.createBatch',
    { routerId: s.routerId, profile: '3Jam', count: 1000, length: 7, charset: 'alnumUpper' },
    s.token,
  );
  await offline;
  delete s.emu.faults.dropAfterCommands;
  const done = await routersOf(s.t.core).api.waitForBatch(batch.batchId);
  off();
  expect(done.failed).toBe(0);

  const users = s.emu.menu('/ip/hotspot/user').rows();
  expect(users).toHaveLength(1000);
  expect(new Set(users.map((u) => u['name'])).size).toBe(1000);
  expect(
    users.every((u) => decodeVoucherComment(u['comment'])?.batch === batch.code && u['profile'] === '3Jam'),
  ).toBe(true);
  const progress = await s.t.ok('vouchers.batches.progress', { batchId: batch.batchId }, s.token);
  expect(progress).toEqual({ batchId: batch.batchId, total: 1000, pushed: 1000, failed: 0, pending: 0 });
  // Progress went up while pushing and ended complete.
  expect(progressEvents.at(-1)).toBe(1000);
  expect(progressEvents.length).toBeGreaterThan(2);
  const listed = await s.t.ok('vouchers.batches.list', { offset: 0, limit: 10 }, s.token);
  expect(listed.rows[0]).toMatchObject({ code: batch.code, count: 1000, pushed: 1000, used: 0 });
});

it('a code already held by a foreign router user is replaced, so the batch is never short', async () => {
  s = await setupVouchers({ version: '6.49' });
  await s.t.ok(
    'vouchers.profiles.save',
    { routerId: s.routerId, name: 'Harian', validitySeconds: 86_400, priceCost: 4000, priceSell: 5000 },
    s.token,
  );
  // Router offline while the batch is generated: Rukun cannot see the router's names yet.
  const offline = waitEvent(s.t.core, 'routers.status', (p) => !p.online);
  s.emu.pause();
  await offline;
  const batch = await s.t.ok(
    'vouchers.createBatch',
    { routerId: s.routerId, profile: 'Harian', count: 20, length: 6, charset: 'digits' },
    s.token,
  );
  const planned = (
    await s.t.ok('vouchers.list', { batchId: batch.batchId, offset: 0, limit: 100 }, s.token)
  ).rows.map((v) => v.username);
  // Meanwhile someone created users by hand with two of those names.
  s.emu.seed('/ip/hotspot/user', [
    { name: planned[0]!, password: 'x', comment: 'tamu kantor' },
    { name: planned[1]!, password: 'y', comment: '' },
  ]);
  s.emu.resume();
  // The renamed vouchers go out in a follow-up job of the same batch.
  await until(
    async () =>
      (await s!.t.ok('vouchers.batches.progress', { batchId: batch.batchId }, s!.token)).pushed === 20,
  );
  const ours = s.emu
    .menu('/ip/hotspot/user')
    .rows()
    .filter((u) => decodeVoucherComment(u['comment'])?.batch === batch.code);
  expect(ours).toHaveLength(20);
  // The foreign users are untouched.
  expect(s.emu.menu('/ip/hotspot/user').findBy('name', planned[0]!)?.['comment']).toBe('tamu kantor');
  const after = (await s.t.ok('vouchers.list', { batchId: batch.batchId, offset: 0, limit: 100 }, s.token))
    .rows;
  expect(after.filter((v) => v.pushState === 'pushed')).toHaveLength(20);
  expect(after.map((v) => v.username)).not.toContain(planned[0]);
});
