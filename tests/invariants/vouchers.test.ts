/**
 * Invariants of voucher codes, through the service (vouchers.createBatch) and the RouterOS emulator:
 * codes are bearer credentials, so they come from the platform CSPRNG (never Math.random or a seeded PRNG),
 * and a code is never reused anywhere in Rukun — not even on another router.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHARSETS } from '../../src/shared/vouchers/codegen';
import { RouterOsEmulator } from '../emulator/routeros/index';
import { ROS_USER } from '../routers/helpers';
import { routersOf, setupVouchers, waitEvent, type VoucherSetup } from '../vouchers/helpers';

let s: VoucherSetup | undefined;
const extra: RouterOsEmulator[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await s?.close();
  s = undefined;
  for (const e of extra.splice(0)) await e.stop();
});

async function saveProfile(v: VoucherSetup, routerId: string): Promise<void> {
  await v.t.ok(
    'vouchers.profiles.save',
    {
      routerId,
      name: '1Hari',
      rateLimit: '2M/2M',
      sharedUsers: 1,
      validitySeconds: 86_400,
      priceCost: 4000,
      priceSell: 5000,
      expiryPolicy: 'remove',
    },
    v.token,
  );
}

async function batch(
  v: VoucherSetup,
  routerId: string,
  count: number,
  extraInput: { passwordMode?: 'same' | 'separate'; password?: { length: number; charset: 'digits' } } = {},
) {
  const b = await v.t.ok(
    'vouchers.createBatch',
    { routerId, profile: '1Hari', count, length: 6, charset: 'alnumUpper', note: '', ...extraInput },
    v.token,
  );
  await routersOf(v.t.core).api.waitForBatch(b.batchId);
  return b;
}

/** Credentials of a batch as Rukun stored them, in creation order. */
function credentials(v: VoucherSetup, batchId: string): Array<{ username: string; password: string }> {
  return v.t.core.deps.database.sqlite
    .prepare('SELECT username, password FROM vouchers WHERE batch_id = ? ORDER BY rowid')
    .all(batchId) as Array<{ username: string; password: string }>;
}

/** Wraps the platform CSPRNG; `fill` decides what a Uint32Array request receives (others pass through). */
function interceptCsprng(fill: (buf: Uint32Array, real: (b: Uint32Array) => void) => void) {
  const crypto = globalThis.crypto;
  const real = crypto.getRandomValues.bind(crypto);
  return vi
    .spyOn(crypto, 'getRandomValues')
    .mockImplementation(<T extends ArrayBufferView | null>(buf: T): T => {
      if (buf instanceof Uint32Array) fill(buf, (b) => void real(b));
      else if (buf !== null) real(buf as unknown as Uint32Array);
      return buf;
    });
}

/** Pearson's chi-square of observed symbol counts against a uniform distribution over `alphabet`. */
function chiSquare(symbols: string[], alphabet: string): number {
  const counts = new Map<string, number>();
  for (const ch of symbols) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const expected = symbols.length / alphabet.length;
  let chi2 = 0;
  for (const ch of alphabet) chi2 += ((counts.get(ch) ?? 0) - expected) ** 2 / expected;
  return chi2;
}

