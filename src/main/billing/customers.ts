import type { CustomerRow, CustomerView } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { codePart } from '../../shared/billing/patterns';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import { denseMatch, pageOf, type Reader } from '../db/reader';
import type { BillingContext } from './context';
import { ledgerBalance } from './ledger';
import type { CustomersTable } from './schema';
import { nextNumber, stmt } from './sql';

export interface CustomerFields {
  name: string;
  phone?: string | null;
  nik?: string | null;
  address: string;
  lat?: number | null;
  lng?: number | null;
  area: string;
  locationCode?: string;
  routerId?: string | null;
  notes: string;
  whatsappOptOut: boolean;
  registeredOn?: string;
}

export function toCustomerView(c: BillingContext, r: CustomersTable): CustomerView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    phone: r.phone,
    nik: r.nik,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    area: r.area,
    routerId: r.router_id,
    notes: r.notes,
    status: r.status,
    whatsappOptOut: r.whatsapp_opt_out === 1,
    isolationExempt: r.isolation_exempt === 1,
    promiseUntil: r.promise_until,
    registeredOn: r.registered_on,
    balance: ledgerBalance(c.database.sqlite, r.id),
    version: r.version,
  };
}

export function getCustomer(c: BillingContext, id: string): CustomerView | null {
  const r = stmt(c.database.sqlite, 'SELECT * FROM customers WHERE id = ?').get(id) as
    CustomersTable | undefined;
  return r ? toCustomerView(c, r) : null;
}

/** Short code of a router for IDs and usernames: its name's letters, e.g. `Cikampek` → `CKP`-like `CIK`. */
export async function routerCode(c: BillingContext, routerId: string | null | undefined): Promise<string> {
  if (!routerId || !c.routers) return 'R';
  try {
    const r = await c.routers.get(routerId);
    return codePart(r.name).slice(0, 3) || 'R';
  } catch {
    throw new AppError('NOT_FOUND', 'Router tidak ditemukan');
  }
}

/** Inserts a customer with raw statements (also used by the importer inside its transaction). */
export function insertCustomerRaw(c: BillingContext, f: CustomerFields, code: string, now: number): string {
  const id = c.ids();
  stmt(
    c.database.sqlite,
    `INSERT INTO customers (id, code, name, phone, whatsapp_opt_out, nik, address, lat, lng, area, router_id, notes, status, registered_on, created_at, updated_at, version)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'active',?,?,?,1)`,
  ).run(
    id,
    code,
    f.name,
    f.phone ?? null,
    f.whatsappOptOut ? 1 : 0,
    f.nik || null,
    f.address,
    f.lat ?? null,
    f.lng ?? null,
    f.area,
    f.routerId ?? null,
    f.notes,
    f.registeredOn ?? c.today(),
    now,
    now,
  );
  return id;
}

export function customerCode(c: BillingContext, f: CustomerFields, router: string): string {
  const loc = f.locationCode || codePart(f.area).slice(0, 3) || 'PLG';
  return nextNumber(c.database.sqlite, c.store.get().customerIdPattern, f.registeredOn ?? c.today(), {
    loc,
    router,
  });
}

export async function createCustomer(
  c: BillingContext,
  actor: Actor,
  f: CustomerFields,
): Promise<CustomerView> {
  const router = await routerCode(c, f.routerId);
  const now = c.clock.now();
  let id = '';
  await c.database.db.transaction().execute(async (trx) => {
    const code = customerCode(c, f, router);
    id = insertCustomerRaw(c, f, code, now);
    await recordChange(trx, c, {
      actor,
      action: 'customers.create',
      entity: 'customer',
      entityId: id,
      after: { code, ...f },
      op: 'insert',
    });
  });
  c.events.emit('billing.changed', { entity: 'customer', id });
  return getCustomer(c, id) as CustomerView;
}

export interface CustomerPatch extends Partial<CustomerFields> {
  id: string;
  version: number;
  status?: CustomerView['status'];
  isolationExempt?: boolean;
  promiseUntil?: string | null;
}

