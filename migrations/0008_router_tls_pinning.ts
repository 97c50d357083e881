import type { Migration } from './types';

/**
 * API-SSL trust per router. Routers use self-signed certificates, so instead of a CA check Rukun pins the
 * SHA-256 fingerprint of the certificate it saw first (or the one shown when the router was tested) and refuses
 * any other until an admin accepts it.
 *
 * - tls_mode: 'pinned' (a certificate, checked against tls_fingerprint) or 'anonymous-dh' (API-SSL without a
 *   certificate; encrypted but unauthenticated, only ever chosen explicitly).
 * - tls_fingerprint: the pinned fingerprint ("AB:CD:…"); NULL until the first connection (trust on first use).
 *   Routers that used API-SSL before this migration trusted any certificate; they pin on their next connection.
 * - tls_offered_fingerprint: the different certificate a router presented when it was refused, so the router
 *   page can show both and an admin can accept exactly that one. NULL when there is nothing to decide.
 */
export const m0008: Migration = {
  version: 8,
  name: 'routers: API-SSL certificate pinning (tls mode, pinned and offered fingerprints)',
  up(db) {
    db.exec(`
      ALTER TABLE routers ADD COLUMN tls_mode TEXT NOT NULL DEFAULT 'pinned'
        CHECK (tls_mode IN ('pinned', 'anonymous-dh'));
      ALTER TABLE routers ADD COLUMN tls_fingerprint TEXT;
      ALTER TABLE routers ADD COLUMN tls_offered_fingerprint TEXT;
    `);
  },
};
