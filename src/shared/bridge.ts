import type { EventMessage, RpcResult } from './contract/index';

/**
 * What the preload exposes to the renderer as `window.rukun`: the contract and its events, nothing else.
 * The renderer client picks this transport when it exists, and HTTP otherwise (headless mode).
 */
export interface RukunBridge {
  invoke(method: string, input: unknown): Promise<RpcResult<unknown>>;
  onEvent(listener: (msg: EventMessage) => void): () => void;
  /** Desktop-only extras; absent in headless mode. */
  desktop?: {
    printPdf(
      pdfBase64: string,
      options: { printer?: string; silent?: boolean },
    ): Promise<{ ok: boolean; error?: string }>;
    listPrinters(): Promise<{ name: string; isDefault: boolean }[]>;
  };
}

export const IPC_RPC_CHANNEL = 'rukun:rpc';
export const IPC_EVENT_CHANNEL = 'rukun:event';
export const IPC_PRINT_CHANNEL = 'rukun:print';
export const IPC_PRINTERS_CHANNEL = 'rukun:printers';
