/** Voucher sales: a first login is a sale at the voucher's selling price with its cost. Reports and exports. */
import ExcelJS from 'exceljs';
import { csvBase64 } from '../lib/csv';
import { officeDate } from '../../shared/dates';
import type { SalesReport } from '../../shared/contract/vouchers';
import { routerNames, type VouchersContext } from './common';

export type GroupBy = 'day' | 'month' | 'profile' | 'router';

const MONTHS_ID = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

export async function salesReport(
  ctx: VouchersContext,
  input: { from: string; to: string; groupBy: GroupBy; routerId?: string | undefined },
): Promise<SalesReport> {
  const keyExpr = {
    day: 'office_date',
    month: 'substr(office_date, 1, 7)',
    profile: 'profile',
    router: 'router_id',
  }[input.groupBy];
  const routerFilter = input.routerId ? 'AND router_id = @routerId' : '';
  const rows = ctx.base.database.sqlite
    .prepare(
      `SELECT ${keyExpr} AS key, COUNT(*) AS count, SUM(price_sell) AS revenue, SUM(price_cost) AS cost
       FROM voucher_sales WHERE office_date BETWEEN @from AND @to ${routerFilter}
       GROUP BY key ORDER BY ${input.groupBy === 'day' || input.groupBy === 'month' ? 'key' : 'revenue DESC'}`,
    )
    .all({ from: input.from, to: input.to, routerId: input.routerId ?? null }) as Array<{
    key: string;
    count: number;
    revenue: number;
    cost: number;
  }>;
  const names =
    input.groupBy === 'router' ? await routerNames(ctx.base.database.db) : new Map<string, string>();
  const label = (key: string): string => {
    if (input.groupBy === 'router') return names.get(key) ?? key;
    if (input.groupBy === 'month') {
      const [y, m] = key.split('-');
      return `${MONTHS_ID[Number(m) - 1] ?? m} ${y}`;
    }
    if (input.groupBy === 'day') {
      const [y, m, d] = key.split('-');
      return `${Number(d)} ${MONTHS_ID[Number(m) - 1]?.slice(0, 3) ?? m} ${y}`;
    }
    return key;
  };
  const out = rows.map((r) => ({
    key: r.key,
    label: label(r.key),
    count: r.count,
    revenue: r.revenue,
    cost: r.cost,
    profit: r.revenue - r.cost,
  }));
  const totals = out.reduce(
    (t, r) => ({
      count: t.count + r.count,
      revenue: t.revenue + r.revenue,
      cost: t.cost + r.cost,
      profit: t.profit + r.profit,
    }),
    { count: 0, revenue: 0, cost: 0, profit: 0 },
  );
  return { rows: out, totals };
}

const HEADERS = { day: 'Tanggal', month: 'Bulan', profile: 'Profil', router: 'Router' } as const;

export async function exportSales(
  ctx: VouchersContext,
  input: {
    from: string;
    to: string;
    groupBy: GroupBy;
    routerId?: string | undefined;
    format: 'xlsx' | 'csv';
  },
): Promise<{ filename: string; mime: string; base64: string }> {
  const report = await salesReport(ctx, input);
  const name = `penjualan-voucher-${input.groupBy}-${input.from}-${input.to}`;
  const header = [HEADERS[input.groupBy], 'Terjual', 'Pendapatan (Rp)', 'Modal (Rp)', 'Laba (Rp)'];
  const body = report.rows.map((r) => [
    input.groupBy === 'day' || input.groupBy === 'month' ? r.key : r.label,
    r.count,
    r.revenue,
    r.cost,
    r.profit,
  ]);
  const total = [
    'Total',
    report.totals.count,
    report.totals.revenue,
    report.totals.cost,
    report.totals.profit,
  ];
  if (input.format === 'csv') {
    return {
      filename: `${name}.csv`,
      mime: 'text/csv',
      // Profile and router names are operator text: formula-looking ones are made inert (lib/csv.ts).
      base64: csvBase64(header, [...body, total]),
    };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rukun';
  const ws = wb.addWorksheet('Penjualan voucher');
  ws.addRow([`Penjualan voucher ${input.from} s.d. ${input.to}`]).font = { bold: true, size: 13 };
  ws.addRow([]);
  const h = ws.addRow(header);
  h.font = { bold: true };
  for (const r of body) ws.addRow(r);
  const t = ws.addRow(total);
  t.font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = i === 0 ? 22 : 16;
    if (i >= 2) c.numFmt = '#,##0';
  });
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    filename: `${name}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: buf.toString('base64'),
  };
}

export async function voucherStats(
  ctx: VouchersContext,
): Promise<{ unused: number; active: number; salesToday: number; revenueToday: number }> {
  const tz = (await ctx.base.settings.get()).timeZone;
  const today = officeDate(ctx.base.clock.now(), tz);
  const sqlite = ctx.base.database.sqlite;
  const counts = sqlite
    .prepare(`SELECT status, COUNT(*) AS n FROM vouchers WHERE status IN ('unused','active') GROUP BY status`)
    .all() as Array<{ status: string; n: number }>;
  const sales = sqlite
    .prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(price_sell), 0) AS r FROM voucher_sales WHERE office_date = ?',
    )
    .get(today) as { n: number; r: number };
  return {
    unused: counts.find((c) => c.status === 'unused')?.n ?? 0,
    active: counts.find((c) => c.status === 'active')?.n ?? 0,
    salesToday: sales.n,
    revenueToday: sales.r,
  };
}
