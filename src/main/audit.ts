import type { Actor, Deps } from './context';
import type { Db, Trx } from './db/database';

export interface ChangeRecord {
  actor: Actor;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** When set, the change also goes to the change log (outbox) that feeds the sync target. */
  op?: 'insert' | 'update' | 'delete';
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Writes the audit entry (and the outbox row) inside the caller's transaction, so a change and its record
 * commit or roll back together. Callers pass objects with secrets already removed.
 */
export async function recordChange(trx: Trx | Db, deps: Pick<Deps, 'clock' | 'ids'>, rec: ChangeRecord) {
  const at = deps.clock.now();
  await trx
    .insertInto('audit_log')
    .values({
      id: deps.ids(),
      at,
      actor_id: rec.actor.userId,
      actor_name: rec.actor.name,
      action: rec.action,
      entity: rec.entity,
      entity_id: rec.entityId,
      before_json: json(rec.before),
      after_json: json(rec.after),
      via: rec.actor.via,
    })
    .execute();
  if (rec.op && rec.entityId) {
    await trx
      .insertInto('change_log')
      .values({
        at,
        entity: rec.entity,
        entity_id: rec.entityId,
        op: rec.op,
        data_json: rec.op === 'delete' ? null : json(rec.after),
      })
      .execute();
  }
}
