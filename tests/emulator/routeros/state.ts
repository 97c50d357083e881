/**
 * The emulated router's state and its behaviour outside the API: hotspot logins with RouterOS limits, PPP
 * sessions, an emulated clock that accrues uptime and traffic, and a scheduler — all of which run router
 * scripts through one pluggable hook (`onScriptRun`), so a later script interpreter plugs in at one place.
 */
import { epochToRosDateTime } from '../../../src/main/routeros/version.js';
import { formatRosDuration, parseRosBool, parseRosDuration } from '../../../src/main/routeros/values.js';
import { Menu, type Row } from './menu.js';
import { buildMenuDefs, type EmulatorVersion, PROFILES, type VersionProfile } from './menus.js';

export type ScriptTrigger =
  'hotspot-login' | 'hotspot-logout' | 'ppp-up' | 'ppp-down' | 'scheduler' | 'script-run';

export interface ScriptContext {
  trigger: ScriptTrigger;
  /** RouterOS globals visible to the script, e.g. `user`, `address`, `mac-address` on hotspot login. */
  variables: Record<string, string>;
  /** Scheduler or script name, when there is one. */
  name: string | undefined;
  /** Emulated clock (epoch ms) when the script ran. */
  at: number;
  state: RouterState;
}

export type ScriptHook = (source: string, ctx: ScriptContext) => void | Promise<void>;

export interface ScriptRun {
  trigger: ScriptTrigger;
  source: string;
  variables: Record<string, string>;
  name: string | undefined;
  at: number;
  error?: string;
}

export type LoginResult = { ok: true; id: string } | { ok: false; reason: string };

export interface HotspotLoginInput {
  user: string;
  /** Checked when given (a MAC-cookie login has none). */
  password?: string;
  mac: string;
  ip: string;
  server?: string;
}

export interface PppConnectInput {
  name: string;
  password?: string;
  callerId: string;
  address?: string;
  service?: string;
}

export interface RouterStateOptions {
  version: EmulatorVersion;
  identity?: string;
  /** Emulated wall clock at start (epoch ms). Default: 2026-11-21 10:04:05 Asia/Jakarta. */
  now?: number;
  /** Router time zone: name and UTC offset in minutes. Default Asia/Jakarta, +420. */
  timeZone?: { name: string; offsetMinutes: number };
}

/** Hotspot rejection texts, as the hotspot login page shows `$(error)`. */
export const HOTSPOT_REJECT = {
  credentials: 'invalid username or password',
  disabled: 'user is disabled',
  uptime: 'uptime limit reached',
  traffic: 'traffic limit reached',
  shared: 'no more sessions are allowed for user',
  /** The user is bound to a MAC address (`mac-address=`, Mikhmon's "lock user") and this is another one. */
  mac: 'user is not allowed to log in from this MAC address',
} as const;

const DEFAULT_NOW = Date.UTC(2026, 10, 21, 3, 4, 5);

export class RouterState {
  readonly profile: VersionProfile;
  readonly menus = new Map<string, Menu>();
  onScriptRun: ScriptHook | undefined;
  /** Every script the router ran (bounded), for assertions. */
  readonly scriptLog: ScriptRun[] = [];
  private clockMs: number;
  private readonly bootMs: number;
  private readonly tz: { name: string; offsetMinutes: number };
  /** Scheduler id → next run (epoch ms). */
  private readonly nextRun = new Map<string, number>();
  /** Scheduler id → the settings its next run was computed from (a set of anything else keeps the schedule). */
  private readonly scheduleKey = new Map<string, string>();
  /** Address-list id → expiry (epoch ms). */
  private readonly expiries = new Map<string, number>();
  private pppSessionSeq = 0x81000001;
  private pppAddressSeq = 2;

  constructor(opts: RouterStateOptions) {
    this.profile = PROFILES[opts.version];
    this.clockMs = opts.now ?? DEFAULT_NOW;
    this.bootMs = this.clockMs;
    this.tz = opts.timeZone ?? { name: 'Asia/Jakarta', offsetMinutes: 420 };
    const defs = buildMenuDefs(this.profile, {
      profile: this.profile,
      uptimeMs: () => this.clockMs - this.bootMs,
      clock: () => this.clock(),
      timeZone: () => ({ name: this.tz.name, offset: formatOffset(this.tz.offsetMinutes) }),
    });
    const refCheck = (path: string, value: string): boolean =>
      this.menus.get(path)?.findBy('name', value) !== undefined;
    for (const def of defs) this.menus.set(def.path, new Menu(def, refCheck));
    this.menu('/system/identity').single()['name'] = opts.identity ?? 'MikroTik';
    this.menu('/system/clock').single()['time-zone-name'] = this.tz.name;
    this.menu('/system/scheduler').subscribe((kind, row) => this.onSchedulerChange(kind, row));
    this.menu('/ip/firewall/address-list').subscribe((kind, row) => this.onAddressListChange(kind, row));
  }

