/**
 * The PDF of a receipt or an invoice (A4 or an 80 mm roll) from what the page shows (PrintedDocument). Pure:
 * it runs on the PDF worker (pdf-tasks.ts), which receives only data.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { PrintedDocument } from '../billing/documents';

export interface DocumentPdfInput {
  doc: PrintedDocument;
  office: { officeName: string; address: string; phone: string; receiptFooter: string };
  /** PNG or JPEG only (what pdfmake embeds). */
  logo: { mime: string; base64: string } | null;
  paper: 'a4' | '80mm';
}

export function documentDefinition({ doc, office, logo, paper }: DocumentPdfInput): TDocumentDefinitions {
  const narrow = paper === '80mm';
  const fs = narrow ? 8 : 10;
  const header: Content[] = [];
  if (logo) {
    header.push({
      image: `data:${logo.mime};base64,${logo.base64}`,
      fit: narrow ? [40, 40] : [56, 56],
      alignment: narrow ? 'center' : 'left',
    });
  }
  if (doc.showOfficeName)
    header.push({
      text: office.officeName,
      bold: true,
      fontSize: fs + 5,
      alignment: narrow ? 'center' : 'left',
      margin: [0, 4, 0, 0],
    });
  header.push({
    text: [office.address.replace(/\n/g, ', '), office.phone].filter(Boolean).join(' · '),
    fontSize: fs - 1,
    color: '#555',
    alignment: narrow ? 'center' : 'left',
  });
  return {
    pageSize: narrow ? { width: 226.77, height: 'auto' } : 'A4',
    pageMargins: narrow ? [10, 10, 10, 10] : [50, 50, 50, 50],
    defaultStyle: { font: 'Roboto', fontSize: fs },
    info: { title: `${doc.title} ${doc.number}` },
    content: [
      ...header,
      {
        canvas: [
          { type: 'line', x1: 0, y1: 4, x2: narrow ? 206 : 495, y2: 4, lineWidth: 1.2, lineColor: '#228be6' },
        ],
        margin: [0, 4, 0, 8],
      },
      {
        text: [
          { text: `${doc.title} `, bold: true },
          doc.number,
          {
            text: `  ${doc.badge.text}`,
            bold: true,
            color: doc.badge.tone === 'paid' ? '#2b8a3e' : doc.badge.tone === 'void' ? '#c92a2a' : '#e67700',
          },
        ],
        margin: [0, 0, 0, 8],
      },
      {
        table: {
          widths: narrow ? [70, '*'] : [150, '*'],
          body: [
            ...doc.rows.map(([k, v]) => [{ text: k, color: '#666' }, v]),
            [
              { text: doc.total[0], bold: true, fontSize: fs + 2 },
              { text: doc.total[1], bold: true, fontSize: fs + 2 },
            ],
          ],
        },
        layout: {
          hLineWidth: (i: number, node: { table: { body: unknown[] } }) =>
            i > 0 && i < node.table.body.length ? 0.5 : 0,
          vLineWidth: () => 0,
          hLineColor: () => '#e9ecef',
          paddingTop: () => 3,
          paddingBottom: () => 3,
        },
      },
      ...doc.extra.map((e) => ({ text: e, margin: [0, 6, 0, 0] as [number, number, number, number] })),
      {
        text: office.receiptFooter,
        fontSize: fs - 1,
        color: '#777',
        alignment: 'center',
        margin: [0, 14, 0, 0],
      },
    ],
  };
}
