import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { IMPORT_PACKAGE, importCsv } from '../billing/import-csv';
import { launchBrowser } from './browser';

let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-import-commit-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  const setup = await core.call(
    'auth.setup',
    { officeName: 'Sukamaju Net', fullName: 'Budi Santoso', username: 'budi', password: 'rahasia-budi-1' },
    { token: null, via: 'http' },
  );
  if (!setup.ok) throw new Error(setup.error.message);
  const { token } = setup.value as { token: string };
  const pkg = await core.call('packages.create', IMPORT_PACKAGE, { token, via: 'http' });
  if (!pkg.ok) throw new Error(pkg.error.message);
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  await page.goto(core.httpUrl ?? '');
  await page.getByLabel('Nama pengguna').fill('budi');
  await page.getByLabel('Kata sandi', { exact: true }).fill('rahasia-budi-1');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByTestId('user-menu').waitFor();
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('shows how many rows are saved while a 10,000-row import is written, then the result', async () => {
  await page.goto(`${core.httpUrl ?? ''}/#/customers`);
  await page.getByTestId('customers-import').click();
  const file = join(dataDir, 'pelanggan.csv');
  writeFileSync(file, importCsv(10_000));
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-pick').click();
  await (await chooser).setFiles(file);
  await expect
    .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 })
    .toContain('10.000 baris valid');
  // Note every progress text the dialog shows, however briefly (the import may be quick).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenProgress: string[] }).seenProgress = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="import-commit-progress"]');
      const text = bar?.closest('[data-testid="import-progress"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.getByTestId('import-confirm').click();
  await expect
    .poll(() => page.getByTestId('import-done').textContent(), { timeout: 60_000 })
    .toMatch(/10\.?000 pelanggan diimpor, 0 baris dilewati/);
  const seen = await page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.some((s) => /Menyimpan [\d.]+ dari 10\.000 pelanggan/.test(s))).toBe(true);
});