  menu(path: string): Menu {
    const m = this.menus.get(path);
    if (!m) throw new Error(`emulator has no menu ${path}`);
    return m;
  }

  now(): number {
    return this.clockMs;
  }

  /** Router-local date and time strings in this version's format. */
  clock(): { date: string; time: string } {
    return epochToRosDateTime(this.clockMs, this.tz.offsetMinutes, {
      major: this.profile.major,
      minor: this.profile.minor,
      patch: 0,
    });
  }

  // ---------------------------------------------------------------- scripts

  runScript(source: string, trigger: ScriptTrigger, variables: Record<string, string>, name?: string): void {
    const run: ScriptRun = { trigger, source, variables, name, at: this.clockMs };
    this.scriptLog.push(run);
    if (this.scriptLog.length > 1000) this.scriptLog.shift();
    const hook = this.onScriptRun;
    if (!hook || source.trim() === '') return;
    try {
      const r = hook(source, { trigger, variables, name, at: this.clockMs, state: this });
      if (r instanceof Promise) {
        r.catch((e: unknown) => {
          run.error = String(e);
        });
      }
    } catch (e) {
      run.error = String(e);
    }
  }

  /** `/system/script run`: counts the run and hands the source to the hook. */
  runScriptItem(
    row: Row,
    trigger: ScriptTrigger = 'script-run',
    variables: Record<string, string> = {},
  ): void {
    row['run-count'] = String(Number(row['run-count'] ?? '0') + 1);
    const c = this.clock();
    row['last-started'] = `${c.date} ${c.time}`;
    this.runScript(row['source'] ?? '', trigger, variables, row['name']);
  }

  // ---------------------------------------------------------------- hotspot

  hotspotLogin(input: HotspotLoginInput): LoginResult {
    const users = this.menu('/ip/hotspot/user');
    const u = users.findBy('name', input.user);
    if (!u) return { ok: false, reason: HOTSPOT_REJECT.credentials };
    if (input.password !== undefined && (u['password'] ?? '') !== input.password) {
      return { ok: false, reason: HOTSPOT_REJECT.credentials };
    }
    if (u['disabled'] === 'true') return { ok: false, reason: HOTSPOT_REJECT.disabled };
    const boundMac = u['mac-address'] ?? '';
    if (boundMac !== '' && boundMac.toUpperCase() !== input.mac.toUpperCase()) {
      return { ok: false, reason: HOTSPOT_REJECT.mac };
    }
    const limitMs = parseRosDuration(u['limit-uptime'] ?? '') ?? 0;
    const usedMs = parseRosDuration(u['uptime'] ?? '0s') ?? 0;
    if (limitMs > 0 && usedMs >= limitMs) return { ok: false, reason: HOTSPOT_REJECT.uptime };
    const limitBytes = Number(u['limit-bytes-total'] ?? '0');
    const usedBytes = Number(u['bytes-in'] ?? '0') + Number(u['bytes-out'] ?? '0');
    if (limitBytes > 0 && usedBytes >= limitBytes) return { ok: false, reason: HOTSPOT_REJECT.traffic };
    const profile = this.menu('/ip/hotspot/user/profile').findBy('name', u['profile'] ?? 'default');
    const sharedText = profile?.['shared-users'] ?? '1';
    const shared = sharedText === 'unlimited' ? Infinity : Number(sharedText);
    const active = this.menu('/ip/hotspot/active');
    if (active.filter((r) => r['user'] === input.user).length >= shared) {
      return { ok: false, reason: HOTSPOT_REJECT.shared };
    }
    const server = input.server ?? (u['server'] && u['server'] !== 'all' ? u['server'] : 'hotspot1');
    const row: Row = {
      server,
      user: input.user,
      domain: '',
      address: input.ip,
      'mac-address': input.mac.toUpperCase(),
      'login-by': input.password === undefined ? 'cookie' : 'http-chap',
      uptime: '0s',
      'idle-time': '0s',
      'keepalive-timeout': profile?.['keepalive-timeout'] ?? '2m',
      'bytes-in': '0',
      'bytes-out': '0',
      'packets-in': '0',
      'packets-out': '0',
      radius: 'false',
    };
    if (limitMs > 0) row['session-time-left'] = formatRosDuration(limitMs - usedMs);
    const [id] = active.seed([row]);
    const stored = active.get(id!)!;
    active.notify('add', stored);
    this.runScript(profile?.['on-login'] ?? '', 'hotspot-login', {
      user: input.user,
      username: input.user,
      address: input.ip,
      'mac-address': input.mac.toUpperCase(),
      interface: 'bridge',
    });
    return { ok: true, id: id! };
  }

