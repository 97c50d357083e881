/** Shared set-up for RouterOS tests: an emulator on loopback and a logged-in client. */
import {
  createRouterOsClient,
  type RouterOsClient,
  type RouterOsClientOptions,
} from '../../src/main/routeros/index.js';
import { type EmulatorOptions, RouterOsEmulator } from '../emulator/routeros/index.js';

export const VERSIONS = ['6.49', '7.15', '7.18'] as const;
export const USER = { name: 'admin', password: 'rahasia' };

export interface Pair {
  emu: RouterOsEmulator;
  client: RouterOsClient;
  port: number;
  clientFor(opts?: Partial<RouterOsClientOptions>): RouterOsClient;
  close(): Promise<void>;
}

export async function startPair(
  emuOpts: EmulatorOptions = {},
  clientOpts: Partial<RouterOsClientOptions> = {},
): Promise<Pair> {
  const emu = new RouterOsEmulator({ users: [USER], ...emuOpts });
  const { port } = await emu.start();
  const clients: RouterOsClient[] = [];
  const clientFor = (opts: Partial<RouterOsClientOptions> = {}): RouterOsClient => {
    const c = createRouterOsClient({
      host: '127.0.0.1',
      port,
      username: USER.name,
      password: USER.password,
      timeoutMs: 3000,
      connectTimeoutMs: 3000,
      ...(emuOpts.tls ? { tls: { rejectUnauthorized: false } } : {}),
      ...clientOpts,
      ...opts,
    });
    clients.push(c);
    return c;
  };
  const client = clientFor();
  await client.connect();
  return {
    emu,
    client,
    port,
    clientFor,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await emu.stop();
    },
  };
}

/** Resolves when `pred()` holds, checking on every turn of the event loop (no fixed sleeps). */
export async function until(pred: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
