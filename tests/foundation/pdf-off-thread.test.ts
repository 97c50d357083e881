/**
 * PDFs (a batch of vouchers, a receipt) are laid out on the PDF worker, never on the main thread, which
 * serves router callbacks and /health meanwhile (issue 9 #18). pdfmake's entry point is wrapped here to count
 * the renders that happen on this thread; the worker loads its own copy, which the wrapper does not reach.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closePdfWorker } from '../../src/main/printing/pdf-pool';
import { renderPdf } from '../../src/main/printing/pdf-fonts';
import { routersOf, setupVouchers, type VoucherSetup } from '../vouchers/helpers';

const onMainThread = vi.hoisted(() => ({ renders: 0 }));
vi.mock('../../src/main/printing/pdf-fonts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/main/printing/pdf-fonts')>();
  return {
    ...m,
    renderPdf: (...args: Parameters<typeof m.renderPdf>) => {
      onMainThread.renders++;
      return m.renderPdf(...args);
    },
  };
});

let s: VoucherSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  await closePdfWorker();
});

const isPdf = (base64: string) => Buffer.from(base64, 'base64').subarray(0, 5).toString() === '%PDF-';

describe('PDFs off the main thread', () => {
  it('the counter sees a render on this thread', async () => {
    onMainThread.renders = 0;
    const pdf = await renderPdf({ content: ['x'] });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(onMainThread.renders).toBe(1);
  });

  it('a voucher batch and a receipt are rendered by the worker', async () => {
    s = await setupVouchers({ version: '7.18' });
    await s.t.ok(
      'vouchers.profiles.save',
      { routerId: s.routerId, name: '1Hari', validitySeconds: 86_400, priceCost: 4000, priceSell: 5000 },
      s.token,
    );
    const batch = await s.t.ok(
      'vouchers.createBatch',
      { routerId: s.routerId, profile: '1Hari', count: 12, length: 6, charset: 'alnumUpper' },
      s.token,
    );
    await routersOf(s.t.core).api.waitForBatch(batch.batchId);
    const pkg = await s.t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' },
      s.token,
    );
    expect(pkg.id).toBeTruthy();
    const customer = await s.t.ok(
      'customers.create',
      { name: 'Siti Rahayu', address: 'Jl. Kenanga 2', area: 'Cibogo', notes: '', whatsappOptOut: false },
      s.token,
    );
    const payment = await s.t.ok(
      'payments.record',
      { customerId: customer.id, amount: 50_000, method: 'cash' },
      s.token,
    );

    onMainThread.renders = 0;
    const vouchers = await s.t.ok(
      'vouchers.printPdf',
      { batchId: batch.batchId, layout: 'a4-compact' },
      s.token,
    );
    expect(isPdf(vouchers.base64)).toBe(true);
    expect(vouchers.count).toBe(12);
    for (const paper of ['a4', '80mm'] as const) {
      const receipt = await s.t.ok(
        'billing.documentPdf',
        { kind: 'receipt', id: payment.id, paper },
        s.token,
      );
      expect(isPdf(receipt.dataBase64)).toBe(true);
    }
    expect(onMainThread.renders).toBe(0);
  });
});
