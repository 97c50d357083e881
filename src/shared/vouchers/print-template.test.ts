import { describe, expect, it } from 'vitest';
import {
  VOUCHER_LAYOUTS,
  defaultVoucherTemplate,
  formatRupiahPrint,
  lineVisible,
  placeholderValues,
  substitute,
  voucherTemplateSchema,
  type PrintableVoucher,
} from './print-template';

const v: PrintableVoucher = {
  username: 'AB3K9Q',
  password: 'AB3K9Q',
  price: 5000,
  validityMs: 86_400_000,
  profileName: '1Hari',
};
const values = placeholderValues(v, { officeName: 'HIJI Net', hotspotDnsName: 'hotspot.hiji.net', index: 7 });

describe('substitute', () => {
  it('fills whitelisted placeholders', () => {
    expect(substitute('{kode} {harga} {masa_aktif} #{nomor} {nama_usaha} {dns}', values)).toBe(
      'AB3K9Q Rp 5.000 1 hari #7 HIJI Net hotspot.hiji.net',
    );
  });

  it('leaves unknown and prototype names as written and runs nothing', () => {
    expect(substitute('{constructor} {__proto__} {toString} {KODE} ${kode} {{kode}}', values)).toBe(
      '{constructor} {__proto__} {toString} {KODE} $AB3K9Q {AB3K9Q}',
    );
  });

  it('shows the time limit as validity when there is no validity', () => {
    const t = placeholderValues(
      { ...v, validityMs: undefined, timeLimitMs: 3 * 3_600_000 },
      { officeName: '', hotspotDnsName: '', index: 1 },
    );
    expect(t.masa_aktif).toBe('3 jam');
    expect(t.batas_waktu).toBe('3 jam');
  });
});

describe('templates', () => {
  it('every layout has a valid default', () => {
    for (const layout of VOUCHER_LAYOUTS) {
      const t = defaultVoucherTemplate(layout);
      expect(t.body.some((l) => l.text.includes('{kode}'))).toBe(true);
    }
  });

  it('rejects bad input with Indonesian messages', () => {
    const r = voucherTemplateSchema.safeParse({ accentColor: 'red' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/Warna/);
    expect(voucherTemplateSchema.safeParse({ body: [{ text: 'x', size: 200 }] }).success).toBe(false);
    expect(
      voucherTemplateSchema.safeParse({ body: Array.from({ length: 11 }, () => ({ text: 'x' })) }).success,
    ).toBe(false);
  });

  it('conditional lines', () => {
    const line = voucherTemplateSchema.parse({ body: [{ text: 'x', showIf: 'separate_password' }] }).body[0]!;
    expect(lineVisible(line, v)).toBe(false);
    expect(lineVisible(line, { ...v, password: '1234' })).toBe(true);
  });
});

describe('formatRupiahPrint', () => {
  it('formats the Indonesian way', () => {
    expect(formatRupiahPrint(5000)).toBe('Rp 5.000');
    expect(formatRupiahPrint(1_250_000)).toBe('Rp 1.250.000');
    expect(formatRupiahPrint(500)).toBe('Rp 500');
    expect(formatRupiahPrint(0)).toBe('Rp 0');
  });
});
