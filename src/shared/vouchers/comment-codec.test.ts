import { describe, expect, it } from 'vitest';
import {
  decodeUserComment,
  decodeVoucherComment,
  encodeVoucherComment,
  parseLooseRupiah,
  profileMarker,
  type RukunVoucherComment,
} from './comment-codec';

const DAY = 86_400_000;

describe('seed format', () => {
  it('reads a fresh voucher (times empty)', () => {
    const c = decodeVoucherComment('VOUCHER_SYSTEM|5000||');
    expect(c).toMatchObject({
      kind: 'rukun',
      version: 1,
      price: 5000,
      firstLoginAt: null,
      validUntil: null,
      extra: [],
    });
    expect(c?.unparsed).toBeUndefined();
  });

  it('reads unix seconds and writes the seed format back byte for byte', () => {
    const raw = 'VOUCHER_SYSTEM|5000|1732150000|1732236400';
    const c = decodeVoucherComment(raw);
    expect(c?.firstLoginAt).toBe(1_732_150_000_000);
    expect(c?.validUntil).toBe(1_732_236_400_000);
    expect(c && encodeVoucherComment(c)).toBe(raw);
    expect(encodeVoucherComment(decodeVoucherComment('VOUCHER_SYSTEM|3000||')!)).toBe(
      'VOUCHER_SYSTEM|3000||',
    );
  });

  it('tolerates legacy shapes: ms, zero, dates in office time, Indonesian price, spaces, missing fields', () => {
    expect(decodeVoucherComment('VOUCHER_SYSTEM|5000|1732150000123|0')).toMatchObject({
      firstLoginAt: 1_732_150_000_123,
      validUntil: null,
    });
    // 2024-11-21 10:04:05 in Asia/Jakarta (UTC+7) = 03:04:05Z.
    const iso = Date.UTC(2024, 10, 21, 3, 4, 5);
    expect(
      decodeVoucherComment('VOUCHER_SYSTEM|5.000|2024-11-21 10:04:05|nov/22/2024 10:04:05'),
    ).toMatchObject({
      price: 5000,
      firstLoginAt: iso,
      validUntil: iso + DAY,
    });
    expect(decodeVoucherComment('VOUCHER_SYSTEM|Rp 10.000|21/11/2024 10:04|')?.firstLoginAt).toBe(iso - 5000);
    expect(decodeVoucherComment('VOUCHER_SYSTEM|5000|2024-11-21T03:04:05Z|')?.firstLoginAt).toBe(iso);
    expect(decodeVoucherComment(' VOUCHER_SYSTEM | 2000 | | ')?.price).toBe(2000);
    expect(decodeVoucherComment('VOUCHER_SYSTEM')).toMatchObject({
      price: null,
      firstLoginAt: null,
      validUntil: null,
    });
    expect(decodeVoucherComment('voucher_system|1000||')?.price).toBe(1000);
    // Another zone for offices in WITA.
    expect(
      decodeVoucherComment('VOUCHER_SYSTEM|1|2024-11-21 10:04:05|', { timeZone: 'Asia/Makassar' })
        ?.firstLoginAt,
    ).toBe(iso - 3_600_000);
  });

  it('keeps unreadable positional values instead of dropping them', () => {
    const raw = 'VOUCHER_SYSTEM|gratis|kemarin|31/02/2024';
    const c = decodeVoucherComment(raw);
    expect(c).toMatchObject({ price: null, firstLoginAt: null, validUntil: null });
    expect(c?.unparsed).toEqual({ price: 'gratis', firstLogin: 'kemarin', validUntil: '31/02/2024' });
    expect(encodeVoucherComment(c!)).toBe(raw);
  });
});

