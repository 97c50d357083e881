/**
 * Word text ⇄ bytes without loss. RouterOS stores bytes, not text: a comment typed years ago in Winbox on a
 * Windows PC is win1252 ("Café" is 43 61 66 E9), which is not valid UTF-8. Decoding such a word as UTF-8 would
 * turn E9 into U+FFFD, and writing the row back (read-modify-write) would replace the router's bytes with
 * EF BF BD for good.
 *
 * So: valid UTF-8 decodes as usual, and each byte that is not part of a valid UTF-8 sequence becomes the lone
 * surrogate U+DC00 + byte (Python's "surrogateescape"). A lone surrogate never comes out of valid UTF-8, so the
 * encoder can turn U+DC80..U+DCFF back into the original byte. Text stays text, and every byte survives.
 */

/** Length of the valid UTF-8 sequence starting at `i` (1–4), or 0 when the byte there starts none. */
function validSequenceLength(buf: Buffer, i: number, end: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  const cont = (at: number, lo = 0x80, hi = 0xbf): boolean => {
    if (at >= end) return false;
    const b = buf[at]!;
    return b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // E0: no overlong forms; ED: no UTF-16 surrogates (they are what escapes decode to).
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/** Bytes `start..end` of `buf` as text; bytes that are not UTF-8 become U+DC80..U+DCFF. */
export function decodeText(buf: Buffer, start: number, end: number): string {
  const fast = buf.toString('utf8', start, end);
  // No replacement character: the bytes were valid UTF-8 (the common case, one native call).
  if (!fast.includes('\uFFFD')) return fast;
  let out = '';
  let run = start;
  let i = start;
  while (i < end) {
    const n = validSequenceLength(buf, i, end);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > run) out += buf.toString('utf8', run, i);
    out += String.fromCharCode(0xdc00 + buf[i]!);
    i++;
    run = i;
  }
  if (run < end) out += buf.toString('utf8', run, end);
  return out;
}

/** An escaped byte: a low surrogate in U+DC80..U+DCFF not preceded by a high surrogate. */
const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Whether `text` holds escaped bytes (then `encodeText` must be used instead of plain UTF-8). */
export function hasEscapedBytes(text: string): boolean {
  return ESCAPED.test(text);
}

/** `text` as bytes: UTF-8, with every escaped byte (see `decodeText`) written back as itself. */
export function encodeText(text: string): Buffer {
  if (!hasEscapedBytes(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue; // the second half of a real surrogate pair
    if (i > run) parts.push(Buffer.from(text.slice(run, i), 'utf8'));
    parts.push(Buffer.from([c - 0xdc00]));
    run = i + 1;
  }
  if (run < text.length) parts.push(Buffer.from(text.slice(run), 'utf8'));
  return Buffer.concat(parts);
}
