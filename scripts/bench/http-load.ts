/**
 * `http.health_under_load_p99.ms` (target < 100): /health's p99 while 50 HTTP clients list and search 20,000
 * customers and a month of 20,000 invoices (two months issued, each at one instant, as runs do). The server
 * is the real headless server in its own process; the clients run on two worker threads, so the probe on this
 * thread measures the server, not the bench. Also prints p50 and the list throughput.
 *   http.health_under_load_p50.ms, http.lists_under_load.rps
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import { WorkerPool, workerEntry } from '../../src/main/lib/worker-pool';
import type { LoadInput, LoadOutput } from './http-load-client';
import { seedBilling } from './seed';
import type { Bench, BenchResult } from './types';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CUSTOMERS = 20_000;
const CLIENTS = 50;
const DURATION_MS = 20_000;
const OWNER = { username: 'owner', password: 'rahasia-kuat-1' };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? NaN;
};

async function seed(dir: string): Promise<void> {
  const clock = new FakeClock(Date.UTC(2026, 10, 21, 3, 0, 0));
  const core = createCore({ dataDir: dir, clock, logLevel: 'silent' });
  await core.start();
  try {
    const setup = await core.call('auth.setup', {
      officeName: 'Bench Net',
      fullName: 'Bench Owner',
      ...OWNER,
    });
    if (!setup.ok) throw new Error(setup.error.message);
    const token = (setup.value as { token: string }).token;
    const pkg = await core.call(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
      { token },
    );
    if (!pkg.ok) throw new Error(pkg.error.message);
    seedBilling(core.deps.database.sqlite, core.deps.ids, {
      customers: CUSTOMERS,
      subscribed: CUSTOMERS,
      months: 2,
      firstPeriod: '2026-10',
      unpaidShare: 0.3,
      packageId: (pkg.value as { id: string }).id,
      now: clock.now(),
    });
  } finally {
    await core.stop();
  }
}

/** The headless server (src/main/headless.ts) on a free port in its own process. */
async function startServer(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--data-dir', dir, '--port', '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /http:\/\/[^:]+:(\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { child, port };
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
    req.end();
  });
}

function login(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/rpc/auth.login',
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => {
          const r = JSON.parse(data) as { ok: boolean; value?: { token: string } };
          if (r.ok && r.value) resolve(r.value.token);
          else reject(new Error(`login failed: ${data}`));
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(OWNER));
  });
}

async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rukun-bench-http-'));
  const t0 = performance.now();
  await seed(dir);
  process.stderr.write(`  http: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const { child, port } = await startServer(dir);
  const pool = new WorkerPool({
    name: 'bench-load',
    entry: workerEntry('http-load-client', import.meta.url),
    size: 2,
  });
  try {
    const token = await login(port);
    // Warm-up: the server's read workers, caches and JIT.
    for (let i = 0; i < 20; i++) await get(port, '/health');
    const base: Omit<LoadInput, 'clients' | 'seed'> = {
      port,
      token,
      durationMs: DURATION_MS,
      customers: CUSTOMERS,
      invoicesInPeriod: CUSTOMERS,
      period: '2026-11',
      words: ['ahmad', 'siti', 'budi santoso', 'dewi', 'wati hand', 'rina', 'joko', 'melati'],
    };
    const loads = [
      pool.run<LoadOutput>('load', { ...base, clients: CLIENTS / 2, seed: 1 }),
      pool.run<LoadOutput>('load', { ...base, clients: CLIENTS / 2, seed: 2 }),
    ];
    let done = false;
    void Promise.all(loads).finally(() => (done = true));
    // Let the clients get going, then probe /health every 20 ms while they run.
    await new Promise((r) => setTimeout(r, 1000));
    const health: number[] = [];
    while (!done) {
      health.push(await get(port, '/health'));
      await new Promise((r) => setTimeout(r, 20));
    }
    const out = await Promise.all(loads);
    const requests = out.reduce((a, o) => a + o.requests, 0);
    const errors = out.reduce((a, o) => a + o.errors, 0);
    const lat = out.flatMap((o) => o.latenciesMs);
    process.stderr.write(
      `  http: ${requests} list/search calls (${errors} errors), p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms; ${health.length} /health probes\n`,
    );
    if (errors > 0) throw new Error(`${errors} list calls failed`);
    return [
      { name: 'http.health_under_load_p99.ms', value: pct(health, 99), unit: 'ms' },
      { name: 'http.health_under_load_p50.ms', value: pct(health, 50), unit: 'ms' },
      { name: 'http.lists_under_load.rps', value: requests / (DURATION_MS / 1000), unit: 'req/s' },
    ];
  } finally {
    await pool.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { prefix: 'http.', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench.run()) console.log(`${r.name} ${r.value.toFixed(1)} ${r.unit}`);
}