export async function updateCustomer(
  c: BillingContext,
  actor: Actor,
  p: CustomerPatch,
  afterUpdate: (customerId: string) => Promise<void>,
): Promise<CustomerView> {
  const now = c.clock.now();
  let before: CustomerView | null = null;
  await c.database.db.transaction().execute(async (trx) => {
    before = getCustomer(c, p.id);
    if (!before) throw new AppError('NOT_FOUND', 'Pelanggan tidak ditemukan');
    if (before.version !== p.version)
      throw new AppError(
        'CONFLICT',
        'Data pelanggan baru saja diubah orang lain. Muat ulang lalu coba lagi.',
      );
    const set: Partial<CustomersTable> = { updated_at: now, version: p.version + 1 };
    if (p.name !== undefined) set.name = p.name;
    if (p.phone !== undefined) set.phone = p.phone;
    if (p.nik !== undefined) set.nik = p.nik || null;
    if (p.address !== undefined) set.address = p.address;
    if (p.lat !== undefined) set.lat = p.lat;
    if (p.lng !== undefined) set.lng = p.lng;
    if (p.area !== undefined) set.area = p.area;
    if (p.routerId !== undefined) set.router_id = p.routerId;
    if (p.notes !== undefined) set.notes = p.notes;
    if (p.whatsappOptOut !== undefined) set.whatsapp_opt_out = p.whatsappOptOut ? 1 : 0;
    if (p.status !== undefined) set.status = p.status;
    if (p.isolationExempt !== undefined) set.isolation_exempt = p.isolationExempt ? 1 : 0;
    if (p.promiseUntil !== undefined) set.promise_until = p.promiseUntil;
    await trx
      .updateTable('customers')
      .set(set)
      .where('id', '=', p.id)
      .where('version', '=', p.version)
      .execute();
    const { balance: _b, ...b } = before;
    await recordChange(trx, c, {
      actor,
      action: 'customers.update',
      entity: 'customer',
      entityId: p.id,
      before: b,
      after: set,
      op: 'update',
    });
  });
  // An exemption or a promise to pay lifts a running isolation.
  if (p.isolationExempt === true || (p.promiseUntil && p.promiseUntil >= c.today())) await afterUpdate(p.id);
  c.events.emit('billing.changed', { entity: 'customer', id: p.id });
  return getCustomer(c, p.id) as CustomerView;
}

/** FTS5 query from what the operator typed: every word as a prefix (`ahm fau` → `"ahm"* "fau"*`). */
export function ftsQuery(search: string): string | null {
  const words = search
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 6);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

export interface CustomerListQuery {
  offset: number;
  limit: number;
  search?: string;
  status?: CustomerView['status'];
  area?: string;
  packageId?: string;
  owing?: boolean;
  routerId?: string;
  unpaidPeriod?: string;
  includeOptedOut?: boolean;
  sort?: { field: string; dir: 'asc' | 'desc' };
}

/** Builds the WHERE of a customer search; shared by the list, the export and the WhatsApp filter. */
export function customerWhere(q: CustomerListQuery): { where: string; params: unknown[] } {
  const where = ['1=1'];
  const params: unknown[] = [];
  const s = q.search?.trim();
  if (s) {
    const digits = s.replace(/[\s\-+]/g, '');
    if (/^\d{4,}$/.test(digits)) {
      // Phone numbers: match the normalised 62… form by prefix, or any stored number containing the digits.
      const norm = digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
      // Digits anywhere in the number: read from the narrow phone index, not the customer rows.
      where.push('cu.rowid IN (SELECT rowid FROM customers WHERE phone LIKE ? OR phone LIKE ?)');
      params.push(`${norm}%`, `%${digits.replace(/^0/, '')}%`);
    } else {
      const fts = ftsQuery(s);
      if (fts) {
        where.push('cu.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)');
        params.push(fts);
      }
    }
  }
  if (q.status) {
    where.push('cu.status = ?');
    params.push(q.status);
  }
  if (q.area) {
    where.push('cu.area = ? COLLATE NOCASE');
    params.push(q.area);
  }
  if (q.routerId) {
    where.push('cu.router_id = ?');
    params.push(q.routerId);
  }
  if (q.packageId) {
    where.push(
      "cu.id IN (SELECT customer_id FROM subscriptions WHERE package_id = ? AND status <> 'inactive')",
    );
    params.push(q.packageId);
  }
  // Checked per customer in list order (the customer's invoices are adjacent in invoices_customer), so a page
  // of owing customers stops after its rows instead of collecting every unpaid invoice first.
  if (q.owing)
    where.push(
      "EXISTS (SELECT 1 FROM invoices oi WHERE oi.customer_id = cu.id AND oi.status IN ('open','partial'))",
    );
  if (q.unpaidPeriod) {
    where.push(
      "cu.id IN (SELECT customer_id FROM invoices WHERE period = ? AND status IN ('open','partial'))",
    );
    params.push(q.unpaidPeriod);
  }
  if (q.includeOptedOut === false) where.push('cu.whatsapp_opt_out = 0');
  return { where: where.join(' AND '), params };
}

