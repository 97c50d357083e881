/**
 * Live monitor: active hotspot users and PPP sessions per router. Reads on demand; while a screen watches a
 * router (a lease renewed by `monitor.watch`), it polls every few seconds and pushes `monitor.sessions` events.
 */
import { AppError } from '../../shared/contract/errors';
import type { Sessions } from '../../shared/contract/routers';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { FeatureBase } from '../feature';
import { NotFoundError, parseRosDuration, type RosRow } from '../routeros/index';
import type { RouterRegistry } from './registry';

const n = (v: string | undefined): number => (v && !Number.isNaN(Number(v)) ? Number(v) : 0);
const secs = (v: string | undefined): number => Math.round((parseRosDuration(v ?? '0s') ?? 0) / 1000);
const real = (r: RosRow[]) => r.filter((x) => x['.id'] !== undefined);

export interface MonitorOptions {
  /** Poll period while watched. Default 3 s. */
  pollMs?: number;
  /** How long one `watch` call keeps the polling alive. Default 60 s. */
  leaseMs?: number;
}

export class Monitor {
  private readonly leases = new Map<
    string,
    { until: number; timer: NodeJS.Timeout | undefined; busy: boolean }
  >();

  constructor(
    private readonly base: FeatureBase,
    private readonly registry: RouterRegistry,
    private readonly opts: MonitorOptions = {},
  ) {}

  async sessions(routerId: string): Promise<Sessions> {
    const conn = this.registry.onlineConnection(routerId);
    const [hs, ppp] = await Promise.all([
      conn.call('/ip/hotspot/active/print', undefined, {
        proplist: ['.id', 'user', 'address', 'mac-address', 'server', 'uptime', 'bytes-in', 'bytes-out'],
      }),
      conn.call('/ppp/active/print', undefined, {
        proplist: ['.id', 'name', 'service', 'address', 'caller-id', 'uptime'],
      }),
    ]);
    return {
      routerId,
      at: this.base.clock.now(),
      hotspot: real(hs).map((r) => ({
        id: r['.id']!,
        user: r['user'] ?? '',
        address: r['address'] ?? '',
        mac: r['mac-address'] ?? '',
        server: r['server'] ?? '',
        uptime: secs(r['uptime']),
        bytesIn: n(r['bytes-in']),
        bytesOut: n(r['bytes-out']),
      })),
      ppp: real(ppp).map((r) => ({
        id: r['.id']!,
        name: r['name'] ?? '',
        service: r['service'] ?? '',
        address: r['address'] ?? '',
        callerId: r['caller-id'] ?? '',
        uptime: secs(r['uptime']),
      })),
    };
  }

  watch(routerId: string): void {
    this.registry.mustInfo(routerId);
    const until = performance.now() + (this.opts.leaseMs ?? 60_000);
    const lease = this.leases.get(routerId);
    if (lease) {
      lease.until = until;
      return;
    }
    const l = { until, timer: undefined as NodeJS.Timeout | undefined, busy: false };
    this.leases.set(routerId, l);
    const tick = async () => {
      if (performance.now() > l.until || this.leases.get(routerId) !== l) {
        clearInterval(l.timer);
        if (this.leases.get(routerId) === l) this.leases.delete(routerId);
        return;
      }
      if (l.busy) return;
      l.busy = true;
      try {
        this.base.events.emit('monitor.sessions', await this.sessions(routerId));
      } catch {
        // Offline: the router status event says so; keep the lease and try again next tick.
      } finally {
        l.busy = false;
      }
    };
    l.timer = setInterval(() => void tick(), this.opts.pollMs ?? 3000);
    l.timer.unref?.();
    void tick();
  }

  stop(): void {
    for (const l of this.leases.values()) clearInterval(l.timer);
    this.leases.clear();
  }

  async kick(actor: Actor, routerId: string, kind: 'hotspot' | 'ppp', id: string): Promise<void> {
    const conn = this.registry.onlineConnection(routerId);
    const menu = kind === 'hotspot' ? '/ip/hotspot/active' : '/ppp/active';
    const rows = real(
      await conn.call(`${menu}/print`, undefined, { proplist: ['.id', 'user', 'name', 'address'] }),
    );
    const row = rows.find((r) => r['.id'] === id);
    if (!row) throw new AppError('NOT_FOUND', 'Sesi sudah berakhir');
    try {
      await conn.call(`${menu}/remove`, { '.id': id });
    } catch (e) {
      if (e instanceof NotFoundError) throw new AppError('NOT_FOUND', 'Sesi sudah berakhir');
      throw e;
    }
    await recordChange(this.base.database.db, this.base, {
      actor,
      action: 'monitor.kick',
      entity: 'router',
      entityId: routerId,
      after: { kind, user: row['user'] ?? row['name'] ?? '', address: row['address'] ?? '' },
    });
  }
}