  /** Log out every session of `user`; returns how many ended. */
  hotspotLogout(user: string): number {
    const sessions = this.menu('/ip/hotspot/active').filter((r) => r['user'] === user);
    for (const s of sessions) this.endHotspotSession(s['.id']!);
    return sessions.length;
  }

  /** Ends one active session (API `remove` = kick), running the profile's on-logout. */
  endHotspotSession(id: string): void {
    const active = this.menu('/ip/hotspot/active');
    const s = active.remove(id);
    const u = this.menu('/ip/hotspot/user').findBy('name', s['user'] ?? '');
    const profile = this.menu('/ip/hotspot/user/profile').findBy('name', u?.['profile'] ?? 'default');
    this.runScript(profile?.['on-logout'] ?? '', 'hotspot-logout', {
      user: s['user'] ?? '',
      username: s['user'] ?? '',
      address: s['address'] ?? '',
      'mac-address': s['mac-address'] ?? '',
    });
  }

  addTraffic(user: string, bytesIn: number, bytesOut: number): void {
    const u = this.menu('/ip/hotspot/user').findBy('name', user);
    if (!u) throw new Error(`no hotspot user ${user}`);
    addNum(u, 'bytes-in', bytesIn);
    addNum(u, 'bytes-out', bytesOut);
    const session = this.menu('/ip/hotspot/active').findBy('user', user);
    if (session) {
      addNum(session, 'bytes-in', bytesIn);
      addNum(session, 'bytes-out', bytesOut);
      addNum(session, 'packets-in', Math.ceil(bytesIn / 1400));
      addNum(session, 'packets-out', Math.ceil(bytesOut / 1400));
    }
    const limit = Number(u['limit-bytes-total'] ?? '0');
    if (limit > 0 && Number(u['bytes-in']) + Number(u['bytes-out']) >= limit) this.hotspotLogout(user);
  }

  // ---------------------------------------------------------------- ppp

  pppConnect(input: PppConnectInput): LoginResult {
    const secret = this.menu('/ppp/secret').findBy('name', input.name);
    if (!secret) return { ok: false, reason: 'authentication failed' };
    if (input.password !== undefined && (secret['password'] ?? '') !== input.password) {
      return { ok: false, reason: 'authentication failed' };
    }
    if (secret['disabled'] === 'true') return { ok: false, reason: 'user disabled' };
    const service = input.service ?? (secret['service'] === 'any' ? 'pppoe' : (secret['service'] ?? 'pppoe'));
    const profile = this.menu('/ppp/profile').findBy('name', secret['profile'] ?? 'default');
    const active = this.menu('/ppp/active');
    if (parseRosBool(profile?.['only-one']) === true && active.findBy('name', input.name)) {
      return { ok: false, reason: 'only one session allowed' };
    }
    const address = input.address ?? secret['remote-address'] ?? `10.10.10.${this.pppAddressSeq++}`;
    const row: Row = {
      name: input.name,
      service,
      'caller-id': input.callerId.toUpperCase(),
      encoding: '',
      address,
      uptime: '0s',
      'session-id': `0x${(this.pppSessionSeq++).toString(16).toUpperCase()}`,
      'limit-bytes-in': secret['limit-bytes-in'] ?? '0',
      'limit-bytes-out': secret['limit-bytes-out'] ?? '0',
      radius: 'false',
    };
    const [id] = active.seed([row]);
    active.notify('add', active.get(id!)!);
    this.runScript(profile?.['on-up'] ?? '', 'ppp-up', {
      user: input.name,
      'caller-id': row['caller-id']!,
      'remote-address': address,
      'local-address': profile?.['local-address'] ?? '',
      interface: `<${service}-${input.name}>`,
    });
    return { ok: true, id: id! };
  }

