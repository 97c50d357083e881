import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { attachScriptInterpreter, type ScriptInterpreter } from '../emulator/routeros/script/index';
import { launchBrowser } from './browser';
import { callOk, loginThroughUi } from './ui';

const SHOTS = process.env.E2E_SHOTS;
let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;
let emu: RouterOsEmulator;
let scripts: ScriptInterpreter;

const shot = async (name: string) => {
  if (!SHOTS) return;
  // Only for the picture: let modal/drawer transitions finish (correctness never depends on this).
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, `vouchers-${name}.png`), fullPage: true });
};

const call = (method: string, input: unknown, token: string | null) => callOk(core, method, input, token);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-vouchers-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  emu = new RouterOsEmulator({
    version: '7.18',
    users: [{ name: 'rukun', password: 'api-rahasia' }],
    now: Date.now(),
  });
  scripts = attachScriptInterpreter(emu);
  const { port } = await emu.start();
  const { token } = (await call(
    'auth.setup',
    { officeName: 'Sukamaju Net', fullName: 'Budi Santoso', username: 'budi', password: 'rahasia-budi-1' },
    null,
  )) as { token: string };
  const router = await call(
    'routers.create',
    { name: 'Hotspot Balai RW', host: '127.0.0.1', port, username: 'rukun', password: 'api-rahasia' },
    token,
  );
  for (let i = 0; i < 400 && !(await call('routers.get', { id: router['id'] }, token))['online']; i++)
    await new Promise((r) => setTimeout(r, 25));
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1366, height: 860 }, acceptDownloads: true });
  await page.goto(core.httpUrl ?? '');
  await loginThroughUi(page, 'budi', 'rahasia-budi-1');
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  await scripts?.idle();
  await emu?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('vouchers, end to end in Chromium against headless mode and the emulated router', () => {
  it('creates a profile, then a batch: progress, the print preview opens, the PDF downloads', async () => {
    await page.getByTestId('nav-vouchers').click();
    await page.getByRole('heading', { name: 'Voucher Hotspot' }).waitFor();
    await page.getByTestId('tab-profiles').click();
    await page.getByText('Belum ada profil voucher').waitFor();
    await page.getByTestId('new-profile').click();
    await page.getByTestId('profile-name').fill('1Hari');
    await page.getByLabel('Batas kecepatan (upload/download)').fill('2M/2M');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-1Hari').waitFor();
    await expect
      .poll(() => emu.menu('/ip/hotspot/user/profile').findBy('name', '1Hari')?.['on-login'] ?? '')
      .toContain('/tool fetch');
    await shot('profiles');

    await page.getByTestId('new-batch').click();
    const modal = page.getByTestId('batch-modal');
    await expect.poll(() => modal.getByTestId('batch-profile').inputValue()).toContain('1Hari');
    await modal.getByTestId('batch-count').fill('1000');
    await modal.getByLabel('Panjang kode').fill('3');
    await modal.getByLabel('Panjang kode').blur();
    // Too short a code for 1,000 vouchers: a warning before anything is created.
    await modal.getByTestId('code-space-warning').waitFor();
    expect(await modal.getByTestId('code-space-warning').textContent()).toContain(
      'Gunakan panjang kode minimal',
    );
    await modal.getByTestId('batch-count').fill('150');
    await modal.getByLabel('Panjang kode').fill('6');
    await modal.getByTestId('code-space-warning').waitFor({ state: 'detached' });
    await shot('batch-form');
    await modal.getByTestId('batch-submit').click();
    await modal.getByTestId('batch-progress').waitFor();
    // The print preview opens by itself once all 150 are on the router.
    const print = page.getByRole('dialog', { name: 'Cetak voucher' });
    await print.waitFor({ timeout: 15_000 });
    expect(emu.menu('/ip/hotspot/user').size).toBe(150);
    await print.getByText('150 voucher · ± 2 halaman', { exact: false }).waitFor();
    await shot('print-preview');
    const download = page.waitForEvent('download');
    await print.getByTestId('print-download').click();
    const file = await (await download).path();
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await print.waitFor({ state: 'detached' });
  });

  it('shows a voucher active with a live countdown as soon as a customer logs in', async () => {
    await page.getByRole('tab', { name: 'Daftar Voucher' }).click();
    const table = page.getByTestId('voucher-table');
    await table.getByText('150 baris').waitFor();
    const user = emu.menu('/ip/hotspot/user').rows()[3]!;
    expect(
      emu.hotspotLogin({
        user: user['name']!,
        password: user['password']!,
        mac: '2c:4d:54:00:00:01',
        ip: '10.5.50.21',
      }).ok,
    ).toBe(true);
    await scripts.idle();
    // The router's callback reached Rukun; the list refreshes from the live event.
    await table.getByTestId('status-active').waitFor({ timeout: 10_000 });
    const countdown = table.getByTestId('countdown').first();
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 5000 }).not.toBe(first);
    expect(first).toMatch(/^23:59:\d\d$/);
    await page.getByTestId('status-filter').click();
    await page.getByRole('option', { name: 'Aktif', exact: true }).click();
    await table.getByText('1 baris').waitFor();
    await shot('list-active');
    // Its details show the customer's device, as the router reported it.
    await table.getByText(user['name']!).click();
    const drawer = page.getByRole('dialog', { name: 'Detail voucher' });
    await drawer.getByText('2C:4D:54:00:00:01 · 10.5.50.21').waitFor();
    await shot('detail');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    await page.getByTestId('tab-sales').click();
    const sales = page.getByTestId('sales-table');
    await sales.waitFor();
    // One sale at the profile's selling price, profit = price - cost.
    await expect
      .poll(() => sales.locator('tfoot').textContent())
      .toMatch(/Total1Rp\s5\.000Rp\s4\.000Rp\s1\.000/);
    await shot('sales');
  });
});
