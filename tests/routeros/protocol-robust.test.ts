/** The wire layer under load and abuse: linear decoding, bounded sentences, strict replies, lossless bytes. */
import { randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  encodeSentence,
  parseReplyStrict,
  ProtocolError,
  SentenceDecoder,
} from '../../src/main/routeros/index.js';
import { decodeText, encodeText } from '../../src/main/routeros/text.js';
import { bytesToText, encodeWords, textToBytes, WireReader } from '../emulator/routeros/wire.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A sentence of one word made of `bytes`, as a router sends it. */
function rawSentence(bytes: Buffer): Buffer {
  const len = bytes.length;
  let prefix: Buffer;
  if (len < 0x80) prefix = Buffer.from([len]);
  else if (len < 0x4000) prefix = Buffer.from([(len >> 8) | 0x80, len & 0xff]);
  else prefix = Buffer.from([(len >> 16) | 0xc0, (len >> 8) & 0xff, len & 0xff]);
  return Buffer.concat([prefix, bytes, Buffer.from([0])]);
}

describe('SentenceDecoder is linear', () => {
  it('a 10 MB word arriving in 64 KB reads is copied a bounded number of times, not once per read', () => {
    const word = `=source=${'x'.repeat(10 * 1024 * 1024)}`;
    const sentence = encodeSentence(['!re', word, '.tag=3']);
    const copied = { bytes: 0 };
    const realConcat = Buffer.concat.bind(Buffer);
    vi.spyOn(Buffer, 'concat').mockImplementation((list: readonly Uint8Array[], total?: number) => {
      const out = realConcat(list, total);
      copied.bytes += out.length;
      return out;
    });
    const got: string[][] = [];
    const dec = new SentenceDecoder((w) => got.push(w));
    for (let at = 0; at < sentence.length; at += 65_536) dec.push(sentence.subarray(at, at + 65_536));
    vi.restoreAllMocks();
    expect(got).toHaveLength(1);
    expect(got[0]![1]!.length).toBe(word.length);
    // Joining the rest with every read would copy ~160 × 5 MB on average here; linear decoding copies the word
    // about once.
    expect(copied.bytes).toBeLessThan(3 * sentence.length);
  });

  it('many small sentences split at every possible byte boundary decode the same', () => {
    const sentences = Array.from({ length: 50 }, (_, i) => [
      '!re',
      `=name=u${i}`,
      `=comment=${'é'.repeat(i)}`,
    ]);
    const stream = Buffer.concat(sentences.map((s) => encodeSentence(s)));
    for (const step of [1, 2, 3, 7, 64, 1000]) {
      const got: string[][] = [];
      const dec = new SentenceDecoder((w) => got.push(w));
      for (let at = 0; at < stream.length; at += step) dec.push(stream.subarray(at, at + step));
      expect(got).toEqual(sentences);
      expect(dec.buffered).toBe(0);
    }
  });
});

describe('bounded sentences', () => {
  it('a sentence with more words than the bound is a ProtocolError', () => {
    const dec = new SentenceDecoder(() => {}, { maxSentenceWords: 100 });
    const words = encodeWords(Array.from({ length: 101 }, (_, i) => `=w${i}=x`)).subarray(0, -1);
    expect(() => dec.push(words)).toThrow(ProtocolError);
  });

  it('a sentence larger than the byte bound is a ProtocolError, even in small words', () => {
    const dec = new SentenceDecoder(() => {}, { maxSentenceBytes: 10_000 });
    const chunk = encodeWords(Array.from({ length: 100 }, () => `=c=${'y'.repeat(50)}`)).subarray(0, -1);
    expect(() => {
      for (let i = 0; i < 5; i++) dec.push(chunk);
    }).toThrow(/runaway sentence/);
  });

  it('a word longer than the bound is refused from its length prefix, before its bytes arrive', () => {
    const dec = new SentenceDecoder(() => {}, { maxWordBytes: 1000 });
    expect(() => dec.push(Buffer.from([0x80 | (2000 >> 8), 2000 & 0xff]))).toThrow(/exceeds the limit/);
  });

  it('stop() drops the rest of the chunk (nothing after a !fatal is acted on)', () => {
    const got: string[][] = [];
    const dec = new SentenceDecoder((w) => {
      got.push(w);
      if (w[0] === '!fatal') dec.stop();
    });
    dec.push(Buffer.concat([encodeSentence(['!fatal', 'bye']), encodeSentence(['!done', '.tag=1'])]));
    expect(got).toEqual([['!fatal', 'bye']]);
  });
});

describe('strict replies', () => {
  it.each([['!re'], ['!done'], ['!trap'], ['!empty'], ['!fatal']])('%s is a reply', (type) => {
    expect(parseReplyStrict([type, '=a=b', '.tag=1']).type).toBe(type);
  });

  it.each([
    [['!weird', '.tag=1']],
    [['=name=x', '.tag=1']],
    [['re', '.tag=1']],
    [['!re', 'garbage', '.tag=1']],
    [['']],
  ])('%j is a ProtocolError', (words) => {
    expect(() => parseReplyStrict(words)).toThrow(ProtocolError);
  });

  it('!fatal carries its reason as a bare word', () => {
    expect(parseReplyStrict(['!fatal', 'session terminated on request']).message).toBe(
      'session terminated on request',
    );
  });
});

describe('bytes that are not UTF-8 survive', () => {
  it('random bytes: decode then encode gives the same bytes (client codec)', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 64));
      const text = decodeText(bytes, 0, bytes.length);
      expect(encodeText(text).equals(bytes)).toBe(true);
    }
  });

  it('random bytes: the emulator codec agrees with the client codec, both ways', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 64));
      const text = decodeText(bytes, 0, bytes.length);
      expect(bytesToText(bytes)).toBe(text);
      expect(textToBytes(text).equals(bytes)).toBe(true);
    }
  });

  it('a win1252 word goes through both wire codecs byte for byte', () => {
    const raw = Buffer.concat([
      Buffer.from('=comment=caf'),
      Buffer.from([0xe9, 0x96, 0x93]),
      Buffer.from('ok'),
    ]);
    const received: string[][] = [];
    new SentenceDecoder((w) => received.push(w)).push(rawSentence(raw));
    const word = received[0]![0]!;
    expect(word.startsWith('=comment=caf')).toBe(true);
    // Back on the wire: the same bytes, not EF BF BD replacement characters.
    expect(encodeSentence([word]).equals(rawSentence(raw))).toBe(true);
    const viaEmu: string[][] = [];
    new WireReader((w) => viaEmu.push(w)).push(encodeSentence([word]));
    expect(viaEmu[0]![0]).toBe(word);
  });

  it('valid UTF-8, emoji and a real U+FFFD stay plain text', () => {
    for (const s of ['Bu Siti — lunas ✓', '💀 dc80 low surrogate pair', 'literal \uFFFD kept', '']) {
      const bytes = Buffer.from(s, 'utf8');
      expect(decodeText(bytes, 0, bytes.length)).toBe(s);
      expect(encodeText(s).equals(bytes)).toBe(true);
    }
  });
});
