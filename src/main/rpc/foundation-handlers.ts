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
    'audit.list': (i) => deps.reads.run('audit.list', i),
  };
}
