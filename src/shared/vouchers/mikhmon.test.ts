import { describe, expect, it } from 'vitest';
import { parseMikhmonProfileHeader, parseMikhmonSaleScript, parseMikhmonUserComment } from './mikhmon';

const H = 3_600_000;
const D = 24 * H;

describe('parseMikhmonUserComment', () => {
  it('reads vc- (user = password) and up- (separate password) comments', () => {
    expect(parseMikhmonUserComment('vc-123-11.21.26-note')).toEqual({
      kind: 'mikhmon',
      mode: 'vc',
      batchCode: '123',
      generatedOn: '2026-11-21',
      note: 'note',
    });
    expect(parseMikhmonUserComment('up-456-11.21.26-')).toEqual({
      kind: 'mikhmon',
      mode: 'up',
      batchCode: '456',
      generatedOn: '2026-11-21',
      note: '',
    });
    expect(parseMikhmonUserComment('vc-789-01.05.25-reseller-budi')).toMatchObject({ note: 'reseller-budi' });
  });

  it('tolerates missing or odd dates', () => {
    expect(parseMikhmonUserComment('vc-123-')).toMatchObject({
      mode: 'vc',
      batchCode: '123',
      generatedOn: null,
      note: '',
    });
    expect(parseMikhmonUserComment('vc-123')).toMatchObject({ batchCode: '123', generatedOn: null });
    expect(parseMikhmonUserComment('up-1-13.40.26-x')).toMatchObject({
      generatedOn: null,
      note: '13.40.26-x',
    });
  });

  it('reads the post-login expiry comment in RouterOS 6 and 7 shapes', () => {
    expect(parseMikhmonUserComment('nov/22/2026 10:04:05 N')).toEqual({
      kind: 'mikhmon-active',
      expiresAt: Date.UTC(2026, 10, 22, 3, 4, 5),
      onExpiry: 'notify',
    });
    expect(parseMikhmonUserComment('2026-11-22 10:04:05 X')).toMatchObject({ onExpiry: 'remove' });
    expect(parseMikhmonUserComment('jan/02/2025 00:00:00')).toMatchObject({ onExpiry: null });
  });

  it('returns null for anything else', () => {
    for (const s of ['', 'VOUCHER_SYSTEM|5000||', 'pelanggan', 'foo/22/2026 10:04:05 N', 'vcx-1']) {
      expect(parseMikhmonUserComment(s)).toBeNull();
    }
  });
});

describe('parseMikhmonProfileHeader', () => {
  const realistic = `:put (",remc,3000,1d,5000,,Enable,Disable,"); :local mode "X"; {:local date [ /system clock get date ];:local year [ :pick $date 7 11 ];:local month [ :pick $date 0 3 ];:local comment [ /ip hotspot user get [/ip hotspot user find where name="$user"] comment]; :local ucode [:pic $comment 0 2]; :if ($ucode = "vc" or $ucode = "up" or $comment = "") do={ /sys sch add name="$user" disable=no start-date=$date interval="1d"; ... /system script add name="$date-|-$time-|-$user-|-3000-|-$address-|-$mac-|-1d-|-1Hari-|-$comment" owner="$month$year" source=$date comment=mikhmon}}`;

  it('reads mode, prices, validity and locks', () => {
    expect(parseMikhmonProfileHeader(realistic)).toEqual({
      expiryMode: 'remove_record',
      price: 3000,
      validity: D,
      sellingPrice: 5000,
      lockUser: true,
      lockServer: false,
    });
  });

  it.each([
    [':put (",rem,2000,12h,2500,,Disable,");', 'remove', 12 * H],
    [':put (",ntf,0,1w2d,0,,Disable,Disable,");', 'notify', 9 * D],
    [':put (",ntfc,5000,30d,7000,,Disable,Disable,"); {}', 'notify_record', 30 * D],
    [':put (",0,,,,,Disable,"); {}', 'none', null],
  ])('%s', (src, mode, validity) => {
    const h = parseMikhmonProfileHeader(src);
    expect(h?.expiryMode).toBe(mode);
    expect(h?.validity).toBe(validity);
  });

  it('upgrades rem/ntf to the recording variants when the script records sales', () => {
    expect(
      parseMikhmonProfileHeader(':put (",ntf,1,1d,2,,Disable,"); /system script add name=x')?.expiryMode,
    ).toBe('notify_record');
  });

  it('returns null when there is no header', () => {
    expect(parseMikhmonProfileHeader('')).toBeNull();
    expect(parseMikhmonProfileHeader(null)).toBeNull();
    expect(parseMikhmonProfileHeader(':log info "login"')).toBeNull();
  });
});

describe('parseMikhmonSaleScript', () => {
  it('reads a RouterOS 6 record', () => {
    const s = parseMikhmonSaleScript(
      'nov/21/2026-|-10:04:05-|-user123-|-5000-|-10.5.50.2-|-AA:BB:CC:DD:EE:FF-|-1d-|-1Hari-|-vc-123-11.21.26-',
    );
    expect(s).toEqual({
      soldAt: Date.UTC(2026, 10, 21, 3, 4, 5),
      date: 'nov/21/2026',
      time: '10:04:05',
      username: 'user123',
      price: 5000,
      ipAddress: '10.5.50.2',
      macAddress: 'AA:BB:CC:DD:EE:FF',
      validity: D,
      validityRaw: '1d',
      profile: '1Hari',
      comment: 'vc-123-11.21.26-',
    });
  });

  it('reads a RouterOS 7 record, a missing comment, and a comment containing the separator', () => {
    expect(
      parseMikhmonSaleScript('2026-11-21-|-23:59:59-|-u-|-2000-|-10.5.50.9-|-11:22:33:44:55:66-|-3h-|-3Jam'),
    ).toMatchObject({
      soldAt: Date.UTC(2026, 10, 21, 16, 59, 59),
      validity: 3 * H,
      comment: '',
    });
    expect(parseMikhmonSaleScript('nov/21/2026-|-10:04:05-|-u-|-0-|--|--|-1d-|-p-|-a-|-b')?.comment).toBe(
      'a-|-b',
    );
  });

  it('keeps what it can from a damaged record and rejects what is not one', () => {
    expect(parseMikhmonSaleScript('zzz/99/2026-|-xx-|-u-|-lima-|--|--|-?-|-p')).toMatchObject({
      soldAt: null,
      price: null,
      validity: null,
      username: 'u',
    });
    expect(parseMikhmonSaleScript('backup-script')).toBeNull();
    expect(parseMikhmonSaleScript('a-|-b-|-c')).toBeNull();
  });
});
