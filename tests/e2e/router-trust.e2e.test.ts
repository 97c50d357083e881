/**
 * Issue 9, item 4 and the RouterOS 6 factory login, in Chromium: the add form shows the API-SSL certificate's
 * fingerprint after a test and warns about an empty password; the router page shows the pinned fingerprint, a
 * swapped certificate with both fingerprints, and lets the owner accept the new one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import type { RoutersFeature } from '../../src/main/routers/index';
import { certificateFingerprint, otherTestCertificate, RouterOsEmulator } from '../emulator/routeros/index';
import { launchBrowser } from './browser';
import { loginThroughUi } from './ui';

const SHOTS = process.env.E2E_SHOTS;
let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;
let base: string;
let emu: RouterOsEmulator;

const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `router-trust-${name}.png`), fullPage: true });
};
const routers = () => core.features.find((f) => f.name === 'routers') as RoutersFeature;

beforeAll(async () => {
  // A RouterOS 6 router as it leaves the factory: admin without a password, API-SSL with a self-signed cert.
  emu = new RouterOsEmulator({ version: '6.49', tls: true, users: [{ name: 'admin', password: '' }] });
  await emu.start();
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-trust-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  routers().internals.registry.opts.connection = { backoff: { initialMs: 100, maxMs: 300, jitter: 0 } };
  base = core.httpUrl ?? '';
  const setup = await core.call('auth.setup', {
    officeName: 'Sukamaju Net',
    fullName: 'Budi Santoso',
    username: 'budi',
    password: 'rahasia-budi-1',
  });
  expect(setup.ok).toBe(true);
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(base);
  await loginThroughUi(page, 'budi', 'rahasia-budi-1');
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  await emu?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('router trust in the UI', () => {
  it('adds a factory router over API-SSL: empty-password warning, fingerprint shown by the test and pinned', async () => {
    await page.goto(`${base}/#/routers`);
    await page.getByTestId('router-add').first().click();
    await page.getByLabel('Nama router').fill('Router Lama');
    await page.getByLabel('Alamat IP / host').fill('127.0.0.1');
    await page.getByLabel('API-SSL (TLS)').check();
    await page.getByLabel('Port API').fill(String(emu.port));
    await page.getByLabel('User API').fill('admin');
    await page.getByTestId('router-no-password').waitFor();
    expect(await page.getByTestId('router-no-password').textContent()).toMatch(/tanpa kata sandi/);
    // The labelled anonymous mode warns when chosen, and the pinned mode is the default.
    await page.getByLabel('Tanpa sertifikat (anonymous DH)').check();
    await page.getByTestId('router-anon-warning').waitFor();
    await page.getByLabel('Sertifikat router, disematkan (disarankan)').check();
    await page.getByTestId('router-test').click();
    const fp = emu.tlsFingerprint!;
    await expect
      .poll(async () => (await page.getByTestId('router-test-fingerprint').textContent()) ?? '')
      .toContain(fp);
    await shot('01-form');
    await page.getByTestId('router-save').click();
    await page.getByRole('heading', { name: 'Router Lama' }).waitFor();
    await expect
      .poll(async () => (await page.getByTestId('router-state').first().textContent()) ?? '')
      .toBe('Online');
    expect(await page.getByTestId('router-fingerprint').textContent()).toBe(fp);
    await page.getByTestId('router-no-password').waitFor();
    await shot('02-detail');
  });

  it('a swapped certificate is refused with both fingerprints, and the owner accepts the new one', async () => {
    const original = emu.tlsFingerprint!;
    emu.setCertificate(otherTestCertificate());
    const swapped = certificateFingerprint(otherTestCertificate().cert);
    const loginsBefore = emu.stats.logins;
    emu.dropAllConnections();
    await page.getByTestId('router-cert-changed').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('router-cert-pinned').textContent()).toBe(original);
    expect(await page.getByTestId('router-cert-offered').textContent()).toBe(swapped);
    expect(emu.stats.logins).toBe(loginsBefore);
    await shot('03-changed');
    await page.getByTestId('router-cert-accept').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Terima sertifikat baru' }).click();
    await expect
      .poll(async () => (await page.getByTestId('router-state').first().textContent()) ?? '', {
        timeout: 15_000,
      })
      .toBe('Online');
    await expect.poll(() => page.getByTestId('router-cert-changed').count()).toBe(0);
    expect(await page.getByTestId('router-fingerprint').textContent()).toBe(swapped);
    await shot('04-accepted');
  });
});
