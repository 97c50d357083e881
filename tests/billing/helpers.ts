import type { Core } from '../../src/main/core';
import type { BillingFeature } from '../../src/main/billing/index';
import { routersOf } from '../routers/helpers';

export function billingOf(core: Core): BillingFeature {
  const f = core.features.find((x) => x.name === 'billing');
  if (!f) throw new Error('billing feature missing');
  return f as BillingFeature;
}

/** Resolves once every router job has finished (woken by job-finished callbacks, never by sleeping). */
export async function routerJobsSettled(core: Core, timeoutMs = 10_000): Promise<void> {
  const api = routersOf(core).api;
  const sqlite = core.deps.database.sqlite;
  const pending = () =>
    (
      sqlite.prepare("SELECT COUNT(*) AS n FROM router_jobs WHERE state IN ('pending','running')").get() as {
        n: number;
      }
    ).n;
  if (pending() === 0) return;
  api.poke();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`router jobs still pending: ${pending()}`));
    }, timeoutMs);
    const off = api.onJobFinished(() => {
      if (pending() === 0) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
  const failed = sqlite.prepare("SELECT operation, last_error FROM router_jobs WHERE state = 'failed'").all();
  if (failed.length) throw new Error(`router jobs failed: ${JSON.stringify(failed)}`);
}
