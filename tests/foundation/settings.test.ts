import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRupiah, parseRupiah } from '../../src/shared/money';
import { normalizePhone } from '../../src/shared/phone';
import { officeDate, officePeriod } from '../../src/shared/dates';
import { testCore, type TestCore } from '../helpers/core';

let t: TestCore;
beforeEach(async () => {
  t = await testCore();
});
afterEach(async () => {
  await t.core.stop();
});

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('settings', () => {
  it('stores office settings with optimistic locking, audits and writes the change log', async () => {
    const owner = await t.setupOwner();
    const s = await t.ok('settings.get', {}, owner);
    expect(s).toMatchObject({ officeName: 'RT/RW Net Sukamaju', timeZone: 'Asia/Jakarta', version: 1 });
    const next = await t.ok(
      'settings.update',
      {
        version: s.version,
        address: 'Jl. Merdeka No. 1, Cikampek',
        bankAccounts: [{ bank: 'BRI', number: '0123-01-000123-50-1', holder: 'Budi Santoso' }],
        timeZone: 'Asia/Makassar',
        receiptFooter: 'Simpan nota ini sebagai bukti pembayaran.',
      },
      owner,
    );
    expect(next).toMatchObject({ version: 2, timeZone: 'Asia/Makassar', bankAccounts: [{ bank: 'BRI' }] });
    expect(await t.raw('settings.update', { version: 1, phone: '0812' }, owner)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await t.raw('settings.update', { version: 2, timeZone: 'Mars/Olympus' }, owner)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'timeZone' }] } },
    });
    const log = t.core.deps.database.sqlite
      .prepare("SELECT count(*) n FROM change_log WHERE entity='settings'")
      .get() as { n: number };
    expect(log.n).toBe(1);
  });

  it('accepts a real PNG logo and rejects bytes that are not an image', async () => {
    const owner = await t.setupOwner();
    const s = await t.ok('settings.setLogo', { mime: 'image/png', dataBase64: PNG_1PX }, owner);
    expect(s.logoUrl).toMatch(/^\/assets\/logo\?v=[0-9a-f]{12}$/);
    expect(await t.core.settings.logo()).toMatchObject({ mime: 'image/png' });
    const bad = await t.raw(
      'settings.setLogo',
      { mime: 'image/png', dataBase64: Buffer.from('<svg onload=alert(1)>').toString('base64') },
      owner,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const removed = await t.ok('settings.setLogo', { remove: true }, owner);
    expect(removed.logoUrl).toBeNull();
  });
});

describe('shared helpers', () => {
  it('formats and parses rupiah the Indonesian way', () => {
    expect(formatRupiah(150000)).toBe('Rp 150.000');
    expect(formatRupiah(0)).toBe('Rp 0');
    expect(parseRupiah('Rp150.000')).toBe(150000);
    expect(parseRupiah('150rb')).toBe(150000);
    expect(parseRupiah('1,5jt')).toBe(1500000);
    expect(parseRupiah('abc')).toBeNull();
  });
  it('normalises WhatsApp numbers', () => {
    expect(normalizePhone('0812-3456-7890')).toBe('6281234567890');
    expect(normalizePhone('+62 812 3456 7890')).toBe('6281234567890');
    expect(normalizePhone('81234567890')).toBe('6281234567890');
    expect(normalizePhone('123')).toBeNull();
    expect(normalizePhone('0812abc')).toBeNull();
  });
  it('computes business dates in the office time zone', () => {
    // 2026-11-30 18:30 UTC is already 1 December in Jakarta (UTC+7).
    const t0 = Date.UTC(2026, 10, 30, 18, 30);
    expect(officeDate(t0, 'Asia/Jakarta')).toBe('2026-12-01');
    expect(officePeriod(t0, 'Asia/Jakarta')).toBe('2026-12');
    expect(officeDate(t0, 'UTC')).toBe('2026-11-30');
  });
});

describe('LAN address', () => {
  it('announces a configured public URL, else the listener address, never 127.0.0.1 for a wildcard bind when a LAN address exists', async () => {
    const { lanBaseUrl, firstLanAddress } = await import('../../src/main/http/lan-url');
    expect(lanBaseUrl('http://192.168.88.10:3210/', { host: '0.0.0.0', port: 3210 })).toBe(
      'http://192.168.88.10:3210',
    );
    expect(lanBaseUrl('', { host: '10.0.0.5', port: 8080 })).toBe('http://10.0.0.5:8080');
    expect(lanBaseUrl('', null)).toBeNull();
    const lan = firstLanAddress();
    expect(lanBaseUrl('', { host: '0.0.0.0', port: 3210 })).toBe(`http://${lan ?? '127.0.0.1'}:3210`);
  });

  it('uses settings.publicUrl for links once saved, and validates it', async () => {
    const owner = await t.setupOwner();
    const s = await t.ok('settings.get', {}, owner);
    const bad = await t.raw('settings.update', { version: s.version, publicUrl: 'ftp://x' }, owner);
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'publicUrl' }] } },
    });
    await t.ok('settings.update', { version: s.version, publicUrl: 'http://192.168.88.10:3210' }, owner);
    expect(t.core.lanUrl()).toBe('http://192.168.88.10:3210');
    expect((await t.ok('system.info', {}, owner)).lanUrl).toBe('http://192.168.88.10:3210');
  });
});
