/**
 * QR codes as vector rectangles: sharp on a 203-dpi thermal head and on a laser printer alike, and much smaller
 * than an embedded PNG per voucher. Horizontal runs of dark modules are merged into one rectangle each.
 */
import QRCode from 'qrcode';
import type { CanvasRect } from 'pdfmake/interfaces';

export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  // M: survives a smudge or a crease, keeps the symbol small enough to read at 20 mm.
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (r, c) => modules.get(r, c) === 1 };
}

/** Canvas rectangles drawing `text` as a `size`-point square whose top-left is (x, y). No quiet zone included. */
export function qrCanvas(text: string, size: number, x = 0, y = 0, color = '#000000'): CanvasRect[] {
  const m = qrMatrix(text);
  const unit = size / m.size;
  // Runs per row, then runs with the same span in consecutive rows merged into one taller rectangle: about half
  // the rectangles of a run-per-row drawing, which is what a 1,000-card run spends most of its time on.
  const open = new Map<string, { row: number; start: number; end: number; height: number }>();
  const done: Array<{ row: number; start: number; end: number; height: number }> = [];
  for (let r = 0; r < m.size; r += 1) {
    const seen = new Set<string>();
    let c = 0;
    while (c < m.size) {
      if (!m.dark(r, c)) {
        c += 1;
        continue;
      }
      const start = c;
      while (c < m.size && m.dark(r, c)) c += 1;
      const key = `${start}:${c}`;
      seen.add(key);
      const run = open.get(key);
      if (run) run.height += 1;
      else open.set(key, { row: r, start, end: c, height: 1 });
    }
    for (const [key, run] of open) {
      if (!seen.has(key)) {
        done.push(run);
        open.delete(key);
      }
    }
  }
  done.push(...open.values());
  // A hair of overlap hides the anti-aliasing seams some viewers draw between adjacent rectangles.
  return done.map((b) => ({
    type: 'rect' as const,
    x: x + b.start * unit,
    y: y + b.row * unit,
    w: (b.end - b.start) * unit + 0.05,
    h: b.height * unit + 0.05,
    color,
  }));
}
