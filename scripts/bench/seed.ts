/**
 * Bulk seeding for benchmarks: customers with subscriptions and paid history, and hotspot vouchers, written
 * with raw prepared statements in one transaction (seeding 50,000 customers through the API would take minutes
 * and measure nothing). Rows look like an office's: Indonesian names, areas, codes, phone numbers.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { IdGen } from '../../src/main/lib/ids';
import { addMonths } from '../../src/shared/billing/periods';

const FIRST = [
  'Ahmad',
  'Siti',
  'Budi',
  'Dewi',
  'Agus',
  'Rina',
  'Joko',
  'Sri',
  'Eko',
  'Wati',
  'Hendra',
  'Yuni',
  'Dedi',
  'Lina',
  'Rudi',
  'Fitri',
  'Bayu',
  'Nur',
];
const LAST = [
  'Santoso',
  'Lestari',
  'Hartono',
  'Wijaya',
  'Saputra',
  'Nurhaliza',
  'Fauzi',
  'Kusuma',
  'Pratama',
  'Handayani',
  'Setiawan',
  'Rahayu',
  'Hidayat',
];
export const AREAS = ['Sukamaju', 'Cibogo', 'Mekarjaya', 'Cikampek', 'Tegalwaru', 'Karangsari'];

export const customerName = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`;

export interface BillingSeed {
  /** Customers in all. */
  customers: number;
  /** The first `subscribed` customers get a PPPoE subscription and `months` of invoices. */
  subscribed: number;
  /** Months of invoices per subscription, from `firstPeriod`. */
  months: number;
  firstPeriod: string;
  /** Share of those invoices left unpaid (the rest paid in full, with payment, allocation, ledger rows). */
  unpaidShare?: number;
  packageId: string;
  now: number;
  /** Gather planner statistics afterwards (PRAGMA optimize), as a long-running office database would have. */
  analyze?: boolean;
}

/** Customers, subscriptions and invoice history (and the number series they used). */
export function seedBilling(sqlite: BetterSqlite3.Database, ids: IdGen, s: BillingSeed): void {
  sqlite.transaction(() => {
    const cust = sqlite.prepare(
      `INSERT INTO customers (id, code, name, phone, address, area, status, registered_on, created_at, updated_at) VALUES (?,?,?,?,?,?,'active','2024-11-01',?,?)`,
    );
    const sub = sqlite.prepare(
      `INSERT INTO subscriptions (id, customer_id, package_id, router_id, username, password_enc, billing_day, discount, status, start_date, created_at, updated_at)
       VALUES (?,?,?,'bench-router',?,'v1:x',?,0,'active','2024-11-01',?,?)`,
    );
    const inv = sqlite.prepare(
      `INSERT INTO invoices (id, number, customer_id, subscription_id, period, period_start, period_end, issued_at, issue_date, due_date, description,
         subtotal, total, paid, status, public_token, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,'Paket 10 Mbps',150000,150000,?,?,?,?,?)`,
    );
    const pay = sqlite.prepare(
      `INSERT INTO payments (id, receipt_number, customer_id, amount, method, paid_at, recorded_by_name, receipt_token, unallocated, created_at)
       VALUES (?,?,?,150000,'cash',?,'Kasir',?,0,?)`,
    );
    const alloc = sqlite.prepare(
      'INSERT INTO payment_allocations (id, payment_id, invoice_id, amount, at) VALUES (?,?,?,150000,?)',
    );
    const led = sqlite.prepare(
      'INSERT INTO ledger_entries (id, customer_id, at, kind, amount, invoice_id, payment_id, memo) VALUES (?,?,?,?,?,?,?,?)',
    );
    const seq = new Map<string, number>();
    const next = (prefix: string) => {
      const n = (seq.get(prefix) ?? 0) + 1;
      seq.set(prefix, n);
      return `${prefix}${String(n).padStart(5, '0')}`;
    };
    const unpaidEvery = s.unpaidShare ? Math.max(1, Math.round(1 / s.unpaidShare)) : 0;
    for (let i = 0; i < s.customers; i++) {
      const id = ids();
      cust.run(
        id,
        `SKM-BEN011124-${String(i + 1).padStart(5, '0')}`,
        customerName(i),
        `628${String(1_000_000_000 + i)}`,
        `Jl. Melati ${i % 300}`,
        AREAS[i % AREAS.length],
        s.now,
        s.now,
      );
      if (i >= s.subscribed) continue;
      const subId = ids();
      const day = (i % 28) + 1;
      sub.run(subId, id, s.packageId, `BEN${i}`, day, s.now, s.now);
      for (let m = 0; m < s.months; m++) {
        const period = addMonths(s.firstPeriod, m);
        const start = `${period}-${String(day).padStart(2, '0')}`;
        // A run issues a whole month at one instant: every invoice of a period shares issued_at.
        const at = Date.parse(`${period}-01T03:00:00Z`);
        const invId = ids();
        const unpaid = unpaidEvery > 0 && (i + m) % unpaidEvery === 0;
        inv.run(
          invId,
          next(`INV/${period.replace('-', '/')}/`),
          id,
          subId,
          period,
          start,
          start,
          at,
          start,
          start,
          unpaid ? 0 : 150_000,
          unpaid ? 'open' : 'paid',
          `t${invId}`,
          at,
          at,
        );
        led.run(ids(), id, at, 'charge', 150_000, invId, null, '');
        if (unpaid) continue;
        const payId = ids();
        pay.run(payId, next(`KW/${period.replace('-', '/')}/`), id, at, `r${payId}`, at);
        alloc.run(ids(), payId, invId, at);
        led.run(ids(), id, at, 'payment', -150_000, null, payId, '');
      }
    }
    const series = sqlite.prepare('INSERT INTO number_series (series, last_seq) VALUES (?, ?)');
    for (const [prefix, n] of seq) series.run(`${prefix}{#}`, n);
  })();
  if (s.analyze ?? true) sqlite.pragma('optimize');
}