const ROW_SELECT = `SELECT cu.rowid AS _rid, cu.id, cu.code, cu.name, cu.phone, cu.area, cu.status, cu.whatsapp_opt_out, cu.created_at,
  (SELECT p.name FROM subscriptions s JOIN packages p ON p.id = s.package_id WHERE s.customer_id = cu.id AND s.status <> 'inactive' LIMIT 1) AS package_name,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries l WHERE l.customer_id = cu.id) AS balance
  FROM customers cu`;

/** Sort columns; the last term is the unique code, so pages never overlap or skip ties (indexes in 0009). */
const CUSTOMER_SORTS: Record<string, string[]> = {
  name: ['cu.name COLLATE NOCASE', 'cu.code'],
  code: ['cu.code'],
  createdAt: ['cu.created_at', 'cu.code'],
  area: ['cu.area COLLATE NOCASE', 'cu.name COLLATE NOCASE', 'cu.code'],
};

export function listCustomers(r: Reader, q: CustomerListQuery): { rows: CustomerRow[]; total: number } {
  const { where, params } = customerWhere(q);
  const cols = (q.sort && CUSTOMER_SORTS[q.sort.field]) || CUSTOMER_SORTS['name'] || [];
  const dir = q.sort && CUSTOMER_SORTS[q.sort.field] && q.sort.dir === 'desc' ? 'DESC' : 'ASC';
  const total = r.count(`SELECT COUNT(*) AS n FROM customers cu WHERE ${where}`, params);
  // A rare search match is sorted (unary + keeps SQLite from walking the name index looking for it); a match
  // of much of the table is read in list order until the page is full.
  const plus = q.search?.trim() && !denseMatch(r, total, 'customers') ? '+' : '';
  const order = cols.map((col) => `${plus}${col} ${dir}`).join(', ');
  const rows = pageOf<{
    id: string;
    code: string;
    name: string;
    phone: string | null;
    area: string;
    status: CustomerRow['status'];
    whatsapp_opt_out: number;
    created_at: number;
    package_name: string | null;
    balance: number;
  }>(
    r,
    `SELECT cu.rowid FROM customers cu WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
    [...params, q.limit, q.offset],
    `${ROW_SELECT} WHERE cu.rowid IN (SELECT value FROM json_each(?))`,
  );
  return {
    total,
    rows: rows.map((row) => ({
      id: row.id,
      code: row.code,
      name: row.name,
      phone: row.phone,
      area: row.area,
      status: row.status,
      packageName: row.package_name,
      balance: row.balance,
      whatsappOptOut: row.whatsapp_opt_out === 1,
      createdAt: row.created_at,
    })),
  };
}

export function listAreas(c: BillingContext): { area: string; customers: number }[] {
  return stmt(
    c.database.sqlite,
    "SELECT area, COUNT(*) AS customers FROM customers WHERE area <> '' GROUP BY area COLLATE NOCASE ORDER BY area COLLATE NOCASE",
  ).all() as {
    area: string;
    customers: number;
  }[];
}
