import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { DEFAULT_READ_LIMITS, readInWorker } from '../../src/main/billing/import';
import { FakeClock } from '../../src/main/lib/clock';
import {
  IMPORT_BODY_LIMIT_BYTES,
  IMPORT_MAX_FILE_BYTES,
  IMPORT_MAX_ROWS,
  IMPORT_MAX_UNCOMPRESSED_BYTES,
} from '../../src/shared/contract/import-limits';
import { CONTROL_CHARS_MESSAGE } from '../../src/shared/contract/text';
import { testCore, type TestCore } from '../helpers/core';
import { billingOf } from './helpers';
import { xlsxBomb, xlsxOf } from './xlsx-fixtures';

const HEADER =
  'nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register,alamat';
const phone = (i: number) => `0812${String(i).padStart(8, '0')}`;
const row = (i: number, name = `Pelanggan ${i}`) =>
  `${name},${phone(i)},0,5,Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15,Jl. Mawar ${i}`;
const csvOf = (n: number) => [HEADER, ...Array.from({ length: n }, (_, i) => row(i + 1))].join('\n');
const BOMB_BYTES = 476 * 1024 * 1024;

type Raw = Awaited<ReturnType<TestCore['raw']>>;
function refusal(res: Raw) {
  if (res.ok) throw new Error('expected a refusal');
  return res.error;
}

