import { networkInterfaces } from 'node:os';

/**
 * The base URL others on the office LAN use to reach this listener. A configured public URL wins; a
 * listener on every interface is announced on the PC's first LAN IPv4 address (a router cannot call back
 * to 127.0.0.1 — that is itself); a listener on a specific address is announced on that address.
 */
export function lanBaseUrl(configured: string, listen: { host: string; port: number } | null): string | null {
  if (configured) return configured.replace(/\/$/, '');
  if (!listen) return null;
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  const host = wildcard ? (firstLanAddress() ?? '127.0.0.1') : listen.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}`;
}

export function firstLanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/** Every address of this machine's interfaces (IPv4 and IPv6, loopback included), read now. */
export function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  return out;
}
