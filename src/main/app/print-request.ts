/** A print job from the renderer, checked before anything touches the disk or a printer. */
export interface PrintRequest {
  pdf: Buffer;
  printer?: string;
  silent: boolean;
}

/** Vouchers for a whole batch stay well under this; anything larger is a bug or abuse. */
export const MAX_PRINT_BYTES = 32 * 1024 * 1024;

type Parsed = { ok: true; value: PrintRequest } | { ok: false; error: 'VALIDATION' };

/** Validates the untrusted IPC arguments of `desktop.printPdf`: base64 of a real PDF, and sane options. */
export function parsePrintRequest(pdfBase64: unknown, options: unknown): Parsed {
  const invalid: Parsed = { ok: false, error: 'VALIDATION' };
  if (typeof pdfBase64 !== 'string' || pdfBase64.length === 0) return invalid;
  if (pdfBase64.length > Math.ceil(MAX_PRINT_BYTES / 3) * 4) return invalid;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(pdfBase64)) return invalid;
  const pdf = Buffer.from(pdfBase64, 'base64');
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return invalid;

  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    return invalid;
  }
  const { printer, silent } = (options ?? {}) as { printer?: unknown; silent?: unknown };
  if (
    printer !== undefined &&
    (typeof printer !== 'string' || printer.length === 0 || printer.length > 256)
  ) {
    return invalid;
  }
  if (silent !== undefined && typeof silent !== 'boolean') return invalid;
  return { ok: true, value: { pdf, ...(printer !== undefined ? { printer } : {}), silent: silent ?? false } };
}

/** Electron dropped `isDefault` from PrinterInfo; some platforms still report it, others only in options. */
export function toPrinterSummary(p: { name: string; options?: unknown; isDefault?: unknown }): {
  name: string;
  isDefault: boolean;
} {
  const opts = (typeof p.options === 'object' && p.options !== null ? p.options : {}) as Record<
    string,
    unknown
  >;
  const flag = p.isDefault ?? opts['is-default'] ?? opts.isDefault;
  return { name: p.name, isDefault: flag === true || flag === 'true' };
}