describe('extended format (v2)', () => {
  const full: RukunVoucherComment = {
    kind: 'rukun',
    version: 2,
    price: 5000,
    firstLoginAt: 1_732_150_000_000,
    validUntil: 1_732_236_400_000,
    batch: '7Q4K',
    profile: '1 Hari|Promo',
    validityMs: DAY,
    cost: 4000,
    note: 'Warung Bu Sri — kios 2 · 50% ☕',
    extra: [],
  };

  it('round-trips every field, escaping | % and non-ASCII', () => {
    const text = encodeVoucherComment(full);
    expect(text).toBe(
      'VOUCHER_SYSTEM|5000|1732150000|1732236400|v2|b=7Q4K|p=1 Hari%7CPromo|v=1d|m=4000|n=Warung Bu Sri %E2%80%94 kios 2 %C2%B7 50%25 %E2%98%95',
    );
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(decodeVoucherComment(text)).toEqual(full);
  });

  it('is still readable by a seed-format reader (first four fields positional)', () => {
    const [marker, price, first, until] = encodeVoucherComment(full).split('|');
    expect([marker, price, first, until]).toEqual(['VOUCHER_SYSTEM', '5000', '1732150000', '1732236400']);
  });

  it('preserves unknown fields and bare tokens from a newer version, in order', () => {
    const raw = 'VOUCHER_SYSTEM|5000||1732236400|v3|b=AB|z=later%7Cthing|FLAG|p=Kios|q=';
    const c = decodeVoucherComment(raw)!;
    expect(c.version).toBe(3);
    expect(c.extra).toEqual([
      ['z', 'later|thing'],
      ['', 'FLAG'],
      ['q', ''],
    ]);
    const again = encodeVoucherComment(c);
    expect(again).toBe('VOUCHER_SYSTEM|5000||1732236400|v3|b=AB|p=Kios|z=later%7Cthing|FLAG|q=');
    expect(decodeVoucherComment(again)).toEqual(c);
  });

  it('keeps an unreadable known field as an extra instead of losing it', () => {
    const c = decodeVoucherComment('VOUCHER_SYSTEM|5000|||v2|v=sehari|m=murah')!;
    expect(c.validityMs).toBeUndefined();
    expect(c.extra).toEqual([
      ['v', 'sehari'],
      ['m', 'murah'],
    ]);
  });

  it('survives a stray % typed on the router', () => {
    expect(decodeVoucherComment('VOUCHER_SYSTEM|5000|||v2|n=diskon 10%')?.note).toBe('diskon 10%');
  });
});

describe('decodeUserComment', () => {
  it('classifies empty, foreign, Mikhmon and garbage without throwing', () => {
    expect(decodeUserComment('')).toEqual({ kind: 'empty' });
    expect(decodeUserComment(null)).toEqual({ kind: 'empty' });
    expect(decodeUserComment('pelanggan pak RT')).toEqual({ kind: 'foreign', raw: 'pelanggan pak RT' });
    expect(decodeUserComment('vc-123-11.21.26-')).toMatchObject({ kind: 'mikhmon', mode: 'vc' });
    for (const junk of ['|||', '%%%', '\u0000\uffff', 'VOUCHER', '🙂|VOUCHER_SYSTEM', 'x'.repeat(5000)]) {
      expect(() => decodeUserComment(junk)).not.toThrow();
      expect(decodeUserComment(junk).kind).toBe('foreign');
    }
  });

  it('reads unicode in foreign comments intact', () => {
    expect(decodeUserComment('Bu Sri ☕ kios')).toEqual({ kind: 'foreign', raw: 'Bu Sri ☕ kios' });
  });
});

describe('helpers', () => {
  it('parseLooseRupiah', () => {
    expect(parseLooseRupiah('5000')).toBe(5000);
    expect(parseLooseRupiah('Rp 1.500.000')).toBe(1_500_000);
    expect(parseLooseRupiah('Rp.2,000')).toBe(2000);
    expect(parseLooseRupiah('5000.00')).toBe(5000);
    expect(parseLooseRupiah('lima ribu')).toBeNull();
  });

  it('profileMarker', () => {
    expect(profileMarker('VOUCHER_SYSTEM')).toBe('hotspot');
    expect(profileMarker('PPPOE_SYSTEM|v2')).toBe('ppp');
    expect(profileMarker('default')).toBeNull();
    expect(profileMarker(undefined)).toBeNull();
  });
});
