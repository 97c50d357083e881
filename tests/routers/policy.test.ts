/**
 * Per-router reconcile policy: what an automatic run repairs (push / fix / disable / remove, or report only),
 * how often it runs, and that it never touches what Rukun does not manage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/main/context';
import { createCore } from '../../src/main/core';
import { Reconciler, type ReconcileTimers } from '../../src/main/routers/reconciler';
import type { ReconcilePolicy, RouterView } from '../../src/shared/contract/routers';
import { RouterOsEmulator, seedOffice } from '../emulator/routeros/index';
import { PASSWORD } from '../helpers/core';
import { ROS_USER, routersOf, setup, until, VERSIONS, waitEvent, type Setup } from './helpers';

let s: Setup | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await s?.close();
  s = undefined;
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const isDisabled = (row: Record<string, string> | undefined) => /^(yes|true)$/.test(row?.['disabled'] ?? '');
const VOUCHER_USERS = ['KX7P2M', 'MB6Y5J', 'QH4N8R', 'ZT9W3C'];

async function view(s: Setup): Promise<RouterView> {
  return s.t.ok('routers.get', { id: s.routerId }, s.token);
}

async function setPolicy(s: Setup, policy: Partial<ReconcilePolicy>): Promise<RouterView> {
  const r = await view(s);
  return s.t.ok(
    'routers.setReconcilePolicy',
    { id: s.routerId, version: r.version, ...r.reconcile.policy, ...policy },
    s.token,
  );
}

/** The on-connect run starts as the router comes online; tests begin once it has been recorded. */
async function connectRunDone(s: Setup): Promise<void> {
  await until(async () => (await view(s)).reconcile.last !== null);
}

