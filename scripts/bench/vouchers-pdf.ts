/**
 * How long the A4 compact PDF of 1,000 vouchers takes (target < 3 s): the print run an office starts right after
 * generating a batch. The first render warms up font parsing and is not counted.
 */
import { pathToFileURL } from 'node:url';
import { renderVoucherPdf } from '../../src/main/printing/voucher-pdf';
import { generateVoucherCodes } from '../../src/shared/vouchers/codegen';
import type { Bench, BenchResult } from './types';

async function run(): Promise<BenchResult[]> {
  const codes = generateVoucherCodes({
    length: 6,
    charset: 'alnumUpper',
    prefix: '',
    count: 1000,
    passwordMode: 'same',
  });
  const vouchers = codes.map((c) => ({
    ...c,
    price: 5000,
    validityMs: 86_400_000,
    profileName: '1Hari',
    batchLabel: 'BENCH',
  }));
  const input = {
    layout: 'a4-compact' as const,
    vouchers,
    office: { name: 'Rukun Bench Net' },
    hotspotDnsName: 'hotspot.bench',
  };
  await renderVoucherPdf({ ...input, vouchers: vouchers.slice(0, 3) });
  const runs: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    await renderVoucherPdf(input);
    runs.push((performance.now() - t0) / 1000);
  }
  runs.sort((a, b) => a - b);
  // Median of three: one GC pause should not decide the figure.
  return [{ name: 'vouchers.pdf1000.seconds', value: Number((runs[1] ?? 0).toFixed(3)), unit: 's' }];
}

export const bench: Bench = { prefix: 'vouchers.pdf', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench.run()) console.log(`${r.name} ${r.value} ${r.unit}`);
}