describe('customer import limits', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = await testCore();
    token = await t.setupOwner();
    await t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 100_000, pppProfile: 'P10' },
      token,
    );
  });
  afterAll(async () => t.core.stop());

  const preview = (content: string, format: 'csv' | 'xlsx' = 'csv') =>
    t.raw('customers.import.preview', { fileName: `f.${format}`, content, format }, token);

  it('a 25,000-row file comes back whole: every row reported and imported, none dropped', async () => {
    const input = { fileName: 'besar.csv', content: csvOf(25_000), format: 'csv' as const };
    const p = await t.ok('customers.import.preview', input, token);
    expect(p.rows).toHaveLength(25_000);
    expect(p.valid).toBe(25_000);
    expect(p.rows.at(-1)).toMatchObject({ line: 25_001, name: 'Pelanggan 25000', valid: true });
    const res = await t.ok('customers.import.commit', input, token);
    expect(res).toMatchObject({ imported: 25_000, skipped: 0 });
    expect((await t.ok('customers.list', { limit: 1 }, token)).total).toBe(25_000);
  });

  it('a file over the row limit is refused whole, saying the limit and how many rows it has', async () => {
    const before = (await t.ok('customers.list', { limit: 1 }, token)).total;
    const n = IMPORT_MAX_ROWS + 1;
    const content = [HEADER, ...Array.from({ length: n }, (_, i) => row(100_000 + i))].join('\n');
    for (const method of ['customers.import.preview', 'customers.import.commit'] as const) {
      const err = refusal(await t.raw(method, { fileName: 'x.csv', content, format: 'csv' }, token));
      expect(err.code).toBe('VALIDATION');
      expect(err.message).toContain(n.toLocaleString('id-ID'));
      expect(err.message).toContain(IMPORT_MAX_ROWS.toLocaleString('id-ID'));
      expect(err.details).toMatchObject({ reason: 'too_many_rows', rows: n, limit: IMPORT_MAX_ROWS });
    }
    expect((await t.ok('customers.list', { limit: 1 }, token)).total).toBe(before);
  });

  it('refuses an XLSX that inflates past the limit, whether its headers tell the truth or lie', async () => {
    for (const honest of [true, false]) {
      const bomb = xlsxBomb(BOMB_BYTES, honest);
      expect(bomb.length).toBeLessThan(2.5 * 1024 * 1024);
      const err = refusal(await preview(bomb.toString('base64'), 'xlsx'));
      expect(err.code).toBe('VALIDATION');
      expect(err.details).toMatchObject({
        reason: 'uncompressed_too_large',
        limitBytes: IMPORT_MAX_UNCOMPRESSED_BYTES,
      });
      expect(err.message).toMatch(/terlalu besar.*50 MB/);
    }
  });

  it('reads off the main thread: its timers keep firing while a bomb is inflated and refused', async () => {
    const c = billingOf(t.core).context;
    let settled = false;
    let ticksWhileReading = 0;
    const timer = setInterval(() => {
      if (!settled) ticksWhileReading++;
    }, 1);
    const reading = readInWorker(c, {
      content: xlsxBomb(BOMB_BYTES, false).toString('base64'),
      format: 'xlsx',
    });
    await expect(reading.finally(() => (settled = true))).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'uncompressed_too_large' },
    });
    clearInterval(timer);
    // Had the file been read on this thread, no timer could have run until it was done.
    expect(ticksWhileReading).toBeGreaterThan(0);
  });

  it('stops a reading that runs past its time limit, and reads the next file normally', async () => {
    const c = billingOf(t.core).context;
    const slow = readInWorker(
      c,
      { content: csvOf(20_000), format: 'csv' },
      { ...DEFAULT_READ_LIMITS, timeMs: 1 },
    );
    await expect(slow).rejects.toMatchObject({ code: 'VALIDATION', details: { reason: 'time_limit' } });
    const next = await readInWorker(c, { content: csvOf(3), format: 'csv' });
    expect(next.rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it("applies the contract's field rules to every row, and says which line and why", async () => {
    const long = 'A'.repeat(1024 * 1024);
    const lines = [
      HEADER,
      row(200_001, 'Budi Santoso'), // 2: fine
      row(200_002, long), // 3: a 1 MB name
      row(200_003, 'Ca\u0001ra'), // 4: a control character
      row(200_004, '"Dewi\nLestari"'), // 5-6: a line break inside a quoted cell becomes a space
      `Eka,12345,0,5,Sukamaju,Paket 10 Mbps,100000,100000,,,`, // 7: phone
      `Fajar,${phone(200_006)},0,5,${'B'.repeat(81)},Paket 10 Mbps,100000,100000,,,`, // 8: area too long
      `Gita,${phone(200_007)},0,5,Sukamaju,Paket 10 Mbps,100000,100000,123,,`, // 9: NIK
      `Hadi,${phone(200_008)},0,5,Sukamaju,Paket 10 Mbps,100000,100000,,2026-02-31,`, // 10: date
      `Indah,${phone(200_009)},0,31,Sukamaju,Paket 10 Mbps,100000,100000,,,`, // 11: billing day
      `Joko,${phone(200_010)},0,5,Sukamaju,Paket 10 Mbps,100000,100000,,,${'C'.repeat(301)}`, // 12: address
    ];
    const input = { fileName: 'campur.csv', content: lines.join('\n'), format: 'csv' as const };
    const p = await t.ok('customers.import.preview', input, token);
    const byLine = new Map(p.rows.map((r) => [r.line, r]));
    expect([...byLine.keys()]).toEqual([2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    expect(byLine.get(2)?.valid).toBe(true);
    expect(byLine.get(3)?.errors.join()).toMatch(
      /Nama terlalu panjang \(1\.048\.576 karakter, maksimal 100\)/,
    );
    // The preview never carries the runaway cell back whole.
    expect(byLine.get(3)?.name.length).toBeLessThanOrEqual(101);
    expect(byLine.get(4)?.errors).toContain(`Nama: ${CONTROL_CHARS_MESSAGE}`);
    expect(byLine.get(5)).toMatchObject({ valid: true, name: 'Dewi Lestari' });
    expect(byLine.get(7)?.errors.join()).toMatch(/telepon tidak valid/i);
    expect(byLine.get(8)?.errors.join()).toMatch(/Area terlalu panjang \(81 karakter, maksimal 80\)/);
    expect(byLine.get(9)?.errors.join()).toMatch(/NIK harus 16 digit/);
    expect(byLine.get(10)?.errors.join()).toMatch(/Tanggal register tidak valid/);
    expect(byLine.get(11)?.errors.join()).toMatch(/Tanggal tagihan harus 1–28/);
    expect(byLine.get(12)?.errors.join()).toMatch(/Alamat terlalu panjang/);
    expect(p).toMatchObject({ valid: 2, invalid: 8 });

    const res = await t.ok('customers.import.commit', input, token);
    expect(res.imported + res.skipped).toBe(res.rows.length);
    expect(res).toMatchObject({ imported: 2, skipped: 8 });
    const found = await t.ok('customers.list', { search: 'Dewi', limit: 5 }, token);
    expect(found.rows.map((r) => r.name)).toEqual(['Dewi Lestari']);
    const all = await t.ok('customers.list', { limit: 1000, offset: 0, search: 'Budi' }, token);
    expect(all.rows.map((r) => r.name)).toEqual(['Budi Santoso']);
  });

  it('customers.create and customers.update hold the same field rules as the import', async () => {
    for (const bad of [
      { name: 'Ca\u0001ra' },
      { name: 'Budi', area: 'Blok\nA' },
      { name: 'Budi', address: 'Jl.\u0085' },
    ]) {
      const err = refusal(await t.raw('customers.create', bad, token));
      expect(err.code).toBe('VALIDATION');
      expect(err.details?.issues?.[0]?.message).toBe(CONTROL_CHARS_MESSAGE);
    }
    const c = await t.ok('customers.create', { name: 'Rina Wati' }, token);
    const upd = refusal(
      await t.raw('customers.update', { id: c.id, version: c.version, name: 'Rina\tWati' }, token),
    );
    expect(upd.code).toBe('VALIDATION');
  });

  it('an unbalanced quote is reported on its line and does not swallow the rows after it', async () => {
    const lines = [
      HEADER,
      row(300_001, 'Ahmad'), // 2
      `"Budi,${phone(300_002)},0,5,Sukamaju,Paket 10 Mbps,100000,100000,,,`, // 3: opening quote, never closed
      row(300_003, 'Citra'), // 4
      row(300_004, 'Dewi'), // 5
      row(300_005, '"Eka"'), // 6: a proper quote that would "close" line 3's
      row(300_006, 'Fajar'), // 7
    ];
    const p = await t.ok(
      'customers.import.preview',
      { fileName: 'kutip.csv', content: lines.join('\r\n'), format: 'csv' },
      token,
    );
    expect(p.rows.map((r) => [r.line, r.name, r.valid])).toEqual([
      [2, 'Ahmad', true],
      [3, '', false],
      [4, 'Citra', true],
      [5, 'Dewi', true],
      [6, 'Eka', true],
      [7, 'Fajar', true],
    ]);
    expect(p.rows[1]?.errors.join()).toMatch(/Tanda kutip.*tidak seimbang/);

    // The same at the end of the file: the quote runs to the end and nothing after it is lost either.
    const tail = [HEADER, row(300_011, 'Gita'), `"Hadi,${phone(300_012)},0,5,x,Paket 10 Mbps,,,,,`].join(
      '\n',
    );
    const q = await t.ok(
      'customers.import.preview',
      { fileName: 'k.csv', content: tail, format: 'csv' },
      token,
    );
    expect(q.rows.map((r) => [r.line, r.valid])).toEqual([
      [2, true],
      [3, false],
    ]);
  });

  it('reads XLSX rows with their sheet line numbers (dates, numbers, blank rows)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Pelanggan');
    ws.addRow(HEADER.split(','));
    ws.addRow([
      'Kurnia',
      6281299990001,
      0,
      5,
      'Sukamaju',
      'Paket 10 Mbps',
      100000,
      100000,
      '',
      new Date(Date.UTC(2025, 0, 15)),
      '',
    ]);
    ws.addRow([]);
    ws.addRow([
      'Lina',
      '081299990002',
      0,
      7,
      'Sukamaju',
      'Paket 10 Mbps',
      100000,
      100000,
      '',
      '2025-02-30',
      '',
    ]);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const p = await t.ok('customers.import.preview', { fileName: 'a.xlsx', content, format: 'xlsx' }, token);
    expect(p.rows.map((r) => [r.line, r.name, r.valid])).toEqual([
      [2, 'Kurnia', true],
      [4, 'Lina', false],
    ]);
    expect(p.rows[1]?.errors.join()).toMatch(/Tanggal register tidak valid/);

    const handMade = xlsxOf(
      ['nama', 'telepon', 'tanggal', 'paket_nama'],
      [['Maya', '081299990003', '3', 'Paket 10 Mbps']],
    );
    const q = await t.ok(
      'customers.import.preview',
      { fileName: 'b.xlsx', content: handMade.toString('base64'), format: 'xlsx' },
      token,
    );
    expect(q.rows).toMatchObject([{ line: 2, name: 'Maya', valid: true }]);
  });

  it('refuses a file over the size limit in the contract, with the limit in the message', async () => {
    const err = refusal(await preview('a'.repeat(IMPORT_MAX_FILE_BYTES + 1)));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/Berkas terlalu besar.*batasnya 10 MB/);
  });
});

