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

import { decodeText, encodeText, hasEscapedBytes } from './text.js';

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

/**
 * One sentence as bytes, ready for `socket.write`. Text is UTF-8; bytes that came in as something else (an old
 * win1252 comment, see text.ts) go back out exactly as they came.
 */
export function encodeSentence(words: readonly string[]): Buffer {
  let total = 1; // terminating zero-length word
  const lengths = new Array<number>(words.length);
  let raw: Array<Buffer | undefined> | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let n: number;
    if (hasEscapedBytes(w)) {
      const bytes = encodeText(w);
      (raw ??= new Array<Buffer | undefined>(words.length))[i] = bytes;
      n = bytes.length;
    } else {
      n = Buffer.byteLength(w, 'utf8');
    }
    lengths[i] = n;
    total += lengthPrefixSize(n) + n;
  }
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    const n = lengths[i]!;
    at = writeLength(buf, at, n);
    const bytes = raw?.[i];
    if (bytes) at += bytes.copy(buf, at);
    else at += buf.write(words[i]!, at, n, 'utf8');
  }
  buf[at] = 0;
  return buf;
}

export interface DecoderOptions {
  /** Guards against a corrupt stream making us allocate gigabytes. Default 16 MiB. */
  maxWordBytes?: number;
  /** A sentence larger than this is a desynchronised stream, not a reply. Default 32 MiB. */
  maxSentenceBytes?: number;
  /** Same, counted in words. Default 65,536 (a RouterOS row has tens). */
  maxSentenceWords?: number;
}

/** Bytes of the length prefix announced by its first byte. */
function prefixSizeOf(b0: number): number {
  if ((b0 & 0x80) === 0x00) return 1;
  if ((b0 & 0xc0) === 0x80) return 2;
  if ((b0 & 0xe0) === 0xc0) return 3;
  if ((b0 & 0xf0) === 0xe0) return 4;
  return 5;
}

/**
 * Streaming decoder: `push()` chunks, receive complete sentences through the callback.
 *
 * Linear in the bytes received: chunks are only collected while the next word is known to be incomplete, and
 * joined once when it can be read. (Joining the unread rest with every new chunk copies a 10 MB word ~150 times
 * when it arrives in 64 KB reads.)
 */
export class SentenceDecoder {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes needed (from the start of `chunks`) before parsing can make progress. */
  private need = 1;
  private words: string[] = [];
  private sentenceBytes = 0;
  private stopped = false;
  private readonly maxWordBytes: number;
  private readonly maxSentenceBytes: number;
  private readonly maxSentenceWords: number;

  constructor(
    private readonly onSentence: (words: string[]) => void,
    opts: DecoderOptions = {},
  ) {
    this.maxWordBytes = opts.maxWordBytes ?? 16 * 1024 * 1024;
    this.maxSentenceBytes = opts.maxSentenceBytes ?? 32 * 1024 * 1024;
    this.maxSentenceWords = opts.maxSentenceWords ?? 65_536;
  }

  /** Bytes received but not yet part of a complete word. */
  get buffered(): number {
    return this.size;
  }

  /** Stop delivering sentences, also the rest of the chunk being decoded (the connection is being closed). */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.size = 0;
  }

  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < this.need) return;
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    let pos = 0;
    this.need = 1;
    while (pos < buf.length && !this.stopped) {
      const head = decodeLength(buf, pos);
      if (!head) {
        this.need = prefixSizeOf(buf[pos]!);
        break;
      }
      if (head.len > this.maxWordBytes) {
        throw new ProtocolError(`word of ${head.len} bytes exceeds the limit of ${this.maxWordBytes}`);
      }
      if (head.len === 0) {
        pos = head.next;
        const sentence = this.words;
        this.words = [];
        this.sentenceBytes = 0;
        // An empty sentence (a lone zero byte) carries nothing; RouterOS never sends one.
        if (sentence.length > 0) this.onSentence(sentence);
        continue;
      }
      const end = head.next + head.len;
      if (end > buf.length) {
        this.need = end - pos;
        break;
      }
      this.sentenceBytes += end - pos;
      if (this.words.length >= this.maxSentenceWords || this.sentenceBytes > this.maxSentenceBytes) {
        throw new ProtocolError(
          `runaway sentence: more than ${this.words.length} words / ${this.sentenceBytes} bytes without an end`,
        );
      }
      this.words.push(decodeText(buf, head.next, end));
      pos = end;
    }
    if (pos < buf.length && !this.stopped) {
      this.chunks.push(buf.subarray(pos));
      this.size = buf.length - pos;
    }
  }
}

export type ReplyType = '!re' | '!done' | '!trap' | '!fatal' | '!empty';

const REPLY_TYPES: ReadonlySet<string> = new Set<ReplyType>(['!re', '!done', '!trap', '!fatal', '!empty']);

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

/**
 * `parseReply` for the client: a sentence that is not a RouterOS reply means we lost the word boundaries (or the
 * peer is not a router), and every sentence after it may be misread — so it is a ProtocolError, never skipped.
 * Replies carry `=key=value` attributes and API words (`.tag=`, `.section=`); only `!fatal` has a bare word.
 */
export function parseReplyStrict(words: readonly string[]): Reply {
  const type = words[0] ?? '';
  if (!REPLY_TYPES.has(type)) {
    throw new ProtocolError(`unknown reply word ${JSON.stringify(type.slice(0, 40))}`);
  }
  if (type !== '!fatal') {
    for (let i = 1; i < words.length; i++) {
      const c = words[i]!.charCodeAt(0);
      if (c !== 61 /* = */ && c !== 46 /* . */) {
        throw new ProtocolError(`unexpected word ${JSON.stringify(words[i]!.slice(0, 40))} in ${type}`);
      }
    }
  }
  return parseReply(words);
}
