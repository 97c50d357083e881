import { documentDefinition, type DocumentPdfInput } from './document-pdf';
import { renderPdf } from './pdf-fonts';
import { renderVoucherPdf, type VoucherPdfInput } from './voucher-pdf';

/**
 * PDFs are laid out, fonts subset and compressed by pdfmake synchronously: 1,000 vouchers hold a thread for
 * seconds. These run on the PDF worker (pdf-worker.ts), from plain data.
 */
export const pdfTasks = {
  voucherPdf: (input: VoucherPdfInput) => renderVoucherPdf(input),
  documentPdf: (input: DocumentPdfInput) => renderPdf(documentDefinition(input)),
};

export type PdfTask = keyof typeof pdfTasks;
export type PdfInput<K extends PdfTask> = Parameters<(typeof pdfTasks)[K]>[0];
