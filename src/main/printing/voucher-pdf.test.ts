import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Content } from 'pdfmake/interfaces';
import type { PrintableVoucher } from '../../shared/vouchers/print-template';
import { qrMatrix } from './qr-vector';
import {
  A4,
  CARDS,
  COMPACT,
  THERMAL,
  buildVoucherDocDefinition,
  hotspotLoginUrl,
  renderVoucherPdf,
} from './voucher-pdf';

const dir = mkdtempSync(join(tmpdir(), 'rukun-voucher-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Deterministic, distinct, unambiguous codes: `K` + 5 symbols.
function vouchers(n: number, separate = false): PrintableVoucher[] {
  const a = '23456789ACDEFGHJKLMNPQRTUVWXY';
  return Array.from({ length: n }, (_, i) => {
    let code = 'K';
    for (let k = i, j = 0; j < 5; j += 1, k = Math.floor(k / a.length)) code += a[k % a.length];
    return {
      username: code,
      password: separate ? String(1000 + i) : code,
      price: 5000,
      validityMs: 86_400_000,
      profileName: '1Hari',
      batchLabel: 'B1',
    };
  });
}

function save(name: string, pdf: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, pdf);
  return path;
}

function pageText(path: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' });
}

function pageCount(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

function mediaBoxes(pdf: Buffer): Array<[number, number]> {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
}

const office = { name: 'HIJI Network' };

describe('A4 compact', () => {
  it('puts 240 vouchers on exactly 2 pages, 120 per page, each code once', async () => {
    const list = vouchers(240);
    const path = save(
      'compact.pdf',
      await renderVoucherPdf({ layout: 'a4-compact', vouchers: list, office, hotspotDnsName: 'h.net' }),
    );
    expect(pageCount(path)).toBe(2);
    for (const [page, slice] of [
      [1, list.slice(0, 120)],
      [2, list.slice(120)],
    ] as const) {
      const text = pageText(path, page);
      const found = text.match(/\bK[2-9A-Y]{5}\b/g) ?? [];
      expect(found).toHaveLength(120);
      expect(new Set(found)).toEqual(new Set(slice.map((v) => v.username)));
      expect(text.match(/Rp 5\.000/g)).toHaveLength(120);
      expect(text).toContain('1 hari');
    }
  });

  it('keeps the sheet geometry: 3 × 40 cells inside A4', () => {
    expect(COMPACT.columns * COMPACT.rows).toBe(COMPACT.perPage);
    expect(COMPACT.marginX * 2 + COMPACT.columns * COMPACT.cellWidth).toBeCloseTo(A4.width);
    expect(COMPACT.marginY * 2 + COMPACT.rows * COMPACT.cellHeight).toBeCloseTo(A4.height);
    // A cell stays legible: at least 7 mm high.
    expect(COMPACT.cellHeight).toBeGreaterThan((7 * 72) / 25.4);
  });

  it('prints a separate password instead of the office name when there is one', async () => {
    const path = save(
      'compact-sep.pdf',
      await renderVoucherPdf({
        layout: 'a4-compact',
        vouchers: vouchers(3, true),
        office,
        hotspotDnsName: 'h.net',
      }),
    );
    const text = pageText(path, 1);
    expect(text).toContain('Password: 1000');
    expect(text).not.toContain('HIJI Network');
  });
});

describe('thermal', () => {
  it.each([
    ['thermal-58', 58],
    ['thermal-80', 80],
  ] as const)('%s is %d mm wide and continuous', async (layout, mm) => {
    const pdf = await renderVoucherPdf({ layout, vouchers: vouchers(5), office, hotspotDnsName: 'h.net' });
    const boxes = mediaBoxes(pdf);
    expect(boxes).toHaveLength(1);
    const [w, h] = boxes[0]!;
    expect(Math.abs(w - (mm * 72) / 25.4)).toBeLessThan(0.5);
    expect(THERMAL[layout].width).toBeCloseTo((mm * 72) / 25.4);
    // Five vouchers one after another on one roll page, each with its cut line.
    expect(h).toBeGreaterThan(5 * 150);
    const text = pageText(save(`${layout}.pdf`, pdf), 1);
    expect(text.match(/potong di sini/g)).toHaveLength(5);
    expect(text.match(/\bK[2-9A-Y]{5}\b/g)).toHaveLength(5);
  });

  it('splits long runs into pages of at most 40 vouchers, under the 14,400 pt page limit', async () => {
    const pdf = await renderVoucherPdf({
      layout: 'thermal-80',
      vouchers: vouchers(81),
      office,
      hotspotDnsName: 'h.net',
    });
    const boxes = mediaBoxes(pdf);
    expect(boxes).toHaveLength(3);
    for (const [, h] of boxes) expect(h).toBeLessThan(14_400);
  });
});

describe('A4 cards', () => {
  it('prints a QR per voucher that encodes the hotspot login URL', async () => {
    const list = vouchers(24, true);
    const first = list[0]!;
    const path = save(
      'cards.pdf',
      await renderVoucherPdf({
        layout: 'a4-cards',
        vouchers: list,
        office,
        hotspotDnsName: 'http://hotspot.hiji.net/',
      }),
    );
    expect(pageCount(path)).toBe(1);
    const text = pageText(path, 1);
    expect(text.match(/Pindai untuk login/g)).toHaveLength(24);
    expect(text).toContain(`Password: ${first.password}`);
    expect(text).toContain('Rp 5.000');

    // Rasterise and read the first card's QR modules back, then compare with the expected symbol.
    const url = hotspotLoginUrl('http://hotspot.hiji.net/', first.username, first.password);
    expect(url).toBe(`http://hotspot.hiji.net/login?username=${first.username}&password=${first.password}`);
    const m = qrMatrix(url);
    const dpi = 300;
    const pgm = execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', '1', '-l', '1', path], {
      maxBuffer: 64 << 20,
    });
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40));
    expect(header).not.toBeNull();
    const width = Number(header![1]);
    const offset = header![0].length;
    const cardW = CARDS.cellWidth - 2 * CARDS.inset;
    const qrX = CARDS.marginX + CARDS.inset + cardW - CARDS.pad - CARDS.qrSize + 1;
    const qrY = CARDS.marginY + CARDS.inset + CARDS.bandHeight + 6;
    const unit = CARDS.qrSize / m.size;
    let mismatches = 0;
    for (let r = 0; r < m.size; r += 1) {
      for (let c = 0; c < m.size; c += 1) {
        const px = Math.round(((qrX + (c + 0.5) * unit) * dpi) / 72);
        const py = Math.round(((qrY + (r + 0.5) * unit) * dpi) / 72);
        const dark = (pgm[offset + py * width + px] ?? 255) < 128;
        if (dark !== m.dark(r, c)) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('omits the QR when the template says so, and ignores a logo that is not a PNG/JPEG data URL', () => {
    const doc = buildVoucherDocDefinition({
      layout: 'a4-cards',
      vouchers: vouchers(2),
      office: { name: 'X', logoDataUrl: 'data:text/html;base64,PHNjcmlwdD4=' },
      hotspotDnsName: 'h.net',
      template: { body: [{ text: '{kode}' }], showQr: false },
    });
    expect(doc.images).toEqual({});
    const json = JSON.stringify(doc.content);
    expect(json).not.toContain('Pindai untuk login');
    expect((doc.content as Content[]).some((n) => typeof n === 'object' && n !== null && 'image' in n)).toBe(
      false,
    );
  });

  it('embeds a valid logo once for the whole run', () => {
    const logo =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    const doc = buildVoucherDocDefinition({
      layout: 'a4-cards',
      vouchers: vouchers(3),
      office: { name: 'X', logoDataUrl: logo },
      hotspotDnsName: 'h',
    });
    expect(doc.images).toEqual({ logo });
  });
});

describe('input checks', () => {
  it('refuses an empty run and an invalid template with Indonesian messages', () => {
    expect(() =>
      buildVoucherDocDefinition({ layout: 'a4-compact', vouchers: [], office, hotspotDnsName: 'h' }),
    ).toThrow(/Tidak ada voucher/);
    expect(() =>
      buildVoucherDocDefinition({
        layout: 'a4-compact',
        vouchers: vouchers(1),
        office,
        hotspotDnsName: 'h',
        template: { accentColor: 'merah' },
      }),
    ).toThrow(/Template voucher tidak valid/);
  });
});
