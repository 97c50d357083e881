import type { InvoiceView, PaymentView } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { formatDate, formatDateTime } from '../../shared/dates';
import { formatPhone } from '../../shared/phone';
import { formatRupiah } from '../../shared/money';
import { renderPdfInWorker } from '../printing/pdf-pool';
import type { BillingContext } from './context';
import { getInvoice } from './invoices';
import { getPayment } from './payments';
import { stmt } from './sql';

const METHOD: Record<string, string> = { cash: 'Tunai', transfer: 'Transfer bank' };

/** What a printed receipt or invoice shows, in order: the HTML page and the PDF render the same rows. */
export interface PrintedDocument {
  kind: 'receipt' | 'invoice';
  title: string;
  number: string;
  badge: { text: string; tone: 'paid' | 'open' | 'void' };
  rows: [string, string][];
  total: [string, string];
  extra: string[];
  showLogo: boolean;
  showOfficeName: boolean;
}

const day = (s: string, tz: string) => formatDate(Date.parse(`${s}T12:00:00Z`), tz);

export async function receiptDocument(c: BillingContext, p: PaymentView): Promise<PrintedDocument> {
  const office = await c.settings.get();
  const f = c.store.get().receiptFields;
  const tz = office.timeZone;
  const cust = stmt(c.database.sqlite, 'SELECT phone, nik, area FROM customers WHERE id = ?').get(
    p.customerId,
  ) as { phone: string | null; nik: string | null; area: string };
  const inv = p.allocations.map((a) => getInvoice(c.database.sqlite, a.invoiceId)).filter((v) => v !== null);
  const pkg = stmt(
    c.database.sqlite,
    "SELECT p.name FROM subscriptions s JOIN packages p ON p.id = s.package_id WHERE s.customer_id = ? AND s.status <> 'inactive' LIMIT 1",
  ).get(p.customerId) as { name: string } | undefined;
  const discount = inv.reduce((a, i) => a + i.discount, 0);
  const rows: [string, string, boolean][] = [
    ['Pelanggan', `${p.customerName} (${p.customerCode})`, true],
    ['No. WhatsApp', cust.phone ? formatPhone(cust.phone) : '-', f.customerPhone],
    ['NIK', cust.nik ?? '-', f.nik],
    ['Area', cust.area || '-', f.area],
    ['Paket', pkg?.name ?? '-', f.package],
    [
      'Periode',
      inv.map((i) => `${day(i.periodStart, tz)} – ${day(i.periodEnd, tz)}`).join(', ') || '-',
      f.period,
    ],
    ['Tagihan', inv.map((i) => i.number).join(', ') || 'Deposit / saldo', true],
    ['Diskon', formatRupiah(discount), f.discount && discount > 0],
    ['Metode', (METHOD[p.method] ?? p.method) + (p.reference ? ` · ${p.reference}` : ''), f.method],
    ['Dibayar pada', formatDateTime(p.paidAt, tz), f.paidAt],
    ['Dicatat oleh', p.recordedBy, f.recordedBy],
  ];
  return {
    kind: 'receipt',
    title: 'Nota Pembayaran',
    number: p.receiptNumber,
    badge: p.reversed ? { text: 'DIBATALKAN', tone: 'void' } : { text: 'LUNAS', tone: 'paid' },
    rows: rows.filter((r) => r[2]).map(([a, b]) => [a, b]),
    total: ['Jumlah', formatRupiah(p.amount)],
    extra: [],
    showLogo: f.logo,
    showOfficeName: f.officeName,
  };
}

export async function invoiceDocument(c: BillingContext, i: InvoiceView): Promise<PrintedDocument> {
  const office = await c.settings.get();
  const tz = office.timeZone;
  const badge =
    i.status === 'paid'
      ? { text: 'LUNAS', tone: 'paid' as const }
      : i.status === 'void'
        ? { text: 'DIBATALKAN', tone: 'void' as const }
        : { text: i.status === 'partial' ? 'DIBAYAR SEBAGIAN' : 'BELUM DIBAYAR', tone: 'open' as const };
  const rows: [string, string, boolean][] = [
    ['Pelanggan', `${i.customerName} (${i.customerCode})`, true],
    ['Layanan', i.description, true],
    ['Periode', `${day(i.periodStart, tz)} – ${day(i.periodEnd, tz)}`, true],
    ['Jatuh tempo', day(i.dueDate, tz), true],
    ['Harga', formatRupiah(i.subtotal), true],
    ['Diskon', formatRupiah(i.discount), i.discount > 0],
    ['PPN', formatRupiah(i.tax), i.tax > 0],
    ['Sudah dibayar', formatRupiah(i.paid), i.paid > 0],
    ['Nomor nota kredit', i.creditNoteNumber ?? '', i.status === 'void'],
  ];
  return {
    kind: 'invoice',
    title: 'Tagihan',
    number: i.number,
    badge,
    rows: rows.filter((r) => r[2]).map(([a, b]) => [a, b]),
    total:
      i.status === 'void' ? ['Total', formatRupiah(i.total)] : ['Sisa tagihan', formatRupiah(i.balanceDue)],
    extra:
      i.balanceDue > 0
        ? office.bankAccounts.map((b) => `Transfer ke ${b.bank} ${b.number} a.n. ${b.holder}`)
        : [],
    showLogo: true,
    showOfficeName: true,
  };
}

/** The same document as a PDF, A4 or 80 mm roll, for the desktop printer or a download. */
export async function documentPdf(
  c: BillingContext,
  input: { kind: 'receipt' | 'invoice'; id: string; paper: 'a4' | '80mm' },
) {
  let doc: PrintedDocument;
  if (input.kind === 'receipt') {
    const p = getPayment(c, input.id);
    if (!p) throw new AppError('NOT_FOUND', 'Pembayaran tidak ditemukan');
    doc = await receiptDocument(c, p);
  } else {
    const i = getInvoice(c.database.sqlite, input.id);
    if (!i) throw new AppError('NOT_FOUND', 'Tagihan tidak ditemukan');
    doc = await invoiceDocument(c, i);
  }
  const office = await c.settings.get();
  const logo = doc.showLogo ? await c.settings.logo() : null;
  // pdfmake lays out and compresses on a worker thread; this thread only gathers the data.
  const pdf = await renderPdfInWorker('documentPdf', {
    doc,
    office: {
      officeName: office.officeName,
      address: office.address,
      phone: office.phone,
      receiptFooter: office.receiptFooter,
    },
    logo:
      logo && (logo.mime === 'image/png' || logo.mime === 'image/jpeg')
        ? { mime: logo.mime, base64: logo.bytes.toString('base64') }
        : null,
    paper: input.paper,
  });
  return {
    fileName: `${doc.title.replace(/\s+/g, '-').toLowerCase()}-${doc.number.replace(/\//g, '-')}.pdf`,
    mime: 'application/pdf',
    dataBase64: pdf.toString('base64'),
    rows: 1,
  };
}
