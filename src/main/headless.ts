import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveHeadlessConfig, type HeadlessConfig } from './config';
import { createCore, type Core, type CoreConfig } from './core';
import { protectDir } from './db/database';

const here = dirname(fileURLToPath(import.meta.url));
/** Built renderer: dist/renderer at the project root (src/main/headless.ts → ../../dist/renderer). */
export const RENDERER_DIR = resolve(here, '..', '..', 'dist', 'renderer');

/** Headless mode: the same core in plain Node, serving the built UI and the contract over HTTP. */
export async function startHeadless(cfg: HeadlessConfig, extra: Partial<CoreConfig> = {}): Promise<Core> {
  // Owner-only: the directory holds the database and the key that decrypts the stored router passwords.
  protectDir(cfg.dataDir);
  const core = createCore({
    dataDir: cfg.dataDir,
    headless: true,
    http: {
      host: cfg.host,
      port: cfg.port,
      serveApi: true,
      rendererDir: RENDERER_DIR,
      allowedHosts: cfg.allowedHosts ?? [],
    },
    ...extra,
  });
  await core.start();
  return core;
}

async function main() {
  const cfg = resolveHeadlessConfig(process.argv.slice(2), process.env);
  const core = await startHeadless(cfg);
  process.stdout.write(
    `Rukun (headless) siap di ${core.httpUrl} — data: ${join(cfg.dataDir, 'rukun.db')}, ` +
      `kunci data: ${join(cfg.dataDir, 'secret.key')}\n`,
  );
  const shutdown = async () => {
    await core.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
