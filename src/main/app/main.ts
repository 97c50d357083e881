import { BrowserWindow, app, dialog, safeStorage } from 'electron';
import { mkdirSync } from 'node:fs';
import { DEFAULT_PORT } from '../config';
import { createCore, type Core, type CoreConfig } from '../core';
import type { HttpOptions } from '../http/server';
import { setupIpc, type IpcTransport } from './ipc';
import { loadDataKey, type KeyWrap } from './keys';
import type { AppLocation } from './origin';
import {
  createMainWindow,
  resolveAppLocation,
  setupSessionPolicy,
  setupWebContentsHardening,
} from './window';

/**
 * Electron entry: a short start-up sequence. Everything that can run without Electron lives in the core;
 * this file only wires the core to windows, IPC, the OS keychain and the app lifecycle.
 */

let core: Core | null = null;
let ipc: IpcTransport | null = null;
let mainWindow: BrowserWindow | null = null;

/** One Rukun per user: a second launch focuses the open window (one database, one LAN port). */
function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  return true;
}

/** safeStorage seals the data key with DPAPI (Windows) or the secret service (Linux). */
function keychainWrap(): KeyWrap | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  // Linux without a keyring falls back to a hard-coded password: no protection, so treat it as absent.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    seal: (b) => safeStorage.encryptString(b.toString('base64')),
    open: (b) => Buffer.from(safeStorage.decryptString(b), 'base64'),
  };
}

/**
 * The LAN listener serves only what is public by design (receipt and invoice pages at unguessable tokens, the
 * isolation notice, the logo) or authenticated per router (on-login callbacks); the contract goes over IPC.
 * It listens on every interface by default because the office's routers and customers must reach it;
 * RUKUN_LAN_HOST=127.0.0.1 keeps it on this PC.
 */
function lanOptions(env: NodeJS.ProcessEnv): HttpOptions {
  const host = env.RUKUN_LAN_HOST?.trim() || '0.0.0.0';
  const raw = env.RUKUN_LAN_PORT?.trim() || String(DEFAULT_PORT);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`RUKUN_LAN_PORT tidak valid: ${raw}`);
  return { host, port, serveApi: false };
}

async function startCore(): Promise<Core> {
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const { provider, source } = loadDataKey(dataDir, keychainWrap());
  const base: CoreConfig = { dataDir, keyProvider: provider, headless: false };
  const first = createCore({ ...base, http: lanOptions(process.env) });
  try {
    await first.start();
    first.deps.log.info('desktop core started', { dataDir, key: source });
    return first;
  } catch (e) {
    // A busy LAN port must not keep the office out of its own app: run without the listener and say so.
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    const fallback = createCore(base);
    await fallback.start();
    fallback.deps.log.warn('LAN listener disabled: port in use', { error: (e as Error).message });
    return fallback;
  }
}

function setupWindow(location: AppLocation): void {
  const win = createMainWindow(location);
  ipc?.attachWindow(win);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

/** Stop the core (database, workers, listener) before the process exits, however the quit started. */
function setupShutdown(): void {
  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    ipc?.dispose();
    void (core?.stop() ?? Promise.resolve())
      .catch(() => undefined)
      .finally(() => {
        stopped = true;
        app.exit(0);
      });
  });
  app.on('window-all-closed', () => app.quit());
}

async function onReady(location: AppLocation): Promise<void> {
  setupSessionPolicy(location);
  try {
    core = await startCore();
  } catch (e) {
    dialog.showErrorBox('Rukun tidak dapat dimulai', e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  ipc = setupIpc(core, location);
  setupWindow(location);
}

if (setupSingleInstance()) {
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox();
  const location = resolveAppLocation();
  setupWebContentsHardening(location);
  setupShutdown();
  void app.whenReady().then(() => onReady(location));
}
