/** The PDF worker: renders the tasks of pdf-tasks.ts off the main thread. */
import { serveTasks, type TaskHandlers } from '../lib/worker-pool';
import { pdfTasks } from './pdf-tasks';

serveTasks(pdfTasks as unknown as TaskHandlers);
