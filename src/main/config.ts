import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface HeadlessConfig {
  dataDir: string;
  host: string;
  port: number;
  /**
   * Extra host names the API answers to (comma-separated `RUKUN_ALLOWED_HOSTS` / `--allowed-hosts`), e.g. a
   * reverse proxy's `rukun.kantor.id` or the dev server's `localhost:5173`. This machine's own addresses
   * are always served; any other `Host` is refused (DNS rebinding).
   */
  allowedHosts?: string[];
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
      'allowed-hosts': { type: 'string' },
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
  const allowedHosts = (str(values['allowed-hosts']) ?? str(env.RUKUN_ALLOWED_HOSTS) ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  return { dataDir, host, port, allowedHosts };
}
