import type { AuditEntry } from '../shared/contract/system';
import type { Reader } from './db/reader';

export interface AuditListQuery {
  offset: number;
  limit: number;
  search?: string | undefined;
  sort?: { field: string; dir: 'asc' | 'desc' } | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  actorId?: string | undefined;
}

interface AuditRow {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  via: string | null;
}

const SORTS: Record<string, string> = { at: 'at', action: 'action', actorName: 'actor_name' };

/**
 * The audit log, newest first by default. Time order reads audit_at (at, id) backwards and the action filter
 * audit_action (action, at, id), so neither sorts the log. A search looks anywhere in the action, the actor and
 * the entity id, which no index can serve: it walks the log newest first and stops once the page is full.
 */
export function listAudit(r: Reader, i: AuditListQuery): { rows: AuditEntry[]; total: number } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (i.action) {
    where.push('action = ?');
    params.push(i.action);
  }
  if (i.entity) {
    where.push('entity = ?');
    params.push(i.entity);
  }
  if (i.actorId) {
    where.push('actor_id = ?');
    params.push(i.actorId);
  }
  if (i.search) {
    const like = `%${i.search}%`;
    where.push('(action LIKE ? OR actor_name LIKE ? OR entity_id LIKE ?)');
    params.push(like, like, like);
  }
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const dir = i.sort?.dir === 'asc' ? 'ASC' : 'DESC';
  const field = (i.sort && SORTS[i.sort.field]) || 'at';
  const order = field === 'at' ? `at ${dir}, id ${dir}` : `${field} ${dir}, at ${dir}, id ${dir}`;
  const total = r.count(`SELECT COUNT(*) AS n FROM audit_log ${w}`, params);
  const rows = r
    .prepare(`SELECT * FROM audit_log ${w} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, i.limit, i.offset) as AuditRow[];
  return {
    total,
    rows: rows.map((row) => ({
      id: row.id,
      at: row.at,
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      before: row.before_json ? (JSON.parse(row.before_json) as unknown) : null,
      after: row.after_json ? (JSON.parse(row.after_json) as unknown) : null,
      via: row.via,
    })),
  };
}
