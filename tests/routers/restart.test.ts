import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { ROS_USER, routersOf, until, VERSIONS, waitEvent } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const CHILD = join(__dirname, 'fixtures', 'child-core.ts');

describe.each(VERSIONS)('a core killed mid-batch on RouterOS %s', (version) => {
  it('resumes its jobs on restart and every user lands exactly once', async () => {
    const emu = new RouterOsEmulator({ version, users: [ROS_USER], faults: { latencyMs: 5 } });
    const { port } = await emu.start();
    cleanups.push(() => emu.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'rukun-kill-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    // First run: set up the office and the router, then stop.
    const first = createCore({ dataDir, logLevel: 'silent' });
    await first.start();
    const setup = await first.call('auth.setup', {
      officeName: 'Sukamaju Net',
      fullName: 'Budi',
      username: 'budi',
      password: 'rahasia-kuat-1',
    });
    if (!setup.ok) throw new Error(setup.error.message);
    const token = (setup.value as { token: string }).token;
    const created = await first.call(
      'routers.create',
      { name: 'Pusat', host: '127.0.0.1', port, username: ROS_USER.name, password: ROS_USER.password },
      { token },
    );
    expect(created.ok).toBe(true);
    await first.stop();

    // Second run in a child process: enqueue 1,000 users and get killed while pushing them.
    // node itself (tsx as a loader, not the tsx wrapper), so SIGKILL hits the process that runs the core.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, '1000', 'kill-batch'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ENQUEUED'), 30_000);
    const users = () =>
      emu
        .menu('/ip/hotspot/user')
        .rows()
        .filter((r) => r['name']?.startsWith('K')).length;
    await until(() => users() >= 100, 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const landedBeforeKill = users();
    expect(landedBeforeKill).toBeLessThan(1000);

    // Third run: the same data dir; the jobs resume.
    const third: Core = createCore({ dataDir, logLevel: 'silent' });
    const online = waitEvent(third, 'routers.status', (p) => p.online, 20_000);
    await third.start();
    cleanups.push(() => third.stop());
    await online;
    const progress = await routersOf(third).api.waitForBatch('kill-batch');
    expect(progress).toMatchObject({ total: 1000, done: 1000, failed: 0, pending: 0 });
    const rows = emu
      .menu('/ip/hotspot/user')
      .rows()
      .filter((r) => r['name']?.startsWith('K'));
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r['name'])).size).toBe(1000);
    expect(rows.find((r) => r['name'] === 'K999')?.['comment']).toBe('VOUCHER_SYSTEM|3000|0|0 ✓ 999');
  }, 60_000);
});
