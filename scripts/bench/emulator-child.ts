/** A RouterOS emulator (7.18) in its own Node process, so a benchmark measures our client, not the emulator. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EMULATOR_CLI = fileURLToPath(new URL('../../tests/emulator/routeros/cli.ts', import.meta.url));

/** Starts `tests/emulator/routeros/cli.ts --bare --frozen` with one API user plus `args`; resolves once it listens. */
export async function startEmulatorChild(
  user: { name: string; password: string },
  args: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      EMULATOR_CLI,
      '--version',
      '7.18',
      '--port',
      '0',
      '--bare',
      '--frozen',
      '--user',
      `${user.name}:${user.password}`,
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator child did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: boolean; port?: number };
        if (msg.ready && msg.port) {
          clearTimeout(timer);
          resolve(msg.port);
        }
      } catch {
        // not our line
      }
    });
  });
  return { child, port };
}
