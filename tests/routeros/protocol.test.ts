import { describe, expect, it } from 'vitest';

import {
  ConnectionClosedError,
  decodeLength,
  DuplicateError,
  encodeLength,
  encodeSentence,
  epochToRosDateTime,
  FatalError,
  formatRosDuration,
  InvalidValueError,
  LoginFailedError,
  NotFoundError,
  parseReply,
  parseRosDate,
  parseRosDuration,
  parseRouterOsVersion,
  rosDateTimeToEpoch,
  SentenceDecoder,
  TrapError,
  trapToError,
  UnknownParameterError,
  usesIsoDates,
} from '../../src/main/routeros/index.js';
import { encodeWords, WireReader } from '../emulator/routeros/wire.js';

describe('word length encoding', () => {
  const cases: Array<[number, number[]]> = [
    [0x00, [0x00]],
    [0x7f, [0x7f]],
    [0x80, [0x80, 0x80]],
    [0x3fff, [0xbf, 0xff]],
    [0x4000, [0xc0, 0x40, 0x00]],
    [0x1fffff, [0xdf, 0xff, 0xff]],
    [0x200000, [0xe0, 0x20, 0x00, 0x00]],
    [0xfffffff, [0xef, 0xff, 0xff, 0xff]],
    [0x10000000, [0xf0, 0x10, 0x00, 0x00, 0x00]],
  ];
  it.each(cases)('length 0x%s encodes to the documented bytes and back', (len, bytes) => {
    const enc = encodeLength(len);
    expect([...enc]).toEqual(bytes);
    expect(decodeLength(enc, 0)).toEqual({ len, next: bytes.length });
    // An incomplete prefix is "need more bytes", not garbage.
    if (bytes.length > 1) expect(decodeLength(enc.subarray(0, bytes.length - 1), 0)).toBeUndefined();
  });

  it('rejects reserved control bytes', () => {
    expect(() => decodeLength(Buffer.from([0xf8]), 0)).toThrow(/control byte/);
  });

  it.each([0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000])(
    'a real %i-byte word survives both codecs split into odd chunks',
    (len) => {
      const word = `=comment=${'x'.repeat(len - 9)}`;
      const sentence = encodeSentence(['/ip/hotspot/user/set', word, '.tag=7']);
      // The emulator's independent encoder produces the same bytes.
      expect(sentence.equals(encodeWords(['/ip/hotspot/user/set', word, '.tag=7']))).toBe(true);
      const got: string[][] = [];
      const dec = new SentenceDecoder((w) => got.push(w));
      for (let at = 0; at < sentence.length; at += 65_521) dec.push(sentence.subarray(at, at + 65_521));
      expect(got).toHaveLength(1);
      expect(got[0]![1]!.length).toBe(len);
      const viaEmu: string[][] = [];
      new WireReader((w) => viaEmu.push(w)).push(sentence);
      expect(viaEmu[0]![1]).toBe(word);
    },
  );

  it('counts UTF-8 bytes, not characters', () => {
    const comment = 'Pelanggan Bu Siti — lunas ✓';
    const word = `=comment=${comment}`;
    const buf = encodeSentence([word]);
    const bytes = Buffer.byteLength(word, 'utf8');
    expect(bytes).toBeGreaterThan(word.length);
    expect(buf[0]).toBe(bytes);
    // A word of more than 127 BYTES but fewer than 128 characters needs the two-byte prefix.
    const long = `=comment=${'✓'.repeat(40)}`; // 49 chars, 129 bytes
    expect(long.length).toBeLessThan(0x80);
    const enc = encodeSentence([long]);
    expect([enc[0], enc[1]]).toEqual([0x80, 129]);
    const out: string[][] = [];
    new SentenceDecoder((w) => out.push(w)).push(enc);
    expect(out[0]).toEqual([long]);
  });

  it('decodes a stream fed one byte at a time', () => {
    const a = encodeSentence(['!re', '=name=Bu Siti ✓', '.tag=1']);
    const b = encodeSentence(['!done', '.tag=1']);
    const all = Buffer.concat([a, b]);
    const got: string[][] = [];
    const dec = new SentenceDecoder((w) => got.push(w));
    for (const byte of all) dec.push(Buffer.from([byte]));
    expect(got).toEqual([
      ['!re', '=name=Bu Siti ✓', '.tag=1'],
      ['!done', '.tag=1'],
    ]);
    expect(dec.buffered).toBe(0);
  });
});

