import { BrowserWindow, app, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { isExternalWebLink, isTrustedSenderUrl, rendererCsp, type AppLocation } from './origin';

/** Where the renderer is loaded from; the dev server only for an unpackaged app, never in a shipped build. */
export function resolveAppLocation(): AppLocation {
  const dev = process.env.VITE_DEV_SERVER_URL;
  if (dev && !app.isPackaged) return { kind: 'dev', url: dev };
  return { kind: 'file', rendererDir: join(app.getAppPath(), 'dist', 'renderer') };
}

function openExternally(url: string): void {
  if (isExternalWebLink(url)) void shell.openExternal(url);
}

/**
 * Hardening for every WebContents the app ever creates (main window, print window, anything a library opens):
 * no <webview>, no popups, no navigation away from our pages. Set up once, before the first window.
 */
export function setupWebContentsHardening(location: AppLocation): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
    const guard = (e: { preventDefault(): void }, url: string) => {
      if (!isTrustedSenderUrl(url, location)) e.preventDefault();
    };
    contents.on('will-navigate', (e) => guard(e, e.url));
    contents.on('will-redirect', (e) => guard(e, e.url));
  });
}

/**
 * The app's own session: a strict CSP on every response, and every permission (camera, notifications,
 * geolocation, clipboard read, …) refused — the UI needs none of them.
 */
export function setupSessionPolicy(location: AppLocation): void {
  const ses = session.defaultSession;
  const csp = rendererCsp(location);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

export function createMainWindow(location: AppLocation): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Rukun',
    width: 1280,
    height: 800,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(app.getAppPath(), 'dist', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The page sets its own <title> per screen; the window keeps the product name.
  win.on('page-title-updated', (e) => e.preventDefault());
  if (location.kind === 'dev') void win.loadURL(location.url);
  else void win.loadFile(join(location.rendererDir, 'index.html'));
  return win;
}
