/**
 * Request body limits of the HTTP listener, derived from shared/contract/import-limits.ts so that a file the
 * contract accepts always fits, and an oversize one gets the same clear Indonesian answer, as an RPC envelope,
 * whichever layer notices it (never Fastify's bare "413 Payload Too Large").
 *
 * Only the import methods may send a body that large; every other call (and every LAN route: receipts,
 * router callbacks) keeps the small default limit, checked on the declared length and on the bytes actually
 * received, so a chunked body cannot slip past it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Transform } from 'node:stream';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  IMPORT_BODY_LIMIT_BYTES,
  IMPORT_MAX_FILE_BYTES,
  IMPORT_METHODS,
  bodyLimitOf,
  fileTooLargeMessage,
  formatMegabytes,
} from '../../shared/contract/import-limits';
import type { RpcErrorBody } from '../../shared/contract/errors';

/** Fastify's own limit: the largest any route allows. Smaller per-route limits are applied by the hook. */
export const HTTP_BODY_LIMIT_BYTES = Math.max(IMPORT_BODY_LIMIT_BYTES, DEFAULT_BODY_LIMIT_BYTES);

const RPC_ROUTE = '/api/rpc/:method';

function methodOf(req: FastifyRequest): string | null {
  if (req.routeOptions.url !== RPC_ROUTE) return null;
  const m = (req.params as { method?: unknown } | undefined)?.method;
  return typeof m === 'string' ? m : null;
}

const limitOf = (req: FastifyRequest) => {
  const method = methodOf(req);
  return method === null ? DEFAULT_BODY_LIMIT_BYTES : bodyLimitOf(method);
};

/** The envelope an oversize body gets. */
export function tooLargeBody(method: string | null): RpcErrorBody {
  const isImport = method !== null && IMPORT_METHODS.includes(method);
  const message = isImport
    ? fileTooLargeMessage(null)
    : `Permintaan terlalu besar: batasnya ${formatMegabytes(DEFAULT_BODY_LIMIT_BYTES)}.`;
  return {
    code: 'VALIDATION',
    message,
    details: {
      reason: 'payload_too_large',
      limitBytes: isImport ? IMPORT_MAX_FILE_BYTES : DEFAULT_BODY_LIMIT_BYTES,
      issues: [{ path: isImport ? 'content' : '(body)', message, code: 'payload_too_large' }],
    },
  };
}

const tooLarge = () => Object.assign(new Error('Request body is too large'), { statusCode: 413 });

export function installBodyLimits(app: FastifyInstance): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const limit = limitOf(req);
    if (limit >= HTTP_BODY_LIMIT_BYTES) return payload;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) throw tooLarge();
    // A declared length is enforced by Fastify (the body must match it); only a chunked body needs counting.
    // Requests without a body (GET, the SSE stream) are left alone.
    if (req.headers['transfer-encoding'] === undefined) return payload;
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > limit) done(tooLarge());
        else done(null, chunk);
      },
    });
    payload.on('error', (e) => counted.destroy(e));
    return payload.pipe(counted);
  });

  // However the 413 came about (Fastify's own limit or the hook above), answer with an RPC envelope.
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode !== 413) return payload;
    reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify({ ok: false, error: tooLargeBody(methodOf(req)) });
  });
}
