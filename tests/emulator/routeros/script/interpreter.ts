/**
 * Runs RouterOS scripts against the emulator's state: the language commands (`:local`, `:global`, `:set`, `:if`,
 * `:do … on-error=`, `:foreach`, `:tonum`, `:totime`, `:tostr`, `:len`, `:pick`, `:find`, `:typeof`, `:toarray`,
 * `:log`, `:put`, `:error`, `:delay`, `:return`), functions (`:local f do={…}` called as `[$f a=1]`), and menu
 * commands (`find [where …]`, `get`, `set`, `add`, `remove`, `enable`, `disable`) on any emulated menu,
 * `/ip hotspot active remove` as a kick (runs on-logout), and `/tool fetch url=…` as a REAL HTTP request, so a
 * router callback reaches the app's LAN listener on loopback.
 *
 * Like a real router it accepts what scripts found on routers in the field (Mikhmon v3's) are written with:
 * unambiguous abbreviations of language commands (`:pic`), menu paths (`/sys sch`) and parameters
 * (`disable=no`), language commands without the colon (`[len $x]`), and menu verbs without a path, which act on
 * the menu of the command around them (`/ip hotspot user set … [find where …]`).
 *
 * Version differences come from the state: `/system clock get date` answers `nov/21/2026` on 6.x and 7.x before
 * 7.10, `2026-11-21` after. `get gmt-offset` answers seconds (a num), as on a real router.
 */
import { parseRosBool, parseRosDuration } from '../../../../src/main/routeros/values.js';
import { Trap, type Menu, type Row } from '../menu.js';
import type { RouterState, ScriptContext } from '../state.js';
import { parseScript, type Arg, type Condition, type Expr, type Statement } from './parser.js';
import {
  compare,
  equals,
  RosCode,
  RosId,
  RosTime,
  toNum,
  toParam,
  toStr,
  toTime,
  truthy,
  typeOf,
  type Value,
} from './values.js';

export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

export interface ScriptLogLine {
  topic: string;
  message: string;
  at: number;
}

export interface FetchRecord {
  url: string;
  status: number | null;
  error?: string;
  at: number;
}

export interface InterpreterOptions {
  /** HTTP client for `/tool fetch` (default: global fetch). */
  fetch?: typeof fetch;
  /** Timeout of one `/tool fetch` (default 10 s, as RouterOS gives up). */
  fetchTimeoutMs?: number;
}

class Scope {
  private readonly vars = new Map<string, Value>();
  /** The menu a bare verb acts on (`[find where …]` inside `/ip hotspot user set …`); null at the root. */
  readonly menu: string | null;
  constructor(
    readonly parent: Scope | null,
    menu?: string,
  ) {
    this.menu = menu ?? parent?.menu ?? null;
  }

  lookup(name: string): Scope | null {
    if (this.vars.has(name)) return this;
    return this.parent ? this.parent.lookup(name) : null;
  }
  get(name: string): Value {
    return this.vars.get(name) ?? null;
  }
  declare(name: string, v: Value): void {
    this.vars.set(name, v);
  }
}

/** `:return` unwinds to the function call (or ends the script at top level). */
class ReturnSignal {
  constructor(readonly value: Value) {}
}

/** RouterOS's global commands: an unambiguous prefix of one of them names it (`:pic` is `:pick`). */
const LANGUAGE_COMMANDS = [
  'beep',
  'convert',
  'delay',
  'deserialize',
  'do',
  'environment',
  'error',
  'execute',
  'find',
  'for',
  'foreach',
  'global',
  'grep',
  'if',
  'jobname',
  'len',
  'local',
  'log',
  'nothing',
  'onerror',
  'parse',
  'pick',
  'put',
  'resolve',
  'retry',
  'return',
  'rndnum',
  'rndstr',
  'serialize',
  'set',
  'terminal',
  'time',
  'timestamp',
  'toarray',
  'tobool',
  'toid',
  'toip',
  'toip6',
  'tonsec',
  'tonum',
  'tostr',
  'totime',
  'typeof',
  'while',
] as const;

function languageCommand(written: string): string | null {
  const all: readonly string[] = LANGUAGE_COMMANDS;
  if (all.includes(written)) return written;
  const candidates = all.filter((c) => c.startsWith(written));
  return candidates.length === 1 ? candidates[0]! : null;
}

