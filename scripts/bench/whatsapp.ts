/**
 * WhatsApp benchmarks.
 *   whatsapp.schedule10k.seconds  10,000 reminders: render each text (variables + greeting/closing variation),
 *                                 plan its paced send time (gaps, rests, hourly/daily caps, business hours)
 *                                 and insert it into the durable queue, in one transaction on a file database.
 *                                 Median of 3. Target < 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import { FakeMessenger } from '../../src/main/whatsapp/fake-messenger';
import type { WhatsappFeature } from '../../src/main/whatsapp/index';
import type { NewMessage } from '../../src/main/whatsapp/queue';
import { DEFAULT_TEMPLATES, dueStatusText } from '../../src/shared/whatsapp/templates';
import type { Bench, BenchResult } from './types';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function scheduleOnce(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rukun-bench-wa-'));
  const core = createCore({
    dataDir,
    clock: new FakeClock(Date.UTC(2026, 10, 23, 0, 0)),
    logLevel: 'silent',
  });
  await core.start();
  try {
    const wa = core.features.find((f) => f.name === 'whatsapp') as WhatsappFeature;
    await wa.api.setMessenger(new FakeMessenger(core.deps.clock, { connected: true }));
    await wa.stop?.();
    const t0 = performance.now();
    const messages: NewMessage[] = [];
    for (let i = 0; i < 10_000; i++) {
      const values = {
        nama: `Pelanggan ${i}`,
        paket: 'Paket 20 Mbps',
        periode: 'Desember 2026',
        total: 'Rp 150.000',
        jatuh_tempo: '26 November 2026',
        status_jatuh_tempo: dueStatusText(3),
        link_bayar: `http://192.168.1.10:3210/i/${i}`,
        rekening: 'BRI 0123-01-000456-50-7 a.n. Budi Santoso',
        nama_usaha: 'Sukamaju Net',
      };
      messages.push({
        kind: 'reminder',
        phone: `62812${String(10_000_000 + i)}`,
        body: wa.api.templates.render(DEFAULT_TEMPLATES.reminder, values),
        customerName: values.nama,
        dedupeKey: `bench:${i}`,
      });
    }
    const res = wa.api.queue.enqueue(messages, { priority: 'paced' });
    const seconds = (performance.now() - t0) / 1000;
    if (res.ids.length !== 10_000) throw new Error(`queued ${res.ids.length}`);
    return seconds;
  } finally {
    await core.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  prefix: 'whatsapp.',
  async run(): Promise<BenchResult[]> {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push(await scheduleOnce());
    return [{ name: 'whatsapp.schedule10k.seconds', value: median(runs), unit: 's' }];
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await bench.run();
  console.table(r);
}
