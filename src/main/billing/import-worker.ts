/**
 * Worker thread entry for reading import files (see import-read.ts): the main thread keeps answering router
 * callbacks, /health and the desktop while a file — possibly a zip bomb — is read here under a time limit.
 */
import { serveTasks } from '../lib/worker-pool';
import { readImport, type ReadLimits, type ReadRequest } from './import-read';

serveTasks({
  'import.read': (input: { req: ReadRequest; limits: ReadLimits }) => readImport(input.req, input.limits),
});
