import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { launchBrowser } from './browser';

const SHOTS = process.env.E2E_SHOTS;
let core: Core;
let emu: RouterOsEmulator;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;

const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `billing-${name}.png`), fullPage: true });
};

async function call(method: string, input: unknown, token: string | null): Promise<Record<string, unknown>> {
  const r = await core.call(method, input, { token, via: 'http' });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as Record<string, unknown>;
}

const secret = (name: string) =>
  emu
    .menu('/ppp/secret')
    .rows()
    .find((r) => r['name'] === name);

async function pick(label: string, option: string | RegExp) {
  await page
    .getByRole('dialog')
    .getByRole('textbox', { name: new RegExp(`^${label}`) })
    .click();
  await page.getByRole('option', { name: option }).click();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-billing-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  emu = new RouterOsEmulator({
    version: '7.18',
    users: [{ name: 'rukun', password: 'api-rahasia' }],
    now: Date.now(),
  });
  const { port } = await emu.start();
  const { token } = (await call(
    'auth.setup',
    { officeName: 'Sukamaju Net', fullName: 'Budi Santoso', username: 'budi', password: 'rahasia-budi-1' },
    null,
  )) as { token: string };
  const router = await call(
    'routers.create',
    { name: 'Cikampek', host: '127.0.0.1', port, username: 'rukun', password: 'api-rahasia' },
    token,
  );
  for (let i = 0; i < 400 && !(await call('routers.get', { id: router['id'] }, token))['online']; i++)
    await new Promise((r) => setTimeout(r, 25));
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
  await emu?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('billing, end to end in Chromium against headless mode and the emulated router', () => {
  it('package → customer → PPPoE subscription on the router → partial payment → isolate → full payment restores', async () => {
    const base = core.httpUrl ?? '';
    // A package, through the packages tab.
    await page.goto(`${base}/#/subscriptions/packages`);
    await page.getByTestId('package-add').click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Nama paket').fill('Paket 10 Mbps');
    await dlg.getByLabel('Kecepatan').fill('10 Mbps');
    await dlg.getByLabel('Harga per bulan').fill('150000');
    await dlg.getByLabel('Profil PPP').fill('PAKET-10M');
    await dlg.getByLabel('Rate limit').fill('10M/10M');
    await page.getByTestId('package-submit').click();
    await page.getByTestId('packages-table').getByText('Paket 10 Mbps').waitFor();
    await expect
      .poll(() =>
        emu
          .menu('/ppp/profile')
          .rows()
          .some((r) => r['name'] === 'PAKET-10M'),
      )
      .toBe(true);

    // A customer; a local 08… number is stored as 62….
    await page.goto(`${base}/#/customers`);
    await page.getByTestId('customers-add').click();
    await dlg.locator('input[name=name]').fill('Ahmad Fauzi');
    await dlg.locator('input[name=phone]').fill('0812-3456-7890');
    await dlg.getByLabel('Kode lokasi').fill('KCB');
    await pick('Router', 'Cikampek');
    await page.getByTestId('customer-submit').click();
    await page.getByTestId('customer-name').getByText('Ahmad Fauzi').waitFor();
    await page.getByText('0812-3456-7890').waitFor();

    // A PPPoE subscription: the secret reaches the router through a router job; the first invoice is issued.
    await page.getByTestId('customer-add-sub').click();
    await pick('Paket', /Paket 10 Mbps/);
    await page.getByTestId('subscription-submit').click();
    const card = page.locator('[data-testid^="subscription-CIK"]');
    await card.waitFor();
    const username = ((await card.getAttribute('data-testid')) ?? '').replace('subscription-', '');
    await expect.poll(() => secret(username)?.['profile']).toBe('PAKET-10M');
    await expect.poll(() => page.getByTestId('customer-balance').textContent()).toContain('150.000');
    await shot('01-customer');

    // A partial payment on the invoice: the rest stays open.
    await page.getByRole('tab', { name: /Tagihan/ }).click();
    await page.getByTestId('invoice-pay').click();
    await page.getByRole('dialog').getByLabel('Jumlah').fill('50000');
    await page.getByTestId('payment-submit').click();
    await expect.poll(() => page.getByTestId('customer-balance').textContent()).toContain('100.000');
    await page.getByText('Sebagian').first().waitFor();

    // Isolation by hand (the scheduler does the same past grace): the secret switches to the isolation profile.
    await page.getByRole('tab', { name: /Langganan/ }).click();
    await card.locator('button').first().click();
    await page.getByRole('menuitem', { name: 'Isolir sekarang' }).click();
    await expect.poll(() => secret(username)?.['profile']).toBe('ISOLIR');
    await page.locator('[data-status="isolated"]').first().waitFor();

    // The rest is paid: restored to the original profile at once.
    await page.getByTestId('customer-pay').click();
    await expect.poll(() => page.getByRole('dialog').getByLabel('Jumlah').inputValue()).toContain('100.000');
    await page.getByTestId('payment-submit').click();
    await expect.poll(() => secret(username)?.['profile']).toBe('PAKET-10M');
    await expect.poll(() => page.getByTestId('customer-balance').textContent()).toContain('Lunas');
    await expect.poll(() => page.locator('[data-status="isolated"]').count()).toBe(0);
    await shot('02-restored');

    // The public receipt page shows the payment.
    await page.getByRole('tab', { name: /Pembayaran/ }).click();
    const pays = (await call(
      'payments.list',
      { limit: 5 },
      (await call('auth.login', { username: 'budi', password: 'rahasia-budi-1' }, null))['token'] as string,
    )) as {
      rows: { receiptToken: string; receiptNumber: string }[];
    };
    const receipt = pays.rows[0]!;
    const res = await fetch(`${base}/receipt/${receipt.receiptToken}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(receipt.receiptNumber);
  });

  it('imports a CSV: good rows in, each bad row explained', async () => {
    const file = join(dataDir, 'pelanggan.csv');
    writeFileSync(
      file,
      [
        'nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register',
        'Siti Nurhaliza,6289876543210,0,10,Sukamaju,Paket 10 Mbps,150000,150000,,2025-02-01',
        'Nomor Salah,12345,0,5,Sukamaju,Paket 10 Mbps,150000,150000,,2025-01-15',
        'Paket Aneh,6281111111111,0,5,Sukamaju,Paket 99 Mbps,150000,150000,,2025-01-15',
      ].join('\n'),
    );
    await page.goto(`${core.httpUrl ?? ''}/#/customers`);
    await page.getByTestId('customers-import').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-pick').click();
    await (await chooser).setFiles(file);
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('1 baris valid, 2 baris ditolak');
    await page.getByTestId('import-rows').getByText('Paket tidak dikenal: Paket 99 Mbps').waitFor();
    await page
      .getByTestId('import-rows')
      .getByText(/Nomor telepon tidak valid/)
      .waitFor();
    await shot('03-import');
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor();
    await page.getByRole('button', { name: 'Tutup' }).click();
    await page.getByTestId('customers-table').getByText('Siti Nurhaliza').waitFor();
  });

  it('runs the invoice job from the scheduled-jobs tab and lists it with who started it', async () => {
    await page.goto(`${core.httpUrl ?? ''}/#/invoices`);
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('run-invoices').click();
    // The history row names the trigger in the UI language, not the core's raw "manual: <name>".
    await page.getByRole('cell', { name: 'Manual: Budi Santoso' }).first().waitFor();
    await shot('04-runs');
  });
});
