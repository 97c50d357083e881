import { ZodError } from 'zod';
import {
  AppError,
  can,
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
import type { Actor } from '../context';
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
 * The one entry point of every contract call, whatever the transport:
 * validate input → check permission → call the service → wrap the result in an envelope.
 */
export function createDispatcher(opts: {
  handlers: Handlers;
  accounts: AccountsService;
  log: Logger;
  /** Parse outputs too (tests and dev): catches a service drifting from the contract. */
  validateOutput?: boolean;
}): Dispatcher {
  const { handlers, accounts, log } = opts;
  return {
    async dispatch(name, rawInput, call) {
      if (!isMethodName(name)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Metode tidak dikenal: ${name}` } };
      }
      const def = contract[name];
      const parsed = def.input.safeParse(rawInput ?? {});
      if (!parsed.success) return validationError(zodIssues(parsed.error));

      const session = accounts.resolve(call.token);
      if (def.access !== 'public') {
        if (!session) {
          return {
            ok: false,
            error: { code: 'UNAUTHENTICATED', message: 'Sesi berakhir atau belum masuk. Silakan masuk.' },
          };
        }
        if (!can(session.user.role, def.access)) {
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
      const actor: Actor = session
        ? actorOf(session.user, call.via)
        : { userId: null, name: 'Tamu', role: null, via: call.via };
      try {
        const handler = handlers[name] as Handler<MethodName>;
        const value = await handler(parsed.data as never, { session, actor, call });
        if (opts.validateOutput) def.output.parse(value);
        return { ok: true, value };
      } catch (e) {
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
