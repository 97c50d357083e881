import { describe, expect, it } from 'vitest';
import {
  CHARSETS,
  CHARSET_NAMES,
  VoucherCodegenError,
  assessCodeSpace,
  codeSpaceSize,
  generateVoucherCodes,
  type RandomSource,
} from './codegen';

const ALWAYS_AMBIGUOUS = ['0', 'O', 'o', '1', 'l', 'I', 'i'];

function codegenError(fn: () => unknown): VoucherCodegenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VoucherCodegenError) return e;
    throw e;
  }
  throw new Error('expected VoucherCodegenError');
}

describe('charsets', () => {
  it('never contain the ambiguous characters', () => {
    for (const name of CHARSET_NAMES) {
      const set = CHARSETS[name];
      for (const ch of ALWAYS_AMBIGUOUS) expect(set, `${name} has ${ch}`).not.toContain(ch);
      expect(new Set(set).size, `${name} has duplicates`).toBe(set.length);
    }
  });

  it('drop Z S B where digits are present and same-shape lower case where both cases are present', () => {
    for (const name of ['alnum', 'alnumUpper', 'alnumLower'] as const) {
      for (const ch of 'ZSBzsbgq') expect(CHARSETS[name]).not.toContain(ch);
    }
    for (const name of ['mixed', 'alnum'] as const) {
      for (const ch of 'ckpsuvwxz') expect(CHARSETS[name]).not.toContain(ch);
    }
  });
});

