/**
 * Voucher code generation.
 *
 * Codes are bearer credentials sold for money, so they come from the platform CSPRNG
 * (`globalThis.crypto.getRandomValues`, available in Node 20 and in the renderer) with rejection sampling, so every
 * symbol is exactly equally likely. Math.random and `x % n` are not acceptable here.
 *
 * Character sets leave out what people misread on paper or mistype on a phone:
 *   - always: 0 O o, 1 l I i;
 *   - sets with letters and digits: also Z S B (2 5 8 stay) and, in lower case, z s b g q (look like 2 5 6 9 9);
 *   - sets with both cases: also the lower-case letters whose shape equals the upper-case one (c k p s u v w x z),
 *     because a buyer cannot tell `c` from `C` on a printed voucher.
 */
import { z } from 'zod';

export const CHARSETS = {
  digits: '23456789',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghjkmnpqrstuvwxyz',
  mixed: 'ABCDEFGHJKLMNPQRSTUVWXYZabdefghjmnqrty',
  alnumUpper: '23456789ACDEFGHJKLMNPQRTUVWXY',
  alnumLower: '23456789acdefhjkmnprtuvwxy',
  alnum: '23456789ACDEFGHJKLMNPQRTUVWXYadefhjmnrty',
} as const satisfies Record<string, string>;

export type Charset = keyof typeof CHARSETS;
export const CHARSET_NAMES = Object.keys(CHARSETS) as [Charset, ...Charset[]];

/** Labels for the charset picker. */
export const CHARSET_LABELS: Record<Charset, string> = {
  digits: 'Angka (23456789)',
  upper: 'Huruf besar',
  lower: 'Huruf kecil',
  mixed: 'Huruf besar + kecil',
  alnumUpper: 'Angka + huruf besar',
  alnumLower: 'Angka + huruf kecil',
  alnum: 'Angka + huruf besar + kecil',
};

export const CODE_LENGTH_MIN = 3;
export const CODE_LENGTH_MAX = 16;
export const BATCH_COUNT_MAX = 10_000;
/** Above this share of the code space in use, codes become guessable: warn. */
export const SPACE_WARN_RATIO = 0.01;
/** Above this share, refuse: one guess in ten would hit a sold voucher. */
export const SPACE_ERROR_RATIO = 0.1;

const codeSpecSchema = z.object({
  length: z.number().int().min(CODE_LENGTH_MIN).max(CODE_LENGTH_MAX),
  charset: z.enum(CHARSET_NAMES),
});

export const voucherCodeOptionsSchema = z
  .object({
    length: z.number().int().min(CODE_LENGTH_MIN).max(CODE_LENGTH_MAX),
    charset: z.enum(CHARSET_NAMES),
    // The prefix ends up in RouterOS names, login URLs and Mikhmon-style comments: keep it to safe characters.
    prefix: z
      .string()
      .max(12)
      .regex(/^[A-Za-z0-9_.-]*$/, 'Prefix hanya boleh huruf, angka, titik, garis bawah, dan tanda hubung')
      .default(''),
    count: z.number().int().min(1).max(BATCH_COUNT_MAX),
    passwordMode: z.enum(['same', 'separate']),
    password: codeSpecSchema.optional(),
  })
  .refine((o) => o.passwordMode === 'same' || o.password !== undefined, {
    message: 'Panjang dan jenis karakter password wajib diisi untuk mode password terpisah',
    path: ['password'],
  });

export type VoucherCodeOptions = z.input<typeof voucherCodeOptionsSchema>;

export interface GeneratedCredential {
  username: string;
  password: string;
}

/** Fills the array with uniformly random 32-bit values. Injected in tests; the default is the platform CSPRNG. */
export type RandomSource = (buffer: Uint32Array) => void;

export const cryptoRandomSource: RandomSource = (buffer) => {
  globalThis.crypto.getRandomValues(buffer);
};

export type CodegenErrorCode = 'INVALID_OPTIONS' | 'SPACE_TOO_SMALL' | 'EXHAUSTED';

export class VoucherCodegenError extends Error {
  constructor(
    readonly code: CodegenErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'VoucherCodegenError';
  }
}

/** Number of distinct codes of `length` symbols from `charset` (the prefix adds nothing). */
export function codeSpaceSize(charset: Charset, length: number): number {
  return CHARSETS[charset].length ** length;
}

export type SpaceLevel = 'ok' | 'sempit' | 'terlalu_sempit';

export interface CodeSpaceAssessment {
  level: SpaceLevel;
  /** Distinct codes possible with this charset and length. */
  space: number;
  /** (new + already taken) / space. */
  ratio: number;
  /** Shortest length (same charset) at which the batch would be `ok`; null when even 16 is not enough. */
  suggestedLength: number | null;
  /** Ready-to-show Indonesian message; empty when `ok`. */
  message: string;
}

