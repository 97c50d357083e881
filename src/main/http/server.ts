import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { contract, events, type EventMessage } from '../../shared/contract/index';
import { shouldDeliver } from '../events-filter';
import type { AccountsService } from '../auth/accounts';
import type { EventBus } from '../events';
import type { Logger } from '../lib/logger';
import type { Dispatcher } from '../rpc/dispatcher';
import type { SettingsService } from '../settings/service';
import { HTTP_BODY_LIMIT_BYTES, installBodyLimits } from './body-limit';
import { OriginGuard } from './origin-guard';

export const SESSION_COOKIE = 'rukun_session';

export interface HttpOptions {
  host: string;
  port: number;
  /** Serve the contract (/api/*) — headless mode. The desktop app only serves public LAN pages. */
  serveApi: boolean;
  /** Built renderer to serve at / (headless mode). */
  rendererDir?: string;
  /** Extra names the API is served under (reverse proxy, dev server); this machine's own are always. */
  allowedHosts?: readonly string[];
}

export interface HttpDeps {
  dispatcher: Dispatcher;
  accounts: AccountsService;
  settings: SettingsService;
  events: EventBus;
  log: Logger;
}

/** Routes that features add to the LAN listener (receipts, payment pages, router callbacks). */
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

// Mantine injects its CSS variables in a <style> element, hence 'unsafe-inline' for styles only.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return parseCookies(req.headers.cookie)[SESSION_COOKIE] ?? null;
}

function sessionCookie(token: string, maxAgeSec: number): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSec}`;
}

/** JSON Schema of every method and event, so the API documents itself. */
export function describeContract() {
  const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });
  return {
    methods: Object.entries(contract).map(([name, def]) => ({
      name,
      summary: def.summary,
      permission: def.access,
      audited: def.audited,
      http: `POST /api/rpc/${name}`,
      input: schema(def.input, 'input'),
      output: schema(def.output, 'output'),
    })),
    events: Object.entries(events).map(([name, def]) => ({
      name,
      summary: def.summary,
      permission: def.access,
      payload: schema(def.payload, 'output'),
    })),
  };
}

export async function createHttpServer(opts: HttpOptions, deps: HttpDeps, registrars: RouteRegistrar[] = []) {
  const app = Fastify({ logger: false, bodyLimit: HTTP_BODY_LIMIT_BYTES, trustProxy: false });
  installBodyLimits(app);

  const guard = new OriginGuard({
    port: () => {
      const a = app.server.address();
      return typeof a === 'object' && a ? a.port : opts.port;
    },
    extraHosts: opts.allowedHosts ?? [],
    publicUrl: () => deps.settings.cachedPublicUrl,
  });
  app.addHook('onRequest', guard.hook);

  // Whatever fails inside a route, the answer carries no stack, SQL or library text: that stays in the log.
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.send(error);
    deps.log.error('http request failed', { url: req.url, error: error.stack ?? error.message });
    return reply
      .code(500)
      .send({ ok: false, error: { code: 'INTERNAL', message: 'Terjadi kesalahan internal.' } });
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', CSP);
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/assets/logo', async (_req, reply) => {
    const logo = await deps.settings.logo();
    if (!logo) return reply.code(404).send({ error: 'no logo' });
    return reply.header('Cache-Control', 'public, max-age=86400').type(logo.mime).send(logo.bytes);
  });

  for (const register of registrars) await register(app);

  if (opts.serveApi) {
    const described = describeContract();
    app.get('/api/contract', async () => described);

    app.post<{ Params: { method: string } }>('/api/rpc/:method', async (req, reply) => {
      // JSON only: a cross-site form cannot send it without a CORS preflight, which we never grant (CSRF).
      if (!req.headers['content-type']?.startsWith('application/json') && req.body !== undefined) {
        return reply
          .code(415)
          .send({ ok: false, error: { code: 'VALIDATION', message: 'Content-Type harus application/json' } });
      }
      const method = req.params.method;
      const result = await deps.dispatcher.dispatch(method, req.body ?? {}, {
        token: tokenOf(req),
        via: 'http',
        ip: req.ip,
      });
      if (result.ok && (method === 'auth.login' || method === 'auth.setup')) {
        const v = result.value as { token: string; expiresAt: number };
        reply.header('Set-Cookie', sessionCookie(v.token, Math.floor((v.expiresAt - Date.now()) / 1000)));
      }
      if (method === 'auth.logout') reply.header('Set-Cookie', sessionCookie('', 0));
      reply.header('Cache-Control', 'no-store');
      return result;
    });

    app.get('/api/events', (req: FastifyRequest, reply: FastifyReply) => {
      const token = tokenOf(req);
      const session = deps.accounts.resolve(token);
      if (!session) {
        void reply
          .code(401)
          .send({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Silakan masuk' } });
        return;
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
      });
      res.write(': connected\n\n');
      const send = (msg: EventMessage) =>
        res.write(`event: ${msg.name}\ndata: ${JSON.stringify(msg.payload)}\n\n`);
      const unsubscribe = deps.events.subscribe((msg, audience) => {
        // Re-check the session on every event: a logout or deactivation stops the stream.
        const decision = shouldDeliver(msg, audience, session, deps.accounts.resolve(token));
        if (decision === 'deliver' || decision === 'deliver-and-end') send(msg);
        if (decision === 'end' || decision === 'deliver-and-end') res.end();
      });
      const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
      const close = () => {
        clearInterval(ping);
        unsubscribe();
      };
      req.raw.on('close', close);
    });
  }

  if (opts.rendererDir && existsSync(opts.rendererDir)) {
    await app.register(fastifyStatic, { root: opts.rendererDir, prefix: '/', index: ['index.html'] });
  }

  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  deps.log.info('http listening', { host: opts.host, port, api: opts.serveApi });
  return { app, port, url: `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}` };
}
