import type { z } from 'zod';

/**
 * C0 and C1 control characters, DEL and the Unicode line/paragraph separators. None belongs in a name, an
 * area or an address: they break receipts, WhatsApp texts, CSV exports and the RouterOS comments built from
 * these fields, and they let an import smuggle in text that displays differently from what is stored.
 */
export const isControlChar = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isControlChar(s.charCodeAt(i))) return true;
  return false;
}

/** `s` with every run of control characters replaced by `by`. */
export function replaceControlChars(s: string, by: string): string {
  let out = '';
  let inRun = false;
  for (let i = 0; i < s.length; i++) {
    const control = isControlChar(s.charCodeAt(i));
    if (!control) out += s[i];
    else if (!inRun) out += by;
    inRun = control;
  }
  return out;
}

export const CONTROL_CHARS_MESSAGE = 'Tidak boleh berisi karakter kontrol (tab, baris baru, dan sejenisnya)';

/** A one-line text field: the given string schema, refusing control characters. */
export const singleLine = <S extends z.ZodString>(s: S): S =>
  s.refine((v) => !hasControlChars(v), { message: CONTROL_CHARS_MESSAGE }) as S;