describe('parseReply', () => {
  it('splits attributes on the first "=" after the name and keeps .id', () => {
    const r = parseReply(['!re', '=.id=*1A', '=on-login=:local a "x=y"', '=comment=', '.tag=9']);
    expect(r).toEqual({
      type: '!re',
      tag: '9',
      message: undefined,
      attrs: { '.id': '*1A', 'on-login': ':local a "x=y"', comment: '' },
    });
  });
  it('reads the bare reason word of !fatal', () => {
    expect(parseReply(['!fatal', 'session terminated on request']).message).toBe(
      'session terminated on request',
    );
  });
});

describe('trap classification', () => {
  it.each([
    ['failure: already have user with this name', DuplicateError],
    ['failure: already have such entry', DuplicateError],
    ['failure: entry already exists', DuplicateError],
    ['failure: secret with the same name already exists', DuplicateError],
    ['no such item', NotFoundError],
    ['no such item (4)', NotFoundError],
    ['invalid value for argument limit-uptime', InvalidValueError],
    ['value of shared-users out of range (1..1000)', InvalidValueError],
    ['input does not match any value of profile', InvalidValueError],
    ['unknown parameter', UnknownParameterError],
    ['unknown parameter foo', UnknownParameterError],
    ['invalid user name or password (6)', LoginFailedError],
    ['cannot log in', LoginFailedError],
    ['no such command prefix', TrapError],
  ] as const)('%s → %s', (message, cls) => {
    const e = trapToError(message, { command: '/x', category: 1 });
    expect(e).toBeInstanceOf(cls);
    expect(e.message).toBe(message);
    expect(e.category).toBe(1);
    expect(e.command).toBe('/x');
  });
  it('FatalError is a ConnectionClosedError with kind fatal', () => {
    const e = new FatalError('x');
    expect(e).toBeInstanceOf(ConnectionClosedError);
    expect(e.kind).toBe('fatal');
    expect(new ConnectionClosedError('y').kind).toBe('connection_closed');
  });
});

describe('versions and dates', () => {
  it('parses the versions routers report', () => {
    expect(parseRouterOsVersion('6.49.10 (long-term)')).toMatchObject({
      major: 6,
      minor: 49,
      patch: 10,
      channel: 'long-term',
    });
    expect(parseRouterOsVersion('7.18.2 (stable)')).toMatchObject({
      major: 7,
      minor: 18,
      patch: 2,
      channel: 'stable',
    });
    expect(parseRouterOsVersion('7.15')).toMatchObject({ major: 7, minor: 15, patch: 0 });
    expect(parseRouterOsVersion('7.19beta4 (testing)')).toMatchObject({
      major: 7,
      minor: 19,
      channel: 'testing',
    });
    expect(parseRouterOsVersion('garbage')).toBeUndefined();
  });
  it('knows which versions print ISO dates', () => {
    expect(usesIsoDates(parseRouterOsVersion('6.49.10')!)).toBe(false);
    expect(usesIsoDates(parseRouterOsVersion('7.9.2')!)).toBe(false);
    expect(usesIsoDates(parseRouterOsVersion('7.10')!)).toBe(true);
  });
  it('parses both date formats to the same instant', () => {
    expect(parseRosDate('nov/21/2026')).toEqual({ year: 2026, month: 11, day: 21 });
    expect(parseRosDate('2026-11-21')).toEqual({ year: 2026, month: 11, day: 21 });
    expect(parseRosDate('xyz/21/2026')).toBeUndefined();
    const a = rosDateTimeToEpoch('nov/21/2026', '10:04:05', 420);
    const b = rosDateTimeToEpoch('2026-11-21 10:04:05', undefined, 420);
    expect(a).toBe(Date.UTC(2026, 10, 21, 3, 4, 5));
    expect(b).toBe(a);
  });
  it('formats an instant per version', () => {
    const t = Date.UTC(2026, 10, 21, 3, 4, 5);
    expect(epochToRosDateTime(t, 420, { major: 6, minor: 49, patch: 10 })).toEqual({
      date: 'nov/21/2026',
      time: '10:04:05',
    });
    expect(epochToRosDateTime(t, 420, { major: 7, minor: 18, patch: 2 })).toEqual({
      date: '2026-11-21',
      time: '10:04:05',
    });
  });
  it('parses and formats durations', () => {
    expect(parseRosDuration('1w2d3h4m5s')).toBe((((7 + 2) * 24 + 3) * 3600 + 4 * 60 + 5) * 1000);
    expect(parseRosDuration('1d02:03:04')).toBe((86400 + 2 * 3600 + 3 * 60 + 4) * 1000);
    expect(parseRosDuration('30m')).toBe(1_800_000);
    expect(parseRosDuration('nonsense')).toBeUndefined();
    expect(formatRosDuration(3_600_000)).toBe('1h');
    expect(formatRosDuration(0)).toBe('0s');
  });
});
