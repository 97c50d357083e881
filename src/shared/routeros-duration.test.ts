import { describe, expect, it } from 'vitest';
import { formatDurationIndonesian, formatRouterOsDuration, parseRouterOsDuration } from './routeros-duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const W = 7 * D;

describe('parseRouterOsDuration', () => {
  it.each([
    ['1w2d3h4m5s', W + 2 * D + 3 * H + 4 * M + 5 * S],
    ['30d', 30 * D],
    ['12h', 12 * H],
    ['1w2d', W + 2 * D],
    ['500ms', 500],
    ['1m500ms', M + 500],
    ['00:30:00', 30 * M],
    ['1d 02:00:00', D + 2 * H],
    ['1w2d03:04:05', W + 2 * D + 3 * H + 4 * M + 5 * S],
    ['1d02:00:00.5', D + 2 * H + 500],
    ['25:00:00', 25 * H],
    ['3600', H],
    ['  1D ', D],
    ['0s', 0],
    ['00:00:01', S],
  ])('%s', (text, ms) => {
    expect(parseRouterOsDuration(text)).toBe(ms);
  });

  it.each(['', '   ', 'abc', '1x', '1d abc', '12:99:00', '1d-2h', 'd', null, undefined])(
    'rejects %s',
    (text) => {
      expect(parseRouterOsDuration(text)).toBeNull();
    },
  );
});

describe('formatRouterOsDuration', () => {
  it('writes the compact form RouterOS accepts and round-trips', () => {
    expect(formatRouterOsDuration(W + 2 * D + 3 * H + 4 * M + 5 * S)).toBe('1w2d3h4m5s');
    expect(formatRouterOsDuration(30 * D)).toBe('4w2d');
    expect(formatRouterOsDuration(0)).toBe('0s');
    for (const ms of [1, 999, S, 59 * M, 25 * H + 1, 400 * D + 7]) {
      expect(parseRouterOsDuration(formatRouterOsDuration(ms))).toBe(ms);
    }
  });

  it('refuses negative durations', () => {
    expect(() => formatRouterOsDuration(-1)).toThrow(RangeError);
  });
});

describe('formatDurationIndonesian', () => {
  it.each([
    [D, '1 hari'],
    [3 * H, '3 jam'],
    [30 * D, '30 hari'],
    [W, '1 minggu'],
    [2 * W, '2 minggu'],
    [9 * D, '9 hari'],
    [H + 30 * M, '1 jam 30 menit'],
    [D + 2 * H + 5 * M, '1 hari 2 jam'],
    [45 * M, '45 menit'],
    [0, '-'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDurationIndonesian(ms)).toBe(text);
  });
});