async function jobCount(s: Setup): Promise<number> {
  const r = await s.t.core.deps.database.db
    .selectFrom('router_jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Timers the test fires by hand after moving the fake clock. */
function manualTimers() {
  const pending = new Set<{ fn: () => void; ms: number }>();
  const timers: ReconcileTimers = {
    set: (fn, ms) => {
      const h = { fn, ms };
      pending.add(h);
      return h;
    },
    clear: (h) => void pending.delete(h as { fn: () => void; ms: number }),
  };
  return {
    timers,
    pending,
    fire() {
      const all = [...pending];
      pending.clear();
      for (const h of all) h.fn();
    },
  };
}

describe.each(VERSIONS)('reconcile policy on RouterOS %s', (version) => {
  it('report only leaves the router untouched, disable and remove act only on what Rukun manages', async () => {
    s = await setup({ version }, { seed: seedOffice });
    const { api } = routersOf(s.t.core);
    const emu = s.emu;
    const users = emu.menu('/ip/hotspot/user');
    const secrets = emu.menu('/ppp/secret');
    await connectRunDone(s);

    // The default (what every office had before): on connect, extra rows are only reported.
    const first = (await view(s)).reconcile;
    expect(first.policy).toEqual({ intervalMinutes: 15, missing: 'push', different: 'fix', extra: 'report' });
    expect(first.last).toMatchObject({
      trigger: 'connect',
      error: null,
      disabled: 0,
      removed: 0,
      batchId: null,
    });
    expect(first.last?.extra).toBeGreaterThanOrEqual(5);
    expect(await jobCount(s)).toBe(0);

    await s.t.ok(
      'reconcile.adopt',
      { routerId: s.routerId, hotspotProfiles: true, pppProfiles: true, pppSecrets: true },
      s.token,
    );
    await setPolicy(s, { missing: 'report', different: 'report', extra: 'report' });

    // Hand changes in Winbox: a customer's secret deleted, another's profile changed, a stray managed profile,
    // a stray secret (an unknown customer), plus the voucher users and the operator's own user already there.
    secrets.remove(secrets.findBy('name', 'warung-joko')!['.id']!);
    secrets.findBy('name', 'agus-rw02')!['profile'] = 'paket-20M';
    emu.seed('/ip/hotspot/user/profile', [{ name: 'liar', 'shared-users': '1', comment: 'VOUCHER_SYSTEM' }]);
    emu.seed('/ppp/secret', [
      { name: 'tamu', password: 't', profile: 'default', service: 'pppoe', comment: 'PPPOE_SYSTEM' },
    ]);

    const reported = await s.t.ok('reconcile.runPolicy', { routerId: s.routerId }, s.token);
    expect(reported).toMatchObject({
      trigger: 'manual',
      missing: 1,
      different: 1,
      pushed: 0,
      fixed: 0,
      disabled: 0,
      removed: 0,
      batchId: null,
    });
    expect(reported.kinds.find((k) => k.menu === '/ppp/secret')).toMatchObject({
      missing: 1,
      different: 1,
      extra: 1,
    });
    expect(reported.kinds.find((k) => k.menu === '/ip/hotspot/user')).toMatchObject({ extra: 5 });
    expect(await jobCount(s)).toBe(0);
    expect(secrets.findBy('name', 'warung-joko')).toBeUndefined();
    expect(secrets.findBy('name', 'agus-rw02')?.['profile']).toBe('paket-20M');
    expect((await view(s)).reconcile.last).toMatchObject({
      trigger: 'manual',
      missing: 1,
      different: 1,
      pushed: 0,
    });

    // Push, fix, and disable extras: only the voucher users Rukun's marker names are disabled.
    await setPolicy(s, { missing: 'push', different: 'fix', extra: 'disable' });
    const disabled = await s.t.ok('reconcile.runPolicy', { routerId: s.routerId }, s.token);
    expect(disabled).toMatchObject({ pushed: 1, fixed: 1, disabled: 4, removed: 0 });
    await api.waitForBatch(disabled.batchId!);
    expect(secrets.findBy('name', 'warung-joko')).toMatchObject({
      password: 'joko123',
      profile: 'paket-10M',
    });
    expect(secrets.findBy('name', 'agus-rw02')?.['profile']).toBe('isolir');
    for (const u of VOUCHER_USERS) expect([u, isDisabled(users.findBy('name', u))]).toEqual([u, true]);
    expect(isDisabled(users.findBy('name', 'admin-kantor'))).toBe(false);
    expect(isDisabled(secrets.findBy('name', 'tamu'))).toBe(false);
    // A profile has no disabled flag: under "disable" it is reported and left as it is.
    expect(emu.menu('/ip/hotspot/user/profile').findBy('name', 'liar')).toBeDefined();

    // Already disabled rows are not disabled again: a second run queues nothing.
    const again = await s.t.ok('reconcile.runPolicy', { routerId: s.routerId }, s.token);
    expect(again).toMatchObject({ missing: 0, different: 0, disabled: 0, batchId: null });
    expect(again.extra).toBeGreaterThanOrEqual(6);

    // Remove: the managed extras go; the operator's user and the unknown customer's secret stay.
    await setPolicy(s, { extra: 'remove' });
    const removed = await s.t.ok('reconcile.runPolicy', { routerId: s.routerId }, s.token);
    expect(removed).toMatchObject({ removed: 5, disabled: 0 });
    await api.waitForBatch(removed.batchId!);
    for (const u of VOUCHER_USERS) expect(users.findBy('name', u)).toBeUndefined();
    expect(emu.menu('/ip/hotspot/user/profile').findBy('name', 'liar')).toBeUndefined();
    expect(users.findBy('name', 'admin-kantor')).toBeDefined();
    expect(secrets.findBy('name', 'tamu')).toMatchObject({ password: 't', comment: 'PPPOE_SYSTEM' });
    for (const name of ['voucher-3jam', 'voucher-1hari', 'voucher-1minggu'])
      expect(emu.menu('/ip/hotspot/user/profile').findBy('name', name)).toBeDefined();

    // Each repair is audited with the policy that caused it, and only runs that changed something are.
    const audit = await s.t.core.deps.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'reconcile.autoRepair')
      .execute();
    expect(audit).toHaveLength(2);
    const entries = audit.map((a) => ({
      actor: a.actor_name,
      ...(JSON.parse(a.after_json ?? '{}') as { trigger: string; policy: ReconcilePolicy; jobs: number }),
    }));
    expect(entries.find((e) => e.policy.extra === 'disable')).toMatchObject({
      actor: 'Budi Santoso',
      trigger: 'manual',
      policy: { intervalMinutes: 15, missing: 'push', different: 'fix', extra: 'disable' },
      jobs: 6,
    });
    expect(entries.find((e) => e.policy.extra === 'remove')).toMatchObject({ trigger: 'manual', jobs: 5 });
  });
});

describe('reconcile policy', () => {
  it('never disables or removes a PPP secret, even if a provider called it managed', async () => {
    s = await setup({ version: '7.18' }, { seed: seedOffice });
    await connectRunDone(s);
    const { registry, jobs } = routersOf(s.t.core).internals;
    // A reconciler whose only provider wrongly claims every secret on the router as Rukun's own.
    const rec = new Reconciler(jobs.base, registry, jobs);
    rec.register({
      menu: '/ppp/secret',
      key: 'name',
      managed: () => true,
      fields: [],
      desired: async () => new Map(),
    });
    await setPolicy(s, { extra: 'remove' });
    const out = await rec.runPolicy(systemActor, s.routerId, 'manual');
    expect(out).toMatchObject({ extra: 4, extraManaged: 4, removed: 0, disabled: 0, batchId: null });
    await setPolicy(s, { extra: 'disable' });
    expect(await rec.runPolicy(systemActor, s.routerId, 'manual')).toMatchObject({
      removed: 0,
      disabled: 0,
      batchId: null,
    });
    expect(await jobCount(s)).toBe(0);
    expect(
      s.emu
        .menu('/ppp/secret')
        .rows()
        .map((r) => r['name'])
        .sort(),
    ).toEqual(['agus-rw02', 'budi-rt03', 'siti-rt01', 'warung-joko']);
  });

  it('plans each router on its own interval and re-plans when it changes, without a restart', async () => {
    s = await setup({ version: '7.15' });
    await connectRunDone(s);
    const { reconciler, api } = {
      reconciler: routersOf(s.t.core).internals.reconciler,
      api: routersOf(s.t.core).api,
    };
    const t = manualTimers();
    reconciler.useTimers(t.timers);
    const t0 = s.t.clock.now();
    expect((await view(s)).reconcile).toMatchObject({
      nextAt: t0 + 15 * 60_000,
      last: { trigger: 'connect', at: t0 },
    });

    // A customer Rukun knows, then deleted by hand on the router.
    await s.t.core.deps.database.db.transaction().execute(async (trx) => {
      await api.pppSecrets.upsert(trx, systemActor, {
        routerId: s!.routerId,
        name: 'rina-rt02',
        password: 'rina2026',
        profile: 'default',
        comment: 'Bu Rina',
      });
    });
    await until(() => s!.emu.menu('/ppp/secret').findBy('name', 'rina-rt02') !== undefined);
    const secrets = s.emu.menu('/ppp/secret');
    secrets.remove(secrets.findBy('name', 'rina-rt02')!['.id']!);

    // Every hour: 20 minutes later nothing has run.
    expect((await setPolicy(s, { intervalMinutes: 60 })).reconcile.nextAt).toBe(t0 + 60 * 60_000);
    s.t.clock.advance(20 * 60_000);
    t.fire();
    expect((await view(s)).reconcile.last).toMatchObject({ trigger: 'connect', at: t0 });
    expect(secrets.findBy('name', 'rina-rt02')).toBeUndefined();

    // Every 5 minutes: the period is already over, so the run is due at once and the next one 5 minutes on.
    const ran = waitEvent(s.t.core, 'reconcile.finished', (p) => p.trigger === 'schedule');
    const changed = await setPolicy(s, { intervalMinutes: 5 });
    expect(changed.reconcile.nextAt).toBe(t0 + 5 * 60_000);
    expect([...t.pending].map((h) => h.ms)).toEqual([0]);
    t.fire();
    const outcome = await ran;
    expect(outcome).toMatchObject({ routerId: s.routerId, at: t0 + 20 * 60_000, missing: 1, pushed: 1 });
    await api.waitForBatch(outcome.batchId!);
    expect(secrets.findBy('name', 'rina-rt02')).toMatchObject({ password: 'rina2026', comment: 'Bu Rina' });
    expect((await view(s)).reconcile).toMatchObject({
      nextAt: t0 + 25 * 60_000,
      last: { trigger: 'schedule', pushed: 1 },
    });
    const audit = await s.t.core.deps.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'reconcile.autoRepair')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBeNull();
    expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({
      trigger: 'schedule',
      policy: { intervalMinutes: 5, missing: 'push' },
    });

    // Off: no schedule at all (only on connect or by hand).
    expect((await setPolicy(s, { intervalMinutes: 0 })).reconcile.nextAt).toBeNull();
    expect(t.pending.size).toBe(0);
    s.t.clock.advance(3 * 60 * 60_000);
    expect((await view(s)).reconcile.last?.trigger).toBe('schedule');
  });

  it('a scheduled run skips an offline router and the router runs its policy when it comes back', async () => {
    s = await setup({ version: '6.49' });
    await connectRunDone(s);
    const { reconciler } = routersOf(s.t.core).internals;
    const t = manualTimers();
    reconciler.useTimers(t.timers);
    await setPolicy(s, { intervalMinutes: 5 });
    const offline = waitEvent(s.t.core, 'routers.status', (p) => p.state === 'offline');
    s.emu.pause();
    await offline;
    s.t.clock.advance(6 * 60_000);
    t.fire();
    const skippedAt = s.t.clock.now();
    // Skipped (nothing ran), planned a period on.
    expect((await view(s)).reconcile).toMatchObject({
      nextAt: skippedAt + 5 * 60_000,
      last: { trigger: 'connect', at: skippedAt - 6 * 60_000 },
    });
    s.t.clock.advance(60_000);
    const backAt = s.t.clock.now();
    const back = waitEvent(s.t.core, 'reconcile.finished', (p) => p.trigger === 'connect' && p.at === backAt);
    s.emu.resume();
    await back;
    expect((await view(s)).reconcile.nextAt).toBe(backAt + 5 * 60_000);
  });

  it('the policy round-trips through the contract, is validated, audited, guarded and kept across a restart', async () => {
    const emu = new RouterOsEmulator({ users: [ROS_USER] });
    const { port } = await emu.start();
    cleanups.push(() => emu.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'rukun-policy-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const core = createCore({ dataDir, logLevel: 'silent', validateOutput: true });
    await core.start();
    routersOf(core).internals.registry.opts.connection = {
      backoff: { initialMs: 50, maxMs: 200, jitter: 0 },
    };
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : core.stop()));
    const call = (c: typeof core, method: string, input: unknown, token: string | null) =>
      c.call(method, input, { token, via: 'http' });
    const value = async <T>(p: ReturnType<typeof call>): Promise<T> => {
      const r = await p;
      if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    const { token } = await value<{ token: string }>(
      call(
        core,
        'auth.setup',
        { officeName: 'Sukamaju Net', fullName: 'Budi Santoso', username: 'budi', password: PASSWORD },
        null,
      ),
    );
    // Added disabled, so the first connect happens after the policy is set.
    const r = await value<RouterView>(
      call(
        core,
        'routers.create',
        {
          name: 'Tower Utara',
          host: '127.0.0.1',
          port,
          username: ROS_USER.name,
          password: ROS_USER.password,
          enabled: false,
        },
        token,
      ),
    );
    expect(r.reconcile).toEqual({
      policy: { intervalMinutes: 15, missing: 'push', different: 'fix', extra: 'report' },
      last: null,
      nextAt: null,
    });

    const bad = await call(
      core,
      'routers.setReconcilePolicy',
      {
        id: r.id,
        version: r.version,
        intervalMinutes: 7,
        missing: 'push',
        different: 'fix',
        extra: 'delete-all',
      },
      token,
    );
    expect(!bad.ok && bad.error.code).toBe('VALIDATION');
    const paths = !bad.ok ? (bad.error.details?.issues ?? []).map((i) => i.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['intervalMinutes', 'extra']));

    const policy = { intervalMinutes: 30, missing: 'report', different: 'fix', extra: 'disable' } as const;
    const v = await value<RouterView>(
      call(core, 'routers.setReconcilePolicy', { id: r.id, version: r.version, ...policy }, token),
    );
    expect(v.reconcile.policy).toEqual(policy);
    expect(v.version).toBe(r.version + 1);
    const stale = await call(
      core,
      'routers.setReconcilePolicy',
      { id: r.id, version: r.version, ...policy, intervalMinutes: 60 },
      token,
    );
    expect(!stale.ok && stale.error.code).toBe('CONFLICT');

    // Cashiers see routers but may not change how they are repaired.
    await value(
      call(
        core,
        'staff.create',
        { username: 'kasir1', fullName: 'Kasir Satu', role: 'cashier', password: PASSWORD },
        token,
      ),
    );
    const cashier = (
      await value<{ token: string }>(
        call(core, 'auth.login', { username: 'kasir1', password: PASSWORD }, null),
      )
    ).token;
    const denied = await call(
      core,
      'routers.setReconcilePolicy',
      { id: r.id, version: v.version, ...policy },
      cashier,
    );
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN');
    const deniedRun = await call(core, 'reconcile.runPolicy', { routerId: r.id }, cashier);
    expect(!deniedRun.ok && deniedRun.error.code).toBe('FORBIDDEN');

    const audit = await core.deps.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'routers.setReconcilePolicy')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_name).toBe('Budi Santoso');
    expect(JSON.parse(audit[0]?.before_json ?? '{}')).toMatchObject({ intervalMinutes: 15, extra: 'report' });
    expect(JSON.parse(audit[0]?.after_json ?? '{}')).toMatchObject({ name: 'Tower Utara', ...policy });

    // Enabling plans it; it connects and runs with its own policy.
    const finished = new Promise<void>((resolve) => {
      const off = core.deps.events.subscribe((m) => m.name === 'reconcile.finished' && (off(), resolve()));
    });
    const t0 = core.deps.clock.now();
    const enabled = await value<RouterView>(
      call(core, 'routers.update', { id: r.id, version: v.version, enabled: true }, token),
    );
    expect(enabled.reconcile.nextAt).toBeGreaterThanOrEqual(t0 + 30 * 60_000);
    expect(enabled.reconcile.nextAt).toBeLessThanOrEqual(core.deps.clock.now() + 30 * 60_000);
    await finished;
    await core.stop();
    stopped = true;

    const again = createCore({ dataDir, logLevel: 'silent', validateOutput: true });
    await again.start();
    cleanups.push(() => again.stop());
    const { token: t2 } = await value<{ token: string }>(
      call(again, 'auth.login', { username: 'budi', password: PASSWORD }, null),
    );
    const back = await value<RouterView>(call(again, 'routers.get', { id: r.id }, t2));
    expect(back.reconcile.policy).toEqual(policy);
    // The on-connect run before the restart, with the choice it applied.
    expect(back.reconcile.last).toMatchObject({
      trigger: 'connect',
      error: null,
      policy: { missing: 'report', different: 'fix', extra: 'disable' },
    });
  });
});

