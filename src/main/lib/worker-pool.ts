/**
 * A small pool of worker threads for work that grows with the data (list reads over big tables, PDFs,
 * imports, exports), so the main thread stays free for router callbacks, /health and the desktop's calls.
 *
 * The main side sends `{ id, task, input }`; a worker entry built with `serveTasks` answers
 * `{ id, ok, value | error }`. An AppError thrown in a worker comes back as an AppError with its code.
 * A task that runs past its time limit terminates its worker (a runaway parse or a decompression bomb
 * cannot be interrupted any other way); the pool starts a fresh worker for the next task.
 *
 *   const pool = new WorkerPool({ name: 'read', entry: workerEntry('read-worker', import.meta.url), size: 2 });
 *   const rows = await pool.run<Row[]>('invoices.list', input);
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import {
  Worker,
  isMainThread,
  parentPort,
  type ResourceLimits,
  type Transferable,
} from 'node:worker_threads';
import { AppError, isErrorCode, type RpcErrorBody } from '../../shared/contract/errors';

/** Where a worker's entry file is; `tsx` is set when it is TypeScript source (tsx, vitest). */
export interface WorkerEntry {
  file: string;
  /** URL of tsx's ESM API, which compiles the source entry and everything it imports inside the worker. */
  tsx?: string;
}

/**
 * The entry `name` next to the calling module: `<dir>/<name>.ts` when running from source, `<bundle
 * dir>/<name>.cjs` in the built app, where scripts/build-main.mjs bundles each worker entry beside
 * dist/main/app.cjs and defines `import.meta.url` as the bundle's own URL.
 */
export function workerEntry(name: string, callerUrl: string): WorkerEntry {
  const callerFile = fileURLToPath(callerUrl);
  if (callerFile.endsWith('.cjs') || callerFile.endsWith('.js')) {
    return { file: join(dirname(callerFile), `${name}.cjs`) };
  }
  // Resolved from the caller rather than the working directory, so it works wherever Rukun starts.
  const pkg = createRequire(callerUrl).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  return { file: join(dirname(callerFile), `${name}.ts`), tsx };
}

/**
 * Node's `--import tsx` does not reach a worker's own entry on Node 20, so a source entry is started through
 * tsx's `tsImport`, which registers its loader for that import graph.
 */
function bootstrap(entry: WorkerEntry): { script: string; eval: boolean } {
  if (!entry.tsx) return { script: entry.file, eval: false };
  const file = pathToFileURL(entry.file).href;
  return {
    script: `import(${JSON.stringify(entry.tsx)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`,
    eval: true,
  };
}

export interface WorkerPoolOptions {
  /** For logs and thread names. */
  name: string;
  entry: WorkerEntry;
  /** Most threads at once; started on demand and kept for the next task. */
  size: number;
  /** Passed to every worker (e.g. the database path). */
  workerData?: unknown;
  /** Default per-task limit (ms); 0 = none. */
  timeoutMs?: number;
  /** Heap caps per worker: a task that blows them fails alone instead of taking the process down. */
  resourceLimits?: ResourceLimits;
  /** The error a task gets when it hits its time limit (default INTERNAL). */
  timeoutError?: (limitMs: number) => AppError;
}

export interface RunOptions {
  timeoutMs?: number;
  timeoutError?: (limitMs: number) => AppError;
  transfer?: readonly Transferable[];
}

