/** Rukun's voucher settings for a hotspot profile that Mikhmon set up, read from its on-login header. */
import type { MikhmonProfileHeader } from '../../shared/vouchers/mikhmon';
import type { VoucherProfileMeta } from './common';

/**
 * - Prices: Mikhmon has a "Harga" (price) and an optional "Harga Jual" (selling price), and stores a blank one as
 *   `0`. With a selling price, that is what the voucher sells for and the price is what it cost the office; without
 *   one, the price is what it sells for (Mikhmon prints it on the voucher) and the cost is unknown (0, as a Rukun
 *   profile without a cost).
 * - Expiry: Mikhmon removes the user (`rem`, `remc`) or gives "notice" (`ntf`, `ntfc`: limit-uptime=1s, the user
 *   stays and the login page says it is used up) — that is Rukun's `keep`, never `disable`. Mode "None" never
 *   expires by time: `keep` too.
 * - "Lock user" (bind to the MAC of the first login) is kept.
 */
export function mikhmonProfileMeta(h: MikhmonProfileHeader): VoucherProfileMeta {
  const price = h.price ?? 0;
  const selling = h.sellingPrice ?? 0;
  return {
    validitySeconds: Math.floor((h.validity ?? 0) / 1000),
    uptimeLimitSeconds: 0,
    quotaBytes: 0,
    priceSell: selling > 0 ? selling : price,
    priceCost: selling > 0 ? price : 0,
    expiryPolicy: h.expiryMode === 'remove' || h.expiryMode === 'remove_record' ? 'remove' : 'keep',
    origin: 'mikhmon',
    lockMac: h.lockUser,
  };
}

/**
 * The price Mikhmon wrote into one of its sales records, as Rukun's selling price and cost of that sale, when no
 * voucher tells (the voucher was removed at expiry before the import): the profile's prices if the record was made
 * at the profile's current price, else the record's price (its cost unknown).
 */
export function mikhmonRecordPrices(
  recordPrice: number | null,
  profile: Pick<VoucherProfileMeta, 'priceSell' | 'priceCost'> | null,
): { priceSell: number; priceCost: number } {
  if (
    profile &&
    (recordPrice === null || recordPrice === profile.priceCost || recordPrice === profile.priceSell)
  ) {
    return { priceSell: profile.priceSell, priceCost: profile.priceCost };
  }
  return { priceSell: recordPrice ?? 0, priceCost: 0 };
}
