/**
 * Foundation benchmarks.
 *   core.cold_start.ms    empty data dir → migrations run → HTTP listener ready (median of 5). Target < 1,000.
 *   rpc.roundtrip_p50.ms  a small authenticated contract call (settings.get) over HTTP on loopback, p50 of
 *                         2,000 calls after warm-up. Target < 5.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../src/main/core';
import type { Bench, BenchResult } from './types';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function post(port: number, path: string, body: string, token?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: keepAlive,
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve(data));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

async function coldStart(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'rukun-bench-'));
    const t0 = performance.now();
    const core = createCore({
      dataDir: dir,
      logLevel: 'silent',
      http: { host: '127.0.0.1', port: 0, serveApi: true },
    });
    await core.start();
    times.push(performance.now() - t0);
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

async function rpcRoundtrip(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'rukun-bench-'));
  const core = createCore({
    dataDir: dir,
    logLevel: 'silent',
    http: { host: '127.0.0.1', port: 0, serveApi: true },
  });
  await core.start();
  try {
    const port = Number(new URL(core.httpUrl ?? '').port);
    const setup = JSON.parse(
      await post(
        port,
        '/api/rpc/auth.setup',
        JSON.stringify({
          officeName: 'Bench Net',
          fullName: 'Bench Owner',
          username: 'bench',
          password: 'bench-password-1',
        }),
      ),
    ) as { value: { token: string } };
    const token = setup.value.token;
    for (let i = 0; i < 200; i++) await post(port, '/api/rpc/settings.get', '{}', token);
    const samples: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = performance.now();
      await post(port, '/api/rpc/settings.get', '{}', token);
      samples.push(performance.now() - t0);
    }
    return median(samples);
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  prefix: 'core.',
  async run(): Promise<BenchResult[]> {
    return [
      { name: 'core.cold_start.ms', value: await coldStart(), unit: 'ms' },
      { name: 'rpc.roundtrip_p50.ms', value: await rpcRoundtrip(), unit: 'ms' },
    ];
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await bench.run());
}