  pppDisconnect(name: string, reason = 'hung-up'): number {
    const sessions = this.menu('/ppp/active').filter((r) => r['name'] === name);
    for (const s of sessions) this.endPppSession(s['.id']!, reason);
    return sessions.length;
  }

  endPppSession(id: string, reason = 'disconnected'): void {
    const s = this.menu('/ppp/active').remove(id);
    const secret = this.menu('/ppp/secret').findBy('name', s['name'] ?? '');
    if (secret && this.profile.major >= 7) {
      const c = this.clock();
      secret['last-logged-out'] = `${c.date} ${c.time}`;
      secret['last-caller-id'] = s['caller-id'] ?? '';
      secret['last-disconnect-reason'] = reason;
    }
    const profile = this.menu('/ppp/profile').findBy('name', secret?.['profile'] ?? 'default');
    this.runScript(profile?.['on-down'] ?? '', 'ppp-down', {
      user: s['name'] ?? '',
      'caller-id': s['caller-id'] ?? '',
      'remote-address': s['address'] ?? '',
    });
  }

  // ---------------------------------------------------------------- time

  /**
   * Move the emulated clock: active sessions accrue uptime (a hotspot user reaching limit-uptime is logged out
   * at that moment), address-list entries expire, and schedulers fire in time order through the script hook.
   */
  advanceTime(ms: number): void {
    const end = this.clockMs + Math.max(0, ms);
    for (;;) {
      const next = this.nextEvent(end);
      const stepTo = next?.at ?? end;
      this.accrue(stepTo - this.clockMs);
      this.clockMs = stepTo;
      if (!next) break;
      next.fire();
    }
  }

  private nextEvent(limit: number): { at: number; fire: () => void } | undefined {
    let best: { at: number; fire: () => void } | undefined;
    const consider = (at: number, fire: () => void): void => {
      if (at <= limit && (!best || at < best.at)) best = { at, fire };
    };
    const scheduler = this.menu('/system/scheduler');
    for (const [id, at] of this.nextRun) {
      consider(at, () => {
        const row = scheduler.get(id);
        if (!row) return;
        const interval = parseRosDuration(row['interval'] ?? '0s') ?? 0;
        if (interval > 0) {
          this.nextRun.set(id, at + Math.max(interval, 1000));
          row['next-run'] = this.formatInstant(at + Math.max(interval, 1000));
        } else {
          // interval=0 with a start time: runs once.
          this.nextRun.delete(id);
          delete row['next-run'];
        }
        row['run-count'] = String(Number(row['run-count'] ?? '0') + 1);
        this.runOnEvent(row);
      });
    }
    const addressList = this.menu('/ip/firewall/address-list');
    for (const [id, at] of this.expiries) {
      consider(at, () => {
        this.expiries.delete(id);
        if (addressList.get(id)) addressList.remove(id);
      });
    }
    // A hotspot user hitting limit-uptime ends exactly then.
    const users = this.menu('/ip/hotspot/user');
    const activeCount = new Map<string, number>();
    for (const s of this.menu('/ip/hotspot/active').rows()) {
      activeCount.set(s['user'] ?? '', (activeCount.get(s['user'] ?? '') ?? 0) + 1);
    }
    for (const [user, count] of activeCount) {
      const u = users.findBy('name', user);
      const limitMs = parseRosDuration(u?.['limit-uptime'] ?? '') ?? 0;
      if (!u || limitMs <= 0) continue;
      const left = limitMs - (parseRosDuration(u['uptime'] ?? '0s') ?? 0);
      consider(this.clockMs + Math.max(0, Math.ceil(left / count)), () => this.hotspotLogout(user));
    }
    return best;
  }

  private accrue(ms: number): void {
    if (ms <= 0) return;
    const users = this.menu('/ip/hotspot/user');
    for (const s of this.menu('/ip/hotspot/active').rows()) {
      addDuration(s, 'uptime', ms);
      if (s['session-time-left'] !== undefined) {
        const left = (parseRosDuration(s['session-time-left']) ?? 0) - ms;
        s['session-time-left'] = formatRosDuration(left);
      }
      const u = users.findBy('name', s['user'] ?? '');
      if (u) addDuration(u, 'uptime', ms);
    }
    for (const s of this.menu('/ppp/active').rows()) addDuration(s, 'uptime', ms);
  }

  private runOnEvent(row: Row): void {
    const onEvent = row['on-event'] ?? '';
    // Like RouterOS: an on-event that names a /system/script runs that script.
    const script = this.menu('/system/script').findBy('name', onEvent.trim());
    if (script) this.runScriptItem(script, 'scheduler', {});
    else this.runScript(onEvent, 'scheduler', {}, row['name']);
  }