describe('voucher codes come from the platform CSPRNG', () => {
  it('with Math.random pinned to a constant, a 2,000-voucher batch is still unique and statistically uniform', async () => {
    s = await setupVouchers({ version: '7.18' });
    await saveProfile(s, s.routerId);
    // A generator built on Math.random would now produce one code over and over.
    vi.spyOn(Math, 'random').mockReturnValue(0.4242);
    const b = await batch(s, s.routerId, 2000);
    const codes = credentials(s, b.batchId).map((c) => c.username);
    expect(codes).toHaveLength(2000);
    expect(new Set(codes).size).toBe(2000);
    // The router holds exactly these users.
    const onRouter = new Set(
      s.emu
        .menu('/ip/hotspot/user')
        .rows()
        .map((r) => r['name']),
    );
    for (const c of codes) expect(onRouter.has(c)).toBe(true);

    const alphabet = CHARSETS.alnumUpper; // 29 symbols: 28 degrees of freedom.
    for (const c of codes) expect(c).toMatch(new RegExp(`^[${alphabet}]{6}$`));
    // Every position on its own is uniform (a counter or a time-derived code fails the leading positions).
    // Critical value for 28 d.f. at p = 1e-6 is about 79.
    for (let pos = 0; pos < 6; pos++) {
      expect(
        chiSquare(
          codes.map((c) => c[pos] ?? ''),
          alphabet,
        ),
        `position ${pos}`,
      ).toBeLessThan(79);
    }
    // Consecutive codes are unrelated: they agree in 6/29 positions on average (about 414 over 1,999 pairs,
    // sd about 20). A sequential or small-step generator agrees in most positions.
    let agreements = 0;
    for (let i = 1; i < codes.length; i++) {
      const a = codes[i - 1] ?? '';
      const c = codes[i] ?? '';
      for (let pos = 0; pos < 6; pos++) if (a[pos] === c[pos]) agreements++;
    }
    expect(agreements).toBeLessThan(550);
  });

  it('usernames and separate passwords are exactly what crypto.getRandomValues handed out', async () => {
    s = await setupVouchers({ version: '6.49' });
    await saveProfile(s, s.routerId);
    // A scripted CSPRNG: 0, 1, 2, … Every symbol of every code must come from it, in order.
    let counter = 0;
    interceptCsprng((buf) => {
      for (let i = 0; i < buf.length; i++) buf[i] = counter++;
    });
    const b = await batch(s, s.routerId, 20, {
      passwordMode: 'separate',
      password: { length: 4, charset: 'digits' },
    });
    vi.restoreAllMocks();
    const user = CHARSETS.alnumUpper;
    const pass = CHARSETS.digits;
    const expected: Array<{ username: string; password: string }> = [];
    let at = 0;
    const take = (alphabet: string, n: number) => {
      let out = '';
      for (let i = 0; i < n; i++) out += alphabet[at++ % alphabet.length];
      return out;
    };
    for (let k = 0; k < 20; k++) expected.push({ username: take(user, 6), password: take(pass, 4) });
    expect(credentials(s, b.batchId)).toEqual(expected);
    // …and the router got those credentials.
    for (const e of expected) {
      expect(s.emu.menu('/ip/hotspot/user').findBy('name', e.username)?.['password']).toBe(e.password);
    }
  });
});

describe('a code is unique across every voucher Rukun holds, on any router', () => {
  it('a batch on router B never reuses a code of router A, even when the CSPRNG repeats itself', async () => {
    s = await setupVouchers({ version: '7.18' });
    const v = s;
    const emuB = new RouterOsEmulator({ users: [ROS_USER], version: '6.49' });
    extra.push(emuB);
    const { port } = await emuB.start();
    const online = waitEvent(v.t.core, 'routers.status', (p) => p.online && p.id !== v.routerId);
    const routerB = (
      await v.t.ok(
        'routers.create',
        {
          name: 'Router Cabang',
          location: 'Pos Ronda',
          host: '127.0.0.1',
          port,
          tls: false,
          username: ROS_USER.name,
          password: ROS_USER.password,
        },
        v.token,
      )
    ).id;
    await online;
    await saveProfile(v, v.routerId);
    await saveProfile(v, routerB);

    // Batch on router A, recording every value the CSPRNG gave it.
    const recorded: Uint32Array[] = [];
    interceptCsprng((buf, real) => {
      real(buf);
      recorded.push(buf.slice());
    });
    const a = await batch(v, v.routerId, 40);
    vi.restoreAllMocks();
    expect(recorded.length).toBeGreaterThan(0);

    // Batch on router B: the CSPRNG replays A's values first — the worst case of a collision, forced.
    // Router B has never seen A's codes, so only Rukun's own records can keep them apart.
    const replay = [...recorded];
    interceptCsprng((buf, real) => {
      const next = replay[0];
      if (next && next.length === buf.length) {
        buf.set(next);
        replay.shift();
      } else real(buf);
    });
    const b = await batch(v, routerB, 40);
    vi.restoreAllMocks();
    expect(replay.length).toBeLessThan(recorded.length); // the replay was really consumed

    const codesA = credentials(v, a.batchId).map((c) => c.username);
    const codesB = credentials(v, b.batchId).map((c) => c.username);
    expect(codesA).toHaveLength(40);
    expect(codesB).toHaveLength(40);
    expect(codesB.filter((c) => codesA.includes(c))).toEqual([]);
    expect(b.code).not.toBe(a.code);
    // What the routers hold: no name on B is a name on A.
    const onA = new Set(
      v.emu
        .menu('/ip/hotspot/user')
        .rows()
        .map((r) => r['name']),
    );
    const onB = emuB
      .menu('/ip/hotspot/user')
      .rows()
      .map((r) => r['name']);
    expect(onB).toHaveLength(40);
    expect(onB.filter((n) => onA.has(n))).toEqual([]);
    // Every username Rukun holds is held once.
    const dupes = v.t.core.deps.database.sqlite
      .prepare('SELECT username FROM vouchers GROUP BY username HAVING COUNT(*) > 1')
      .all();
    expect(dupes).toEqual([]);
  });
});
