/**
 * RouterOS API wire format: a sentence is a list of words, each word prefixed by its length in BYTES (UTF-8),
 * terminated by a zero-length word. Lengths use a variable-width prefix:
 *
 *   < 0x80        1 byte   0xxxxxxx
 *   < 0x4000      2 bytes  10xxxxxx ...
 *   < 0x200000    3 bytes  110xxxxx ...
 *   < 0x10000000  4 bytes  1110xxxx ...
 *   otherwise     5 bytes  0xF0 + 4 bytes big-endian
 *
 * The decoder is streaming: it accepts arbitrary TCP chunks and emits whole sentences, so a reply of 25,000 rows
 * is parsed as it arrives instead of being buffered whole.
 */

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** Bytes of the length prefix for a word of `len` bytes. */
export function encodeLength(len: number): Buffer {
  if (!Number.isInteger(len) || len < 0 || len > 0xffffffff)
    throw new ProtocolError(`invalid word length ${len}`);
  if (len < 0x80) return Buffer.from([len]);
  if (len < 0x4000) return Buffer.from([(len >>> 8) | 0x80, len & 0xff]);
  if (len < 0x200000) return Buffer.from([(len >>> 16) | 0xc0, (len >>> 8) & 0xff, len & 0xff]);
  if (len < 0x10000000) {
    return Buffer.from([((len >>> 24) & 0x0f) | 0xe0, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
  }
  return Buffer.from([0xf0, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
}

function lengthPrefixSize(len: number): number {
  if (len < 0x80) return 1;
  if (len < 0x4000) return 2;
  if (len < 0x200000) return 3;
  if (len < 0x10000000) return 4;
  return 5;
}

function writeLength(buf: Buffer, at: number, len: number): number {
  const prefix = encodeLength(len);
  prefix.copy(buf, at);
  return at + prefix.length;
}

/**
 * Result of reading a length prefix at `at`: `len` and the offset after the prefix, or `undefined` if the buffer
 * does not hold the whole prefix yet.
 */
export function decodeLength(buf: Buffer, at: number): { len: number; next: number } | undefined {
  const b0 = buf[at];
  if (b0 === undefined) return undefined;
  const need = (n: number): boolean => at + n <= buf.length;
  if ((b0 & 0x80) === 0x00) return { len: b0, next: at + 1 };
  if ((b0 & 0xc0) === 0x80) {
    if (!need(2)) return undefined;
    return { len: ((b0 & 0x3f) << 8) | buf[at + 1]!, next: at + 2 };
  }
  if ((b0 & 0xe0) === 0xc0) {
    if (!need(3)) return undefined;
    return { len: ((b0 & 0x1f) << 16) | (buf[at + 1]! << 8) | buf[at + 2]!, next: at + 3 };
  }
  if ((b0 & 0xf0) === 0xe0) {
    if (!need(4)) return undefined;
    return {
      len: (b0 & 0x0f) * 0x1000000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!),
      next: at + 4,
    };
  }
  if (b0 === 0xf0) {
    if (!need(5)) return undefined;
    return { len: buf.readUInt32BE(at + 1), next: at + 5 };
  }
  // 0xF8..0xFF are control bytes reserved by the protocol; nothing we talk to sends them.
  throw new ProtocolError(`unsupported control byte 0x${b0.toString(16)}`);
}

/** One sentence as bytes, ready for `socket.write`. Text is UTF-8 (RouterOS stores bytes; UTF-8 is what we read back). */
export function encodeSentence(words: readonly string[]): Buffer {
  let total = 1; // terminating zero-length word
  const lengths = new Array<number>(words.length);
  for (let i = 0; i < words.length; i++) {
    const n = Buffer.byteLength(words[i]!, 'utf8');
    lengths[i] = n;
    total += lengthPrefixSize(n) + n;
  }
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    const n = lengths[i]!;
    at = writeLength(buf, at, n);
    at += buf.write(words[i]!, at, n, 'utf8');
  }
  buf[at] = 0;
  return buf;
}

export interface DecoderOptions {
  /** Guards against a corrupt stream making us allocate gigabytes. Default 64 MiB. */
  maxWordBytes?: number;
}

/** Streaming decoder: `push()` chunks, receive complete sentences through the callback. */
export class SentenceDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private words: string[] = [];
  private readonly maxWordBytes: number;

  constructor(
    private readonly onSentence: (words: string[]) => void,
    opts: DecoderOptions = {},
  ) {
    this.maxWordBytes = opts.maxWordBytes ?? 64 * 1024 * 1024;
  }

  /** Bytes received but not yet part of a complete word. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  push(chunk: Buffer): void {
    if (this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    const buf = this.buf;
    for (;;) {
      const head = decodeLength(buf, this.pos);
      if (!head) break;
      if (head.len > this.maxWordBytes)
        throw new ProtocolError(`word of ${head.len} bytes exceeds the limit`);
      if (head.len === 0) {
        this.pos = head.next;
        const sentence = this.words;
        this.words = [];
        // An empty sentence (a lone zero byte) carries nothing; RouterOS never sends one.
        if (sentence.length > 0) this.onSentence(sentence);
        continue;
      }
      const end = head.next + head.len;
      if (end > buf.length) break;
      this.words.push(buf.toString('utf8', head.next, end));
      this.pos = end;
    }
    if (this.pos >= buf.length) {
      this.buf = Buffer.alloc(0);
      this.pos = 0;
    }
  }
}

export type ReplyType = '!re' | '!done' | '!trap' | '!fatal' | '!empty';

/** A decoded reply sentence: its type, its `.tag` (if any) and its `=key=value` attributes. */
export interface Reply {
  type: ReplyType | string;
  tag: string | undefined;
  attrs: Record<string, string>;
  /** `!fatal` carries its reason as a bare word, not an attribute. */
  message: string | undefined;
}

export function parseReply(words: readonly string[]): Reply {
  const type = words[0] ?? '';
  let tag: string | undefined;
  let message: string | undefined;
  const attrs: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.charCodeAt(0) === 61 /* = */) {
      const eq = w.indexOf('=', 1);
      if (eq === -1) attrs[w.slice(1)] = '';
      else attrs[w.slice(1, eq)] = w.slice(eq + 1);
    } else if (w.startsWith('.tag=')) {
      tag = w.slice(5);
    } else if (message === undefined) {
      message = w;
    }
  }
  return { type, tag, attrs, message };
}
