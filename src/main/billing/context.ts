import type { FeatureBase } from '../feature';
import type { RoutersApi } from '../routers/api';
import type { BillingHookEvents, BillingHookListener, BillingHookName, BillingHooks } from './api';
import type { BillingSettingsStore } from './settings';

/**
 * Typed in-process hooks. Services queue hooks while their transaction runs and flush them only after it
 * commits (`afterCommit`), so a rolled-back change never notifies anyone.
 */
export class HookEmitter implements BillingHooks {
  private readonly listeners = new Map<BillingHookName, Set<(p: never) => void | Promise<void>>>();

  constructor(private readonly onError: (name: string, e: unknown) => void) {}

  on<E extends BillingHookName>(name: E, listener: BillingHookListener<E>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (p: never) => void);
    return () => set.delete(listener as (p: never) => void);
  }

  emit<E extends BillingHookName>(name: E, payload: BillingHookEvents[E]): void {
    for (const l of this.listeners.get(name) ?? []) {
      try {
        const r = (l as BillingHookListener<E>)(payload);
        if (r instanceof Promise) r.catch((e: unknown) => this.onError(name, e));
      } catch (e) {
        this.onError(name, e);
      }
    }
  }
}

export type PendingHook = {
  [E in BillingHookName]: { name: E; payload: BillingHookEvents[E] };
}[BillingHookName];

/** Collects hooks during a transaction; `flush()` after commit. */
export class AfterCommit {
  private readonly queue: PendingHook[] = [];
  constructor(private readonly hooks: HookEmitter) {}
  push(h: PendingHook): void {
    this.queue.push(h);
  }
  size(): number {
    return this.queue.length;
  }
  flush(): void {
    for (const h of this.queue.splice(0)) this.hooks.emit(h.name, h.payload as never);
  }
}

export interface BillingContext extends FeatureBase {
  routers: RoutersApi | null;
  store: BillingSettingsStore;
  hooks: HookEmitter;
  /** Office date now (`YYYY-MM-DD`). */
  today(): string;
  /** Random integer in [0, max) — injected so tests can make usernames predictable. */
  random(max: number): number;
  token(): string;
}
