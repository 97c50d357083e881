/**
 * Typed errors of the RouterOS client. Callers branch on `kind` (or `instanceof`), never on message text:
 * the text differs between RouterOS versions and is classified once, here.
 */

export type RouterOsErrorKind =
  | 'duplicate'
  | 'not_found'
  | 'invalid_value'
  | 'unknown_parameter'
  | 'login_failed'
  | 'timeout'
  | 'connection_closed'
  | 'fatal'
  | 'cert_changed'
  | 'trap';

export interface RouterOsErrorDetails {
  /** The command that failed, e.g. `/ip/hotspot/user/add`. */
  command?: string | undefined;
  /** `=category=` of a `!trap` (0 missing item/command, 1 argument value, 2 interrupted, 3 script, 4 general, ...). */
  category?: number | undefined;
  cause?: unknown;
}

export class RouterOsError extends Error {
  override name = 'RouterOsError';
  readonly command: string | undefined;
  readonly category: number | undefined;

  constructor(
    readonly kind: RouterOsErrorKind,
    message: string,
    details: RouterOsErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.command = details.command;
    this.category = details.category;
  }
}

/** `!trap` that matches none of the specific classes below (e.g. "no such command prefix"). */
export class TrapError extends RouterOsError {
  override name = 'TrapError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super('trap', message, details);
  }
}

export class DuplicateError extends RouterOsError {
  override name = 'DuplicateError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super('duplicate', message, details);
  }
}

export class NotFoundError extends RouterOsError {
  override name = 'NotFoundError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super('not_found', message, details);
  }
}

export class InvalidValueError extends RouterOsError {
  override name = 'InvalidValueError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super('invalid_value', message, details);
  }
}

export class UnknownParameterError extends RouterOsError {
  override name = 'UnknownParameterError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super('unknown_parameter', message, details);
  }
}

export class LoginFailedError extends RouterOsError {
  override name = 'LoginFailedError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super('login_failed', message, details);
  }
}

export class TimeoutError extends RouterOsError {
  override name = 'TimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
    details: RouterOsErrorDetails = {},
  ) {
    super('timeout', message, details);
  }
}

/** The connection is gone (closed, reset, never opened, or the router sent `!fatal`). Safe to retry elsewhere. */
export class ConnectionClosedError extends RouterOsError {
  override name = 'ConnectionClosedError';
  constructor(
    message: string,
    details: RouterOsErrorDetails = {},
    kind: 'connection_closed' | 'fatal' = 'connection_closed',
  ) {
    super(kind, message, details);
  }
}

/** The router ended the session with `!fatal <reason>`; a ConnectionClosedError so one `instanceof` covers both. */
export class FatalError extends ConnectionClosedError {
  override name = 'FatalError';
  constructor(message: string, details: RouterOsErrorDetails = {}) {
    super(message, details, 'fatal');
  }
}

/**
 * API-SSL: the router presented a certificate other than the pinned one (or none where one is pinned). Raised
 * right after the TLS handshake, before the login sends the password. A man in the middle, or a router whose
 * certificate was really replaced — only a person can tell, so Rukun refuses until an admin accepts it.
 */
export class CertificateChangedError extends RouterOsError {
  override name = 'CertificateChangedError';
  constructor(
    /** The pinned SHA-256 fingerprint. */
    readonly expected: string,
    /** What the router presented now; null when it presented no certificate at all. */
    readonly actual: string | null,
    details: RouterOsErrorDetails = {},
  ) {
    super(
      'cert_changed',
      `router certificate changed: pinned ${expected}, presented ${actual ?? 'no certificate'}`,
      details,
    );
  }
}

const DUPLICATE = [/already have/i, /already exists/i, /with the same name/i, /with such name exists/i];
const NOT_FOUND = [/^no such item/i, /no such item\b/i];
const INVALID_VALUE = [
  /^invalid .*value/i,
  /value of .* out of range/i,
  /input does not match any value of/i,
  /^expected .* value/i,
  /value of .* must be/i,
];
const UNKNOWN_PARAMETER = [/^unknown parameter/i, /^expected end of command/i];
const LOGIN_FAILED = [/invalid user name or password/i, /^cannot log in/i, /^not logged in/i];

/** Map the text (and category) of a `!trap` to the matching error class. */
export function trapToError(message: string, details: RouterOsErrorDetails = {}): RouterOsError {
  const test = (patterns: RegExp[]): boolean => patterns.some((p) => p.test(message));
  if (test(LOGIN_FAILED)) return new LoginFailedError(message, details);
  if (test(DUPLICATE)) return new DuplicateError(message, details);
  if (test(NOT_FOUND)) return new NotFoundError(message, details);
  if (test(UNKNOWN_PARAMETER)) return new UnknownParameterError(message, details);
  if (test(INVALID_VALUE)) return new InvalidValueError(message, details);
  return new TrapError(message, details);
}

export function isRouterOsError(e: unknown): e is RouterOsError {
  return e instanceof RouterOsError;
}
