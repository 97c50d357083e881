import { m0001 } from './0001_foundation';
import { m0002 } from './0002_routers';
import { m0003 } from './0003_vouchers';
import { m0004 } from './0004_billing';
import { m0005 } from './0005_whatsapp';
import { m0006 } from './0006_reconcile_policy';
import { m0007 } from './0007_whatsapp_inbound';
import { m0008 } from './0008_router_tls_pinning';
import { m0009 } from './0009_list_indexes';
import { m0010 } from './0010_import_jobs';
import type { Migration } from './types';

/**
 * Static index of every migration, in order. No directory scanning: it breaks inside a packaged archive.
 * Append only; never edit a migration that has shipped.
 */
export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
export type { Migration };
