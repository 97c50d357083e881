import { ZodError } from 'zod';
import {
  AppError,
  can,
  type Access,
  contract,
  isMethodName,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
  type RpcResult,
  type ValidationIssue,
} from '../../shared/contract/index';
import type { AccountsService, SessionInfo } from '../auth/accounts';
import { actorOf } from '../auth/accounts';
import { AuditSampler } from '../auth/throttle';
import { recordChange } from '../audit';
import type { Actor, Deps } from '../context';
import type { Logger } from '../lib/logger';

export interface CallContext {
  /** Bearer token presented by the transport (cookie/header over HTTP, per-window over IPC). */
  token: string | null;
  via: 'ipc' | 'http';
  ip: string | null;
}

export interface HandlerContext {
  session: SessionInfo | null;
  actor: Actor;
  call: CallContext;
}

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: HandlerContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

export type Handlers = { [M in MethodName]: Handler<M> };

export interface Dispatcher {
  dispatch(name: string, input: unknown, call: CallContext): Promise<RpcResult<unknown>>;
}

export function zodIssues(err: ZodError): ValidationIssue[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));
}

function validationError(issues: ValidationIssue[]): RpcResult<never> {
  const named = issues
    .slice(0, 3)
    .map((i) => `${i.path || '(input)'}: ${i.message}`)
    .join('; ');
  return {
    ok: false,
    error: { code: 'VALIDATION', message: `Data tidak valid — ${named}`, details: { issues } },
  };
}

/**
 * Permissions whose methods move money (payments, invoices, subscriptions that bill a prorated first period):
 * their commits are synced to disk before the answer goes out (see Database.durably).
 */
const MONEY_ACCESS: ReadonlySet<Access> = new Set<Access>([
  'payments.record',
  'payments.reverse',
  'billing.manage',
  'subscriptions.manage',
]);

export const isMoneyMoving = (name: MethodName): boolean => MONEY_ACCESS.has(contract[name].access);

const UNAUTHENTICATED: RpcResult<never> = {
  ok: false,
  error: { code: 'UNAUTHENTICATED', message: 'Sesi berakhir atau belum masuk. Silakan masuk.' },
};

/**
 * The one entry point of every contract call, whatever the transport:
 * authenticate → check permission → validate input → call the service → wrap the result in an envelope.
 * The order matters: a caller who may not call a method learns nothing about its input (no field details
 * for anonymous callers), and a refused call never reaches the parser.
 */
export function createDispatcher(opts: {
  handlers: Handlers;
  accounts: AccountsService;
  deps: Pick<Deps, 'database' | 'clock' | 'ids'>;
  log: Logger;
  /** Parse outputs too (tests and dev): catches a service drifting from the contract. */
  validateOutput?: boolean;
}): Dispatcher {
  const { handlers, accounts, deps, log } = opts;
  // A user poking at methods their role lacks is worth a row, not thousands: one per user and method per
  // ten minutes (the next row says how many were left out), and at most 100 such rows per window overall.
  const refusals = new AuditSampler({
    perKey: 1,
    total: 100,
    windowMs: 10 * 60_000,
    maxKeys: 5_000,
    now: () => deps.clock.now(),
  });

  /** `reason` is the service's refusal (e.g. an admin creating an owner), absent for the role check. */
  async function auditRefusal(
    session: SessionInfo,
    name: MethodName,
    access: Access,
    via: CallContext['via'],
    reason?: string,
  ) {
    const admitted = refusals.admit(`${session.user.id}:${name}`);
    if (!admitted.write) return;
    try {
      await recordChange(deps.database.db, deps, {
        actor: actorOf(session.user, via),
        action: 'auth.forbidden',
        entity: 'method',
        entityId: name,
        after: {
          permission: access,
          ...(reason ? { reason } : {}),
          ...(admitted.suppressed > 0 ? { unrecordedBefore: admitted.suppressed } : {}),
        },
      });
    } catch (e) {
      log.warn('could not audit a refused call', { method: name, error: String(e) });
    }
  }

  return {
    async dispatch(name, rawInput, call) {
      if (!isMethodName(name)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Metode tidak dikenal: ${name}` } };
      }
      const def = contract[name];
      const session = accounts.resolve(call.token);
      if (def.access !== 'public') {
        if (!session) return UNAUTHENTICATED;
        if (!can(session.user.role, def.access)) {
          await auditRefusal(session, name, def.access, call.via);
          return {
            ok: false,
            error: {
              code: 'FORBIDDEN',
              message: 'Peran Anda tidak diizinkan melakukan ini',
              details: { permission: def.access },
            },
          };
        }
      }
      const parsed = def.input.safeParse(rawInput ?? {});
      if (!parsed.success) return validationError(zodIssues(parsed.error));

      const actor: Actor = session
        ? actorOf(session.user, call.via)
        : { userId: null, name: 'Tamu', role: null, via: call.via };
      try {
        const handler = handlers[name] as Handler<MethodName>;
        const run = async () => handler(parsed.data as never, { session, actor, call });
        const value = await (isMoneyMoving(name) ? deps.database.durably(run) : run());
        if (opts.validateOutput) def.output.parse(value);
        return { ok: true, value };
      } catch (e) {
        if (e instanceof AppError && e.code === 'FORBIDDEN' && session)
          await auditRefusal(session, name, def.access, call.via, e.message);
        if (e instanceof AppError)
          return {
            ok: false,
            error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
          };
        if (e instanceof ZodError) return validationError(zodIssues(e));
        log.error('contract call failed', {
          method: name,
          error: e instanceof Error ? (e.stack ?? e.message) : String(e),
        });
        return {
          ok: false,
          error: { code: 'INTERNAL', message: 'Terjadi kesalahan internal. Detail tercatat di log.' },
        };
      }
    },
  };
}
