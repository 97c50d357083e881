/**
 * Scrolling the long lists in the built UI, in Debian's Chromium (headless) against the headless server.
 *   ui.scroll_vouchers10k.p95_frame_ms    the vouchers list with 10,000 vouchers (a third in use, with live
 *                                          countdowns). Target < 20.
 *   ui.scroll_customers20k.p95_frame_ms   the customers list with 20,000 customers. Target < 20.
 * Each is the 95th percentile of the time between animation frames while the list is scrolled programmatically
 * 200 px per frame (five rows, a fast wheel) through 1,500 rows: blocks load from the server on the way, as
 * they do for an operator. Builds the renderer first (`vite build`), so it measures the code as it is.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { createCore } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import { launchBrowser } from '../../tests/e2e/browser';
import { seedBilling, seedRouter, seedVouchers } from './seed';
import type { Bench, BenchResult } from './types';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWNER = { username: 'owner', password: 'rahasia-kuat-1' };
const STEPS = 300;
const STEP_PX = 200;

async function seed(dir: string): Promise<void> {
  // Real time: the vouchers in use count down from now in the browser.
  const now = Date.now();
  const core = createCore({ dataDir: dir, clock: new FakeClock(now), logLevel: 'silent' });
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
    const sqlite = core.deps.database.sqlite;
    seedBilling(sqlite, core.deps.ids, {
      customers: 20_000,
      subscribed: 15_000,
      months: 2,
      firstPeriod: '2026-10',
      unpaidShare: 0.3,
      packageId: (pkg.value as { id: string }).id,
      now,
    });
    seedVouchers(sqlite, core.deps.ids, seedRouter(sqlite, core.deps.ids, now), 10_000, now);
  } finally {
    await core.stop();
  }
}

async function startServer(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--data-dir', dir, '--port', '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /(http:\/\/[^\s]+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
  });
  return { child, url };
}

/**
 * Frame times (ms) while scrolling the table's scroll box `stepPx` per frame, `steps` times. Plain source text:
 * tsx would add helpers to a compiled function that the page does not have.
 */
const SCROLL_FRAMES = `async ({ testId, steps, stepPx }) => {
  const table = document.querySelector('[data-testid="' + testId + '"]');
  const box = [...(table ? table.querySelectorAll('div') : [])].find(
    (d) => getComputedStyle(d).overflow === 'auto' && d.scrollHeight > d.clientHeight,
  );
  if (!box) throw new Error('no scroll box in ' + testId);
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  await frame();
  let last = await frame();
  const deltas = [];
  for (let i = 0; i < steps; i++) {
    box.scrollTop += stepPx;
    const t = await frame();
    deltas.push(t - last);
    last = t;
  }
  return deltas;
}`;

function scrollFrames(page: Page, testId: string): Promise<number[]> {
  const args = JSON.stringify({ testId, steps: STEPS, stepPx: STEP_PX });
  return page.evaluate(`(${SCROLL_FRAMES})(${args})`) as Promise<number[]>;
}

const TO_TOP = `(id) => {
  const t = document.querySelector('[data-testid="' + id + '"]');
  for (const d of t ? t.querySelectorAll('div') : []) d.scrollTop = 0;
}`;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

async function run(): Promise<BenchResult[]> {
  const build = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('vite build failed');
  const dir = mkdtempSync(join(tmpdir(), 'rukun-bench-ui-'));
  await seed(dir);
  const { child, url } = await startServer(dir);
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(url);
    await page.getByLabel('Nama pengguna').fill(OWNER.username);
    await page.getByLabel('Kata sandi', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByTestId('user-menu').waitFor();
    const measure = async (route: string, testId: string, rows: string) => {
      await page.goto(`${url}/#${route}`);
      await page.getByTestId(`${testId}-total`).filter({ hasText: rows }).waitFor({ timeout: 60_000 });
      await page.locator(`[data-testid="${testId}"] [data-row-index="3"]`).waitFor();
      // One warm-up pass (JIT, first blocks), then the measured pass from the top.
      await scrollFrames(page, testId);
      await page.evaluate(`(${TO_TOP})(${JSON.stringify(testId)})`);
      const frames = await scrollFrames(page, testId);
      const sorted = [...frames].sort((a, b) => a - b);
      process.stderr.write(
        `  ui: ${route} frames p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, p95 ${p95(frames).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms\n`,
      );
      return p95(frames);
    };
    const vouchers = await measure('/vouchers', 'voucher-table', '10.000');
    const customers = await measure('/customers', 'customers-table', '20.000');
    return [
      { name: 'ui.scroll_vouchers10k.p95_frame_ms', value: vouchers, unit: 'ms' },
      { name: 'ui.scroll_customers20k.p95_frame_ms', value: customers, unit: 'ms' },
    ];
  } finally {
    await close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = { prefix: 'ui.', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench.run()) console.log(`${r.name} ${r.value.toFixed(1)} ${r.unit}`);
}