  private onSchedulerChange(kind: 'add' | 'set' | 'remove', row: Row): void {
    const id = row['.id']!;
    if (kind === 'remove') {
      this.nextRun.delete(id);
      this.scheduleKey.delete(id);
      return;
    }
    const timed = TIME_OF_DAY.test(row['start-time'] ?? '');
    // A start time without a date starts on the day the item is made (RouterOS fills the date in).
    if (kind === 'add' && timed && !row['start-date']) row['start-date'] = this.clock().date;
    const key = [row['interval'], row['start-date'], row['start-time'], row['disabled']].join('|');
    if (kind === 'set' && this.scheduleKey.get(id) === key && this.nextRun.has(id)) return;
    this.scheduleKey.set(id, key);
    const at = row['disabled'] === 'true' ? null : this.firstRun(row);
    if (at === null) {
      this.nextRun.delete(id);
      delete row['next-run'];
      return;
    }
    this.nextRun.set(id, at);
    row['next-run'] = this.formatInstant(at);
  }

  /**
   * The next run of a scheduler from now. With a `start-time` (and `start-date`), runs fall on that instant plus
   * whole intervals, as on a router (Mikhmon's monitors start at a random `0h:mm:ss` every `00:02:ss`); a start in
   * the future is the first run; `interval=0` runs once. `startup` (the default) runs every interval from now.
   */
  private firstRun(row: Row): number | null {
    const interval = parseRosDuration(row['interval'] ?? '0s') ?? 0;
    const time = TIME_OF_DAY.exec(row['start-time'] ?? '');
    if (!time) return interval > 0 ? this.clockMs + interval : null;
    const anchor = this.localInstant(
      row['start-date'] ?? '',
      Number(time[1]),
      Number(time[2]),
      Number(time[3]),
    );
    if (anchor === null) return interval > 0 ? this.clockMs + interval : null;
    if (anchor > this.clockMs) return anchor;
    if (interval <= 0) return null;
    const next = anchor + Math.ceil((this.clockMs - anchor) / interval) * interval;
    // Exactly now: that run is the one being set up, the next is one interval on.
    return next > this.clockMs ? next : next + interval;
  }

  /** Epoch ms of a router-local date (`nov/21/2026` or `2026-11-21`; empty = today) and time of day. */
  private localInstant(date: string, h: number, m: number, s: number): number | null {
    const text = date === '' ? this.clock().date : date;
    let y: number;
    let mo: number;
    let d: number;
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const old = /^([a-z]{3})\/(\d{2})\/(\d{4})$/i.exec(text);
    if (iso) {
      y = Number(iso[1]);
      mo = Number(iso[2]);
      d = Number(iso[3]);
    } else if (old) {
      mo = MONTHS.indexOf(old[1]!.toLowerCase()) + 1;
      d = Number(old[2]);
      y = Number(old[3]);
      if (mo === 0) return null;
    } else return null;
    return Date.UTC(y, mo - 1, d, h, m, s) - this.tz.offsetMinutes * 60_000;
  }

  private onAddressListChange(kind: 'add' | 'set' | 'remove', row: Row): void {
    const id = row['.id']!;
    if (kind === 'remove') {
      this.expiries.delete(id);
      return;
    }
    if (kind === 'add') {
      const c = this.clock();
      row['creation-time'] = `${c.date} ${c.time}`;
    }
    const timeout = parseRosDuration(row['timeout'] ?? '') ?? 0;
    if (timeout > 0) {
      row['dynamic'] = 'true';
      if (kind === 'add' || !this.expiries.has(id)) this.expiries.set(id, this.clockMs + timeout);
    }
  }

  private formatInstant(epochMs: number): string {
    const { date, time } = epochToRosDateTime(epochMs, this.tz.offsetMinutes, {
      major: this.profile.major,
      minor: this.profile.minor,
      patch: 0,
    });
    return `${date} ${time}`;
  }
}

const TIME_OF_DAY = /^(\d{1,2}):(\d{2}):(\d{2})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function addNum(row: Row, field: string, n: number): void {
  row[field] = String(Number(row[field] ?? '0') + n);
}

function addDuration(row: Row, field: string, ms: number): void {
  row[field] = formatRosDuration((parseRosDuration(row[field] ?? '0s') ?? 0) + ms);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
