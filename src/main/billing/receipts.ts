import type { FastifyInstance } from 'fastify';
import type { BillingContext } from './context';
import { getInvoice } from './invoices';
import { paymentByToken } from './payments';
import { invoiceDocument, receiptDocument, type PrintedDocument } from './documents';
import { stmt } from './sql';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

function page(title: string, body: string, narrow: boolean): string {
  // A4 by default; `?w=80` lays the same content out for an 80 mm thermal roll.
  const width = narrow ? '72mm' : '170mm';
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>
@page { size: ${narrow ? '80mm auto' : 'A4'}; margin: ${narrow ? '4mm' : '18mm'}; }
* { box-sizing: border-box; }
body { margin: 0; background: #f1f3f5; font: ${narrow ? '12px' : '14px'}/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #212529; }
main { max-width: ${width}; margin: 24px auto; background: #fff; padding: ${narrow ? '10px' : '32px 36px'}; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
header { display: flex; gap: 14px; align-items: center; border-bottom: 2px solid #228be6; padding-bottom: 12px; margin-bottom: 16px; ${narrow ? 'flex-direction: column; text-align: center;' : ''} }
header img { max-height: ${narrow ? '40px' : '56px'}; max-width: 160px; }
h1 { font-size: ${narrow ? '15px' : '20px'}; margin: 0; } .office { color: #495057; font-size: .9em; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 99px; font-weight: 600; font-size: .85em; }
.paid { background: #d3f9d8; color: #2b8a3e; } .open { background: #fff3bf; color: #e67700; } .void { background: #ffe3e3; color: #c92a2a; }
table { width: 100%; border-collapse: collapse; } td { padding: 6px 0; vertical-align: top; border-bottom: 1px solid #f1f3f5; }
td:first-child { color: #868e96; width: ${narrow ? '42%' : '38%'}; } .total td { font-size: 1.15em; font-weight: 700; border-bottom: 0; padding-top: 12px; }
footer { margin-top: 20px; color: #868e96; font-size: .85em; text-align: center; white-space: pre-line; }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; max-width: none; border-radius: 0; } }
</style></head><body><main>${body}</main></body></html>`;
}

function row(label: string, value: string, show = true): string {
  return show ? `<tr><td>${esc(label)}</td><td>${value}</td></tr>` : '';
}

function render(
  doc: PrintedDocument,
  office: {
    officeName: string;
    address: string;
    phone: string;
    logoUrl: string | null;
    receiptFooter: string;
  },
): string {
  return `<header>${doc.showLogo && office.logoUrl ? `<img src="${esc(office.logoUrl)}" alt="">` : ''}<div>${doc.showOfficeName ? `<h1>${esc(office.officeName)}</h1>` : ''}
<div class="office">${esc(office.address)}${office.phone ? ` · ${esc(office.phone)}` : ''}</div></div></header>
<p><strong>${esc(doc.title)}</strong> ${esc(doc.number)} <span class="badge ${doc.badge.tone}">${esc(doc.badge.text)}</span></p>
<table>${doc.rows.map(([k, v]) => row(k, esc(v))).join('')}
<tr class="total"><td>${esc(doc.total[0])}</td><td>${esc(doc.total[1])}</td></tr>
</table>${doc.extra.length ? `<p>${doc.extra.map(esc).join('<br>')}</p>` : ''}<footer>${esc(office.receiptFooter)}</footer>`;
}

/** Public receipt and invoice pages on the LAN listener, at unguessable token URLs. */
export function registerReceiptRoutes(c: BillingContext) {
  return (app: FastifyInstance) => {
    app.get<{ Params: { token: string }; Querystring: { w?: string } }>(
      '/receipt/:token',
      async (req, reply) => {
        if (!TOKEN.test(req.params.token))
          return reply.code(404).type('text/plain').send('Nota tidak ditemukan');
        const p = paymentByToken(c, req.params.token);
        if (!p) return reply.code(404).type('text/plain').send('Nota tidak ditemukan');
        const office = await c.settings.get();
        const doc = await receiptDocument(c, p);
        return reply
          .header('Cache-Control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(page(`Nota ${p.receiptNumber}`, render(doc, office), req.query.w === '80'));
      },
    );

    // Where the router's NAT rule sends an isolated customer's web traffic.
    app.get('/isolir', async (_req, reply) => {
      const office = await c.settings.get();
      const banks = office.bankAccounts
        .map((b) => `${esc(b.bank)} ${esc(b.number)} a.n. ${esc(b.holder)}`)
        .join('<br>');
      const body = `<header>${office.logoUrl ? `<img src="${esc(office.logoUrl)}" alt="">` : ''}<div><h1>${esc(office.officeName)}</h1>
<div class="office">${esc(office.address)}${office.phone ? ` · ${esc(office.phone)}` : ''}</div></div></header>
<p><span class="badge void">LAYANAN DIISOLIR</span></p>
<p>Layanan internet Anda sedang diisolir karena ada tagihan yang belum dibayar. Silakan lakukan pembayaran; layanan pulih otomatis
setelah pembayaran dicatat.</p>
${banks ? `<p><strong>Pembayaran via transfer:</strong><br>${banks}</p>` : ''}
${office.phone ? `<p>Hubungi kami: <strong>${esc(office.phone)}</strong></p>` : ''}<footer>${esc(office.receiptFooter)}</footer>`;
      return reply
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(page('Layanan diisolir', body, false));
    });

    app.get<{ Params: { token: string }; Querystring: { w?: string } }>(
      '/invoice/:token',
      async (req, reply) => {
        if (!TOKEN.test(req.params.token))
          return reply.code(404).type('text/plain').send('Tagihan tidak ditemukan');
        const r = stmt(c.database.sqlite, 'SELECT id FROM invoices WHERE public_token = ?').get(
          req.params.token,
        ) as { id: string } | undefined;
        const i = r ? getInvoice(c.database.sqlite, r.id) : null;
        if (!i) return reply.code(404).type('text/plain').send('Tagihan tidak ditemukan');
        const office = await c.settings.get();
        const doc = await invoiceDocument(c, i);
        return reply
          .header('Cache-Control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(page(`Tagihan ${i.number}`, render(doc, office), req.query.w === '80'));
      },
    );
  };
}
