import { AppError } from '../../shared/contract/errors';
import { WorkerPool, workerEntry } from '../lib/worker-pool';
import { pdfTasks, type PdfInput, type PdfTask } from './pdf-tasks';

let pool: WorkerPool | null = null;

/**
 * Renders a PDF on the PDF worker thread (one for the process, started on first use; an idle worker does
 * not keep the process alive). If the worker cannot start or dies, the PDF is rendered here instead: a
 * receipt that prints late beats one that does not print.
 */
export async function renderPdfInWorker<K extends PdfTask>(task: K, input: PdfInput<K>): Promise<Buffer> {
  pool ??= new WorkerPool({
    name: 'pdf',
    entry: workerEntry('pdf-worker', import.meta.url),
    size: 1,
    // A runaway layout must not hold the worker forever.
    timeoutMs: 120_000,
    timeoutError: () => new AppError('INTERNAL', 'Membuat PDF terlalu lama dan dihentikan'),
  });
  try {
    const bytes = await pool.run<Uint8Array>(task, input);
    // Structured clone hands back a Uint8Array: view it as a Buffer without copying.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    if (e instanceof AppError && e.details?.['workerDied'])
      return (pdfTasks[task] as (i: PdfInput<K>) => Promise<Buffer>)(input);
    throw e;
  }
}

/** Stops the PDF worker (tests, shutdown). */
export async function closePdfWorker(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}
