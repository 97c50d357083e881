import { execFileSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { routersOf, setupVouchers, type VoucherSetup } from './helpers';

let s: VoucherSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const pdfText = (base64: string): string =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(base64, 'base64') }).toString('utf8');

it('an edited print template is used for printing; placeholders are data, not code; reset brings the default back', async () => {
  s = await setupVouchers({ version: '7.18' });
  await s.t.ok(
    'vouchers.profiles.save',
    { routerId: s.routerId, name: '3Jam', validitySeconds: 3 * 3600, priceCost: 1500, priceSell: 2000 },
    s.token,
  );
  const batch = await s.t.ok(
    'vouchers.createBatch',
    { routerId: s.routerId, profile: '3Jam', count: 2, length: 6, charset: 'alnumUpper' },
    s.token,
  );
  await routersOf(s.t.core).api.waitForBatch(batch.batchId);

  const base = await s.t.ok('vouchers.templates.get', { layout: 'thermal-80' }, s.token);
  expect(base.isDefault).toBe(true);
  const saved = await s.t.ok(
    'vouchers.templates.save',
    {
      layout: 'thermal-80',
      template: {
        ...base.template,
        footer: [{ text: 'Terima kasih, {nama_usaha}! {constructor.name}', size: 7, align: 'center' }],
      },
    },
    s.token,
  );
  expect(saved).toMatchObject({ isDefault: false, version: 1 });
  const pdf = await s.t.ok(
    'vouchers.printPdf',
    { batchId: batch.batchId, layout: 'thermal-80', dnsName: 'hotspot.sukamaju.net' },
    s.token,
  );
  const text = pdfText(pdf.base64);
  expect(text).toContain('Terima kasih, RT/RW Net Sukamaju!');
  // An unknown placeholder stays visible as written (a typo shows on paper instead of running anything).
  expect(text).toContain('{constructor.name}');

  const stale = await s.t.raw(
    'vouchers.templates.save',
    { layout: 'thermal-80', template: base.template, version: 0 },
    s.token,
  );
  expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
  const bad = await s.t.raw(
    'vouchers.templates.save',
    { layout: 'thermal-80', template: { ...base.template, accentColor: 'red;}' } },
    s.token,
  );
  expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');

  const reset = await s.t.ok('vouchers.templates.reset', { layout: 'thermal-80' }, s.token);
  expect(reset.isDefault).toBe(true);
  const again = pdfText(
    (await s.t.ok('vouchers.printPdf', { batchId: batch.batchId, layout: 'thermal-80' }, s.token)).base64,
  );
  expect(again).not.toContain('Terima kasih');
});
