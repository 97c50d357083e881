/**
 * Long lists scroll without redoing the rows already on screen (issue 9 #17). The browser's cost of a scroll
 * step is the DOM it has to restyle and lay out, so this checks the DOM: a step of k rows may only change the
 * k rows that scroll into view — in place, in elements the rows that left handed over — and never insert or
 * remove rows, nor touch a row that stays. Timings are measured by `npm run bench -- ui.`, never here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { seedBilling, seedRouter, seedVouchers } from '../../scripts/bench/seed';
import { launchBrowser } from './browser';
import { loginThroughUi } from './ui';

let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;
let base: string;
const ROW = 40;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-lists-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  base = core.httpUrl ?? '';
  const setup = await core.call('auth.setup', {
    officeName: 'Sukamaju Net',
    fullName: 'Budi Santoso',
    username: 'budi',
    password: 'rahasia-budi-1',
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
  const now = Date.now();
  seedBilling(sqlite, core.deps.ids, {
    customers: 3000,
    subscribed: 2000,
    months: 1,
    firstPeriod: '2026-10',
    unpaidShare: 0.3,
    packageId: (pkg.value as { id: string }).id,
    now,
  });
  seedVouchers(sqlite, core.deps.ids, seedRouter(sqlite, core.deps.ids, now), 3000, now);
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(base);
  await loginThroughUi(page, 'budi', 'rahasia-budi-1');
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Scrolls the table's scroll box to `from` px and lets it settle (all rows loaded), then scrolls `by` px and
 * reports what changed in the table body: rows inserted or removed, and the rows touched (by row index shown).
 * Plain source text: a compiled function would carry tsx's helpers into the page.
 */
const STEP = `async ({ testId, from, by }) => {
  const table = document.querySelector('[data-testid="' + testId + '"]');
  const box = [...table.querySelectorAll('div')].find(
    (d) => getComputedStyle(d).overflowY === 'auto' && d.scrollHeight > d.clientHeight,
  );
  const body = table.querySelector('tbody');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const settle = async () => {
    for (let i = 0; i < 200; i++) {
      await frame();
      if (!body.querySelector('.rk-dt-placeholder') && body.querySelector('tr[data-row-index]')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await frame();
    await frame();
  };
  box.scrollTop = from;
  await settle();
  const before = new Map([...body.querySelectorAll('tr[data-row-index]')].map((tr) => [tr, tr.dataset.rowIndex]));
  const records = [];
  const observer = new MutationObserver((list) => records.push(...list));
  observer.observe(body, { subtree: true, childList: true, attributes: true, characterData: true });
  box.scrollTop = from + by;
  await settle();
  observer.disconnect();
  records.push(...observer.takeRecords());
  const rowsAddedOrRemoved = records.filter(
    (m) => m.target === body && [...m.addedNodes, ...m.removedNodes].some((n) => n.nodeName === 'TR'),
  ).length;
  const touched = new Set();
  for (const m of records) {
    const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    const tr = el && el.closest('tr');
    if (tr && tr !== body) touched.add(before.get(tr) ?? 'new:' + tr.dataset.rowIndex);
  }
  const shown = [...body.querySelectorAll('tr[data-row-index]')].map((tr) => Number(tr.dataset.rowIndex));
  return { rowsAddedOrRemoved, touched: [...touched], shown };
}`;

async function step(p: Page, testId: string, fromRows: number, byRows: number) {
  const args = JSON.stringify({ testId, from: fromRows * ROW, by: byRows * ROW });
  return (await p.evaluate(`(${STEP})(${args})`)) as {
    rowsAddedOrRemoved: number;
    touched: string[];
    shown: number[];
  };
}

async function open(route: string, testId: string, total: string) {
  await page.goto(`${base}/#${route}`);
  await page.getByTestId(`${testId}-total`).filter({ hasText: total }).waitFor({ timeout: 30_000 });
  await page.locator(`[data-testid="${testId}"] tr[data-row-index="3"]`).waitFor();
}

describe('long lists scroll without redoing the rows on screen', () => {
  it('vouchers: a step of 3 rows changes 3 rows in place and leaves the others alone', async () => {
    await open('/vouchers', 'voucher-table', '3.000');
    const r = await step(page, 'voucher-table', 10, 3);
    expect(r.rowsAddedOrRemoved).toBe(0);
    expect(r.touched.length).toBeGreaterThan(0);
    expect(r.touched.length).toBeLessThanOrEqual(3);
    // The rows now shown are the contiguous range the scroll position asks for.
    const sorted = [...r.shown].sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThanOrEqual(13);
    expect(sorted.at(-1)! - sorted[0]!).toBe(sorted.length - 1);
  });

  it('customers: the same with 3,000 customers', async () => {
    await open('/customers', 'customers-table', '3.000');
    const r = await step(page, 'customers-table', 20, 3);
    expect(r.rowsAddedOrRemoved).toBe(0);
    expect(r.touched.length).toBeGreaterThan(0);
    expect(r.touched.length).toBeLessThanOrEqual(3);
  });

  it("a row's open menu never passes to the voucher that takes the row's place", async () => {
    await open('/vouchers', 'voucher-table', '3.000');
    const first = page.locator('[data-testid="voucher-table"] tr[data-row-index="0"]');
    const code = (await first.locator('td').first().textContent()) ?? '';
    await page.getByTestId(`voucher-menu-${code}`).click();
    await expect.poll(() => page.getByRole('menu').count()).toBe(1);
    // Whatever menu is open must be that voucher's: check after scrolling it out (its row's elements go to
    // another voucher, off screen) and after scrolling back.
    const openMenus = () =>
      page
        .locator('[data-testid="voucher-table"] button[aria-expanded="true"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    await step(page, 'voucher-table', 0, 30);
    for (const id of await openMenus()) expect(id).toBe(`voucher-menu-${code}`);
    await step(page, 'voucher-table', 30, -30);
    for (const id of await openMenus()) expect(id).toBe(`voucher-menu-${code}`);
  });
});
