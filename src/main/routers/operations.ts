/**
 * Built-in idempotent router operations every feature can enqueue. Each reads before it writes, so running it
 * again after a dropped connection (the add may or may not have reached the router) converges on the same
 * router state: an add that finds the row becomes a set of the differing fields, a remove of an absent row is
 * a success.
 */
import { AppError } from '../../shared/contract/errors';
import { DuplicateError, NotFoundError, type RosRow, type RouterConnection } from '../routeros/index';
import type {
  HotspotKickPayload,
  MenuRemovePayload,
  MenuSetPayload,
  MenuUpsertPayload,
  OperationRun,
  PppKickPayload,
  ScriptRunPayload,
} from './api';

const BOOL_TRUE = new Set(['yes', 'true']);
const BOOL_FALSE = new Set(['no', 'false']);

/** RouterOS prints booleans as true/false but accepts yes/no: compare them as booleans. */
export function sameValue(actual: string | undefined, desired: string): boolean {
  const a = actual ?? '';
  if (a === desired) return true;
  const al = a.toLowerCase();
  const dl = desired.toLowerCase();
  if ((BOOL_TRUE.has(al) && BOOL_TRUE.has(dl)) || (BOOL_FALSE.has(al) && BOOL_FALSE.has(dl))) return true;
  // An unset boolean prints as absent/empty on some menus.
  if (a === '' && BOOL_FALSE.has(dl)) return true;
  return false;
}

export function diffValues(row: RosRow, values: Record<string, string>): Record<string, string> {
  const diff: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (!sameValue(row[k], v)) diff[k] = v;
  return diff;
}

export function matchQuery(match: Record<string, string>): string[] {
  return Object.entries(match).map(([k, v]) => `?${k}=${v}`);
}

export async function findRows(
  conn: RouterConnection,
  menu: string,
  match: Record<string, string>,
): Promise<RosRow[]> {
  const rows = await conn.call(`${menu}/print`, undefined, { query: matchQuery(match) });
  return rows.filter((r) => r['.id'] !== undefined);
}

function assertMenuPayload(p: { menu?: unknown; match?: unknown }): void {
  if (
    typeof p.menu !== 'string' ||
    !p.menu.startsWith('/') ||
    !p.match ||
    typeof p.match !== 'object' ||
    Object.keys(p.match).length === 0
  ) {
    throw new AppError('VALIDATION', 'Pekerjaan router tidak lengkap (menu/match)');
  }
}

export const menuUpsert: OperationRun<MenuUpsertPayload> = async ({ conn, payload }) => {
  assertMenuPayload(payload);
  const { menu, match, values } = payload;
  const setDiff = async (row: RosRow) => {
    const diff = diffValues(row, values);
    if (Object.keys(diff).length === 0) return { action: 'unchanged', id: row['.id'] };
    await conn.call(`${menu}/set`, { '.id': row['.id'], ...diff });
    return { action: 'set', id: row['.id'], fields: Object.keys(diff) };
  };
  const [existing] = await findRows(conn, menu, match);
  if (existing) return setDiff(existing);
  try {
    const res = await conn.exec(`${menu}/add`, { ...values, ...match });
    return { action: 'added', id: res.done['ret'] ?? null };
  } catch (e) {
    if (!(e instanceof DuplicateError)) throw e;
    // Someone (or our own earlier attempt) added it meanwhile.
    const [again] = await findRows(conn, menu, match);
    if (!again) throw e;
    return setDiff(again);
  }
};

export const menuRemove: OperationRun<MenuRemovePayload> = async ({ conn, payload }) => {
  assertMenuPayload(payload);
  const rows = await findRows(conn, payload.menu, payload.match);
  let removed = 0;
  for (const r of rows) {
    try {
      await conn.call(`${payload.menu}/remove`, { '.id': r['.id'] });
      removed++;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return { removed };
};

export const menuSet: OperationRun<MenuSetPayload> = async ({ conn, payload }) => {
  assertMenuPayload(payload);
  const rows = await findRows(conn, payload.menu, payload.match);
  if (rows.length === 0) {
    if (payload.ifExists) return { action: 'absent' };
    throw new AppError(
      'NOT_FOUND',
      `Tidak ditemukan di router: ${payload.menu} ${JSON.stringify(payload.match)}`,
    );
  }
  let changed = 0;
  for (const r of rows) {
    const diff = diffValues(r, payload.values);
    if (Object.keys(diff).length === 0) continue;
    await conn.call(`${payload.menu}/set`, { '.id': r['.id'], ...diff });
    changed++;
  }
  return { action: changed > 0 ? 'set' : 'unchanged', rows: rows.length };
};

async function removeActive(
  conn: RouterConnection,
  menu: string,
  match: Record<string, string>,
): Promise<{ kicked: number }> {
  const rows = await findRows(conn, menu, match);
  let kicked = 0;
  for (const r of rows) {
    try {
      await conn.call(`${menu}/remove`, { '.id': r['.id'] });
      kicked++;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return { kicked };
}

export const pppKick: OperationRun<PppKickPayload> = ({ conn, payload }) =>
  removeActive(conn, '/ppp/active', { name: payload.name });

export const hotspotKick: OperationRun<HotspotKickPayload> = ({ conn, payload }) =>
  removeActive(conn, '/ip/hotspot/active', { user: payload.user });

export const scriptRun: OperationRun<ScriptRunPayload> = async ({ conn, payload }) => {
  const [script] = await findRows(conn, '/system/script', { name: payload.name });
  if (!script) throw new AppError('NOT_FOUND', `Skrip tidak ada di router: ${payload.name}`);
  await conn.call('/system/script/run', { '.id': script['.id'] });
  return { ran: payload.name };
};
