import { AppError } from '../../shared/contract/errors';
import type { AccountsService } from '../auth/accounts';
import type { Deps } from '../context';
import type { SettingsService } from '../settings/service';
import type { Handlers } from './dispatcher';

type FoundationMethods =
  | 'auth.status'
  | 'auth.setup'
  | 'auth.login'
  | 'auth.logout'
  | 'auth.changePassword'
  | 'staff.list'
  | 'staff.create'
  | 'staff.update'
  | 'staff.resetPassword'
  | 'settings.get'
  | 'settings.update'
  | 'settings.setLogo'
  | 'system.info'
  | 'audit.list';

const need = <T>(v: T | null): T => {
  if (v === null) throw new AppError('UNAUTHENTICATED', 'Silakan masuk');
  return v;
};

export function foundationHandlers(
  deps: Deps,
  accounts: AccountsService,
  settings: SettingsService,
  info: { appVersion: string; headless: boolean; lanUrl: () => string | null },
): Pick<Handlers, FoundationMethods> {
  return {
    'auth.status': async (_i, ctx) => {
      const setUp = await accounts.isSetUp();
      const office = setUp ? await settings.get() : null;
      return {
        setupRequired: !setUp,
        officeName: office?.officeName ?? null,
        language: office?.language ?? 'id',
        user: ctx.session?.user ?? null,
        permissions: ctx.session?.permissions ?? [],
      };
    },
    'auth.setup': (i, ctx) =>
      accounts.setup(i, ctx.call.via, ctx.call.ip, (name, trx) => settings.init(name, trx)),
    'auth.login': (i, ctx) => accounts.login(i.username, i.password, ctx.call.via, ctx.call.ip),
    'auth.logout': async (_i, ctx) => {
      await accounts.logout(need(ctx.session), ctx.call.via);
      return { ok: true as const };
    },
    'auth.changePassword': async (i, ctx) => {
      await accounts.changePassword(need(ctx.session), i.currentPassword, i.newPassword, ctx.call.via);
      return { ok: true as const };
    },
    'staff.list': () => accounts.list(),
    'staff.create': (i, ctx) => accounts.create(ctx.actor, i),
    'staff.update': (i, ctx) => accounts.update(ctx.actor, i),
    'staff.resetPassword': async (i, ctx) => {
      await accounts.resetPassword(ctx.actor, i.id, i.newPassword);
      return { ok: true as const };
    },
    'settings.get': () => settings.get(),
    'settings.update': (i, ctx) => settings.update(ctx.actor, i),
    'settings.setLogo': (i, ctx) => settings.setLogo(ctx.actor, i),
    'system.info': () => ({
      appVersion: info.appVersion,
      schemaVersion: deps.database.schemaVersion,
      timeZone: settings.timeZone,
      now: deps.clock.now(),
      headless: info.headless,
      lanUrl: info.lanUrl(),
    }),
    'audit.list': async (i) => {
      let q = deps.database.db.selectFrom('audit_log');
      if (i.action) q = q.where('action', '=', i.action);
      if (i.entity) q = q.where('entity', '=', i.entity);
      if (i.actorId) q = q.where('actor_id', '=', i.actorId);
      if (i.search) {
        const like = `%${i.search}%`;
        q = q.where((eb) =>
          eb.or([eb('action', 'like', like), eb('actor_name', 'like', like), eb('entity_id', 'like', like)]),
        );
      }
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const dir = i.sort?.dir ?? 'desc';
      const field =
        i.sort?.field === 'action' ? 'action' : i.sort?.field === 'actorName' ? 'actor_name' : 'at';
      const rows = await q
        .selectAll()
        .orderBy(field, dir)
        .orderBy('id', dir)
        .limit(i.limit)
        .offset(i.offset)
        .execute();
      return {
        total: total.n,
        rows: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before_json ? (JSON.parse(r.before_json) as unknown) : null,
          after: r.after_json ? (JSON.parse(r.after_json) as unknown) : null,
          via: r.via,
        })),
      };
    },
  };
}