/** A router row (disabled, so no worker tries to reach it) for vouchers to hang on. */
export function seedRouter(
  sqlite: BetterSqlite3.Database,
  ids: IdGen,
  now: number,
  name = 'Tower Bench',
): string {
  const id = ids();
  sqlite
    .prepare(
      `INSERT INTO routers (id, name, host, port, username, password_enc, enabled, created_at, updated_at)
       VALUES (?, ?, '127.0.0.1', 1, 'admin', 'v1:x', 0, ?, ?)`,
    )
    .run(id, name, now, now);
  return id;
}

/**
 * `count` vouchers in batches of 500 on one router: a third unused, a third in use (first login, valid-until
 * in the future so the list shows live countdowns), the rest expired.
 */
export function seedVouchers(
  sqlite: BetterSqlite3.Database,
  ids: IdGen,
  routerId: string,
  count: number,
  now: number,
  analyze = true,
): void {
  sqlite.transaction(() => {
    const batch = sqlite.prepare(
      `INSERT INTO voucher_batches (id, code, router_id, profile, count, options_json, price_sell, price_cost, created_at)
       VALUES (?, ?, ?, '1Hari', ?, '{}', 5000, 4000, ?)`,
    );
    const v = sqlite.prepare(
      `INSERT INTO vouchers (id, batch_id, router_id, username, password, profile, price_sell, price_cost, validity_s, status, push_state,
         first_login_at, valid_until, last_mac, last_ip, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '1Hari', 5000, 4000, 86400, ?, 'pushed', ?, ?, ?, ?, ?, ?)`,
    );
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const code = () => {
      const b = randomBytes(8);
      let s = '';
      for (const x of b) s += alphabet[x % alphabet.length];
      return s;
    };
    let batchId = '';
    for (let i = 0; i < count; i++) {
      const at = now - (count - i) * 60_000;
      if (i % 500 === 0) {
        batchId = ids();
        batch.run(
          batchId,
          `B${String(i / 500 + 1).padStart(4, '0')}`,
          routerId,
          Math.min(500, count - i),
          at,
        );
      }
      const kind = i % 3;
      const status = kind === 0 ? 'unused' : kind === 1 ? 'active' : 'expired';
      const first = kind === 0 ? null : kind === 1 ? now - 3_600_000 : now - 2 * 86_400_000;
      const until = first === null ? null : first + 86_400_000;
      const username = code();
      v.run(
        ids(),
        batchId,
        routerId,
        username,
        i % 2 === 0 ? username : code(),
        status,
        first,
        until,
        first === null ? null : `AA:BB:CC:${String(i % 100).padStart(2, '0')}:00:01`,
        first === null ? null : `10.5.50.${(i % 250) + 2}`,
        at,
        at,
      );
    }
  })();
  if (analyze) sqlite.pragma('optimize');
}
