/**
 * Load clients for scripts/bench/http-load.ts, on a worker thread so their JSON parsing does not delay the
 * /health probe on the bench's main thread. Each client loops: list or search customers or invoices.
 */
import { Agent, request } from 'node:http';
import { serveTasks } from '../../src/main/lib/worker-pool';

export interface LoadInput {
  port: number;
  token: string;
  clients: number;
  durationMs: number;
  customers: number;
  invoicesInPeriod: number;
  period: string;
  words: string[];
  seed: number;
}

export interface LoadOutput {
  requests: number;
  errors: number;
  latenciesMs: number[];
}

function call(agent: Agent, port: number, token: string, method: string, input: unknown): Promise<number> {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/rpc/${method}`,
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          const ok = (JSON.parse(data) as { ok: boolean }).ok;
          resolve(res.statusCode === 200 && ok ? 1 : 0);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(i: LoadInput): Promise<LoadOutput> {
  const agent = new Agent({ keepAlive: true, maxSockets: i.clients });
  let rnd = i.seed;
  // A small deterministic generator: every run makes the same requests.
  const next = (n: number) => {
    rnd = (rnd * 1_103_515_245 + 12_345) % 2_147_483_648;
    return rnd % n;
  };
  const page = (rows: number) => Math.floor(next(Math.max(1, rows)) / 200) * 200;
  const ops: (() => [string, unknown])[] = [
    () => ['customers.list', { offset: page(i.customers), limit: 200 }],
    () => ['customers.list', { search: i.words[next(i.words.length)], limit: 50 }],
    () => ['invoices.list', { period: i.period, offset: page(i.invoicesInPeriod), limit: 200 }],
    () => ['invoices.list', { search: i.words[next(i.words.length)], limit: 50 }],
  ];
  const out: LoadOutput = { requests: 0, errors: 0, latenciesMs: [] };
  const deadline = performance.now() + i.durationMs;
  await Promise.all(
    Array.from({ length: i.clients }, async () => {
      while (performance.now() < deadline) {
        const [method, input] = ops[next(ops.length)]!();
        const t0 = performance.now();
        const ok = await call(agent, i.port, i.token, method, input).catch(() => 0);
        out.latenciesMs.push(performance.now() - t0);
        out.requests++;
        if (!ok) out.errors++;
      }
    }),
  );
  agent.destroy();
  return out;
}

serveTasks({ load: (input: LoadInput) => load(input) });
