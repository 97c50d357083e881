import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { z } from 'zod';
import { ImportTarget } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { normalizePhone } from '../../shared/phone';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import { AfterCommit, type BillingContext } from './context';
import { customerCode, insertCustomerRaw, routerCode } from './customers';
import { createSubscriptionsInTrx } from './subscriptions';
import { stmt } from './sql';

/** The seed file's own column names, declared once in the contract. */
export const SEED_COLUMNS: readonly ImportField[] = ImportTarget.options;
export type ImportField = z.infer<typeof ImportTarget>;

export interface ImportRequest {
  fileName: string;
  content: string;
  format: 'csv' | 'xlsx';
  mapping?: Record<string, ImportField> | undefined;
  routerId?: string | null | undefined;
}

export interface ImportRowResult {
  line: number;
  valid: boolean;
  errors: string[];
  name: string;
  phone: string | null;
  packageName: string;
  billingDay: number | null;
  total: number | null;
}

interface ParsedRow extends ImportRowResult {
  discount: number;
  area: string;
  address: string;
  nik: string | null;
  registeredOn: string | null;
  packageId: string | null;
}

async function readTable(req: ImportRequest): Promise<{ columns: string[]; rows: Record<string, string>[] }> {
  if (req.format === 'csv') {
    const text = req.content.replace(/^\ufeff/, '');
    const res = Papa.parse<Record<string, string>>(text, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
    });
    return { columns: res.meta.fields ?? [], rows: res.data };
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(req.content, 'base64') as unknown as ArrayBuffer);
  } catch {
    throw new AppError('VALIDATION', 'Berkas XLSX tidak bisa dibaca', {
      issues: [{ path: 'content', message: 'Berkas XLSX rusak', code: 'invalid_file' }],
    });
  }
  const ws = wb.worksheets[0];
  if (!ws) return { columns: [], rows: [] };
  const text = (v: ExcelJS.CellValue): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v === 'object' && 'text' in v) return String(v.text);
    if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
    return String(v);
  };
  const columns: string[] = [];
  ws.getRow(1).eachCell((cell, i) => (columns[i - 1] = text(cell.value).trim()));
  const rows: Record<string, string>[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const o: Record<string, string> = {};
    columns.forEach((col, i) => (o[col] = text(r.getCell(i + 1).value).trim()));
    if (Object.values(o).some((v) => v !== '')) rows.push(o);
  });
  return { columns, rows };
}

const validDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const int = (s: string | undefined) =>
  s !== undefined && /^-?\d+$/.test(s.replace(/[.\s]/g, '')) ? Number(s.replace(/[.\s]/g, '')) : null;

