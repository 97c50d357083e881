import { BrowserWindow, session, type WebContents } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../lib/logger';
import { toPrinterSummary, type PrintRequest } from './print-request';

export { parsePrintRequest } from './print-request';

const LOAD_TIMEOUT_MS = 30_000;

/** A PDF the viewer cannot open must fail the job, not leave the renderer waiting forever. */
function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error('Dokumen tidak dapat dibuka untuk dicetak (waktu habis).'));
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Printing has its own in-memory session, so the PDF viewer is never subject to (or given) the app's policy. */
const PRINT_PARTITION = 'rukun-print';

/**
 * Prints a PDF through Chromium's PDF viewer in a hidden window: the only window with plugins enabled, no
 * preload, sandboxed, and closed (with its temp file removed) as soon as the job is handed to the spooler.
 */
export async function printPdf(req: PrintRequest, log: Logger): Promise<{ ok: boolean; error?: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rukun-print-'));
  const file = join(dir, 'dokumen.pdf');
  let win: BrowserWindow | null = null;
  try {
    await writeFile(file, req.pdf, { mode: 0o600 });
    const ses = session.fromPartition(PRINT_PARTITION);
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    win = new BrowserWindow({
      show: false,
      webPreferences: {
        session: ses,
        plugins: true,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    const loading = win;
    await withTimeout(loading.loadFile(file), LOAD_TIMEOUT_MS, () => loading.destroy());
    const target = win.webContents;
    return await new Promise((resolve) => {
      target.print(
        {
          silent: req.silent,
          printBackground: true,
          margins: { marginType: 'none' },
          ...(req.printer ? { deviceName: req.printer } : {}),
        },
        (success, failureReason) =>
          resolve(success ? { ok: true } : { ok: false, error: failureReason || 'cancelled' }),
      );
    });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    log.error('print failed', { error });
    return { ok: false, error };
  } finally {
    if (win && !win.isDestroyed()) win.destroy();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

export async function listPrinters(wc: WebContents): Promise<{ name: string; isDefault: boolean }[]> {
  const printers = await wc.getPrintersAsync();
  return printers.map((p) => toPrinterSummary(p));
}
