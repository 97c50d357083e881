/** Money is always an integer number of rupiah. */
export type Rupiah = number;

const rupiah = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});
const plain = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/** `150000` → `Rp 150.000` (Indonesian grouping, no decimals, normal space). */
export function formatRupiah(amount: Rupiah): string {
  return rupiah.format(amount).replace(/\u00a0/g, ' ');
}

/** `150000` → `150.000` */
export function formatNumber(n: number): string {
  return plain.format(n);
}

/** Parses what an operator types: `150.000`, `Rp150.000`, `150000`, `150rb`, `1,5jt`. Null when unreadable. */
export function parseRupiah(raw: string): Rupiah | null {
  const s = raw
    .trim()
    .toLowerCase()
    .replace(/^rp\.?\s*/, '')
    .replace(/\s/g, '');
  const m = /^(-?[\d.,]+)(rb|ribu|k|jt|juta)?$/.exec(s);
  if (!m || m[1] === undefined) return null;
  const unit = m[2];
  let num: number;
  if (unit) {
    num = Number(m[1].replace(/\./g, '').replace(',', '.'));
    num *= unit === 'jt' || unit === 'juta' ? 1_000_000 : 1_000;
  } else {
    // Indonesian grouping uses dots; a comma is a decimal separator (rupiah has no cents, so round).
    num = Number(m[1].replace(/\./g, '').replace(',', '.'));
  }
  return Number.isFinite(num) ? Math.round(num) : null;
}

export function assertRupiah(n: number): Rupiah {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not an integer rupiah amount: ${n}`);
  return n;
}