/** Parses and checks every row; nothing is written. Each bad row says why, in Indonesian. */
export async function parseImport(c: BillingContext, req: ImportRequest) {
  const { columns, rows } = await readTable(req);
  const mapping: Record<string, ImportField> =
    req.mapping ??
    Object.fromEntries(
      columns
        .filter((col) => (SEED_COLUMNS as readonly string[]).includes(col.toLowerCase()))
        .map((col) => [col, col.toLowerCase() as ImportField]),
    );
  const byField = new Map<ImportField, string>(Object.entries(mapping).map(([col, f]) => [f, col]));
  const packages = stmt(c.database.sqlite, 'SELECT id, name, price FROM packages').all() as {
    id: string;
    name: string;
    price: number;
  }[];
  const pkgByName = new Map(packages.map((p) => [p.name.toLowerCase(), p]));
  const seenPhones = new Set<string>();
  const existingPhone = stmt(c.database.sqlite, 'SELECT 1 FROM customers WHERE phone = ? LIMIT 1');
  const parsed: ParsedRow[] = rows.slice(0, 20_000).map((r, i) => {
    const get = (f: ImportField) => {
      const col = byField.get(f);
      return col ? (r[col] ?? '').trim() : '';
    };
    const errors: string[] = [];
    const name = get('nama');
    if (name.length < 2) errors.push('Nama kosong');
    const rawPhone = get('telepon');
    const phone = rawPhone ? normalizePhone(rawPhone) : null;
    if (!rawPhone) errors.push('Nomor telepon kosong');
    else if (!phone) errors.push(`Nomor telepon tidak valid: ${rawPhone}`);
    else if (seenPhones.has(phone)) errors.push('Duplikat: nomor telepon sudah ada di baris sebelumnya');
    else if (existingPhone.get(phone)) errors.push('Duplikat: nomor telepon sudah terdaftar');
    if (phone) seenPhones.add(phone);
    const discount = get('diskon') === '' ? 0 : int(get('diskon'));
    if (discount === null || discount < 0) errors.push(`Diskon tidak valid: ${get('diskon')}`);
    const day = int(get('tanggal'));
    if (day === null || day < 1 || day > 28)
      errors.push(`Tanggal tagihan harus 1–28: ${get('tanggal') || '(kosong)'}`);
    const packageName = get('paket_nama');
    const pkg = pkgByName.get(packageName.toLowerCase());
    if (!pkg) errors.push(`Paket tidak dikenal: ${packageName || '(kosong)'}`);
    const tarif = get('paket_tarif') === '' ? (pkg?.price ?? null) : int(get('paket_tarif'));
    if (pkg && tarif !== null && tarif !== pkg.price)
      errors.push(`Tarif ${tarif} berbeda dengan harga paket ${pkg.price}`);
    const total = get('total_bayar') === '' ? null : int(get('total_bayar'));
    if (get('total_bayar') !== '' && total === null)
      errors.push(`Total bayar tidak valid: ${get('total_bayar')}`);
    else if (total !== null && tarif !== null && discount !== null && total !== tarif - discount)
      errors.push(`Total bayar ${total} ≠ tarif ${tarif} − diskon ${discount}`);
    const nik = get('nik');
    if (nik && !/^\d{16}$/.test(nik)) errors.push('NIK harus 16 digit');
    const reg = get('tanggal_register');
    if (reg && !validDate(reg)) errors.push(`Tanggal register tidak valid (YYYY-MM-DD): ${reg}`);
    return {
      line: i + 2,
      valid: errors.length === 0,
      errors,
      name,
      phone,
      packageName,
      billingDay: day,
      total,
      discount: discount ?? 0,
      area: get('area'),
      address: get('alamat'),
      nik: nik || null,
      registeredOn: reg || null,
      packageId: pkg?.id ?? null,
    };
  });
  const strip = ({
    discount: _d,
    area: _a,
    address: _ad,
    nik: _n,
    registeredOn: _r,
    packageId: _p,
    ...rest
  }: ParsedRow): ImportRowResult => rest;
  return {
    columns,
    mapping,
    parsed,
    rows: parsed.map(strip),
    valid: parsed.filter((r) => r.valid).length,
    invalid: parsed.filter((r) => !r.valid).length,
    strip,
  };
}

/** Imports the valid rows in ONE transaction (customers, and subscriptions when a router is chosen). */
export async function commitImport(c: BillingContext, actor: Actor, req: ImportRequest) {
  const p = await parseImport(c, req);
  const router = req.routerId ? await routerCode(c, req.routerId) : 'R';
  const now = c.clock.now();
  const after = new AfterCommit(c.hooks);
  await c.database.db.transaction().execute(async (trx) => {
    const subs = [];
    for (const r of p.parsed.filter((x) => x.valid)) {
      const f = {
        name: r.name,
        phone: r.phone,
        nik: r.nik,
        address: r.address,
        area: r.area,
        routerId: req.routerId ?? null,
        notes: `Impor ${req.fileName}`,
        whatsappOptOut: false,
        ...(r.registeredOn ? { registeredOn: r.registeredOn } : {}),
      };
      const id = insertCustomerRaw(c, f, customerCode(c, f, router), now);
      if (req.routerId && r.packageId && r.billingDay !== null) {
        subs.push({
          customerId: id,
          packageId: r.packageId,
          routerId: req.routerId,
          remoteAddress: '',
          billingDay: r.billingDay,
          discount: r.discount,
          invoiceNow: false,
        });
      }
    }
    if (subs.length) await createSubscriptionsInTrx(c, trx, actor, subs, after);
    await recordChange(trx, c, {
      actor,
      action: 'customers.import',
      entity: 'customer',
      entityId: null,
      after: { file: req.fileName, imported: p.valid, skipped: p.invalid },
    });
  });
  after.flush();
  c.routers?.poke();
  c.events.emit('billing.changed', { entity: 'customer', id: null });
  return { imported: p.valid, skipped: p.invalid, rows: p.rows };
}