/** Pseudo-menus that are commands, not item lists (resolved like menus for abbreviations). */
const COMMAND_PATHS = ['/tool/fetch'];

/** Menus whose `get` of these fields answers a time or a number rather than text. */
const TIME_FIELDS = new Set([
  'uptime',
  'idle-time',
  'session-time-left',
  'limit-uptime',
  'interval',
  'keepalive-timeout',
]);
const NUM_FIELDS = new Set([
  'bytes-in',
  'bytes-out',
  'packets-in',
  'packets-out',
  'limit-bytes-total',
  'limit-bytes-in',
  'limit-bytes-out',
  'run-count',
]);

export class ScriptInterpreter {
  readonly globals = new Scope(null);
  readonly logs: ScriptLogLine[] = [];
  readonly output: string[] = [];
  readonly fetches: FetchRecord[] = [];
  readonly errors: Array<{ source: string; error: string }> = [];
  private readonly running = new Set<Promise<void>>();
  private readonly parsed = new Map<string, Statement[]>();
  private readonly paths = new Map<string, string>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: RouterState,
    private readonly opts: InterpreterOptions = {},
  ) {}

  /** The `onScriptRun` hook. */
  readonly hook = (source: string, ctx: ScriptContext): Promise<void> => this.run(source, ctx.variables);

  /** Runs a script; resolves when it ends (rejects with the script error, which is also logged). */
  run(source: string, variables: Record<string, string> = {}): Promise<void> {
    // Runs one at a time, in the order the router triggered them: advanceTime() can fire several scheduler runs
    // in one call, and they must not interleave at their awaits.
    const p = this.tail.then(() => this.execute(source, variables));
    this.tail = p.catch(() => undefined);
    const tracked = p.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
    return p;
  }

  /** Resolves once no script is running (scripts started while waiting are waited for too). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async execute(source: string, variables: Record<string, string>): Promise<void> {
    try {
      let body = this.parsed.get(source);
      if (!body) {
        body = parseScript(source);
        if (this.parsed.size > 200) this.parsed.clear();
        this.parsed.set(source, body);
      }
      const root = new Scope(this.globals);
      for (const [k, v] of Object.entries(variables)) root.declare(k, v);
      await this.block(body, new Scope(root));
    } catch (e) {
      // `:return` at the top level just ends the script.
      if (e instanceof ReturnSignal) return;
      const message = e instanceof Error ? e.message : String(e);
      this.errors.push({ source, error: message });
      this.log('error', `script error: ${message}`);
      throw e;
    }
  }

  private log(topic: string, message: string): void {
    this.logs.push({ topic, message, at: this.state.now() });
    if (this.logs.length > 5000) this.logs.shift();
  }

  private async block(body: readonly Statement[], scope: Scope): Promise<Value> {
    let last: Value = null;
    for (const st of body) last = await this.statement(st, scope);
    return last;
  }

  // ------------------------------------------------------------------ statements

  private async statement(st: Statement, scope: Scope): Promise<Value> {
    if (st.command === '#expr') {
      const a = st.args[0];
      return a?.kind === 'pos' ? this.eval(a.value, scope) : null;
    }
    if (st.command === '#call') return this.call(st, scope);
    // A bare verb at the root (no menu around it) is the language command of that name (`find`, `set`).
    const bareAtRoot = st.path === '' && scope.menu === null && languageCommand(st.command) !== null;
    if (st.path !== null && !bareAtRoot) return this.menuCommand(st, scope);
    const command = languageCommand(st.command);
    if (command === null) throw new ScriptError(`bad command name ${st.command}`);
    const pos = st.args
      .filter((a): a is Extract<Arg, { kind: 'pos' }> => a.kind === 'pos')
      .map((a) => a.value);
    const named = new Map(
      st.args
        .filter((a): a is Extract<Arg, { kind: 'named' }> => a.kind === 'named')
        .map((a) => [a.name, a.value] as const),
    );
    const arg = async (i: number): Promise<Value> => {
      const e = pos[i];
      return e === undefined ? null : this.eval(e, scope);
    };
    switch (command) {
      case 'local':
      case 'global': {
        const name = this.nameOf(pos[0]);
        // `:local f do={ … }` defines a function.
        const code = named.get('do');
        const given = code !== undefined || pos.length > 1;
        const value = code?.kind === 'block' ? new RosCode(code.body) : given ? await arg(1) : null;
        if (command === 'local') scope.declare(name, value);
        else if (given || this.globals.lookup(name) === null) this.globals.declare(name, value);
        return null;
      }
      case 'return':
        throw new ReturnSignal(await arg(0));
      case 'set': {
        const name = this.nameOf(pos[0]);
        const value = pos.length > 1 ? await arg(1) : null;
        const owner = scope.lookup(name) ?? this.globals;
        owner.declare(name, value);
        return null;
      }
      case 'if': {
        const cond = await arg(0);
        const branch = truthy(cond) ? named.get('do') : named.get('else');
        if (!branch) return null;
        await this.runBlock(branch, scope);
        return null;
      }
      case 'do': {
        const body = pos[0] ?? named.get('do');
        if (!body) throw new ScriptError('missing do block');
        const onError = named.get('on-error');
        try {
          await this.runBlock(body, scope);
        } catch (e) {
          if (!onError) throw e;
          await this.runBlock(onError, scope);
        }
        return null;
      }
      case 'foreach': {
        const varName = this.nameOf(pos[0]);
        // `in=[…]` or `in […]` (both are accepted by RouterOS).
        const inWord = pos[1]?.kind === 'word' && pos[1].text === 'in' ? pos[2] : undefined;
        const inExpr = named.get('in') ?? inWord;
        const body = named.get('do');
        if (!inExpr || !body) throw new ScriptError('foreach needs in= and do=');
        const list = await this.eval(inExpr, scope);
        const items = Array.isArray(list) ? list : list === null ? [] : [list];
        for (const item of items) {
          const inner = new Scope(scope);
          inner.declare(varName, item);
          await this.runBlock(body, inner);
        }
        return null;
      }
      case 'log': {
        const topic = toStr(await arg(0));
        this.log(topic, toStr(await arg(1)));
        return null;
      }
      case 'put':
        this.output.push(toStr(await arg(0)));
        return null;
      case 'error':
        throw new ScriptError(toStr(await arg(0)));
      case 'delay':
        return null;
      case 'tonum':
        return toNum(await arg(0));
      case 'totime':
        return toTime(await arg(0));
      case 'tostr':
        return toStr(await arg(0));
      case 'typeof':
        return typeOf(await arg(0));
      case 'toarray': {
        const v = await arg(0);
        if (Array.isArray(v)) return v;
        if (v === null) return [];
        return toStr(v)
          .split(',')
          .filter((s) => s !== '');
      }
      case 'len': {
        const v = await arg(0);
        if (v === null) return 0;
        if (Array.isArray(v)) return v.length;
        return toStr(v).length;
      }
      case 'pick': {
        const v = await arg(0);
        const start = toNum(await arg(1)) ?? 0;
        const endV = pos.length > 2 ? toNum(await arg(2)) : null;
        if (Array.isArray(v)) return endV === null ? (v[start] ?? null) : v.slice(start, endV);
        const s = toStr(v);
        return s.slice(start, endV ?? start + 1);
      }
      case 'find': {
        const v = await arg(0);
        const needle = await arg(1);
        // The start argument is exclusive: `:find $s "|" $p` looks after position $p.
        const from = pos.length > 2 ? (toNum(await arg(2)) ?? -1) + 1 : 0;
        if (Array.isArray(v)) {
          for (let i = Math.max(0, from); i < v.length; i += 1) if (equals(v[i] ?? null, needle)) return i;
          return null;
        }
        const i = toStr(v).indexOf(toStr(needle), Math.max(0, from));
        return i === -1 ? null : i;
      }
      default:
        throw new ScriptError(`bad command name ${st.command}`);
    }
  }

  /** `[$f name=value …]`: the body runs with the globals and its arguments (`$1`, `$2` for positional ones). */
  private async call(st: Statement, scope: Scope): Promise<Value> {
    const [callee, ...rest] = st.args;
    const fn = callee?.kind === 'pos' ? await this.eval(callee.value, scope) : null;
    if (!(fn instanceof RosCode)) throw new ScriptError('expected a function');
    const inner = new Scope(this.globals);
    let n = 1;
    for (const a of rest) {
      if (a.kind === 'named') inner.declare(a.name, await this.eval(a.value, scope));
      else if (a.kind === 'pos') inner.declare(String(n++), await this.eval(a.value, scope));
    }
    try {
      await this.block(fn.body, inner);
      return null;
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      throw e;
    }
  }

  private async runBlock(e: Expr, scope: Scope): Promise<void> {
    if (e.kind === 'block') await this.block(e.body, new Scope(scope));
    else await this.eval(e, scope);
  }

  private nameOf(e: Expr | undefined): string {
    if (e?.kind === 'word') return e.text;
    if (e?.kind === 'str' && e.parts.every((p) => p.kind === 'text'))
      return e.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    throw new ScriptError('expected a variable name');
  }

  // ------------------------------------------------------------------ expressions

  private async eval(e: Expr, scope: Scope): Promise<Value> {
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'word': {
        if (e.text === 'true' || e.text === 'yes') return true;
        if (e.text === 'false' || e.text === 'no') return false;
        if (/^0x[0-9a-f]+$/i.test(e.text)) return parseInt(e.text.slice(2), 16);
        if (/^\d/.test(e.text)) {
          const t = toTime(e.text);
          if (t) return t;
        }
        return e.text;
      }
      case 'str': {
        let out = '';
        for (const p of e.parts) out += p.kind === 'text' ? p.text : toStr(await this.eval(p.expr, scope));
        return out;
      }
      case 'var': {
        const owner = scope.lookup(e.name);
        return owner ? owner.get(e.name) : null;
      }
      case 'cmd':
        return this.statement(e.statement, scope);
      case 'cmds':
        return this.block(e.body, scope);
      case 'array': {
        const out: Value[] = [];
        for (const item of e.items) {
          const v = await this.eval(item, scope);
          if (Array.isArray(v)) out.push(...v);
          else out.push(v);
        }
        return out;
      }
      case 'block':
        return this.block(e.body, new Scope(scope));
      case 'unary': {
        const v = await this.eval(e.arg, scope);
        if (e.op === '!') return !truthy(v);
        if (v instanceof RosTime) return new RosTime(-v.seconds);
        return -(toNum(v) ?? 0);
      }
      case 'binary': {
        if (e.op === '&&')
          return truthy(await this.eval(e.left, scope)) && truthy(await this.eval(e.right, scope));
        if (e.op === '||')
          return truthy(await this.eval(e.left, scope)) || truthy(await this.eval(e.right, scope));
        const a = await this.eval(e.left, scope);
        const b = await this.eval(e.right, scope);
        return this.binary(e.op, a, b);
      }
    }
  }

  private binary(op: string, a: Value, b: Value): Value {
    switch (op) {
      case '=':
        return equals(a, b);
      case '!=':
        return !equals(a, b);
      case '<':
        return compare(a, b) < 0;
      case '>':
        return compare(a, b) > 0;
      case '<=':
        return compare(a, b) <= 0;
      case '>=':
        return compare(a, b) >= 0;
      case '~':
        return new RegExp(toStr(b)).test(toStr(a));
      case '.':
        return toStr(a) + toStr(b);
    }
    // Arithmetic on nothing (a `:find` that found nothing) is nothing, as on a router: no error.
    if (a === null || b === null) return null;
    const time = a instanceof RosTime || b instanceof RosTime;
    const x = toNum(a);
    const y = toNum(b);
    if (x === null || y === null) throw new ScriptError(`cannot compute ${typeOf(a)} ${op} ${typeOf(b)}`);
    let r: number;
    if (op === '+') r = x + y;
    else if (op === '-') r = x - y;
    else if (op === '*') r = x * y;
    else if (op === '/' || op === '%') {
      if (y === 0) throw new ScriptError('division by zero');
      r = op === '/' ? Math.trunc(x / y) : x % y;
    } else throw new ScriptError(`bad operator ${op}`);
    return time ? new RosTime(r) : r;
  }

  // ------------------------------------------------------------------ menus

  /** A menu path as written (`/sys/sch`) to the menu it names (`/system/scheduler`): unambiguous prefixes. */
  private resolvePath(written: string): string {
    const cached = this.paths.get(written);
    if (cached !== undefined) return cached;
    const known = [...this.state.menus.keys(), ...COMMAND_PATHS].map((p) => p.split('/').filter(Boolean));
    const out: string[] = [];
    for (const seg of written.split('/').filter(Boolean)) {
      const next = new Set(
        known
          .filter((k) => k.length > out.length && out.every((o, i) => k[i] === o))
          .map((k) => k[out.length]!),
      );
      const match = next.has(seg) ? [seg] : [...next].filter((n) => n.startsWith(seg));
      if (match.length !== 1) throw new ScriptError(`no such command prefix ${written}`);
      out.push(match[0]!);
    }
    const path = '/' + out.join('/');
    this.paths.set(written, path);
    return path;
  }

  /** A parameter name as written to the menu's: exact, or the one field it is a prefix of (`disable=`). */
  private param(menu: Menu, name: string): string {
    if (menu.field(name) || menu.def.addParams?.includes(name)) return name;
    const names = [...menu.def.fields.map((f) => f.name), ...(menu.def.addParams ?? [])];
    const candidates = names.filter((n) => n.startsWith(name));
    return candidates.length === 1 ? candidates[0]! : name;
  }

  private async menuCommand(st: Statement, scope: Scope): Promise<Value> {
    const path = st.path === '' ? scope.menu : this.resolvePath(st.path ?? '');
    if (path === null) throw new ScriptError(`bad command name ${st.command}`);
    if (path === '/tool' && st.command === 'fetch') return this.fetch(st, scope);
    const menu = this.state.menus.get(path);
    if (!menu) throw new ScriptError(`no such command prefix ${path}`);
    if (!menu.def.verbs.includes(st.command) && !['find', 'get'].includes(st.command)) {
      throw new ScriptError(`no such command ${path} ${st.command}`);
    }
    const pos: Value[] = [];
    const named: Array<[string, Value]> = [];
    const where: Condition[] = [];
    // Bare verbs in the arguments (`[find where …]`) act on this menu.
    const inner = new Scope(scope, path);
    for (const a of st.args) {
      if (a.kind === 'pos') pos.push(await this.eval(a.value, inner));
      else if (a.kind === 'named') named.push([this.param(menu, a.name), await this.eval(a.value, inner)]);
      else where.push(...a.conditions);
    }
    try {
      switch (st.command) {
        case 'find':
          return await this.find(menu, named, where, inner);
        case 'get': {
          if (menu.def.singleton) return this.getField(menu, menu.single(), toStr(pos[0] ?? null));
          const ids = this.ids(menu, pos[0] ?? null);
          const row = menu.get(ids[0]!);
          if (!row) throw new Trap('no such item');
          return pos.length > 1 ? this.getField(menu, row, this.param(menu, toStr(pos[1] ?? null))) : null;
        }
        case 'set': {
          const values = Object.fromEntries(named.map(([k, v]) => [k, toParam(v)]));
          if (menu.def.singleton) {
            Object.assign(menu.single(), values);
            return null;
          }
          for (const id of this.ids(menu, pos[0] ?? null)) menu.set(id, values);
          return null;
        }
        case 'add': {
          const values = Object.fromEntries(named.map(([k, v]) => [k, toParam(v)]));
          return new RosId(menu.add(values));
        }
        case 'remove':
          for (const id of this.ids(menu, pos[0] ?? null)) {
            if (path === '/ip/hotspot/active') this.state.endHotspotSession(id);
            else if (path === '/ppp/active') this.state.endPppSession(id);
            else menu.remove(id);
          }
          return null;
        case 'enable':
        case 'disable':
          for (const id of this.ids(menu, pos[0] ?? null))
            menu.set(id, { disabled: st.command === 'disable' ? 'true' : 'false' });
          return null;
        default:
          throw new ScriptError(`${path} ${st.command} is not supported by the script interpreter`);
      }
    } catch (e) {
      if (e instanceof Trap) throw new ScriptError(e.message);
      throw e;
    }
  }

  /** Ids from a find result, one id, an id list or item names; an empty list is fine (no-op). */
  private ids(menu: Menu, v: Value): string[] {
    const items = Array.isArray(v) ? v : v === null ? [] : [v];
    const out: string[] = [];
    for (const item of items) {
      const s = item instanceof RosId ? item.id : toStr(item);
      if (s === '') continue;
      out.push(...menu.resolveIds(s));
    }
    if (!Array.isArray(v) && out.length === 0) throw new ScriptError('no such item');
    return out;
  }

  private getField(menu: Menu, row: Row, field: string): Value {
    const full = menu.def.compute ? { ...row, ...menu.def.compute() } : row;
    if (field === '.id') return new RosId(full['.id'] ?? '');
    const raw = full[field];
    if (raw === undefined) return null;
    if (field === 'gmt-offset') {
      const m = /^([+-])(\d{2}):(\d{2})$/.exec(raw);
      const seconds = m
        ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60)
        : (toNum(raw) ?? 0);
      // Like a real router: a zone west of UTC comes back as an unsigned 32-bit number (scripts correct it).
      return seconds < 0 ? seconds + 0x1_0000_0000 : seconds;
    }
    const type = menu.field(field)?.type;
    if (type === 'bool') return parseRosBool(raw) ?? false;
    if (type === 'duration' || TIME_FIELDS.has(field)) {
      const ms = parseRosDuration(raw);
      return ms === undefined ? raw : new RosTime(Math.floor(ms / 1000));
    }
    if (type === 'int' || NUM_FIELDS.has(field)) return toNum(raw) ?? raw;
    return raw;
  }

  private async find(
    menu: Menu,
    named: Array<[string, Value]>,
    where: Condition[],
    scope: Scope,
  ): Promise<Value> {
    const conds: Array<{ field: string; op: Condition['op']; value: Value }> = named.map(
      ([field, value]) => ({ field, op: '=', value }),
    );
    for (const c of where)
      conds.push({ field: c.field, op: c.op, value: c.value ? await this.eval(c.value, scope) : null });
    const regexes = new Map(
      conds.filter((c) => c.op === '~').map((c) => [c, new RegExp(toStr(c.value))] as const),
    );
    const rows = menu.filter((row) =>
      conds.every((c) => {
        const stored = row[c.field];
        switch (c.op) {
          case 'true':
            return parseRosBool(stored) === true;
          case 'false':
            return parseRosBool(stored) !== true;
          case '~':
            return regexes.get(c)!.test(stored ?? '');
          case '<':
          case '>': {
            if (stored === undefined) return false;
            const r = menu.compare(c.field, stored, menu.queryValue(c.field, toParam(c.value)));
            return c.op === '<' ? r < 0 : r > 0;
          }
          default: {
            const eq = (stored ?? '') === menu.queryValue(c.field, toParam(c.value));
            return c.op === '=' ? eq : !eq;
          }
        }
      }),
    );
    return rows.map((r) => new RosId(r['.id'] ?? ''));
  }

  // ------------------------------------------------------------------ /tool fetch

  private async fetch(st: Statement, scope: Scope): Promise<Value> {
    const params = new Map<string, Value>();
    for (const a of st.args) if (a.kind === 'named') params.set(a.name, await this.eval(a.value, scope));
    const url = toStr(params.get('url') ?? null);
    if (url === '') throw new ScriptError('missing url');
    const method = toStr(params.get('http-method') ?? 'get').toUpperCase();
    const body = params.get('http-data');
    const record: FetchRecord = { url, status: null, at: this.state.now() };
    this.fetches.push(record);
    const doFetch = this.opts.fetch ?? fetch;
    try {
      const res = await doFetch(url, {
        method,
        body: body === undefined || body === null ? undefined : toStr(body),
        signal: AbortSignal.timeout(this.opts.fetchTimeoutMs ?? 10_000),
      });
      record.status = res.status;
      const text = await res.text();
      // RouterOS treats any non-2xx answer as a failure of the command.
      if (res.status < 200 || res.status > 299)
        throw new ScriptError(`failure: closing connection: <${res.status}> ${url}`);
      if (toStr(params.get('output') ?? null) === 'user') return text;
      return null;
    } catch (e) {
      record.error = e instanceof Error ? e.message : String(e);
      if (e instanceof ScriptError) throw e;
      throw new ScriptError(`failure: connection refused (${record.error})`);
    }
  }
}
