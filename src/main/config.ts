import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface HeadlessConfig {
  dataDir: string;
  host: string;
  port: number;
}

export const DEFAULT_PORT = 3210;

/** Flags win over environment variables, which win over defaults. */
export function resolveHeadlessConfig(argv: string[], env: NodeJS.ProcessEnv): HeadlessConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
  });
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const dataDir = str(values['data-dir']) ?? str(env.RUKUN_DATA_DIR) ?? join(homedir(), '.rukun');
  const host = str(values.host) ?? str(env.RUKUN_HOST) ?? '127.0.0.1';
  const portRaw = str(values.port) ?? str(env.RUKUN_PORT) ?? String(DEFAULT_PORT);
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${portRaw}`);
  return { dataDir, host, port };
}
