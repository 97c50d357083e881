import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { launchBrowser } from './browser';
import { loginThroughUi } from './ui';

const SHOTS = process.env.E2E_SHOTS;
let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;
let base: string;

const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

const login = (username: string, password: string) => loginThroughUi(page, username, password);

async function logout() {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByRole('heading', { name: 'Masuk ke Rukun' }).waitFor();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  base = core.httpUrl ?? '';
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('foundation, end to end in Chromium against headless mode', () => {
  it('first-run setup creates the owner and logs in', async () => {
    await page.goto(base);
    await page.getByRole('heading', { name: 'Selamat datang di Rukun' }).waitFor();
    // A bad input is refused in Indonesian, field by field, and nothing is created.
    await page.getByLabel('Nama usaha / kantor').fill('Sukamaju Net');
    await page.getByLabel('Nama lengkap').fill('Budi Santoso');
    await page.getByLabel('Nama pengguna').fill('budi');
    await page.getByLabel('Kata sandi', { exact: true }).fill('pendek');
    await page.getByLabel('Ulangi kata sandi').fill('lain');
    await page.getByRole('button', { name: 'Buat akun pemilik' }).click();
    await expect.poll(() => page.getByText('Kata sandi minimal 8 karakter').count()).toBe(1);
    await expect.poll(() => page.getByText('Kata sandi tidak sama').count()).toBe(1);
    await shot('01-setup-errors');

    await page.getByLabel('Kata sandi', { exact: true }).fill('rahasia-budi-1');
    await page.getByLabel('Ulangi kata sandi').fill('rahasia-budi-1');
    await page.getByRole('button', { name: 'Buat akun pemilik' }).click();
    await page.getByTestId('user-menu').waitFor();
    // The header fills in once the settings query answers; poll instead of reading the first paint.
    await expect.poll(() => page.getByTestId('office-name').textContent()).toBe('Sukamaju Net');
    await shot('02-dashboard');
  });

  it('logs out and back in; a wrong password is refused without saying how many tries are left', async () => {
    await logout();
    await page.getByLabel('Nama pengguna').fill('budi');
    await page.getByLabel('Kata sandi', { exact: true }).fill('salah-sekali');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect
      .poll(async () => (await page.getByTestId('login-error').textContent()) ?? '')
      .toContain('Nama pengguna atau kata sandi salah');
    // A count of tries left would tell an outsider which usernames exist (issue 9 #1).
    expect(await page.getByTestId('login-error').textContent()).not.toMatch(/percobaan/i);
    await login('budi', 'rahasia-budi-1');
  });

  it('the owner creates a cashier from Settings → Staf', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('tab-staff').click();
    await page.getByTestId('add-staff').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nama lengkap').fill('Sari Kasir');
    await dialog.getByLabel('Nama pengguna').fill('sari');
    await dialog.getByLabel('Kata sandi', { exact: true }).fill('kasir-sari-123');
    await shot('03-add-staff');
    await dialog.getByTestId('staff-submit').click();
    await page.getByTestId('staff-table').getByText('@sari').waitFor();
    const row = page.getByTestId('staff-table').getByRole('row', { name: /Sari Kasir/ });
    expect(await row.textContent()).toContain('Kasir');
    await shot('04-staff');
    await logout();
  });

  it('the cashier logs in, cannot reach staff management, and a forbidden call is refused', async () => {
    await login('sari', 'kasir-sari-123');
    await shot('05-cashier-dashboard');
    await page.getByTestId('nav-settings').click();
    await page.getByRole('tab', { name: 'Kantor' }).waitFor();
    expect(await page.getByTestId('tab-staff').count()).toBe(0);
    expect(await page.getByLabel('Nama usaha / kantor').isDisabled()).toBe(true);

    // The server enforces the same rule whatever the UI shows: the cashier's own session is refused.
    const res = await page.evaluate(async () => {
      const r = await fetch('./api/rpc/staff.create', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          username: 'jahat',
          fullName: 'Orang Jahat',
          role: 'owner',
          password: 'rahasia-jahat-1',
        }),
      });
      return (await r.json()) as { ok: boolean; error?: { code: string } };
    });
    expect(res).toEqual(
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    const staff = await core.accounts.list();
    expect(staff.map((s) => s.username).sort()).toEqual(['budi', 'sari']);
  });

  it('logs out, and the old session cookie no longer works', async () => {
    await logout();
    const res = await page.evaluate(async () => {
      const r = await fetch('./api/rpc/settings.get', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return (await r.json()) as { ok: boolean; error?: { code: string } };
    });
    expect(res.error?.code).toBe('UNAUTHENTICATED');
    await shot('06-logged-out');
  });

  it('the audit log table stays usable with 50,000 rows: server paging, jump to the middle, search', async () => {
    const sqlite = core.deps.database.sqlite;
    const insert = sqlite.prepare(
      "INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, via) VALUES (?, ?, NULL, ?, ?, 'voucher', ?, 'system')",
    );
    const t0 = Date.now() - 50_000 * 60_000;
    sqlite.transaction(() => {
      for (let i = 0; i < 50_000; i++)
        insert.run(
          `bulk-${String(i).padStart(6, '0')}`,
          t0 + i * 60_000,
          `Kasir ${i % 7}`,
          `vouchers.sell`,
          `V${i}`,
        );
    })();
    await login('budi', 'rahasia-budi-1');
    await page.goto(`${base}/#/settings/audit`);
    const total = page.getByTestId('audit-table-total');
    await expect.poll(async () => (await total.textContent()) ?? '').toMatch(/^50\.0\d\d baris$/);
    // Only a window of rows is in the DOM, whatever the total.
    expect(await page.locator('[data-row-index]').count()).toBeLessThan(120);
    const scroller = page.getByTestId('audit-table').locator('div[style*="overflow: auto"]');
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect
      .poll(async () => Number(await page.locator('[data-row-index]').first().getAttribute('data-row-index')))
      .toBeGreaterThan(20_000);
    await expect.poll(() => page.locator('[data-row-index]').count()).toBeGreaterThan(5);
    await shot('07-audit-50k');
    await page.getByPlaceholder('Cari…').fill('Kasir 3');
    await expect.poll(async () => (await total.textContent()) ?? '').toMatch(/^7\.14\d baris$/);
  });
});
