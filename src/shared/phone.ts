import { z } from 'zod';

/**
 * Indonesian WhatsApp numbers are stored as digits starting with 62 (10–15 digits). Operators type
 * `0812…`, `+62 812-…` or `812…`; all normalise to `62812…`.
 */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return null;
  let n = digits;
  if (n.startsWith('0')) n = `62${n.slice(1)}`;
  else if (n.startsWith('8')) n = `62${n}`;
  if (!n.startsWith('62') || n.length < 10 || n.length > 15) return null;
  return n;
}

export const Phone = z.string().transform((v, ctx) => {
  const n = normalizePhone(v);
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: 'Nomor WhatsApp tidak valid (contoh: 081234567890)' });
    return z.NEVER;
  }
  return n;
});

/** `6281234567890` → `0812-3456-7890` for display. */
export function formatPhone(n: string): string {
  const local = n.startsWith('62') ? `0${n.slice(2)}` : n;
  return local.replace(/^(\d{4})(\d{4})(\d+)$/, '$1-$2-$3');
}
