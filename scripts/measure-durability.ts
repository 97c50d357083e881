/**
 * What durable money commits cost (issue 9 #6). On a real file in a temp dir, each scenario runs with:
 *   normal   every commit synchronous=NORMAL (Rukun before the fix)
 *   money    money-moving calls synchronous=FULL through Database.durably, the rest NORMAL (Rukun now)
 *   full     every commit synchronous=FULL (the alternative: one global setting)
 * Scenarios: a burst of payments recorded one after another through the dispatcher, the same burst sent
 * all at once, an invoice run over 2,000 subscriptions, and 1,000 router-job status commits (two small
 * autocommit writes per voucher pushed: what a global FULL would slow down).
 *   npx tsx scripts/measure-durability.ts [payments=300] [subscriptions=2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../src/main/core';
import { FakeClock } from '../src/main/lib/clock';

type Mode = 'normal' | 'money' | 'full';
const MODES: Mode[] = process.env.MODES
  ? (process.env.MODES.split(',') as Mode[])
  : ['normal', 'money', 'full'];
const PAYMENTS = Number(process.argv[2] ?? 300);
const SUBSCRIPTIONS = Number(process.argv[3] ?? 2000);
const JOBS = 1000;

async function withCore<T>(mode: Mode, fn: (core: Core, token: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rukun-durability-'));
  const core = createCore({
    dataDir: dir,
    clock: new FakeClock(Date.UTC(2026, 10, 21, 3)),
    logLevel: 'silent',
  });
  await core.start();
  try {
    const db = core.deps.database;
    if (mode !== 'money') db.durably = (f) => f();
    if (mode === 'full') db.sqlite.pragma('synchronous = FULL');
    const setup = await core.call('auth.setup', {
      officeName: 'Ukur Net',
      fullName: 'Pemilik Ukur',
      username: 'owner',
      password: 'rahasia-kuat-1',
    });
    if (!setup.ok) throw new Error(setup.error.message);
    return await fn(core, (setup.value as { token: string }).token);
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function must<T>(core: Core, method: string, input: unknown, token: string): Promise<T> {
  const r = await core.call(method, input, { token });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

async function paymentBurst(mode: Mode, parallel: boolean): Promise<number> {
  return withCore(mode, async (core, token) => {
    const customers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const c = await must<{ id: string }>(
        core,
        'customers.create',
        { name: `Pelanggan ${i}`, phone: `08123${String(100000 + i)}` },
        token,
      );
      customers.push(c.id);
    }
    const pay = (i: number) =>
      must(
        core,
        'payments.record',
        { customerId: customers[i % customers.length], amount: 10_000 + i, method: 'cash' },
        token,
      );
    const t0 = performance.now();
    if (parallel) await Promise.all(Array.from({ length: PAYMENTS }, (_, i) => pay(i)));
    else for (let i = 0; i < PAYMENTS; i++) await pay(i);
    return performance.now() - t0;
  });
}

async function invoiceRun(mode: Mode): Promise<number> {
  return withCore(mode, async (core, token) => {
    const pkg = await must<{ id: string }>(
      core,
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
      token,
    );
    const sqlite = core.deps.database.sqlite;
    const ids = core.deps.ids;
    const now = core.deps.clock.now();
    sqlite.transaction(() => {
      const cust = sqlite.prepare(
        `INSERT INTO customers (id, code, name, phone, address, area, status, registered_on, created_at, updated_at)
         VALUES (?,?,?,?,'Jl. Melati','Sukamaju','active','2026-01-01',?,?)`,
      );
      const sub = sqlite.prepare(
        `INSERT INTO subscriptions (id, customer_id, package_id, router_id, username, password_enc, billing_day, discount, status, start_date, created_at, updated_at)
         VALUES (?,?,?,'ukur-router',?,'v1:x',?,0,'active','2026-01-01',?,?)`,
      );
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        const id = ids();
        cust.run(
          id,
          `UKR-${String(i).padStart(5, '0')}`,
          `Pelanggan ${i}`,
          `628${1_000_000_000 + i}`,
          now,
          now,
        );
        sub.run(ids(), id, pkg.id, `UKR${i}`, (i % 28) + 1, now, now);
      }
    })();
    const t0 = performance.now();
    await must(core, 'invoices.generate', { date: '2026-11-28' }, token);
    return performance.now() - t0;
  });
}

/** Router-job bookkeeping: a running mark and a done mark per job, each its own autocommit write. */
async function jobCommits(mode: Mode): Promise<number> {
  return withCore(mode, async (core) => {
    const sqlite = core.deps.database.sqlite;
    sqlite.exec('CREATE TABLE ukur_jobs (id INTEGER PRIMARY KEY, state TEXT, at INTEGER)');
    const insert = sqlite.prepare('INSERT INTO ukur_jobs (id, state, at) VALUES (?, ?, 0)');
    sqlite.transaction(() => {
      for (let i = 1; i <= JOBS; i++) insert.run(i, 'queued');
    })();
    const mark = sqlite.prepare('UPDATE ukur_jobs SET state = ?, at = ? WHERE id = ?');
    const t0 = performance.now();
    for (let i = 1; i <= JOBS; i++) {
      mark.run('running', i, i);
      mark.run('done', i, i);
    }
    return performance.now() - t0;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main() {
  const rounds = Number(process.env.ROUNDS ?? 3);
  const scenarios: [string, (m: Mode) => Promise<number>][] = [
    [`${PAYMENTS} payments, one after another`, (m) => paymentBurst(m, false)],
    [`${PAYMENTS} payments, all at once`, (m) => paymentBurst(m, true)],
    [`invoice run, ${SUBSCRIPTIONS} subscriptions`, invoiceRun],
    [`${JOBS} router jobs (2 commits each)`, jobCommits],
  ];
  const table: Record<string, Record<Mode, string>> = {};
  for (const [name, run] of scenarios) {
    const times: Record<Mode, number[]> = { normal: [], money: [], full: [] };
    // Modes take turns in a rotating order, so warm-up and a busy neighbour do not favour one of them.
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < MODES.length; k++) {
        const mode = MODES[(k + r) % MODES.length] as Mode;
        times[mode].push(await run(mode));
      }
    }
    table[name] = {
      normal: `${median(times.normal).toFixed(0)} ms`,
      money: `${median(times.money).toFixed(0)} ms`,
      full: `${median(times.full).toFixed(0)} ms`,
    };
  }
  console.table(table);
}

void main();
