import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedOffice } from '../../scripts/demo';
import { seedBilling } from '../../scripts/demo/billing';
import { seedRouters } from '../../scripts/demo/routers';
import { seedVouchers } from '../../scripts/demo/vouchers';
import { seedWhatsapp } from '../../scripts/demo/whatsapp';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { formatNumber, formatRupiah } from '../../src/shared/money';
import { launchBrowser } from './browser';

/**
 * The dashboard on the demo office (routers with live sessions and an offline tower, billing history,
 * WhatsApp queue, voucher sales): the figures on screen are the core's figures, and each role sees its cards.
 */
const SHOTS = process.env.E2E_SHOTS;
let core: Core;
let fresh: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
const dirs: string[] = [];
let ownerToken = '';
let logins: { username: string; role: string; password: string }[] = [];
const stops: { stop(): Promise<void> }[] = [];

const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};
const pw = (role: string) => logins.find((l) => l.role === role)?.password ?? '';
const user = (role: string) => logins.find((l) => l.role === role)?.username ?? '';

async function login(base: string, username: string, password: string) {
  await page.goto(base);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByTestId('dashboard').waitFor();
}

async function logout() {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByRole('heading', { name: 'Masuk ke Rukun' }).waitFor();
}

const text = (testId: string) => page.getByTestId(testId).first().innerText();

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-dash-'));
  dirs.push(dataDir);
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  // The same seeding as `npm run demo`.
  const seeded = await seedOffice(core);
  ownerToken = seeded.token;
  logins = seeded.logins;
  stops.push(await seedRouters(core, ownerToken));
  await seedBilling(core, ownerToken);
  await seedWhatsapp(core);
  stops.push(await seedVouchers(core, ownerToken));
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  for (const s of stops) await s.stop().catch(() => undefined);
  await core?.stop();
  await fresh?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('dashboard, end to end in Chromium on the demo office', () => {
  it("shows the owner the core's own figures", async () => {
    const base = core.httpUrl ?? '';
    await login(base, user('owner'), pw('owner'));
    await page.getByTestId('dash-clock-time').waitFor();

    // Vouchers sold today: the tile and the card say what vouchers.stats says (polled: a login may land meanwhile).
    await expect
      .poll(async () => {
        const s = await call(core, ownerToken, 'vouchers.stats', {});
        return (
          (await text('kpi-vouchers-value')) === formatNumber(s.salesToday) &&
          (await text('dash-vouchers-sold')) === formatNumber(s.salesToday)
        );
      })
      .toBe(true);
    const stats = await call(core, ownerToken, 'vouchers.stats', {});
    expect(stats.salesToday).toBeGreaterThan(0);
    expect(await text('dash-vouchers-unused')).toBe(formatNumber(stats.unused));

    // Billing of this month.
    const summary = await call(core, ownerToken, 'billing.summary', {});
    expect(summary.invoiced).toBeGreaterThan(0);
    await expect.poll(() => text('dash-billing-collected')).toBe(formatRupiah(summary.collected));
    expect(await text('dash-billing-invoiced')).toBe(formatRupiah(summary.invoiced));
    expect(await text('dash-billing-overdue')).toBe(formatNumber(summary.overdueInvoices));
    expect(await text('kpi-collected-value')).toBe(formatRupiah(summary.collected));

    // The most overdue invoices, oldest due date first.
    const overdue = await call(core, ownerToken, 'invoices.list', {
      offset: 0,
      limit: 5,
      status: 'unpaid',
      overdue: true,
      sort: { field: 'dueDate', dir: 'asc' },
    });
    expect(overdue.total).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('dash-overdue-row').count()).toBe(overdue.rows.length);
    expect(await page.getByTestId('dash-overdue-row').first().innerText()).toContain(
      overdue.rows[0]?.customerName ?? '?',
    );

    // Latest payment on top.
    const payments = await call(core, ownerToken, 'payments.list', { offset: 0, limit: 5 });
    await expect.poll(() => page.getByTestId('dash-payment-row').count()).toBe(payments.rows.length);
    expect(await page.getByTestId('dash-payment-row').first().innerText()).toContain(
      formatRupiah(payments.rows[0]?.amount ?? -1),
    );

    // Routers: the offline tower is listed and flagged; the online count matches.
    const routers = await call(core, ownerToken, 'routers.list', {});
    const online = routers.filter((r) => r.online).length;
    await expect.poll(() => text('dash-routers-online')).toBe(`${online}/${routers.length} online`);
    await expect.poll(() => page.getByTestId('dash-router-row').count()).toBe(Math.min(5, routers.length));
    await expect
      .poll(() => page.getByTestId('dash-attention').innerText())
      .toContain('Tower Utara tidak terhubung');
    await expect
      .poll(() => page.getByTestId('dash-attention').innerText())
      .toContain(`${formatNumber(summary.overdueInvoices)} tagihan lewat jatuh tempo`);

    // WhatsApp figures come from the queue stats.
    const wa = await call(core, ownerToken, 'whatsapp.messages.stats', {});
    await expect.poll(() => text('dash-wa-sent')).toBe(formatNumber(wa.sentToday));

    // Activity reads as words, not codes; the demo's setup is all done, so no checklist.
    await expect.poll(() => page.getByTestId('dash-activity').innerText()).toContain('Masuk');
    expect(await page.getByTestId('dash-activity').innerText()).not.toContain('auth.login');
    expect(await page.getByTestId('dash-getting-started').count()).toBe(0);
    await shot('dashboard-owner');

    // A card links to its area.
    await page.getByTestId('dash-billing').getByRole('link', { name: 'Lihat semua tagihan' }).click();
    await page.waitForURL(/#\/invoices$/);
  });

  it('audit log shows labels and filters by action', async () => {
    const base = core.httpUrl ?? '';
    await page.goto(`${base}/#/settings/audit`);
    await page.getByTestId('audit-table').waitFor();
    const all = await call(core, ownerToken, 'audit.list', { offset: 0, limit: 1 });
    await expect.poll(() => text('audit-table-total')).toBe(`${formatNumber(all.total)} baris`);
    await page.getByTestId('audit-action-filter').click();
    await page.getByRole('option', { name: 'Pembayaran dicatat' }).click();
    const paid = await call(core, ownerToken, 'audit.list', {
      offset: 0,
      limit: 1,
      action: 'payments.record',
    });
    expect(paid.total).toBeGreaterThan(0);
    await expect.poll(() => text('audit-table-total')).toBe(`${formatNumber(paid.total)} baris`);
    expect(await page.getByTestId('audit-table').innerText()).toContain('Pembayaran dicatat');
    expect(await page.getByTestId('audit-table').innerText()).not.toContain('payments.record');
    await logout();
  });

  it('a cashier sees money and vouchers but not the audit trail; a technician sees routers, not money', async () => {
    const base = core.httpUrl ?? '';
    await login(base, user('cashier'), pw('cashier'));
    await page.getByTestId('dash-billing').waitFor();
    await page.getByTestId('dash-vouchers').waitFor();
    await page.getByTestId('dash-payments').waitFor();
    await page.getByTestId('dash-whatsapp').waitFor();
    // No audit.view, no settings.manage: no activity feed, no setup checklist, no "add router" button.
    expect(await page.getByTestId('dash-activity').count()).toBe(0);
    expect(await page.getByTestId('dash-getting-started').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Tambah router' }).count()).toBe(0);
    // Cashiers may look at router status (routers.view) but the technician's live-sessions tile is not theirs.
    expect(await page.getByTestId('kpi-sessions').count()).toBe(0);
    const stats = await call(core, ownerToken, 'vouchers.stats', {});
    await expect
      .poll(
        async () =>
          (await text('kpi-vouchers-value')) ===
          formatNumber((await call(core, ownerToken, 'vouchers.stats', {})).salesToday),
      )
      .toBe(true);
    expect(stats.salesToday).toBeGreaterThan(0);
    await shot('dashboard-cashier');
    await logout();

    await login(base, user('technician'), pw('technician'));
    await page.getByTestId('dash-routers').waitFor();
    await page.getByTestId('kpi-sessions').waitFor();
    for (const id of [
      'dash-billing',
      'dash-overdue',
      'dash-payments',
      'kpi-collected',
      'dash-whatsapp',
      'dash-activity',
    ]) {
      expect(await page.getByTestId(id).count(), id).toBe(0);
    }
    // No reports.view: counts without the sales chart.
    await page.getByTestId('dash-vouchers-sold').waitFor();
    expect(await page.getByTestId('dash-vouchers').getByText('Pendapatan per hari').count()).toBe(0);
    await shot('dashboard-technician');
    await logout();
  });

  it('the getting-started checklist ticks itself on a new office', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-dash-new-'));
    dirs.push(dataDir);
    fresh = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
    const owner = await call(fresh, null, 'auth.setup', {
      officeName: 'Warga Net',
      fullName: 'Siti Aminah',
      username: 'siti',
      password: 'rahasia-siti-1',
    });
    await login(fresh.httpUrl ?? '', 'siti', 'rahasia-siti-1');
    await page.getByTestId('dash-getting-started').waitFor();
    expect(await page.getByTestId('step-office').getAttribute('data-done')).toBe('false');
    expect(await page.getByTestId('step-router').getAttribute('data-done')).toBe('false');
    // Honest empty states.
    // Each card fills in when its own query answers: poll rather than read the first paint.
    await expect.poll(() => page.getByTestId('dash-routers').innerText()).toContain('Belum ada router');
    await expect.poll(() => page.getByTestId('dash-payments').innerText()).toContain('Belum ada pembayaran');
    await shot('dashboard-new-office');

    // Filling in the office details elsewhere ticks the step (settings.changed reaches the open dashboard).
    const s = await call(fresh, owner.token, 'settings.get', {});
    await call(fresh, owner.token, 'settings.update', {
      version: s.version,
      address: 'Jl. Melati 3, RT 02/RW 01',
      phone: '0812-1111-2222',
    });
    await expect.poll(() => page.getByTestId('step-office').getAttribute('data-done')).toBe('true');
    expect(await page.getByTestId('dash-getting-started').innerText()).toMatch(/1 dari \d+ langkah selesai/);
  });
});
