import type { Role } from '../shared/contract/permissions';
import type { Clock } from './lib/clock';
import type { IdGen } from './lib/ids';
import type { Logger } from './lib/logger';
import type { Database } from './db/database';
import type { Reads } from './db/read-pool';
import type { EventBus } from './events';

/** Who is doing something: a logged-in user over a transport, or Rukun itself (schedulers, workers). */
export interface Actor {
  userId: string | null;
  name: string;
  role: Role | null;
  via: 'ipc' | 'http' | 'system';
}

export const systemActor: Actor = { userId: null, name: 'Sistem', role: null, via: 'system' };

/** The shared dependencies every service receives; tests build one with an in-memory database. */
export interface Deps {
  database: Database;
  /** Heavy reads (long lists, searches) on worker threads; see src/main/db/read-tasks.ts. */
  reads: Reads;
  clock: Clock;
  ids: IdGen;
  log: Logger;
  events: EventBus;
}
