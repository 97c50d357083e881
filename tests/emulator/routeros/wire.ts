/**
 * The emulator's own implementation of the RouterOS word/sentence encoding. It is deliberately independent of
 * src/main/routeros/protocol.ts: if both sides shared one codec, a length-encoding bug would cancel itself out
 * and every test would still pass.
 */

/*
 * Bytes that are not UTF-8 (a win1252 comment typed in Winbox years ago) are kept as the lone surrogates
 * U+DC80..U+DCFF, one per byte, the convention the client uses too — written here a different way (a regex over
 * the latin1 view of the bytes), so a mistake in one is not mirrored by the other.
 */
const UTF8_OR_BYTE =
  /([^\x80-\xff]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+|[\x80-\xff]/g;

/** Router bytes → emulator text (invalid UTF-8 bytes become U+DC80..U+DCFF). */
export function bytesToText(bytes: Buffer): string {
  const latin1 = bytes.toString('latin1');
  return latin1.replace(UTF8_OR_BYTE, (m: string, valid: string | undefined) =>
    valid === undefined
      ? String.fromCharCode(0xdc00 | m.charCodeAt(0))
      : Buffer.from(m, 'latin1').toString('utf8'),
  );
}

/** Emulator text → router bytes (U+DC80..U+DCFF not part of a surrogate pair go out as the byte they stand for). */
export function textToBytes(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const pieces = text.split(/((?<![\ud800-\udbff])[\udc80-\udcff])/);
  if (pieces.length === 1) return Buffer.from(text, 'utf8');
  return Buffer.concat(
    pieces.map((piece, i) =>
      i % 2 === 1 ? Buffer.from([piece.charCodeAt(0) & 0xff]) : Buffer.from(piece, 'utf8'),
    ),
  );
}

export function encodeWords(words: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const w of words) {
    const bytes = textToBytes(w);
    parts.push(lengthBytes(bytes.length), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x4000) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n | 0x8000);
    return b;
  }
  if (n < 0x200000) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n | 0xc00000);
    return b.subarray(1);
  }
  if (n < 0x10000000) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE((n | 0xe0000000) >>> 0);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = 0xf0;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Streaming sentence reader for the emulator's side of the socket. */
export class WireReader {
  private pending: Buffer = Buffer.alloc(0);
  private words: string[] = [];

  constructor(private readonly onSentence: (words: string[]) => void) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (at < buf.length) {
      const b0 = buf[at]!;
      let size: number;
      let len: number;
      if (b0 < 0x80) {
        size = 1;
        len = b0;
      } else if (b0 < 0xc0) {
        size = 2;
        if (at + size > buf.length) break;
        len = buf.readUInt16BE(at) & 0x3fff;
      } else if (b0 < 0xe0) {
        size = 3;
        if (at + size > buf.length) break;
        len = ((b0 & 0x1f) << 16) + buf.readUInt16BE(at + 1);
      } else if (b0 < 0xf0) {
        size = 4;
        if (at + size > buf.length) break;
        len = buf.readUInt32BE(at) & 0x0fffffff;
      } else if (b0 === 0xf0) {
        size = 5;
        if (at + size > buf.length) break;
        len = buf.readUInt32BE(at + 1);
      } else {
        throw new Error(`control byte 0x${b0.toString(16)} in stream`);
      }
      if (at + size + len > buf.length) break;
      at += size;
      if (len === 0) {
        const words = this.words;
        this.words = [];
        if (words.length > 0) this.onSentence(words);
      } else {
        this.words.push(bytesToText(buf.subarray(at, at + len)));
        at += len;
      }
    }
    buf = buf.subarray(at);
    this.pending = buf.length > 0 ? Buffer.from(buf) : Buffer.alloc(0);
  }
}
