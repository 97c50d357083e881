import type { FastifyReply, FastifyRequest } from 'fastify';
import { hostname } from 'node:os';
import { machineAddresses } from './lan-url';

/**
 * Who may talk to the contract over HTTP, judged by the names a request says it used:
 * - DNS rebinding: a page on evil.example whose name is re-pointed at this box reaches it with
 *   `Host: evil.example`. Every /api request must name one of this machine's own addresses (loopback, its
 *   LAN addresses, its host name) on the listening port, or a name the operator configured.
 * - CSRF: a page on another origin — including another port of this very host — can make the browser send a
 *   body-less POST with the session cookie. A state-changing request whose `Origin` (or, without one,
 *   `Sec-Fetch-Site`) says it came from elsewhere is refused. Clients that send neither (curl, scripts with a
 *   bearer token) are not browsers and cannot be forged into calling.
 * The public LAN pages (receipts, invoices, the isolation notice, router callbacks) are GETs reached by
 * routers and customers under whatever name or NAT address works for them: only the Origin rule applies there.
 */
export interface OriginGuardOptions {
  /** The listening port (after listen, for port 0). */
  port: () => number;
  /** Host names (optionally with :port) the operator serves Rukun under, e.g. behind a reverse proxy. */
  extraHosts: readonly string[];
  /** The configured public URL, whose host is served too. */
  publicUrl: () => string;
}

const CACHE_MS = 5_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const normalise = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');
const bracket = (address: string) => (address.includes(':') ? `[${address.split('%')[0]}]` : address);

export class OriginGuard {
  private cached: { at: number; hosts: Set<string> } | null = null;

  constructor(private readonly opts: OriginGuardOptions) {}

  /** Every `Host` value (with and without the default port) this listener answers to. */
  servedHosts(): Set<string> {
    const now = Date.now();
    // Addresses change under DHCP: re-read them, but not on every request.
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.hosts;
    const port = this.opts.port();
    const names = new Set<string>(['localhost', '127.0.0.1', '[::1]']);
    for (const a of machineAddresses()) names.add(bracket(a));
    const own = normalise(hostname());
    if (own) {
      names.add(own);
      if (!own.includes('.')) names.add(`${own}.local`);
    }
    const hosts = new Set<string>();
    for (const n of names) {
      hosts.add(`${n}:${port}`);
      if (port === 80) hosts.add(n);
    }
    for (const extra of this.opts.extraHosts) {
      const e = normalise(extra);
      if (!e) continue;
      hosts.add(e);
      if (!/:\d+$/.test(e)) hosts.add(`${e}:${port}`);
    }
    const publicUrl = this.opts.publicUrl();
    if (publicUrl) {
      try {
        hosts.add(normalise(new URL(publicUrl).host));
      } catch {
        // An unparsable public URL serves nothing.
      }
    }
    this.cached = { at: now, hosts };
    return hosts;
  }

  hostAllowed(host: string | undefined): boolean {
    return host !== undefined && this.servedHosts().has(normalise(host));
  }

  /** A browser request from another origin (absent headers mean a non-browser client). */
  crossOrigin(req: FastifyRequest): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (origin === 'null') return true;
      try {
        const url = new URL(origin);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return true;
        return !this.servedHosts().has(normalise(url.host));
      } catch {
        return true;
      }
    }
    const site = req.headers['sec-fetch-site'];
    if (site === undefined) return false;
    return typeof site !== 'string' || (site !== 'same-origin' && site !== 'none');
  }

  /** Fastify onRequest hook: refuses rebinding on /api and cross-origin state changes everywhere. */
  readonly hook = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const api = req.url === '/api' || req.url.startsWith('/api/');
    if (api && !this.hostAllowed(req.headers.host)) {
      await reply.code(421).send({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: 'Alamat server tidak dikenal. Buka Rukun lewat alamatnya sendiri.',
        },
      });
      return;
    }
    if (!SAFE_METHODS.has(req.method) && this.crossOrigin(req)) {
      await reply.code(403).send({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Permintaan dari situs lain ditolak.' },
      });
    }
  };
}