describe('manual repair from the Reconciliation tab', () => {
  it('offers the same three choices for extra rows: disable disables only marked users, legacy removeExtra still removes', async () => {
    s = await setup({ version: '7.18' }, { seed: seedOffice });
    const { api } = routersOf(s.t.core);
    const users = s.emu.menu('/ip/hotspot/user');
    await connectRunDone(s);

    const disabled = await s.t.ok(
      'reconcile.repair',
      { routerId: s.routerId, menus: ['/ip/hotspot/user'], extra: 'disable' },
      s.token,
    );
    expect(disabled.jobs).toBe(VOUCHER_USERS.length);
    await api.waitForBatch(disabled.batchId!);
    for (const u of VOUCHER_USERS) expect([u, isDisabled(users.findBy('name', u))]).toEqual([u, true]);
    expect(isDisabled(users.findBy('name', 'admin-kantor'))).toBe(false);
    const audit = await s.t.ok('audit.list', { offset: 0, limit: 5, action: 'reconcile.repair' }, s.token);
    expect(audit.rows[0]?.after).toMatchObject({ policy: { extra: 'disable' } });

    // Older callers that send only removeExtra keep working: the marked users go, the operator's own stays.
    const removed = await s.t.ok(
      'reconcile.repair',
      { routerId: s.routerId, menus: ['/ip/hotspot/user'], removeExtra: true },
      s.token,
    );
    expect(removed.jobs).toBe(VOUCHER_USERS.length);
    await api.waitForBatch(removed.batchId!);
    for (const u of VOUCHER_USERS) expect(users.findBy('name', u)).toBeUndefined();
    expect(users.findBy('name', 'admin-kantor')).toBeDefined();
  });
});