describe('import over HTTP', () => {
  let core: Core;
  let base: string;
  let token: string;

  async function post(method: string, body: string, auth = true) {
    const res = await fetch(`${base}/api/rpc/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${token}` } : {}) },
      body,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text };
  }
  const envelope = (text: string) =>
    JSON.parse(text) as {
      ok: boolean;
      error?: { code: string; message: string; details?: Record<string, unknown> };
    };

  beforeAll(async () => {
    core = createCore({
      dataDir: ':memory:',
      clock: new FakeClock(Date.now()),
      logLevel: 'silent',
      http: { host: '127.0.0.1', port: 0, serveApi: true },
    });
    await core.start();
    base = core.httpUrl ?? '';
    const setup = await post(
      'auth.setup',
      JSON.stringify({
        officeName: 'RT/RW Net',
        fullName: 'Budi',
        username: 'budi',
        password: 'rahasia-kuat-1',
      }),
      false,
    );
    token = (JSON.parse(setup.text) as { value: { token: string } }).value.token;
  });
  afterAll(async () => core.stop());

  it('keeps answering /health while a zip bomb is read and refused', async () => {
    const body = JSON.stringify({
      fileName: 'bom.xlsx',
      content: xlsxBomb(BOMB_BYTES, false).toString('base64'),
      format: 'xlsx',
    });
    let settled = false;
    const importing = post('customers.import.preview', body).finally(() => (settled = true));
    // Timers and requests on the main thread go on while the worker inflates the file.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const answered: boolean[] = [];
    while (!settled) {
      const h = await fetch(`${base}/health`);
      answered.push(h.ok && !settled);
    }
    clearInterval(timer);
    expect(answered.filter(Boolean).length).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(0);
    const res = await importing;
    expect(envelope(res.text).error).toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'uncompressed_too_large' },
    });
  });

  it('an upload over the HTTP limit gets an RPC envelope with a clear message, not a bare 413', async () => {
    const huge = JSON.stringify({
      fileName: 'x.csv',
      content: 'a'.repeat(IMPORT_BODY_LIMIT_BYTES),
      format: 'csv',
    });
    const res = await post('customers.import.preview', huge);
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/json');
    expect(envelope(res.text)).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        details: { reason: 'payload_too_large', limitBytes: IMPORT_MAX_FILE_BYTES },
      },
    });
    expect(envelope(res.text).error?.message).toMatch(/Berkas terlalu besar.*batasnya 10 MB/);
  });

  it('every file the contract accepts fits the HTTP limit, even a CSV full of quotes', async () => {
    // Worst case for JSON: every other character a quote (escaped as \"), at the largest accepted size.
    const quotes = '"a'.repeat(IMPORT_MAX_FILE_BYTES / 2);
    const csv = await post(
      'customers.import.preview',
      JSON.stringify({ fileName: 'q.csv', content: quotes, format: 'csv' }),
    );
    expect(csv.status).not.toBe(413);
    expect(envelope(csv.text).error?.details?.['reason']).not.toBe('payload_too_large');
    const xlsx = Buffer.alloc(IMPORT_MAX_FILE_BYTES, 7).toString('base64');
    const x = await post(
      'customers.import.preview',
      JSON.stringify({ fileName: 'x.xlsx', content: xlsx, format: 'xlsx' }),
    );
    expect(x.status).not.toBe(413);
    expect(envelope(x.text).error).toMatchObject({ code: 'VALIDATION', details: { reason: 'invalid_file' } });
  });

  it('other calls keep the small limit, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024) });
    const res = await post('customers.create', big);
    expect(res.status).toBe(413);
    expect(envelope(res.text).error).toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'payload_too_large' },
    });
    // Chunked: no Content-Length to refuse up front, the bytes are counted as they come.
    let sent = 0;
    const chunks = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent === 6) return ctl.close();
        ctl.enqueue(new TextEncoder().encode(sent++ === 0 ? '{"name":"' : 'x'.repeat(1024 * 1024)));
      },
    });
    const streamed = await fetch(`${base}/api/rpc/customers.create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(envelope(await streamed.text()).error?.details?.['reason']).toBe('payload_too_large');
  });
});
