/**
 * Standalone emulator for the demo and benches:
 *
 *   npx tsx tests/emulator/routeros/cli.ts --version 7.18 --port 18728
 *
 * Options: --version 6.49|7.15|7.18, --host, --port (0 = random), --tls (API-SSL with the committed self-signed
 * test certificate; --tls-cert FILE --tls-key FILE for your own), --tls-anon (API-SSL without a certificate:
 * anonymous DH, as a router with no certificate set), --user name:password (repeatable;
 * default admin with an empty password), --latency MS, --bare (no office seed), --bulk-users N,
 * --bulk-secrets N, --frozen (emulated clock does not follow real time), --log.
 * Prints one JSON line `{"ready":true,"host":...,"port":...}` on stdout when listening.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { RouterOsEmulator } from './emulator.js';
import type { EmulatorVersion } from './menus.js';
import { seedBulk, seedOffice } from './seed.js';
import { attachScriptInterpreter } from './script/index.js';

export async function startEmulatorCli(argv: string[]): Promise<RouterOsEmulator> {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: 'string', default: '7.18' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8728' },
      tls: { type: 'boolean', default: false },
      'tls-anon': { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      user: { type: 'string', multiple: true },
      latency: { type: 'string', default: '0' },
      bare: { type: 'boolean', default: false },
      'bulk-users': { type: 'string', default: '0' },
      'bulk-secrets': { type: 'string', default: '0' },
      frozen: { type: 'boolean', default: false },
      log: { type: 'boolean', default: false },
    },
  });
  const version = values.version as EmulatorVersion;
  if (!['6.49', '7.15', '7.18'].includes(version)) throw new Error(`unsupported --version ${values.version}`);
  const users = (values.user ?? ['admin:']).map((u) => {
    const i = u.indexOf(':');
    return i === -1 ? { name: u, password: '' } : { name: u.slice(0, i), password: u.slice(i + 1) };
  });
  const emu = new RouterOsEmulator({
    version,
    host: values.host,
    port: Number(values.port),
    tls: values['tls-anon']
      ? 'anonymous-dh'
      : values['tls-cert'] && values['tls-key']
        ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) }
        : values.tls,
    users,
    log: values.log,
    now: Date.now(),
    faults: { latencyMs: Number(values.latency) },
  });
  if (!values.bare) seedOffice(emu);
  // Router scripts (voucher on-login, expiry scheduler) really run, and their /tool fetch reaches the app.
  attachScriptInterpreter(emu);
  seedBulk(emu, Number(values['bulk-users']), Number(values['bulk-secrets']));
  const { host, port } = await emu.start();
  if (!values.frozen) {
    setInterval(() => emu.advanceTime(1000), 1000).unref();
  }
  const ready = {
    ready: true,
    host,
    port,
    version: emu.profile.fullVersion,
    tlsFingerprint: emu.tlsFingerprint,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  return emu;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startEmulatorCli(process.argv.slice(2))
    .then((emu) => {
      const stop = (): void => {
        void emu.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    });
}