interface Job {
  id: number;
  task: string;
  input: unknown;
  options: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Set when we terminate it on purpose (time limit, close), so its exit is not reported twice. */
  retired: boolean;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: RpcErrorBody };

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: WorkerPoolOptions) {}

  /** Runs `task` in a worker; rejects with the worker's AppError, or INTERNAL when the worker died. */
  run<T>(task: string, input: unknown, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'Layanan latar sudah berhenti'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        task,
        input,
        options,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Starts the workers now (they load their modules in the background), so the first task does not wait. */
  warm(): void {
    while (!this.closed && this.slots.size < Math.max(1, this.opts.size)) this.spawn();
  }

  /** Tasks waiting for a free worker (for tests and diagnostics). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Live worker threads. */
  get threads(): number {
    return this.slots.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new AppError('INTERNAL', 'Layanan latar sudah berhenti'));
    await Promise.all(
      [...this.slots].map((s) => {
        s.retired = true;
        if (s.timer) clearTimeout(s.timer);
        s.job?.reject(new AppError('INTERNAL', 'Layanan latar sudah berhenti'));
        s.job = null;
        return s.worker.terminate();
      }),
    );
    this.slots.clear();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.job === null && !s.retired);
      if (!slot) {
        if (this.slots.size >= Math.max(1, this.opts.size)) return;
        slot = this.spawn();
      }
      const job = this.queue.shift();
      if (!job) return;
      this.start(slot, job);
    }
  }

  private spawn(): Slot {
    const boot = bootstrap(this.opts.entry);
    const worker = new Worker(boot.script, {
      eval: boot.eval,
      workerData: this.opts.workerData,
      name: `rukun-${this.opts.name}`,
      ...(this.opts.resourceLimits ? { resourceLimits: this.opts.resourceLimits } : {}),
    });
    // An idle worker must not keep a finished script (bench, CLI) alive.
    worker.unref();
    const slot: Slot = { worker, job: null, timer: null, retired: false };
    worker.on('message', (m: Reply) => this.settle(slot, m));
    worker.on('error', (e) => this.fail(slot, e));
    worker.on('exit', (code) => {
      if (!slot.retired) this.fail(slot, new Error(`worker ${this.opts.name} exited with code ${code}`));
    });
    this.slots.add(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    const limit = job.options.timeoutMs ?? this.opts.timeoutMs ?? 0;
    if (limit > 0) {
      slot.timer = setTimeout(() => {
        this.retire(slot);
        const make = job.options.timeoutError ?? this.opts.timeoutError;
        job.reject(
          make
            ? make(limit)
            : new AppError('INTERNAL', 'Pekerjaan latar terlalu lama dan dihentikan', { timeoutMs: limit }),
        );
        this.pump();
      }, limit);
    }
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, task: job.task, input: job.input }, job.options.transfer ?? []);
  }

  private settle(slot: Slot, m: Reply): void {
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    this.release(slot);
    if (m.ok) job.resolve(m.value);
    else
      job.reject(
        new AppError(isErrorCode(m.error.code) ? m.error.code : 'INTERNAL', m.error.message, m.error.details),
      );
    this.pump();
  }

  private fail(slot: Slot, e: unknown): void {
    const job = slot.job;
    this.retire(slot);
    job?.reject(
      e instanceof AppError
        ? e
        : new AppError('INTERNAL', 'Layanan latar berhenti mendadak', {
            reason: e instanceof Error ? e.message : String(e),
            workerDied: true,
          }),
    );
    this.pump();
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  private retire(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.retired = true;
    this.slots.delete(slot);
    void slot.worker.terminate();
  }
}

export type TaskHandlers = Record<string, (input: never) => unknown>;

/**
 * The worker side: answers the pool's messages with `handlers[task](input)`. Errors cross as data
 * (code, message, details), never as stack traces.
 */
export function serveTasks(handlers: TaskHandlers): void {
  if (isMainThread || !parentPort) throw new Error('serveTasks runs inside a worker thread');
  const port = parentPort;
  port.on('message', (m: { id: number; task: string; input: unknown }) => {
    void (async () => {
      try {
        const handler = handlers[m.task];
        if (!handler) throw new AppError('INTERNAL', `Unknown worker task ${m.task}`);
        const value = await (handler as (input: unknown) => unknown)(m.input);
        port.postMessage({ id: m.id, ok: true, value } satisfies Reply);
      } catch (e) {
        const error: RpcErrorBody =
          e instanceof AppError
            ? { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }
            : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        port.postMessage({ id: m.id, ok: false, error } satisfies Reply);
      }
    })();
  });
}
