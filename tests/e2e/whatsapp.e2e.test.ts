import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { startHeadless } from '../../src/main/headless';
import { FakeMessenger } from '../../src/main/whatsapp/fake-messenger';
import type { WhatsappFeature } from '../../src/main/whatsapp/index';
import { launchBrowser } from './browser';
import { callOk, loginThroughUi } from './ui';

let core: Core;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let dataDir: string;
let base: string;
let fake: FakeMessenger;
let wa: WhatsappFeature;

const SHOTS = process.env.E2E_SHOTS;
const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `whatsapp-${name}.png`), fullPage: true });
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rukun-e2e-wa-'));
  core = await startHeadless({ dataDir, host: '127.0.0.1', port: 0 }, { logLevel: 'warn' });
  base = core.httpUrl ?? '';
  wa = core.features.find((f) => f.name === 'whatsapp') as WhatsappFeature;
  fake = new FakeMessenger(core.deps.clock);
  await wa.api.setMessenger(fake);
  const res = await core.call('auth.setup', {
    officeName: 'Sukamaju Net',
    fullName: 'Budi Santoso',
    username: 'budi',
    password: 'rahasia-kuat-1',
  });
  expect(res.ok).toBe(true);
  ({ browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
});

afterAll(async () => {
  await closeBrowser?.();
  await core?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('WhatsApp, end to end in Chromium against headless mode', () => {
  it('links by QR shown live, then shows the session connected without a reload', async () => {
    await page.goto(base);
    await loginThroughUi(page, 'budi', 'rahasia-kuat-1');
    await page.goto(`${base}/#/whatsapp`);
    await expect.poll(() => page.getByTestId('wa-status').textContent()).toMatch(/Terputus/i);
    await page.getByTestId('wa-link-qr').click();
    const qr = page.getByTestId('wa-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.getByText('Pindai kode QR ini').waitFor();

    fake.completeLink('6281288991020');
    await expect.poll(() => page.getByTestId('wa-status').textContent()).toMatch(/Terhubung/i);
    await page.getByText('0812-8899-1020').first().waitFor();
  });

  it('sends a message to a typed number and lists it as sent in the log', async () => {
    await page.getByTestId('wa-tab-send').click();
    await page.getByTestId('wa-send-phone').fill('0812 3456 7890');
    await page.getByTestId('wa-send-name').fill('Pak RT');
    await page.getByTestId('wa-send-body').fill('{salam} *{nama}*, besok pagi ada perbaikan jaringan.');
    await expect
      .poll(() => page.getByTestId('wa-bubble').first().textContent())
      .toContain('besok pagi ada perbaikan jaringan');
    await page.getByTestId('wa-send-submit').click();
    await page.getByText('Pesan terkirim').waitFor();
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ phone: '6281234567890' });
    expect(fake.sent[0]?.text).toContain('Pak RT');

    await page.getByTestId('wa-tab-messages').click();
    const table = page.getByTestId('wa-messages');
    await table.getByText('Pak RT').waitFor();
    await table.getByText('Terkirim').first().waitFor();
  });

  it('raises the broken-session alert live when sends keep failing', async () => {
    await page.getByRole('tab', { name: 'Ringkasan' }).click();
    fake.invalidNumbers.add('628111');
    wa.api.queue.enqueue(
      Array.from({ length: 5 }, (_, i) => ({ kind: 'custom' as const, phone: '628111', body: `x${i}` })),
      { priority: 'immediate' },
    );
    wa.api.queue.kick();
    await page.getByTestId('wa-alert').waitFor();
    expect(await page.getByTestId('wa-alert').textContent()).toContain('Banyak pesan gagal berturut-turut');
  });

  it('sends to customers ticked in the customers list: preview skips the opted-out one, confirm queues the rest once', async () => {
    const owner = (await callOk(
      core,
      'auth.login',
      { username: 'budi', password: 'rahasia-kuat-1' },
      null,
    )) as { token: string };
    for (const c of [
      { name: 'Bu Siti Aminah', phone: '081211110001' },
      { name: 'Pak Joko Susilo', phone: '081211110002' },
      { name: 'Bu Ani Menolak', phone: '081211110003', whatsappOptOut: true },
    ]) {
      await callOk(core, 'customers.create', c, owner.token);
    }
    await page.getByTestId('nav-customers').click();
    const boxes = page.getByTestId('customer-select');
    await expect.poll(() => boxes.count()).toBe(3);
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.getByTestId('customers-send-selected').click();
    await page.getByTestId('wa-bulk-body').fill('{salam} {nama}, jaringan di RW 05 sedang diperbaiki.');
    await page.getByTestId('wa-bulk-preview').click();
    const confirm = page.getByTestId('wa-bulk-confirm');
    await confirm.waitFor();
    await page.getByRole('dialog', { name: 'Kirim ke 2 pelanggan?' }).waitFor();
    await confirm.click();
    await page.getByText('2 pesan masuk antrean').waitFor();
    const queued = core.deps.database.sqlite
      .prepare(
        "SELECT phone, customer_name FROM wa_messages WHERE body LIKE '%jaringan di RW 05%' ORDER BY phone",
      )
      .all() as { phone: string; customer_name: string }[];
    expect(queued).toEqual([
      { phone: '6281211110001', customer_name: 'Bu Siti Aminah' },
      { phone: '6281211110002', customer_name: 'Pak Joko Susilo' },
    ]);
    expect(await boxes.nth(0).isChecked()).toBe(false);
  });

  it('a customer replying "STOP" shows in the Inbox live, gets one confirmation, and is opted out', async () => {
    await page.goto(`${base}/#/whatsapp`);
    await page.getByTestId('wa-tab-inbox').waitFor();
    // A question arrives while the operator looks at another tab: the Inbox tab shows it as unread.
    fake.deliver({
      phone: '6281211110002',
      text: 'Pak, internet di rumah mati sejak pagi',
      pushName: 'Joko',
    });
    await expect.poll(() => page.getByTestId('wa-inbox-badge').textContent()).toBe('1');
    await shot('inbox-badge');
    await page.getByTestId('wa-tab-inbox').click();
    const inbox = page.getByTestId('wa-inbox');
    await inbox.getByText('internet di rumah mati sejak pagi').waitFor();
    await inbox.getByText('Pak Joko Susilo').waitFor();
    await page.getByTestId('wa-inbox-badge').waitFor({ state: 'detached' });

    // The operator answers the question straight from the Inbox.
    await inbox.getByText('internet di rumah mati sejak pagi').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kirim WhatsApp' }).click();
    const composer = page.getByRole('dialog', { name: 'Kirim WhatsApp' });
    await composer.getByLabel('Isi pesan').fill('Baik Pak Joko, teknisi kami menuju lokasi siang ini.');
    await composer.getByRole('button', { name: 'Kirim sekarang' }).click();
    await expect
      .poll(
        () =>
          fake.sent.filter((m) => m.phone === '6281211110002' && m.text.includes('teknisi kami menuju'))
            .length,
      )
      .toBe(1);
    await page.keyboard.press('Escape');

    // While the Inbox is open, Bu Siti replies STOP to a reminder: it appears without a reload, acted on.
    fake.deliver({ phone: '6281211110001', text: 'STOP', pushName: 'Siti' });
    await inbox.getByText('Bu Siti Aminah').waitFor();
    await expect
      .poll(() => inbox.getByTestId('wa-inbox-action').first().textContent())
      .toBe('berhenti berlangganan');
    await expect
      .poll(
        () =>
          fake.sent.filter(
            (m) => m.phone === '6281211110001' && m.text.includes('tidak menerima pesan WhatsApp otomatis'),
          ).length,
      )
      .toBe(1);
    expect(await page.getByTestId('wa-inbox-badge').count()).toBe(0);
    await shot('inbox');

    // The customer's record shows the opt-out the reply made.
    await inbox.getByText('STOP', { exact: true }).click();
    await page.getByTestId('wa-inbox-open-customer').click();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('Bu Siti Aminah');
    await page.getByRole('tab', { name: 'Pesan', exact: true }).click();
    await page.getByTestId('customer-messages').getByText('Konfirmasi berhenti').waitFor();
    await page.getByRole('button', { name: 'Ubah data' }).click();
    const optOut = page.getByLabel('Tidak mau menerima pesan WhatsApp');
    await optOut.waitFor();
    expect(await optOut.isChecked()).toBe(true);
    await shot('customer-opted-out');
    await page.keyboard.press('Escape');

    // The words customers reply with are office settings.
    await page.goto(`${base}/#/whatsapp/settings`);
    const words = page.getByTestId('wa-optout-keywords');
    await words.waitFor();
    await expect.poll(() => page.getByText('BERHENTI', { exact: true }).count()).toBeGreaterThan(0);
    await shot('settings-keywords');
  });
});
