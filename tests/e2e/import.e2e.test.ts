import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { IMPORT_MAX_FILE_BYTES, IMPORT_MAX_ROWS } from '../../src/shared/contract/import-limits';
import { xlsxBomb } from '../billing/xlsx-fixtures';
import { launchBrowser } from './browser';

let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;

const HEADER = 'nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register';
const row = (name: string, i: number) =>
  `${name},0812${String(i).padStart(8, '0')},0,5,Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-import-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  const setup = await core.call(
    'auth.setup',
    { officeName: 'Sukamaju Net', fullName: 'Budi Santoso', username: 'budi', password: 'rahasia-budi-1' },
    { token: null, via: 'http' },
  );
  if (!setup.ok) throw new Error(setup.error.message);
  const { token } = setup.value as { token: string };
  const pkg = await core.call(
    'packages.create',
    { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 100_000, pppProfile: 'P10' },
    { token, via: 'http' },
  );
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

async function openImport() {
  await page.goto(`${core.httpUrl ?? ''}/#/customers`);
  await page.getByTestId('customers-import').click();
}

async function choose(name: string, content: string | Buffer) {
  const file = join(dataDir, name);
  writeFileSync(file, content);
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-pick').click();
  await (await chooser).setFiles(file);
}

async function closeDialog() {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describe('customer import in the UI: limits and refusals in plain Indonesian', () => {
  it('shows the rejected line of an unbalanced quote and keeps the rows after it', async () => {
    await openImport();
    await choose(
      'kutip.csv',
      [HEADER, row('Ahmad', 1), `"Budi,081200000002,0,5,x,Paket 10 Mbps,,,,`, row('Citra', 3)].join('\n'),
    );
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('2 baris valid, 1 baris ditolak');
    await page
      .getByTestId('import-rows')
      .getByText(/Tanda kutip \(".*tidak seimbang/)
      .waitFor();
    await page.getByTestId('import-rows').getByText('Citra').waitFor();
    await closeDialog();
  });

  it('refuses a file over the size limit before sending it, saying the limit', async () => {
    await openImport();
    await choose('besar.csv', Buffer.alloc(IMPORT_MAX_FILE_BYTES + 2 * 1024 * 1024, 'a'));
    await expect
      .poll(() => page.getByTestId('import-error').textContent())
      .toMatch(/Berkas terlalu besar \(12 MB\): batasnya 10 MB per impor/);
    await closeDialog();
  });

  it('refuses a file with too many rows, saying how many it has', async () => {
    await openImport();
    const rows = Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => row(`Pelanggan ${i}`, i));
    await choose('banyak.csv', [HEADER, ...rows].join('\n'));
    await expect
      .poll(() => page.getByTestId('import-error').textContent(), { timeout: 60_000 })
      .toMatch(/Berkas berisi 50\.001 baris data; batasnya 50\.000 baris per impor/);
    await closeDialog();
  });

  it('refuses a zip bomb with a clear message while the app keeps answering', async () => {
    await openImport();
    await choose('bom.xlsx', xlsxBomb(476 * 1024 * 1024, false));
    await expect
      .poll(() => page.getByTestId('import-error').textContent(), { timeout: 60_000 })
      .toMatch(/Isi berkas Excel terlalu besar setelah dibuka \(batas 50 MB\)/);
    expect((await fetch(`${core.httpUrl ?? ''}/health`)).ok).toBe(true);
    await closeDialog();
  });
});
