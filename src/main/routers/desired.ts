/**
 * The desired state the routers feature owns: PPP secrets (billing links them to subscriptions), hotspot
 * profiles and PPP profiles. Every write changes the row and enqueues the router job in the same transaction.
 */
import { sql } from 'kysely';
import { AppError } from '../../shared/contract/errors';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { Db, Trx } from '../db/database';
import type { FeatureBase } from '../feature';
import type { RosRow } from '../routeros/index';
import {
  PPPOE_MARKER,
  VOUCHER_MARKER,
  type DesiredStateProvider,
  type HotspotProfileView,
  type OperationRun,
  type PppProfileView,
  type PppSecretsApi,
  type PppSecretView,
  type ProfilesApi,
} from './api';
import type { JobQueue } from './jobs';
import { menuRemove, menuUpsert } from './operations';
import type { HotspotProfilesTable, PppProfilesTable, PppSecretsTable } from './schema';

const secretView = (r: PppSecretsTable): PppSecretView => ({
  id: r.id,
  routerId: r.router_id,
  name: r.name,
  profile: r.profile,
  service: r.service,
  remoteAddress: r.remote_address,
  disabled: r.disabled === 1,
  comment: r.comment,
  subscriptionId: r.subscription_id,
  adopted: r.adopted === 1,
  version: r.version,
});

const hotspotView = (r: HotspotProfilesTable): HotspotProfileView => ({
  id: r.id,
  routerId: r.router_id,
  name: r.name,
  rateLimit: r.rate_limit,
  sharedUsers: r.shared_users,
  comment: r.comment,
  managed: r.managed === 1,
  meta: JSON.parse(r.meta_json) as Record<string, unknown>,
  version: r.version,
});

const pppProfileView = (r: PppProfilesTable): PppProfileView => ({
  id: r.id,
  routerId: r.router_id,
  name: r.name,
  rateLimit: r.rate_limit,
  localAddress: r.local_address,
  remoteAddress: r.remote_address,
  comment: r.comment,
  managed: r.managed === 1,
  version: r.version,
});

/** Managed profiles carry the marker in their comment: "VOUCHER_SYSTEM", "VOUCHER_SYSTEM paket harian". */
export function markedComment(marker: string, comment: string | undefined): string {
  const c = (comment ?? '').trim();
  if (c.startsWith(marker)) return c;
  return c ? `${marker} ${c}` : marker;
}

export const hasMarker = (marker: string) => (row: RosRow) => (row['comment'] ?? '').startsWith(marker);

/** PPP profiles every RouterOS has (`default=yes`, read-only): the router's, not an office's package. */
export const BUILT_IN_PPP_PROFILES: readonly string[] = ['default', 'default-encryption'];

const isBuiltInPppProfile = (row: RosRow): boolean =>
  row['default'] === 'true' || row['default'] === 'yes' || BUILT_IN_PPP_PROFILES.includes(row['name'] ?? '');

/** Router values of a PPP secret row (password decrypted). Empty remote address is left unset. */
function secretValues(r: PppSecretsTable, decrypt: (s: string) => string): Record<string, string> {
  const v: Record<string, string> = {
    password: decrypt(r.password_enc),
    profile: r.profile,
    service: r.service,
    disabled: r.disabled === 1 ? 'yes' : 'no',
    comment: r.comment,
  };
  if (r.remote_address) v['remote-address'] = r.remote_address;
  return v;
}

export interface DesiredState {
  pppSecrets: PppSecretsApi;
  profiles: ProfilesApi;
  providers: DesiredStateProvider[];
  operations: Record<string, OperationRun<never>>;
}

