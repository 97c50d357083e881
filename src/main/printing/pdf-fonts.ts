/**
 * One pdfmake printer for the process, with Roboto from pdfmake's own bundle: no network and no system fonts,
 * so a voucher prints the same on every office PC. pdfmake's classic Roboto has no Bold cut; Medium stands in
 * for bold, as pdfmake's browser build does.
 */
import PdfPrinter from 'pdfmake';
import vfs from 'pdfmake/build/vfs_fonts.js';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';

function font(name: string): Buffer {
  const b64 = vfs[name];
  if (!b64) throw new Error(`Font ${name} tidak ditemukan di pdfmake/build/vfs_fonts.js`);
  return Buffer.from(b64, 'base64');
}

let printer: PdfPrinter | null = null;

function getPrinter(): PdfPrinter {
  printer ??= new PdfPrinter({
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  });
  return printer;
}

let measurer: PDFKit.PDFDocument | null = null;

/**
 * Width in points of `text` set in Roboto (Medium when bold): the real advance widths, so a code that must stay on
 * one line is shrunk exactly as much as needed. Uses a scratch document that is never written out.
 */
export function measureTextWidth(text: string, size: number, bold: boolean, characterSpacing = 0): number {
  if (!measurer) {
    measurer = getPrinter().createPdfKitDocument({ content: [] });
    // Registered by name so pdfkit parses each font once; `font(buffer)` would re-parse on every call.
    measurer.registerFont('measure-regular', font('Roboto-Regular.ttf'));
    measurer.registerFont('measure-bold', font('Roboto-Medium.ttf'));
  }
  return measurer
    .font(bold ? 'measure-bold' : 'measure-regular')
    .fontSize(size)
    .widthOfString(text, { characterSpacing });
}

export function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = getPrinter().createPdfKitDocument(doc);
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.end();
  });
}
