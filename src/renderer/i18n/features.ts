import { billingI18n } from './billing';
import { whatsappI18n } from './whatsapp';
import { vouchersI18n } from './vouchers';
import { routersI18n } from './routers';
/**
 * Each feature keeps its UI strings in its own file (`{ id, en }`, one top-level namespace such as
 * `routers`), so features can be added without touching the foundation dictionaries. Add one line here.
 */
export interface FeatureDictionary {
  id: Record<string, unknown>;
  en: Record<string, unknown>;
}

export const featureDictionaries: FeatureDictionary[] = [
  billingI18n,
  whatsappI18n,
  vouchersI18n,
  routersI18n,
];
