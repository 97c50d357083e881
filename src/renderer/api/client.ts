import type { RukunBridge } from '../../shared/bridge';
import type {
  ErrorCode,
  EventMessage,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
  RpcErrorBody,
  RpcResult,
} from '../../shared/contract/index';

declare global {
  interface Window {
    rukun?: RukunBridge;
  }
}

export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly details: RpcErrorBody['details'];
  constructor(body: RpcErrorBody) {
    super(body.message);
    this.code = body.code;
    this.details = body.details;
  }
  /** Message for the field at `path`, when the server named one. */
  fieldError(path: string): string | undefined {
    return this.details?.issues?.find((i) => i.path === path)?.message;
  }
}

interface Transport {
  kind: 'ipc' | 'http';
  invoke(method: string, input: unknown): Promise<RpcResult<unknown>>;
  subscribe(listener: (msg: EventMessage) => void): () => void;
  /** HTTP only: the SSE stream is bound to the session cookie, so it is (re)opened after login. */
  connect?(names: readonly string[]): void;
  disconnect?(): void;
}

/** Headless: fetch + server-sent events on the same origin, with the HttpOnly session cookie. */
class HttpTransport implements Transport {
  readonly kind = 'http' as const;
  private source: EventSource | null = null;
  private readonly listeners = new Set<(msg: EventMessage) => void>();

  async invoke(method: string, input: unknown): Promise<RpcResult<unknown>> {
    const res = await fetch(`./api/rpc/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(input ?? {}),
    });
    if (!res.headers.get('content-type')?.includes('json')) {
      return { ok: false, error: { code: 'INTERNAL', message: `HTTP ${res.status}` } };
    }
    return (await res.json()) as RpcResult<unknown>;
  }

  subscribe(listener: (msg: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connect(names: readonly string[]): void {
    this.disconnect();
    const source = new EventSource('./api/events', { withCredentials: true });
    for (const name of names) {
      source.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
        for (const l of this.listeners) l({ name, payload } as EventMessage);
      });
    }
    this.source = source;
  }

  disconnect(): void {
    this.source?.close();
    this.source = null;
  }
}

/** Desktop: the preload bridge. Headless: HTTP. */
function pickTransport(): Transport {
  const bridge = window.rukun;
  if (bridge) return { kind: 'ipc', invoke: bridge.invoke, subscribe: bridge.onEvent };
  return new HttpTransport();
}

const transport = pickTransport();
export const transportKind = transport.kind;

/** Calls a contract method; resolves with its value or throws RpcError. Typed from the contract. */
export async function rpc<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  let res: RpcResult<unknown>;
  try {
    res = await transport.invoke(method, input);
  } catch {
    throw new RpcError({ code: 'INTERNAL', message: 'Tidak dapat menghubungi layanan Rukun' });
  }
  if (!res.ok) throw new RpcError(res.error);
  return res.value as MethodOutput<M>;
}

/** (Re)opens the event stream after login; the stream is bound to the session. */
export function connectEvents(names: readonly EventName[]): void {
  transport.connect?.(names);
}
export function disconnectEvents(): void {
  transport.disconnect?.();
}

export function onEvent<E extends EventName>(
  name: E,
  handler: (payload: EventPayload<E>) => void,
): () => void {
  return transport.subscribe((msg) => {
    if (msg.name === name) handler(msg.payload as EventPayload<E>);
  });
}
