/** Voucher PDFs for a batch or a selection, with the office's name and logo and the hotspot's DNS name. */
import { AppError } from '../../shared/contract/errors';
import type { VoucherLayout } from '../../shared/vouchers/print-template';
import { renderPdfInWorker } from '../printing/pdf-pool';
import type { VouchersContext } from './common';
import { getTemplate } from './templates';

const FALLBACK_DNS = '10.5.50.1';

/** The first hotspot server profile's dns-name (or address) on the router, when it answers quickly. */
async function routerDnsName(ctx: VouchersContext, routerId: string): Promise<string | null> {
  try {
    const rows = await ctx.routers
      .connection(routerId)
      .call('/ip/hotspot/profile/print', undefined, { timeoutMs: 2000 });
    const named =
      rows.find((r) => (r['dns-name'] ?? '') !== '') ?? rows.find((r) => (r['hotspot-address'] ?? '') !== '');
    return named ? named['dns-name'] || named['hotspot-address'] || null : null;
  } catch {
    return null;
  }
}

export async function printPdf(
  ctx: VouchersContext,
  input: {
    batchId?: string | undefined;
    ids?: string[] | undefined;
    layout: VoucherLayout;
    dnsName?: string | undefined;
  },
): Promise<{ filename: string; mime: string; base64: string; count: number }> {
  const db = ctx.base.database.db;
  let q = db
    .selectFrom('vouchers')
    .leftJoin('voucher_batches', 'voucher_batches.id', 'vouchers.batch_id')
    .select([
      'vouchers.username',
      'vouchers.password',
      'vouchers.price_sell',
      'vouchers.validity_s',
      'vouchers.uptime_limit_s',
      'vouchers.profile',
      'vouchers.router_id',
      'voucher_batches.code as batch_code',
    ])
    .where('vouchers.status', '!=', 'removed');
  if (input.batchId) q = q.where('vouchers.batch_id', '=', input.batchId);
  if (input.ids && input.ids.length > 0) q = q.where('vouchers.id', 'in', input.ids);
  const rows = await q.orderBy('vouchers.created_at').orderBy('vouchers.username').execute();
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'Tidak ada voucher untuk dicetak');
  const settings = await ctx.base.settings.get();
  const logo = await ctx.base.settings.logo();
  const dns = input.dnsName || (await routerDnsName(ctx, rows[0]!.router_id)) || FALLBACK_DNS;
  const { template } = await getTemplate(ctx, input.layout);
  // Laid out and compressed on the PDF worker: a batch of 1,000 must not hold the main thread.
  const pdf = await renderPdfInWorker('voucherPdf', {
    layout: input.layout,
    template,
    office: {
      name: settings.officeName,
      ...(logo ? { logoDataUrl: `data:${logo.mime};base64,${logo.bytes.toString('base64')}` } : {}),
    },
    hotspotDnsName: dns,
    vouchers: rows.map((r) => ({
      username: r.username,
      password: r.password,
      price: r.price_sell,
      ...(r.validity_s > 0 ? { validityMs: r.validity_s * 1000 } : {}),
      ...(r.uptime_limit_s > 0 ? { timeLimitMs: r.uptime_limit_s * 1000 } : {}),
      profileName: r.profile,
      ...(r.batch_code ? { batchLabel: r.batch_code } : {}),
    })),
  });
  const label =
    rows[0]?.batch_code && input.batchId ? `batch-${rows[0].batch_code}` : `${rows.length}-voucher`;
  return {
    filename: `voucher-${label}-${input.layout}.pdf`,
    mime: 'application/pdf',
    base64: pdf.toString('base64'),
    count: rows.length,
  };
}
