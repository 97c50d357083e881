import type { Feature, FeatureBase } from './feature';
import { createBillingFeature } from './billing/index';
import { createRoutersFeature } from './routers/index';
import { createVouchersFeature } from './vouchers/index';
import { createWhatsappFeature } from './whatsapp/index';

/**
 * Builds every feature in dependency order; a feature receives the public APIs of those it builds on.
 * Each feature adds its line here.
 */
export function buildFeatures(base: FeatureBase): Feature[] {
  const routers = createRoutersFeature(base);
  const vouchers = createVouchersFeature(base, routers.api);
  const billing = createBillingFeature(base, routers.api);
  const whatsapp = createWhatsappFeature(base, billing);
  return [routers, vouchers, billing, whatsapp];
}
