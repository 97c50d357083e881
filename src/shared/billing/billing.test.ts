import { describe, expect, it } from 'vitest';
import { firstPeriod, periodContaining, prorate } from './periods';
import {
  formatNumberInSeries,
  seriesOf,
  sequenceWidth,
  usernameFromPattern,
  validatePattern,
} from './patterns';
import { applyTax } from './tax';

describe('billing pure logic', () => {
  it('customer IDs and invoice numbers follow the office patterns', () => {
    const p = '{LOC}-{ROUTER}{DDMMYY}-{NNN}';
    expect(
      formatNumberInSeries(
        seriesOf(p, { date: '2025-02-01', loc: 'kcb', router: 'CKP' }),
        1,
        sequenceWidth(p),
      ),
    ).toBe('KCB-CKP010225-001');
    const inv = 'INV/{YYYY}/{MM}/{NNNNN}';
    expect(formatNumberInSeries(seriesOf(inv, { date: '2026-11-05' }), 42, sequenceWidth(inv))).toBe(
      'INV/2026/11/00042',
    );
    expect(validatePattern('INV/{YYYY}', ['YYYY'])).toMatch(/nomor urut/);
    expect(usernameFromPattern('{ROUTER}{RRR}', 'CKP', () => 7)).toBe('CKP007');
  });

  it('prepaid periods run from the billing day; a mid-period start is prorated on request', () => {
    expect(periodContaining('2026-11-03', 5)).toEqual({
      period: '2026-10',
      start: '2026-10-05',
      end: '2026-11-04',
    });
    const f = firstPeriod('2026-11-20', 5);
    expect(f).toMatchObject({
      period: '2026-11',
      start: '2026-11-20',
      end: '2026-12-04',
      partial: true,
      days: 15,
      fullDays: 30,
    });
    expect(prorate(150_000, 15, 30)).toBe(75_000);
  });

  it('PPN inclusive and exclusive', () => {
    expect(applyTax(111_000, 11, true, true)).toEqual({ base: 100_000, tax: 11_000, total: 111_000 });
    expect(applyTax(100_000, 11, true, false)).toEqual({ base: 100_000, tax: 11_000, total: 111_000 });
    expect(applyTax(100_000, 11, false, false).tax).toBe(0);
  });
});
