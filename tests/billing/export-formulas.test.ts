import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { escapeCsvCell, toCsv } from '../../src/main/lib/csv';
import { readZip } from '../../src/main/lib/zip';
import { contract, type MethodName } from '../../src/shared/contract/index';
import { routerJobsSettled } from './helpers';
import { setup, type Setup } from '../routers/helpers';

/** Text a spreadsheet would run as a formula if it opened it raw. */
const EVIL = {
  name: '=HYPERLINK("http://evil.example/x","Klik")',
  area: '+62 Blok A',
  address: "@SUM(1+1)*cmd|' /C calc'!A0",
  profile: '-2+3+cmd|calc',
  routerName: '=Router Pusat',
};
const FORMULA_START = /^[=+\-@\t\r]/;
const isNumber = (s: string) => /^-?\d+(\.\d+)?$/.test(s);

function csvCells(base64: string): string[][] {
  const text = Buffer.from(base64, 'base64')
    .toString('utf8')
    .replace(/^\ufeff/, '');
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

/** No cell may start like a formula unless it is a plain number; returns the cells that were escaped. */
function expectInert(cells: string[][]): string[] {
  const bad = cells.flat().filter((c) => FORMULA_START.test(c) && !isNumber(c));
  expect(bad).toEqual([]);
  return cells.flat().filter((c) => c.startsWith("'"));
}

/** XLSX: the sheet XML holds no formula, and each evil text reads back as a string cell, unchanged. */
async function expectXlsxStrings(base64: string, texts: string[]) {
  const buf = Buffer.from(base64, 'base64');
  const sheets = readZip(buf, { maxUncompressedBytes: 50e6, maxEntries: 100 }).filter((e) =>
    e.name.startsWith('xl/worksheets/sheet'),
  );
  expect(sheets.length).toBeGreaterThan(0);
  for (const s of sheets) expect(s.data.toString('utf8')).not.toMatch(/<f[\s>]/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const found = new Map<string, ExcelJS.ValueType>();
  wb.worksheets[0]?.eachRow((row) =>
    row.eachCell((cell) => {
      if (typeof cell.value === 'string') found.set(cell.value, cell.type);
    }),
  );
  for (const t of texts) expect(found.get(t), t).toBe(ExcelJS.ValueType.String);
}

describe('formula escaping', () => {
  it('prefixes every text cell that starts like a formula, and only those', () => {
    for (const v of ['=1+1', '+62812', '-x', '@A1', '\tx', '\rx', '＝1+1', '=cmd\n|calc'])
      expect(escapeCsvCell(v), JSON.stringify(v)).toBe(`'${v}`);
    for (const v of ['Budi', ' =1', "'=1", '', '62812', 'a=b']) expect(escapeCsvCell(v)).toBe(v);
    for (const v of [-5, 0, 12.5, null, true]) expect(escapeCsvCell(v)).toBe(v);
    // A formula followed by a line break is caught too (papaparse's own escapeFormulae misses it).
    const cells = Papa.parse<string[]>(toCsv(['h'], [['=1+1\nx'], [-3]]).slice(1)).data;
    expect(cells[1]?.[0]).toBe("'=1+1\nx");
    expect(cells[2]?.[0]).toBe('-3');
  });

  it('no code writes CSV except through the shared writer (src/shared/csv.ts)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) files.push(p);
      }
    };
    for (const dir of ['src/main', 'src/renderer', 'src/shared']) walk(dir);
    const writers = files.filter((f) => /\bunparse\s*\(|escapeFormulae/.test(readFileSync(f, 'utf8')));
    expect(writers).toEqual([join('src/shared/csv.ts')]);
  });

  describe('every export method', () => {
    let s: Setup;
    beforeAll(async () => {
      s = await setup({ version: '6.49' });
      const { t, token, routerId } = s;
      const r = await t.ok('routers.get', { id: routerId }, token);
      await t.ok('routers.update', { id: routerId, version: r.version, name: EVIL.routerName }, token);
      const pkg = await t.ok(
        'packages.create',
        { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 100_000, pppProfile: 'P10' },
        token,
      );
      const cust = await t.ok(
        'customers.create',
        { name: EVIL.name, phone: '081234567890', area: EVIL.area, address: EVIL.address },
        token,
      );
      await t.ok(
        'subscriptions.create',
        { customerId: cust.id, packageId: pkg.id, routerId, billingDay: 5, invoiceNow: true },
        token,
      );
      await routerJobsSettled(t.core);
      // A sale whose profile name came from the router (e.g. an adopted Mikhmon profile).
      t.core.deps.database.sqlite
        .prepare(
          `INSERT INTO voucher_sales (id, voucher_id, router_id, username, profile, batch_id, at, office_date,
             price_sell, price_cost, source, created_at) VALUES (?, NULL, ?, 'v1', ?, NULL, ?, ?, 5000, 4000, 'mikhmon', ?)`,
        )
        .run(randomUUID(), routerId, EVIL.profile, Date.now(), '2026-01-10', Date.now());
    });
    afterAll(async () => s.close());

    /** Each export method, the files it makes in a format, and the evil texts each file must carry. */
    type Made = { base64: string; texts: string[] }[];
    const exports: Record<string, (format: 'csv' | 'xlsx') => Promise<Made>> = {
      'customers.export': async (format) => [
        {
          base64: (await s.t.ok('customers.export', { format }, s.token)).dataBase64,
          texts: [EVIL.name, EVIL.area, EVIL.address],
        },
      ],
      'invoices.export': async (format) => [
        { base64: (await s.t.ok('invoices.export', { format }, s.token)).dataBase64, texts: [EVIL.name] },
      ],
      'vouchers.sales.export': async (format) => {
        const base = { from: '2026-01-01', to: '2026-01-31', format } as const;
        const file = async (groupBy: 'profile' | 'router') =>
          (await s.t.ok('vouchers.sales.export', { ...base, groupBy }, s.token)).base64;
        return [
          { base64: await file('profile'), texts: [EVIL.profile] },
          { base64: await file('router'), texts: [EVIL.routerName] },
        ];
      },
    };

    it('covers every method of the contract that exports CSV', () => {
      const json = (s: z.ZodType, io: 'input' | 'output') =>
        JSON.stringify(z.toJSONSchema(s, { io, unrepresentable: 'any' }));
      // A method that takes a CSV format and answers with file bytes.
      const csvMethods = (Object.keys(contract) as MethodName[]).filter(
        (m) =>
          /"format":\{[^}]*"csv"/.test(json(contract[m].input, 'input')) &&
          /"(dataBase64|base64)"/.test(json(contract[m].output, 'output')),
      );
      expect(csvMethods.sort()).toEqual(Object.keys(exports).sort());
    });

    it('CSV: formula-looking text is prefixed with an apostrophe, numbers stay numbers', async () => {
      for (const [method, run] of Object.entries(exports)) {
        for (const { base64, texts } of await run('csv')) {
          const escaped = expectInert(csvCells(base64));
          for (const text of texts) expect(escaped, method).toContain(`'${text}`);
        }
      }
    });

    it('XLSX: cells are written as strings, never formulas', async () => {
      for (const run of Object.values(exports))
        for (const { base64, texts } of await run('xlsx')) await expectXlsxStrings(base64, texts);
    });
  });
});
