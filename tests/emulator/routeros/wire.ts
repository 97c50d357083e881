/**
 * The emulator's own implementation of the RouterOS word/sentence encoding. It is deliberately independent of
 * src/main/routeros/protocol.ts: if both sides shared one codec, a length-encoding bug would cancel itself out
 * and every test would still pass.
 */

export function encodeWords(words: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const w of words) {
    const bytes = Buffer.from(w, 'utf8');
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
        this.words.push(buf.toString('utf8', at, at + len));
        at += len;
      }
    }
    buf = buf.subarray(at);
    this.pending = buf.length > 0 ? Buffer.from(buf) : Buffer.alloc(0);
  }
}
