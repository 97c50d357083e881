import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_PRINTERS_CHANNEL,
  IPC_PRINT_CHANNEL,
  IPC_RPC_CHANNEL,
} from '../../shared/bridge';
import { can, type RpcResult } from '../../shared/contract/index';
import type { Core } from '../core';
import { shouldDeliver, type SessionRef } from '../events-filter';
import { isTrustedSenderUrl, type AppLocation } from './origin';
import { listPrinters, parsePrintRequest, printPdf } from './print';

/** The session a window logged in with: the token stays in main; the renderer never needs to keep it. */
interface WindowSession {
  token: string;
  opened: SessionRef;
}

export interface IpcTransport {
  /** Trusts this window's WebContents as a sender and forwards events to it. */
  attachWindow(win: BrowserWindow): void;
  dispose(): void;
}

const refuse = (code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string): RpcResult<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * The IPC transport of the contract: one checked entry point per channel. Every call is checked for its
 * sender (one of our windows, its main frame, on one of our pages), and carries the window's own session token,
 * so two windows, or a window and a LAN browser, never share a login by accident.
 */
export function setupIpc(core: Core, location: AppLocation): IpcTransport {
  const windows = new Map<number, WebContents>();
  const sessions = new Map<number, WindowSession>();
  const log = core.deps.log.child('ipc');

  /** The sender's WebContents when it is trusted, else null. */
  function trustedSender(event: IpcMainInvokeEvent): WebContents | null {
    const wc = event.sender;
    if (!windows.has(wc.id) || BrowserWindow.fromWebContents(wc) === null) return null;
    const frame = event.senderFrame;
    const main = wc.mainFrame;
    if (
      !frame ||
      frame.parent !== null ||
      frame.processId !== main.processId ||
      frame.routingId !== main.routingId
    ) {
      return null;
    }
    return isTrustedSenderUrl(frame.url, location) ? wc : null;
  }

  function rememberLogin(wc: WebContents, value: unknown): void {
    const token = (value as { token?: unknown } | null)?.token;
    if (typeof token !== 'string') return;
    const live = core.accounts.resolve(token);
    if (live) sessions.set(wc.id, { token, opened: live });
  }

  ipcMain.handle(
    IPC_RPC_CHANNEL,
    async (event, method: unknown, input: unknown): Promise<RpcResult<unknown>> => {
      const wc = trustedSender(event);
      if (!wc) {
        log.warn('rpc from untrusted sender refused', { url: event.senderFrame?.url ?? null });
        return refuse('FORBIDDEN', 'Permintaan ditolak: pengirim tidak dikenal.');
      }
      if (typeof method !== 'string') {
        return { ok: false, error: { code: 'VALIDATION', message: 'Nama perintah tidak valid.' } };
      }
      const token = sessions.get(wc.id)?.token ?? null;
      const result = await core.call(method, input, { token, via: 'ipc', ip: null });
      if (method === 'auth.logout') sessions.delete(wc.id);
      else if (result.ok && (method === 'auth.login' || method === 'auth.setup'))
        rememberLogin(wc, result.value);
      return result;
    },
  );

  /** Printing needs a trusted sender and a live session allowed to print vouchers or billing documents. */
  function printAllowed(event: IpcMainInvokeEvent): RpcResult<null> {
    const wc = trustedSender(event);
    if (!wc) return refuse('FORBIDDEN', 'Permintaan ditolak: pengirim tidak dikenal.');
    const live = core.accounts.resolve(sessions.get(wc.id)?.token);
    if (!live) return refuse('UNAUTHENTICATED', 'Sesi berakhir atau belum masuk. Silakan masuk.');
    if (!can(live.user.role, 'vouchers.print') && !can(live.user.role, 'billing.view')) {
      return refuse('FORBIDDEN', 'Anda tidak punya izin mencetak.');
    }
    return { ok: true, value: null };
  }

  ipcMain.handle(IPC_PRINT_CHANNEL, async (event, pdfBase64: unknown, options: unknown) => {
    const allowed = printAllowed(event);
    if (!allowed.ok) return { ok: false, error: allowed.error.code };
    const request = parsePrintRequest(pdfBase64, options);
    if (!request.ok) return { ok: false, error: request.error };
    return printPdf(request.value, log);
  });

  ipcMain.handle(IPC_PRINTERS_CHANNEL, async (event) => {
    const allowed = printAllowed(event);
    // A rejected promise in the renderer; the code is the message so the UI can translate it.
    if (!allowed.ok) throw new Error(allowed.error.code);
    const wc = event.sender;
    return listPrinters(wc);
  });

  // One subscription for all windows, filtered per window exactly like the HTTP event stream.
  const unsubscribe = core.deps.events.subscribe((msg, audience) => {
    for (const [id, wc] of windows) {
      const bound = sessions.get(id);
      if (!bound || wc.isDestroyed()) continue;
      const decision = shouldDeliver(msg, audience, bound.opened, core.accounts.resolve(bound.token));
      if (decision === 'deliver' || decision === 'deliver-and-end') wc.send(IPC_EVENT_CHANNEL, msg);
      if (decision === 'end' || decision === 'deliver-and-end') sessions.delete(id);
    }
  });

  return {
    attachWindow(win) {
      const wc = win.webContents;
      const id = wc.id;
      windows.set(id, wc);
      wc.once('destroyed', () => {
        windows.delete(id);
        sessions.delete(id);
      });
    },
    dispose() {
      unsubscribe();
      ipcMain.removeHandler(IPC_RPC_CHANNEL);
      ipcMain.removeHandler(IPC_PRINT_CHANNEL);
      ipcMain.removeHandler(IPC_PRINTERS_CHANNEL);
      windows.clear();
      sessions.clear();
    },
  };
}
