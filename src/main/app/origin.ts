import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the renderer comes from: the built files inside the app (packaged and `npm start`), or the Vite dev
 * server (`VITE_DEV_SERVER_URL`, honoured only when the app is not packaged). Pure, so it is unit-tested
 * without Electron; every IPC sender, navigation and redirect is checked against it.
 */
export type AppLocation = { kind: 'file'; rendererDir: string } | { kind: 'dev'; url: string };

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is a page of our own renderer: a file:// URL inside the built renderer directory (a file
 * page has the opaque origin "null", so the path is what identifies it), or a page of the dev server's origin.
 */
export function isTrustedSenderUrl(url: string, app: AppLocation): boolean {
  const u = parse(url);
  if (!u) return false;
  if (app.kind === 'dev') {
    const dev = parse(app.url);
    return dev !== null && u.origin !== 'null' && u.origin === dev.origin;
  }
  // A host (file://server/share) would be a UNC path on Windows: never ours.
  if (u.protocol !== 'file:' || u.host !== '') return false;
  let path: string;
  try {
    path = fileURLToPath(u);
  } catch {
    return false;
  }
  const rel = relative(app.rendererDir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Only web links leave the app, in the system browser; file:, javascript:, custom schemes never. */
export function isExternalWebLink(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    (u.protocol === 'https:' || u.protocol === 'http:') &&
    u.username === '' &&
    u.password === ''
  );
}

/**
 * Content-Security-Policy of the renderer, built from 'none'. Mantine injects its CSS variables in a <style>
 * element, hence 'unsafe-inline' for styles only. Under the Vite dev server, React Fast Refresh needs an
 * inline preamble script and HMR a websocket, so the dev policy relaxes exactly those two.
 */
export function rendererCsp(app: AppLocation): string {
  const dev = app.kind === 'dev' ? parse(app.url) : null;
  const ws = dev ? `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : '';
  return [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    dev ? `connect-src 'self' ${ws}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