describe('generateVoucherCodes', () => {
  it('produces exactly count codes of the right shape, unique, with prefix', () => {
    const codes = generateVoucherCodes({
      length: 6,
      charset: 'alnumUpper',
      prefix: 'HJ',
      count: 5000,
      passwordMode: 'same',
    });
    expect(codes).toHaveLength(5000);
    expect(new Set(codes.map((c) => c.username)).size).toBe(5000);
    for (const c of codes) {
      expect(c.username).toMatch(/^HJ[23456789ACDEFGHJKLMNPQRTUVWXY]{6}$/);
      expect(c.password).toBe(c.username);
    }
  });

  it('makes separate passwords with their own length and charset', () => {
    const codes = generateVoucherCodes({
      length: 5,
      charset: 'upper',
      count: 50,
      passwordMode: 'separate',
      password: { length: 4, charset: 'digits' },
    });
    for (const c of codes) {
      expect(c.username).toMatch(/^[A-Z]{5}$/);
      expect(c.password).toMatch(/^[2-9]{4}$/);
    }
  });

  it('avoids taken codes (Set and predicate) and never comes out short in a crowded space', () => {
    // digits, length 5: 32,768 codes. Take every code starting with 2..8 except a handful: 28,672 taken.
    const all: string[] = [];
    const alphabet = CHARSETS.digits;
    for (let n = 0; n < 8 ** 5; n += 1) {
      let s = '';
      for (let k = n, i = 0; i < 5; i += 1, k = Math.floor(k / 8)) s += alphabet[k % 8];
      all.push(s);
    }
    const taken = new Set(all.filter((c) => c[0] !== '9'));
    // 4,096 free codes; ask for 300 with an undeclared predicate so the space check cannot know about them.
    const codes = generateVoucherCodes(
      { length: 5, charset: 'digits', count: 300, passwordMode: 'same' },
      (c) => taken.has(c),
    );
    expect(codes).toHaveLength(300);
    for (const c of codes) expect(c.username.startsWith('9')).toBe(true);
    expect(new Set(codes.map((c) => c.username)).size).toBe(300);
  });

  it('throws EXHAUSTED instead of looping when every code is taken', () => {
    const err = codegenError(() =>
      generateVoucherCodes({ length: 4, charset: 'digits', count: 10, passwordMode: 'same' }, () => true),
    );
    expect(err.code).toBe('EXHAUSTED');
    expect(err.message).toMatch(/kode unik/);
  });

  it('refuses a batch that would fill more than 10% of the space', () => {
    const err = codegenError(() =>
      generateVoucherCodes({ length: 3, charset: 'digits', count: 60, passwordMode: 'same' }),
    );
    expect(err.code).toBe('SPACE_TOO_SMALL');
    // A declared Set counts towards the crowding.
    const taken = new Set(Array.from({ length: 3000 }, (_, i) => `x${i}`));
    expect(
      codegenError(() =>
        generateVoucherCodes({ length: 4, charset: 'digits', count: 200, passwordMode: 'same' }, taken),
      ).code,
    ).toBe('SPACE_TOO_SMALL');
  });

  it('validates options with Indonesian messages', () => {
    expect(
      codegenError(() =>
        generateVoucherCodes({ length: 2, charset: 'digits', count: 1, passwordMode: 'same' }),
      ).code,
    ).toBe('INVALID_OPTIONS');
    expect(
      codegenError(() =>
        generateVoucherCodes({ length: 6, charset: 'digits', count: 10_001, passwordMode: 'same' }),
      ).code,
    ).toBe('INVALID_OPTIONS');
    const e = codegenError(() =>
      generateVoucherCodes({ length: 6, charset: 'digits', count: 1, passwordMode: 'separate' }),
    );
    expect(e.message).toMatch(/password/);
    expect(
      codegenError(() =>
        generateVoucherCodes({ length: 6, charset: 'digits', prefix: 'a|b', count: 1, passwordMode: 'same' }),
      ).message,
    ).toMatch(/Prefix/);
  });

  it('is uniform: every symbol at every position within chi-square bounds', () => {
    const alphabet = CHARSETS.alnum;
    const codes = generateVoucherCodes({ length: 8, charset: 'alnum', count: 10_000, passwordMode: 'same' });
    const counts = new Map<string, number>();
    for (const c of codes) for (const ch of c.username) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    const n = 80_000;
    const expected = n / alphabet.length;
    let chi2 = 0;
    for (const ch of alphabet) chi2 += ((counts.get(ch) ?? 0) - expected) ** 2 / expected;
    // 39 degrees of freedom: p ≈ 0.0001 critical value ≈ 78.
    expect(chi2).toBeLessThan(78);
    expect(counts.size).toBe(alphabet.length);
  });

  it('rejects biased draws instead of folding them with modulo', () => {
    // A source that first returns values in the biased tail (>= floor(2^32/8)*8 is impossible for 8, so use 23).
    const n = CHARSETS.lower.length; // 23
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    let calls = 0;
    const source: RandomSource = (buf) => {
      calls += 1;
      for (let i = 0; i < buf.length; i += 1)
        buf[i] = calls === 1 ? limit + (i % (0x1_0000_0000 - limit)) : i % n;
    };
    const [code] = generateVoucherCodes(
      { length: 3, charset: 'lower', count: 1, passwordMode: 'same' },
      new Set(),
      source,
    );
    // The first buffer was entirely in the tail, so it must have been discarded.
    expect(calls).toBe(2);
    expect(code?.username).toBe('abc');
  });
});

describe('assessCodeSpace', () => {
  it('computes the space and levels with an Indonesian message and a suggested length', () => {
    expect(codeSpaceSize('digits', 4)).toBe(4096);
    const ok = assessCodeSpace({ charset: 'alnumUpper', length: 6, count: 1000 });
    expect(ok.level).toBe('ok');
    expect(ok.message).toBe('');
    const narrow = assessCodeSpace({ charset: 'digits', length: 4, count: 100 });
    expect(narrow.level).toBe('sempit');
    expect(narrow.message).toContain('Ruang kode sempit');
    expect(narrow.message).toContain('4.096');
    expect(narrow.suggestedLength).toBe(5);
    const bad = assessCodeSpace({ charset: 'digits', length: 3, count: 100, takenCount: 10 });
    expect(bad.level).toBe('terlalu_sempit');
    expect(bad.ratio).toBeCloseTo(110 / 512);
    expect(bad.message).toContain('terlalu sempit');
  });
});
