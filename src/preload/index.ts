import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_PRINTERS_CHANNEL,
  IPC_PRINT_CHANNEL,
  IPC_RPC_CHANNEL,
  type RukunBridge,
} from '../shared/bridge';
import type { EventMessage } from '../shared/contract/index';

/**
 * The whole surface the renderer gets: the contract, its events and two printing helpers. No ipcRenderer,
 * no channel names, no Electron event objects cross into the page.
 */
const bridge = {
  invoke: (method, input) => ipcRenderer.invoke(IPC_RPC_CHANNEL, method, input),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, msg: EventMessage) => listener(msg);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
  desktop: {
    printPdf: (pdfBase64, options) => ipcRenderer.invoke(IPC_PRINT_CHANNEL, pdfBase64, options),
    listPrinters: () => ipcRenderer.invoke(IPC_PRINTERS_CHANNEL),
  },
} satisfies RukunBridge;

contextBridge.exposeInMainWorld('rukun', bridge);
