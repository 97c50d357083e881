import ExcelJS from 'exceljs';
import { csvBase64 } from '../lib/csv';
import type { BillingContext } from './context';
import { stmt } from './sql';

/** Plain values only: ExcelJS writes a string as text, never as a formula (only `{ formula }` objects are). */
type Cell = string | number | null;

async function toFile(name: string, format: 'csv' | 'xlsx', header: string[], rows: Cell[][]) {
  if (format === 'csv') {
    return {
      fileName: `${name}.csv`,
      mime: 'text/csv',
      // Formula-looking text is made inert there (see lib/csv.ts).
      dataBase64: csvBase64(header, rows),
      rows: rows.length,
    };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((col) => (col.width = 18));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const buf = await wb.xlsx.writeBuffer();
  return {
    fileName: `${name}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    dataBase64: Buffer.from(buf).toString('base64'),
    rows: rows.length,
  };
}

export async function exportCustomers(c: BillingContext, format: 'csv' | 'xlsx') {
  const rows = stmt(
    c.database.sqlite,
    `SELECT cu.code, cu.name, cu.phone, cu.nik, cu.area, cu.address, cu.status, cu.registered_on,
       (SELECT p.name FROM subscriptions s JOIN packages p ON p.id = s.package_id WHERE s.customer_id = cu.id AND s.status <> 'inactive' LIMIT 1) AS package,
       (SELECT s.username FROM subscriptions s WHERE s.customer_id = cu.id AND s.status <> 'inactive' LIMIT 1) AS username,
       (SELECT COALESCE(SUM(amount),0) FROM ledger_entries l WHERE l.customer_id = cu.id) AS balance
     FROM customers cu ORDER BY cu.name COLLATE NOCASE`,
  )
    .raw()
    .all() as Cell[][];
  return toFile(
    'pelanggan',
    format,
    [
      'ID Pelanggan',
      'Nama',
      'WhatsApp',
      'NIK',
      'Area',
      'Alamat',
      'Status',
      'Terdaftar',
      'Paket',
      'Username PPPoE',
      'Saldo (Rp)',
    ],
    rows,
  );
}

export async function exportInvoices(c: BillingContext, format: 'csv' | 'xlsx', period?: string) {
  const rows = stmt(
    c.database.sqlite,
    `SELECT i.number, cu.code, cu.name, i.period, i.period_start, i.period_end, i.due_date, i.subtotal, i.discount, i.tax, i.total, i.paid,
       CASE WHEN i.status = 'void' THEN 0 ELSE i.total - i.paid END, i.status, i.credit_note_number
     FROM invoices i JOIN customers cu ON cu.id = i.customer_id WHERE (? IS NULL OR i.period = ?) ORDER BY i.number`,
  )
    .raw()
    .all(period ?? null, period ?? null) as Cell[][];
  return toFile(
    period ? `tagihan-${period}` : 'tagihan',
    format,
    [
      'Nomor',
      'ID Pelanggan',
      'Nama',
      'Periode',
      'Mulai',
      'Sampai',
      'Jatuh tempo',
      'Harga',
      'Diskon',
      'PPN',
      'Total',
      'Dibayar',
      'Sisa',
      'Status',
      'Nota kredit',
    ],
    rows,
  );
}