const nf = new Intl.NumberFormat('id-ID');
const pf = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });

/**
 * How crowded the code space would be after this batch. `takenCount` is the number of existing codes with the same
 * shape (same prefix, charset and length) when the caller knows it; unknown → 0.
 */
export function assessCodeSpace(input: {
  charset: Charset;
  length: number;
  count: number;
  takenCount?: number;
}): CodeSpaceAssessment {
  const space = codeSpaceSize(input.charset, input.length);
  const used = input.count + (input.takenCount ?? 0);
  const ratio = used / space;
  let suggestedLength: number | null = null;
  for (let len = input.length; len <= CODE_LENGTH_MAX; len += 1) {
    if (used / codeSpaceSize(input.charset, len) <= SPACE_WARN_RATIO) {
      suggestedLength = len;
      break;
    }
  }
  const level: SpaceLevel =
    ratio > SPACE_ERROR_RATIO ? 'terlalu_sempit' : ratio > SPACE_WARN_RATIO ? 'sempit' : 'ok';
  const hint = suggestedLength !== null ? ` Gunakan panjang kode minimal ${suggestedLength} karakter.` : '';
  const base = `${nf.format(used)} kode memakai ${pf.format(ratio * 100)}% dari ${nf.format(space)} kombinasi.`;
  const message =
    level === 'ok'
      ? ''
      : level === 'sempit'
        ? `Ruang kode sempit: ${base} Kode jadi lebih mudah ditebak.${hint}`
        : `Ruang kode terlalu sempit: ${base} Kode terlalu mudah ditebak.${hint}`;
  return { level, space, ratio, suggestedLength, message };
}

/** Draws uniformly distributed indexes below `n` from a buffered random source, without modulo bias. */
class IndexDrawer {
  private readonly buffer = new Uint32Array(1024);
  private pos = this.buffer.length;

  constructor(private readonly random: RandomSource) {}

  next(n: number): number {
    // Largest multiple of n that fits in 2^32: values at or above it would favour the low indexes.
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      if (this.pos >= this.buffer.length) {
        this.random(this.buffer);
        this.pos = 0;
      }
      const v = this.buffer[this.pos++] as number;
      if (v < limit) return v % n;
    }
  }

  code(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet[this.next(alphabet.length)];
    return out;
  }
}

export type TakenCodes = ReadonlySet<string> | ((code: string) => boolean);

/**
 * Generates exactly `count` credentials whose usernames are unique within the batch and not taken (existing codes in
 * Rukun and on the router). Throws VoucherCodegenError when the options are invalid, when the code space is too
 * small to be safe, or when free codes cannot be found within a bounded number of attempts.
 */
export function generateVoucherCodes(
  options: VoucherCodeOptions,
  taken: TakenCodes = new Set<string>(),
  random: RandomSource = cryptoRandomSource,
): GeneratedCredential[] {
  const parsed = voucherCodeOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new VoucherCodegenError(
      'INVALID_OPTIONS',
      first?.message ?? 'Opsi voucher tidak valid',
      parsed.error.issues,
    );
  }
  const o = parsed.data;
  const assessment = assessCodeSpace({
    charset: o.charset,
    length: o.length,
    count: o.count,
    takenCount: taken instanceof Set ? taken.size : undefined,
  });
  if (assessment.level === 'terlalu_sempit') {
    throw new VoucherCodegenError('SPACE_TOO_SMALL', assessment.message, assessment);
  }

  const isTaken = typeof taken === 'function' ? taken : (code: string) => taken.has(code);
  const draw = new IndexDrawer(random);
  const alphabet = CHARSETS[o.charset];
  const seen = new Set<string>();
  const result: GeneratedCredential[] = [];
  // With at most 10% of the space in use a fresh code collides with p <= 0.1, so 20 tries per code plus slack
  // only runs out when `isTaken` knows far more codes than the caller declared.
  const maxAttempts = o.count * 20 + 1000;
  let attempts = 0;
  while (result.length < o.count) {
    if (attempts++ >= maxAttempts) {
      throw new VoucherCodegenError(
        'EXHAUSTED',
        `Hanya ${nf.format(result.length)} dari ${nf.format(o.count)} kode unik yang bisa dibuat. ` +
          'Gunakan kode yang lebih panjang atau jenis karakter yang lebih banyak.',
        { generated: result.length, requested: o.count, attempts: maxAttempts },
      );
    }
    const username = o.prefix + draw.code(alphabet, o.length);
    if (seen.has(username) || isTaken(username)) continue;
    seen.add(username);
    const password =
      o.passwordMode === 'same' || o.password === undefined
        ? username
        : draw.code(CHARSETS[o.password.charset], o.password.length);
    result.push({ username, password });
  }
  return result;
}
