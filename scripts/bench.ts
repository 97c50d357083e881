/**
 * Runs every benchmark (or those whose figure names start with the given prefix), prints a table and
 * writes the figures to bench/results/latest.json as [{ name, value, unit }].
 *
 *   npm run bench                 all
 *   npm run bench -- routeros.    a subset
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench as billing, importBench } from './bench/billing';
import { bench as foundation } from './bench/foundation';
import { bench as httpLoad } from './bench/http-load';
import { bench as routeros } from './bench/routeros';
import { bench as routersBench } from './bench/routers';
import { bench as ui } from './bench/ui';
import type { Bench, BenchResult } from './bench/types';
import { bench as vouchersPdf } from './bench/vouchers-pdf';
import { bench as vouchersPush } from './bench/vouchers';
import { bench as whatsapp } from './bench/whatsapp';

/** Every bench module; a new feature adds its own here. `names` lists the figures each one produces. */
const BENCHES: { bench: Bench; names: string[] }[] = [
  { bench: foundation, names: ['core.cold_start.ms', 'rpc.roundtrip_p50.ms'] },
  {
    bench: billing,
    names: [
      'billing.invoice_run_20k.seconds',
      'billing.invoice_run_20k.vs_floor',
      'billing.invoice_notices_20k.seconds',
      'billing.customer_search.ms',
      'billing.ledger_balance.ms',
    ],
  },
  { bench: importBench, names: ['billing.import25k_max_stall.ms'] },
  {
    bench: routeros,
    names: ['routeros.add1000.pipelined_speedup', 'routeros.read25k.seconds', 'routeros.read25k.extra_mb'],
  },
  { bench: routersBench, names: ['routers.jobs_push1000.seconds', 'routers.reconcile20k.seconds'] },
  { bench: vouchersPdf, names: ['vouchers.pdf1000.seconds'] },
  { bench: vouchersPush, names: ['vouchers.push1000.seconds'] },
  { bench: whatsapp, names: ['whatsapp.schedule10k.seconds'] },
  { bench: ui, names: ['ui.scroll_vouchers10k.p95_frame_ms', 'ui.scroll_customers20k.p95_frame_ms'] },
  {
    bench: httpLoad,
    names: ['http.health_under_load_p99.ms', 'http.health_under_load_p50.ms', 'http.lists_under_load.rps'],
  },
];

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = BENCHES.filter(({ bench, names }) =>
  filters.length === 0
    ? true
    : filters.some((f) => bench.prefix.startsWith(f) || names.some((n) => n.startsWith(f))),
);

const results: BenchResult[] = [];
for (const { bench } of selected) {
  const t0 = performance.now();
  const figures = await bench.run();
  for (const f of figures) {
    if (filters.length === 0 || filters.some((p) => f.name.startsWith(p) || bench.prefix.startsWith(p)))
      results.push(f);
  }
  process.stderr.write(`  ${bench.prefix}* done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

console.table(results.map((r) => ({ name: r.name, value: Number(r.value.toFixed(3)), unit: r.unit })));
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
// A subset run updates its own figures and keeps the others, so latest.json always lists every figure.
let previous: BenchResult[] = [];
try {
  previous = filters.length > 0 ? (JSON.parse(readFileSync(out, 'utf8')) as BenchResult[]) : [];
} catch {
  previous = [];
}
const fresh = new Set(results.map((r) => r.name));
const merged = [...previous.filter((r) => !fresh.has(r.name)), ...results];
const order = BENCHES.flatMap((b) => b.names);
merged.sort((a, b) => (order.indexOf(a.name) + 1 || 999) - (order.indexOf(b.name) + 1 || 999));
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`written to ${out}`);
process.exit(0);
