/**
 * PPN (VAT) on an invoice line. Prices are integer rupiah; a tax-inclusive price already contains PPN, a
 * tax-exclusive price gets it added. Rounded to the rupiah, half up.
 */
export interface TaxedAmount {
  /** Amount before tax (after discount). */
  base: number;
  tax: number;
  total: number;
}

export function applyTax(
  amount: number,
  ratePercent: number,
  taxable: boolean,
  inclusive: boolean,
): TaxedAmount {
  if (!taxable || ratePercent <= 0) return { base: amount, tax: 0, total: amount };
  if (inclusive) {
    const base = Math.round((amount * 100) / (100 + ratePercent));
    return { base, tax: amount - base, total: amount };
  }
  const tax = Math.round((amount * ratePercent) / 100);
  return { base: amount, tax, total: amount + tax };
}