export function createDesiredState(base: FeatureBase, jobs: JobQueue): DesiredState {
  const db = (): Db => base.database.db;
  const now = () => base.clock.now();

  const getSecret = async (routerId: string, name: string, trx?: Db | Trx) =>
    (trx ?? db())
      .selectFrom('ppp_secrets')
      .selectAll()
      .where('router_id', '=', routerId)
      .where('name', '=', name)
      .executeTakeFirst();

  const mustSecret = async (trx: Trx, routerId: string, name: string) => {
    const r = await getSecret(routerId, name, trx);
    if (!r) throw new AppError('NOT_FOUND', `Secret PPP ${name} tidak ditemukan`);
    return r;
  };

  const sync = (trx: Trx, routerId: string, name: string) =>
    jobs.enqueue(trx, { routerId, operation: 'ppp.secret.sync', payload: { name } });

  const auditSecret = (r: PppSecretsTable) => ({ ...secretView(r), password: undefined });

  async function updateSecret(
    trx: Trx,
    actor: Actor,
    routerId: string,
    name: string,
    patch: Partial<PppSecretsTable>,
    action: string,
  ) {
    const before = await mustSecret(trx, routerId, name);
    const after: PppSecretsTable = { ...before, ...patch, updated_at: now(), version: before.version + 1 };
    await trx
      .updateTable('ppp_secrets')
      .set({ ...patch, updated_at: after.updated_at, version: after.version })
      .where('id', '=', before.id)
      .execute();
    await recordChange(trx, base, {
      actor,
      action,
      entity: 'ppp_secret',
      entityId: before.id,
      before: auditSecret(before),
      after: auditSecret(after),
      op: 'update',
    });
    return after;
  }

  const pppSecrets: PppSecretsApi = {
    async upsert(trx, actor, input) {
      const before = await getSecret(input.routerId, input.name, trx);
      const t = now();
      const row: PppSecretsTable = {
        id: before?.id ?? base.ids(),
        router_id: input.routerId,
        name: input.name,
        password_enc: base.secrets.encrypt(input.password),
        profile: input.profile,
        service: input.service ?? before?.service ?? 'pppoe',
        remote_address: input.remoteAddress ?? before?.remote_address ?? '',
        disabled: input.disabled === undefined ? (before?.disabled ?? 0) : input.disabled ? 1 : 0,
        comment: input.comment ?? before?.comment ?? '',
        subscription_id:
          input.subscriptionId === undefined ? (before?.subscription_id ?? null) : input.subscriptionId,
        adopted: before?.adopted ?? 0,
        created_at: before?.created_at ?? t,
        updated_at: t,
        version: (before?.version ?? 0) + 1,
      };
      if (before) {
        const { id: _id, created_at: _c, ...set } = row;
        await trx.updateTable('ppp_secrets').set(set).where('id', '=', row.id).execute();
      } else {
        await trx.insertInto('ppp_secrets').values(row).execute();
      }
      await recordChange(trx, base, {
        actor,
        action: before ? 'pppSecrets.update' : 'pppSecrets.create',
        entity: 'ppp_secret',
        entityId: row.id,
        before: before ? auditSecret(before) : undefined,
        after: auditSecret(row),
        op: before ? 'update' : 'insert',
      });
      await sync(trx, input.routerId, input.name);
      return secretView(row);
    },
    async setProfile(trx, actor, routerId, name, profile) {
      const r = await updateSecret(trx, actor, routerId, name, { profile }, 'pppSecrets.setProfile');
      await sync(trx, routerId, name);
      return secretView(r);
    },
    async setDisabled(trx, actor, routerId, name, disabled) {
      const r = await updateSecret(
        trx,
        actor,
        routerId,
        name,
        { disabled: disabled ? 1 : 0 },
        'pppSecrets.setDisabled',
      );
      await sync(trx, routerId, name);
      return secretView(r);
    },
    async link(trx, actor, routerId, name, subscriptionId, desiredProfile) {
      const r = await updateSecret(
        trx,
        actor,
        routerId,
        name,
        {
          subscription_id: subscriptionId,
          ...(desiredProfile === undefined ? {} : { profile: desiredProfile }),
        },
        'pppSecrets.link',
      );
      return secretView(r);
    },
    async remove(trx, actor, routerId, name) {
      const before = await mustSecret(trx, routerId, name);
      await trx.deleteFrom('ppp_secrets').where('id', '=', before.id).execute();
      await recordChange(trx, base, {
        actor,
        action: 'pppSecrets.remove',
        entity: 'ppp_secret',
        entityId: before.id,
        before: auditSecret(before),
        op: 'delete',
      });
      await sync(trx, routerId, name);
      await jobs.enqueue(trx, { routerId, operation: 'ppp.kick', payload: { name } });
    },
    async get(routerId, name, trx) {
      const r = await getSecret(routerId, name, trx);
      return r ? secretView(r) : null;
    },
    async list(filter = {}) {
      let q = db().selectFrom('ppp_secrets').selectAll();
      if (filter.routerId) q = q.where('router_id', '=', filter.routerId);
      if (filter.subscriptionId) q = q.where('subscription_id', '=', filter.subscriptionId);
      if (filter.unlinked) q = q.where('subscription_id', 'is', null);
      return (await q.orderBy('name').execute()).map(secretView);
    },
    async password(routerId, name) {
      const r = await getSecret(routerId, name);
      return r ? base.secrets.decrypt(r.password_enc) : null;
    },
  };

  /** Pushes the secret as the database holds it now (or removes it when the row is gone). */
  const pppSecretSync: OperationRun<{ name: string }> = async (ctx) => {
    const row = await getSecret(ctx.router.id, ctx.payload.name);
    const match = { name: ctx.payload.name };
    if (!row) return menuRemove({ ...ctx, payload: { menu: '/ppp/secret', match } });
    return menuUpsert({
      ...ctx,
      payload: { menu: '/ppp/secret', match, values: secretValues(row, base.secrets.decrypt) },
    });
  };

  const hotspotValues = (r: HotspotProfilesTable): Record<string, string> => {
    const v: Record<string, string> = { 'shared-users': String(r.shared_users), comment: r.comment };
    if (r.rate_limit) v['rate-limit'] = r.rate_limit;
    return v;
  };
  const pppProfileValues = (r: PppProfilesTable): Record<string, string> => {
    const v: Record<string, string> = { comment: r.comment };
    if (r.rate_limit) v['rate-limit'] = r.rate_limit;
    if (r.local_address) v['local-address'] = r.local_address;
    if (r.remote_address) v['remote-address'] = r.remote_address;
    return v;
  };

  const profiles: ProfilesApi = {
    hotspot: {
      async upsert(trx, actor, input) {
        const before = await trx
          .selectFrom('hotspot_profiles')
          .selectAll()
          .where('router_id', '=', input.routerId)
          .where('name', '=', input.name)
          .executeTakeFirst();
        const managed = input.managed ?? true;
        const t = now();
        const row: HotspotProfilesTable = {
          id: before?.id ?? base.ids(),
          router_id: input.routerId,
          name: input.name,
          rate_limit: input.rateLimit ?? before?.rate_limit ?? '',
          shared_users: input.sharedUsers ?? before?.shared_users ?? 1,
          comment: managed
            ? markedComment(VOUCHER_MARKER, input.comment ?? before?.comment)
            : (input.comment ?? before?.comment ?? ''),
          managed: managed ? 1 : 0,
          meta_json: JSON.stringify(input.meta ?? (before ? JSON.parse(before.meta_json) : {})),
          created_at: before?.created_at ?? t,
          updated_at: t,
          version: (before?.version ?? 0) + 1,
        };
        if (before) {
          const { id: _id, created_at: _c, ...set } = row;
          await trx.updateTable('hotspot_profiles').set(set).where('id', '=', row.id).execute();
        } else {
          await trx.insertInto('hotspot_profiles').values(row).execute();
        }
        await recordChange(trx, base, {
          actor,
          action: before ? 'hotspotProfiles.update' : 'hotspotProfiles.create',
          entity: 'hotspot_profile',
          entityId: row.id,
          before: before ? hotspotView(before) : undefined,
          after: hotspotView(row),
          op: before ? 'update' : 'insert',
        });
        await jobs.enqueue(trx, {
          routerId: input.routerId,
          operation: 'menu.upsert',
          payload: {
            menu: '/ip/hotspot/user/profile',
            match: { name: input.name },
            values: { ...hotspotValues(row), ...input.extra },
          },
        });
        return hotspotView(row);
      },
      async remove(trx, actor, routerId, name) {
        const before = await trx
          .selectFrom('hotspot_profiles')
          .selectAll()
          .where('router_id', '=', routerId)
          .where('name', '=', name)
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', `Profil hotspot ${name} tidak ditemukan`);
        await trx.deleteFrom('hotspot_profiles').where('id', '=', before.id).execute();
        await recordChange(trx, base, {
          actor,
          action: 'hotspotProfiles.remove',
          entity: 'hotspot_profile',
          entityId: before.id,
          before: hotspotView(before),
          op: 'delete',
        });
        await jobs.enqueue(trx, {
          routerId,
          operation: 'menu.remove',
          payload: { menu: '/ip/hotspot/user/profile', match: { name } },
        });
      },
      async list(routerId) {
        let q = db().selectFrom('hotspot_profiles').selectAll();
        if (routerId) q = q.where('router_id', '=', routerId);
        return (await q.orderBy('name').execute()).map(hotspotView);
      },
      async setMeta(trx, actor, routerId, name, meta) {
        const before = await trx
          .selectFrom('hotspot_profiles')
          .selectAll()
          .where('router_id', '=', routerId)
          .where('name', '=', name)
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', `Profil hotspot ${name} tidak ditemukan`);
        const after = {
          ...before,
          meta_json: JSON.stringify(meta),
          updated_at: now(),
          version: before.version + 1,
        };
        await trx
          .updateTable('hotspot_profiles')
          .set({ meta_json: after.meta_json, updated_at: after.updated_at, version: after.version })
          .where('id', '=', before.id)
          .execute();
        await recordChange(trx, base, {
          actor,
          action: 'hotspotProfiles.setMeta',
          entity: 'hotspot_profile',
          entityId: before.id,
          before: hotspotView(before),
          after: hotspotView(after),
          op: 'update',
        });
        return hotspotView(after);
      },
    },
    ppp: {
      async upsert(trx, actor, input) {
        const before = await trx
          .selectFrom('ppp_profiles')
          .selectAll()
          .where('router_id', '=', input.routerId)
          .where('name', '=', input.name)
          .executeTakeFirst();
        const managed = input.managed ?? true;
        const t = now();
        const row: PppProfilesTable = {
          id: before?.id ?? base.ids(),
          router_id: input.routerId,
          name: input.name,
          rate_limit: input.rateLimit ?? before?.rate_limit ?? '',
          local_address: input.localAddress ?? before?.local_address ?? '',
          remote_address: input.remoteAddress ?? before?.remote_address ?? '',
          comment: managed
            ? markedComment(PPPOE_MARKER, input.comment ?? before?.comment)
            : (input.comment ?? before?.comment ?? ''),
          managed: managed ? 1 : 0,
          created_at: before?.created_at ?? t,
          updated_at: t,
          version: (before?.version ?? 0) + 1,
        };
        if (before) {
          const { id: _id, created_at: _c, ...set } = row;
          await trx.updateTable('ppp_profiles').set(set).where('id', '=', row.id).execute();
        } else {
          await trx.insertInto('ppp_profiles').values(row).execute();
        }
        await recordChange(trx, base, {
          actor,
          action: before ? 'pppProfiles.update' : 'pppProfiles.create',
          entity: 'ppp_profile',
          entityId: row.id,
          before: before ? pppProfileView(before) : undefined,
          after: pppProfileView(row),
          op: before ? 'update' : 'insert',
        });
        await jobs.enqueue(trx, {
          routerId: input.routerId,
          operation: 'menu.upsert',
          payload: {
            menu: '/ppp/profile',
            match: { name: input.name },
            values: { ...pppProfileValues(row), ...input.extra },
          },
        });
        return pppProfileView(row);
      },
      async remove(trx, actor, routerId, name) {
        const before = await trx
          .selectFrom('ppp_profiles')
          .selectAll()
          .where('router_id', '=', routerId)
          .where('name', '=', name)
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', `Profil PPP ${name} tidak ditemukan`);
        await trx.deleteFrom('ppp_profiles').where('id', '=', before.id).execute();
        await recordChange(trx, base, {
          actor,
          action: 'pppProfiles.remove',
          entity: 'ppp_profile',
          entityId: before.id,
          before: pppProfileView(before),
          op: 'delete',
        });
        await jobs.enqueue(trx, {
          routerId,
          operation: 'menu.remove',
          payload: { menu: '/ppp/profile', match: { name } },
        });
      },
      async list(routerId) {
        let q = db().selectFrom('ppp_profiles').selectAll();
        if (routerId) q = q.where('router_id', '=', routerId);
        return (await q.orderBy('name').execute()).map(pppProfileView);
      },
    },
  };

  const adoptInsert = async <T>(
    actor: Actor,
    routerId: string,
    action: string,
    table: 'hotspot_profiles' | 'ppp_profiles' | 'ppp_secrets',
    rows: T[],
  ) => {
    if (rows.length === 0) return 0;
    let inserted = 0;
    await db()
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < rows.length; i += 200) {
          const chunk = rows.slice(i, i + 200);
          const res = await trx
            .insertInto(table)
            .values(chunk as never)
            .onConflict((oc) => oc.columns(['router_id', 'name']).doNothing())
            .executeTakeFirst();
          inserted += Number(res.numInsertedOrUpdatedRows ?? 0n);
        }
        await recordChange(trx, base, {
          actor,
          action,
          entity: 'router',
          entityId: routerId,
          after: { table, adopted: inserted },
        });
      });
    return inserted;
  };

  const providers: DesiredStateProvider[] = [
    {
      menu: '/ip/hotspot/user/profile',
      label: 'Profil hotspot',
      key: 'name',
      managed: hasMarker(VOUCHER_MARKER),
      fields: ['rate-limit', 'shared-users', 'comment'],
      async desired(routerId) {
        const rows = await db()
          .selectFrom('hotspot_profiles')
          .selectAll()
          .where('router_id', '=', routerId)
          .where('managed', '=', 1)
          .execute();
        return new Map(rows.map((r) => [r.name, hotspotValues(r)]));
      },
      known: async (routerId) =>
        new Set(
          (
            await db()
              .selectFrom('hotspot_profiles')
              .select('name')
              .where('router_id', '=', routerId)
              .execute()
          ).map((r) => r.name),
        ),
      async adopt(routerId, rows, actor) {
        const t = now();
        return adoptInsert(
          actor,
          routerId,
          'reconcile.adopt.hotspotProfiles',
          'hotspot_profiles',
          rows
            .filter((r) => r['name'])
            .map((r): HotspotProfilesTable => ({
              id: base.ids(),
              router_id: routerId,
              name: r['name']!,
              rate_limit: r['rate-limit'] ?? '',
              shared_users: Number(r['shared-users'] ?? '1') || 1,
              comment: r['comment'] ?? '',
              managed: (r['comment'] ?? '').startsWith(VOUCHER_MARKER) ? 1 : 0,
              meta_json: '{}',
              created_at: t,
              updated_at: t,
              version: 1,
            })),
        );
      },
    },
    {
      menu: '/ppp/profile',
      label: 'Profil PPP',
      key: 'name',
      managed: hasMarker(PPPOE_MARKER),
      fields: ['rate-limit', 'local-address', 'remote-address', 'comment'],
      async desired(routerId) {
        const rows = await db()
          .selectFrom('ppp_profiles')
          .selectAll()
          .where('router_id', '=', routerId)
          .where('managed', '=', 1)
          .execute();
        return new Map(rows.map((r) => [r.name, pppProfileValues(r)]));
      },
      known: async (routerId) =>
        new Set([
          ...BUILT_IN_PPP_PROFILES,
          ...(
            await db().selectFrom('ppp_profiles').select('name').where('router_id', '=', routerId).execute()
          ).map((r) => r.name),
        ]),
      async adopt(routerId, rows, actor) {
        const t = now();
        return adoptInsert(
          actor,
          routerId,
          'reconcile.adopt.pppProfiles',
          'ppp_profiles',
          rows
            // The router's own profiles are not an office's packages: never adopted, never reported as extra.
            .filter((r) => r['name'] && !isBuiltInPppProfile(r))
            .map((r): PppProfilesTable => ({
              id: base.ids(),
              router_id: routerId,
              name: r['name']!,
              rate_limit: r['rate-limit'] ?? '',
              local_address: r['local-address'] ?? '',
              remote_address: r['remote-address'] ?? '',
              comment: r['comment'] ?? '',
              managed: (r['comment'] ?? '').startsWith(PPPOE_MARKER) ? 1 : 0,
              created_at: t,
              updated_at: t,
              version: 1,
            })),
        );
      },
    },
    {
      menu: '/ppp/secret',
      label: 'Secret PPP',
      key: 'name',
      // Secrets carry customer notes, not a marker: an unknown secret on the router is reported, never removed.
      managed: () => false,
      fields: ['password', 'profile', 'service', 'remote-address', 'disabled', 'comment'],
      async desired(routerId) {
        const rows = await db()
          .selectFrom('ppp_secrets')
          .selectAll()
          .where('router_id', '=', routerId)
          .execute();
        return new Map(rows.map((r) => [r.name, secretValues(r, base.secrets.decrypt)]));
      },
      pushJob: (key) => ({ operation: 'ppp.secret.sync', payload: { name: key } }),
      async adopt(routerId, rows, actor) {
        const t = now();
        return adoptInsert(
          actor,
          routerId,
          'reconcile.adopt.pppSecrets',
          'ppp_secrets',
          rows
            .filter((r) => r['name'])
            .map((r): PppSecretsTable => ({
              id: base.ids(),
              router_id: routerId,
              name: r['name']!,
              password_enc: base.secrets.encrypt(r['password'] ?? ''),
              profile: r['profile'] ?? 'default',
              service: r['service'] ?? 'any',
              remote_address: r['remote-address'] ?? '',
              disabled: r['disabled'] === 'true' || r['disabled'] === 'yes' ? 1 : 0,
              comment: r['comment'] ?? '',
              subscription_id: null,
              adopted: 1,
              created_at: t,
              updated_at: t,
              version: 1,
            })),
        );
      },
    },
  ];

  return {
    pppSecrets,
    profiles,
    providers,
    operations: { 'ppp.secret.sync': pppSecretSync as OperationRun<never> },
  };
}

/** Count helper used by the UI summaries. */
export async function countSecrets(db: Db, routerId: string): Promise<number> {
  const r = await db
    .selectFrom('ppp_secrets')
    .select(sql<number>`count(*)`.as('n'))
    .where('router_id', '=', routerId)
    .executeTakeFirst();
  return r?.n ?? 0;
}
