import { PASSWORD, testCore, type TestCore } from '../helpers/core';
import { FakeMessenger } from '../../src/main/whatsapp/fake-messenger';
import type { WhatsappFeature } from '../../src/main/whatsapp/index';
import type { Core } from '../../src/main/core';

export function whatsappOf(core: Core): WhatsappFeature {
  const f = core.features.find((x) => x.name === 'whatsapp');
  if (!f) throw new Error('whatsapp feature missing');
  return f as WhatsappFeature;
}

export interface WaTest extends TestCore {
  wa: WhatsappFeature;
  fake: FakeMessenger;
  token: string;
  /** Logs the owner in again (after the fake clock moved past the session's idle timeout). */
  relogin(): Promise<string>;
}

/** A test core with the office set up and a connected fake messenger. */
export async function waCore(
  opts: { connected?: boolean; dataDir?: string; at?: number } = {},
): Promise<WaTest> {
  const t = await testCore(opts.dataDir ? { dataDir: opts.dataDir } : {});
  if (opts.at) t.clock.set(opts.at);
  const wa = whatsappOf(t.core);
  const fake = new FakeMessenger(t.clock, { connected: opts.connected ?? true });
  await wa.api.setMessenger(fake);
  const token = await t.setupOwner();
  const w: WaTest = {
    ...t,
    wa,
    fake,
    token,
    async relogin() {
      w.token = (await t.ok('auth.login', { username: 'budi', password: PASSWORD })).token;
      return w.token;
    },
  };
  return w;
}

/** Office instant: `2026-11-23 06:00` in Asia/Jakarta (UTC+7). */
export function jakarta(date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, (hh ?? 0) - 7, mm ?? 0);
}
