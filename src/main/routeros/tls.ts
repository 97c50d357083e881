/**
 * API-SSL trust. Routers use self-signed certificates (or none), so the usual CA check says nothing; instead
 * Rukun pins the SHA-256 fingerprint of the router's certificate the first time it sees it (trust on first
 * use) and refuses any other certificate afterwards.
 *
 * A router whose API-SSL service has no certificate talks anonymous Diffie-Hellman (ADH ciphers): encrypted,
 * but anyone in the middle can read everything. Rukun only speaks it when the router is explicitly set to the
 * labelled 'anonymous-dh' mode — never as a silent fallback.
 */
import type tls from 'node:tls';

export type TlsMode = 'pinned' | 'anonymous-dh';

/**
 * What RouterOS offers on an API-SSL service without a certificate (TLS 1.2 only). OpenSSL 3 puts every
 * aNULL cipher below security level 1, hence `@SECLEVEL=0`.
 */
export const ANON_DH_CIPHERS =
  'ADH-AES128-SHA256:ADH-AES256-SHA256:ADH-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384:ADH-AES128-SHA:ADH-AES256-SHA@SECLEVEL=0';

/** `tls.connect` options for a mode. The certificate itself is checked against the pin by the client. */
export function tlsOptionsFor(mode: TlsMode): tls.ConnectionOptions {
  if (mode === 'anonymous-dh') {
    return { rejectUnauthorized: false, ciphers: ANON_DH_CIPHERS, maxVersion: 'TLSv1.2' };
  }
  // Self-signed: no CA can vouch for it, the pin does.
  return { rejectUnauthorized: false };
}

/** "AB:CD:…" — the form OpenSSL and Winbox print, upper case with colons. */
export function normalizeFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

/** SHA-256 fingerprint of the peer's certificate, or null when it presented none (anonymous DH). */
export function peerFingerprint(socket: tls.TLSSocket): string | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !('fingerprint256' in cert) || !cert.fingerprint256) return null;
  return normalizeFingerprint(cert.fingerprint256);
}
