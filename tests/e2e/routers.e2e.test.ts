import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/main/context';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import type { RoutersFeature } from '../../src/main/routers/index';
import { RouterOsEmulator, seedOffice } from '../emulator/routeros/index';
import { launchBrowser } from './browser';
import { loginThroughUi } from './ui';

const SHOTS = process.env.E2E_SHOTS;
const ROS_USER = { name: 'rukun', password: 'api-rahasia' };
let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;
let base: string;
let emu: RouterOsEmulator;
let port: number;

const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `routers-${name}.png`), fullPage: true });
};
const routers = () => core.features.find((f) => f.name === 'routers') as RoutersFeature;

beforeAll(async () => {
  emu = new RouterOsEmulator({ version: '7.18', users: [ROS_USER] });
  seedOffice(emu);
  ({ port } = await emu.start());
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-routers-'));
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
  page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  await page.goto(base);
  await loginThroughUi(page, 'budi', 'rahasia-budi-1');
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  await emu?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('routers, end to end in Chromium against headless mode and the RouterOS emulator', () => {
  it('adds a router after testing the connection (a wrong password is named on its field)', async () => {
    await page.goto(`${base}/#/routers`);
    await page.getByText('Belum ada router').waitFor();
    await page.getByTestId('router-add').first().click();
    await page.getByLabel('Nama router').fill('Router Pusat');
    await page.getByLabel('Lokasi').fill('Kantor RT 03');
    await page.getByLabel('Alamat IP / host').fill('127.0.0.1');
    await page.getByLabel('Port API').fill(String(port));
    await page.getByLabel('User API').fill(ROS_USER.name);
    await page.getByLabel('Kata sandi API').fill('salah');
    await page.getByTestId('router-test').click();
    await expect
      .poll(() => page.getByText('User atau kata sandi API ditolak router').count())
      .toBeGreaterThan(0);
    await page.getByLabel('Kata sandi API').fill(ROS_USER.password);
    await page.getByTestId('router-test').click();
    await expect
      .poll(async () => (await page.getByTestId('router-test-result').textContent()) ?? '')
      .toContain('RukunNet-Pusat');
    await shot('01-form');
    await page.getByTestId('router-save').click();
    await page.getByRole('heading', { name: 'Router Pusat' }).waitFor();
    await expect
      .poll(async () => (await page.getByTestId('router-state').first().textContent()) ?? '')
      .toBe('Online');
    await expect.poll(() => page.getByText('hAP ax^2').count()).toBe(1);
    await shot('02-status');
  });

  it('shows live sessions and kicks one after confirmation', async () => {
    await page.getByTestId('tab-sessions').click();
    await expect.poll(async () => (await page.getByTestId('hotspot-count').textContent()) ?? '').toBe('2');
    await expect.poll(async () => (await page.getByTestId('ppp-count').textContent()) ?? '').toBe('2');
    // Someone logs in on the router: the list follows without a reload.
    emu.hotspotLogin({ user: 'MB6Y5J', password: 'MB6Y5J', mac: '11:22:33:44:55:66', ip: '10.5.50.99' });
    await expect
      .poll(async () => (await page.getByTestId('hotspot-count').textContent()) ?? '', { timeout: 10_000 })
      .toBe('3');
    await shot('03-sessions');
    await page.getByTestId('kick-KX7P2M').click();
    await page.getByTestId('kick-confirm').click();
    await expect.poll(async () => (await page.getByTestId('hotspot-count').textContent()) ?? '').toBe('2');
    expect(
      emu
        .menu('/ip/hotspot/active')
        .rows()
        .map((r) => r['user'])
        .sort(),
    ).toEqual(['MB6Y5J', 'QH4N8R']);
  });

  it('adopts the running router, shows drift after a manual change and repairs it', async () => {
    await page.getByTestId('tab-reconcile').click();
    await page.getByTestId('adopt-open').click();
    await page.getByTestId('adopt-confirm').click();
    await expect
      .poll(async () => (await page.getByTestId('drift-/ppp/secret').textContent()) ?? '')
      .toContain('4');
    emu.menu('/ppp/secret').findBy('name', 'agus-rw02')!['profile'] = 'paket-20M';
    await page.getByTestId('reconcile-run').click();
    await expect
      .poll(
        async () =>
          (await page.getByTestId('drift-/ppp/secret').getByTestId('drift-different').textContent()) ?? '',
      )
      .toBe('1');
    await shot('04-drift');
    await page.getByTestId('repair-open').click();
    // Extra rows get the same three choices as the automatic policy; the default only reports them.
    await page.getByTestId('repair-extra').getByText('Nonaktifkan').waitFor();
    await shot('04b-repair');
    await page.getByTestId('repair-confirm').click();
    await expect.poll(() => emu.menu('/ppp/secret').findBy('name', 'agus-rw02')?.['profile']).toBe('isolir');
    await expect
      .poll(
        async () =>
          (await page.getByTestId('drift-/ppp/secret').getByTestId('drift-different').textContent()) ?? '',
      )
      .toBe('0');
  });

  it('keeps changes waiting while the router is offline (menunggu sinkron) and sends them when it is back', async () => {
    await page.getByTestId('tab-jobs').click();
    emu.pause();
    await expect
      .poll(async () => (await page.getByTestId('router-state').first().textContent()) ?? '')
      .toBe('Offline');
    const { api } = routers();
    const [router] = await api.list();
    await core.deps.database.db.transaction().execute(async (trx) => {
      await api.pppSecrets.upsert(trx, systemActor, {
        routerId: router!.id,
        name: 'dewi-rt07',
        password: 'dewi2026',
        profile: 'paket-10M',
        comment: 'Bu Dewi — RT 07',
      });
    });
    await expect
      .poll(() => page.getByTestId('job-state').filter({ hasText: 'Menunggu sinkron' }).count())
      .toBe(1);
    await page.getByTestId('router-offline-note').waitFor();
    await shot('05-waiting');
    emu.resume();
    await expect
      .poll(() => emu.menu('/ppp/secret').findBy('name', 'dewi-rt07')?.['comment'], { timeout: 15_000 })
      .toBe('Bu Dewi — RT 07');
    await expect
      .poll(() => page.getByTestId('job-state').filter({ hasText: 'Menunggu sinkron' }).count(), {
        timeout: 10_000,
      })
      .toBe(0);
  });

  it('sets the automatic sync policy of the router and sees what its last run found and repaired', async () => {
    await page.getByRole('tab', { name: 'Status' }).click();
    const card = page.getByTestId('autosync-card');
    await card.getByText('Sinkronisasi otomatis').first().waitFor();
    // The router reconnected in the step before: that run is already shown, with the default rules.
    await expect
      .poll(async () => (await page.getByTestId('autosync-last').textContent()) ?? '')
      .toContain('saat router terhubung');
    expect(await page.getByTestId('autosync-interval').textContent()).toBe('Setiap 15 menit');

    await page.getByTestId('autosync-edit').click();
    const form = page.getByTestId('autosync-form');
    await page.getByTestId('policy-interval').getByText('5 menit', { exact: true }).click();
    await page.getByTestId('policy-missing-report').click();
    await page.getByTestId('policy-extra-disable').click();
    await expect
      .poll(() =>
        form.getByText('PPP yang tidak dikenal Rukun selalu hanya dilaporkan', { exact: false }).count(),
      )
      .toBe(1);
    await shot('06-autosync-form');
    await page.getByTestId('autosync-save').click();
    await expect
      .poll(async () => (await page.getByTestId('autosync-interval').textContent()) ?? '')
      .toBe('Setiap 5 menit');
    expect(await page.getByTestId('autosync-extra').textContent()).toContain('Nonaktifkan');

    // A customer's secret is deleted by hand in Winbox; the voucher users Rukun's marker names are still on the router.
    const secrets = emu.menu('/ppp/secret');
    secrets.remove(secrets.findBy('name', 'budi-rt03')!['.id']!);
    await page.getByTestId('autosync-run').click();
    await expect
      .poll(async () => (await page.getByTestId('autosync-repaired').textContent()) ?? '')
      .toContain('4 dinonaktifkan');
    expect(await page.getByTestId('autosync-found').textContent()).toContain('1 belum ada');
    expect(await page.getByTestId('autosync-last').textContent()).toContain('manual');
    expect(await page.getByTestId('autosync-repaired').textContent()).toContain('0 dikirim');
    await shot('07-autosync');
    // Report only: the missing secret stays missing; the marked voucher users are disabled, the operator's user is not.
    await expect
      .poll(() => emu.menu('/ip/hotspot/user').findBy('name', 'ZT9W3C')?.['disabled'])
      .toMatch(/^(true|yes)$/);
    expect(secrets.findBy('name', 'budi-rt03')).toBeUndefined();
    expect(emu.menu('/ip/hotspot/user').findBy('name', 'admin-kantor')?.['disabled']).toMatch(/^(false|no)$/);
  });
});
