/**
 * The fixed list of error codes a contract call can answer with. The renderer maps each code to a
 * translated message; stack traces and SQL never cross the boundary.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'ACCOUNT_LOCKED',
  'SETUP_REQUIRED',
  'ALREADY_SET_UP',
  'UNKNOWN_METHOD',
  'ROUTER_UNREACHABLE',
  'ROUTER_ERROR',
  /** API-SSL: the router presented a certificate other than the pinned one; details carry both fingerprints. */
  'ROUTER_CERT_CHANGED',
  'GATEWAY_ERROR',
  'MESSENGER_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `bankAccounts.0.number`. */
  path: string;
  message: string;
  code: string;
}

export interface RpcErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown> & { issues?: ValidationIssue[] };
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcErrorBody };

/** Thrown by services; the dispatcher turns it into an error envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: RpcErrorBody['details'],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isErrorCode = (v: unknown): v is ErrorCode =>
  typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
