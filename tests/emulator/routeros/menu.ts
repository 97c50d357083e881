/**
 * A stateful RouterOS menu (`/ip/hotspot/user`, `/ppp/secret`, ...): typed fields with RouterOS defaults,
 * `*1A`-style ids, a unique key with the router's exact duplicate message, and change notifications for
 * `listen`. Values are stored as the strings `print` shows (booleans as "true"/"false").
 */
import { formatRosDuration, parseRosBool, parseRosDuration } from '../../../src/main/routeros/values.js';

export type Row = Record<string, string>;

/** A `!trap` the emulator answers with. */
export class Trap extends Error {
  constructor(
    message: string,
    readonly category?: number,
  ) {
    super(message);
  }
}

export type FieldType =
  | 'string'
  | 'bool'
  | 'duration'
  | 'int'
  | { enum: readonly string[] }
  | { ref: string; extra?: readonly string[] };

export interface FieldDef {
  name: string;
  type?: FieldType;
  default?: string;
  /** Shown by print, not settable through the API. */
  readOnly?: boolean;
}

export interface MenuDef {
  path: string;
  fields: FieldDef[];
  /** Fields whose combination must be unique, with the router's message when it is not. */
  unique?: { fields: string[]; message: string };
  /** One row, no ids (`/system/identity`). */
  singleton?: boolean;
  /** Commands the menu answers: add, set, remove, print, enable, disable, listen, unset, and menu-specific ones. */
  verbs: readonly string[];
  /** Rows present after a reset; explicit `.id` allowed (e.g. `*0` for the default profile). */
  defaults?: Row[];
  /** Extra params accepted by add (not stored), e.g. `place-before`. */
  addParams?: readonly string[];
  /** Values computed at print time (resource, clock). */
  compute?: () => Row;
}

export type ChangeKind = 'add' | 'set' | 'remove';
export type ChangeListener = (kind: ChangeKind, row: Row) => void;

/** Resolves a `ref` field: does `value` exist as a name in menu `path`? */
export type RefCheck = (path: string, value: string) => boolean;

export class Menu {
  private readonly byId = new Map<string, Row>();
  private nextId = 1;
  private readonly fieldMap: Map<string, FieldDef>;
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    readonly def: MenuDef,
    private readonly refCheck: RefCheck,
  ) {
    this.fieldMap = new Map(def.fields.map((f) => [f.name, f]));
    this.reset();
  }

  get path(): string {
    return this.def.path;
  }

  reset(): void {
    this.byId.clear();
    this.nextId = 1;
    if (this.def.singleton) {
      this.byId.set('', this.withDefaults(this.def.defaults?.[0] ?? {}));
      return;
    }
    for (const d of this.def.defaults ?? []) this.insert(this.withDefaults(d), d['.id']);
  }

  field(name: string): FieldDef | undefined {
    return this.fieldMap.get(name);
  }

  /** Live rows in print order. Mutating a returned row bypasses validation and listeners (fine for controls). */
  rows(): Row[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Row | undefined {
    return this.byId.get(id);
  }

  /** The singleton row (`/system/identity`). */
  single(): Row {
    const r = this.byId.get('');
    if (!r) throw new Error(`${this.path} is not a singleton menu`);
    return r;
  }

  findBy(field: string, value: string): Row | undefined {
    for (const r of this.byId.values()) if (r[field] === value) return r;
    return undefined;
  }

  filter(pred: (r: Row) => boolean): Row[] {
    return this.rows().filter(pred);
  }

  subscribe(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  notify(kind: ChangeKind, row: Row): void {
    for (const l of this.listeners) l(kind, row);
  }

  /** Bulk insert for benches and fixtures: defaults applied, no validation, no notifications. */
  seed(rows: readonly Row[]): string[] {
    return rows.map((r) => this.insert(this.withDefaults(r), r['.id']));
  }

  /** API add: validates every value, enforces the unique key, notifies listeners. Returns the new id. */
  add(values: Row, opts: { placeBefore?: string } = {}): string {
    const row: Row = {};
    for (const [k, v] of Object.entries(values)) row[k] = this.normalize(k, v);
    const full = this.withDefaults(row);
    this.checkUnique(full, undefined);
    let before: string | undefined;
    if (opts.placeBefore !== undefined) {
      before = this.resolveIds(opts.placeBefore)[0];
    }
    const id = this.insert(full, undefined, before);
    this.notify('add', this.byId.get(id)!);
    return id;
  }

  set(id: string, values: Row): void {
    const row = this.byId.get(id);
    if (!row) throw new Trap('no such item');
    const next: Row = { ...row };
    for (const [k, v] of Object.entries(values)) {
      const value = this.normalize(k, v);
      if (value === '' && this.fieldMap.get(k)?.default === undefined) delete next[k];
      else next[k] = value;
    }
    this.checkUnique(next, id);
    Object.assign(row, next);
    for (const k of Object.keys(row)) if (!(k in next)) delete row[k];
    this.notify('set', row);
  }

  unset(id: string, field: string): void {
    const row = this.byId.get(id);
    if (!row) throw new Trap('no such item');
    if (!this.fieldMap.has(field)) throw new Trap('unknown parameter');
    const def = this.fieldMap.get(field)?.default;
    if (def === undefined) delete row[field];
    else row[field] = def;
    this.notify('set', row);
  }

  remove(id: string): Row {
    const row = this.byId.get(id);
    if (!row) throw new Trap('no such item');
    this.byId.delete(id);
    this.notify('remove', row);
    return row;
  }

  /**
   * `=.id=*1,*2` or `=numbers=*1,name2`: RouterOS accepts ids and, in menus with names, the name itself.
   * Any unknown entry fails the whole command with "no such item".
   */
  resolveIds(spec: string): string[] {
    const ids: string[] = [];
    for (const part of spec
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')) {
      if (this.byId.has(part)) {
        ids.push(part);
        continue;
      }
      const byName = this.fieldMap.has('name') ? this.findBy('name', part) : undefined;
      if (!byName) throw new Trap('no such item');
      ids.push(byName['.id']!);
    }
    if (ids.length === 0) throw new Trap('no such item');
    return ids;
  }

  /** Check a param for add/set and return the stored form; traps like RouterOS on a bad name or value. */
  normalize(name: string, value: string): string {
    const f = this.fieldMap.get(name);
    if (!f || f.readOnly) throw new Trap('unknown parameter');
    const type = f.type ?? 'string';
    if (type === 'string') return value;
    if (type === 'bool') {
      const b = parseRosBool(value);
      if (b === undefined) throw new Trap(`value of ${name} must be yes or no`, 1);
      return b ? 'true' : 'false';
    }
    if (type === 'duration') {
      if (value === '') return '';
      const ms = parseRosDuration(value);
      if (ms === undefined) throw new Trap(`invalid value for argument ${name}`, 1);
      return formatRosDuration(ms);
    }
    if (type === 'int') {
      if (value === '') return '';
      if (!/^\d+$/.test(value)) throw new Trap(`invalid value for argument ${name}`, 1);
      if (Number(value) > Number.MAX_SAFE_INTEGER) throw new Trap(`value of ${name} out of range`, 1);
      return String(Number(value));
    }
    if ('enum' in type) {
      if (!type.enum.includes(value)) throw new Trap(`input does not match any value of ${name}`, 1);
      return value;
    }
    if (type.extra?.includes(value) || this.refCheck(type.ref, value)) return value;
    throw new Trap(`input does not match any value of ${name}`, 1);
  }

  private withDefaults(values: Row): Row {
    const row: Row = {};
    for (const f of this.def.fields) {
      const v = values[f.name] ?? f.default;
      if (v !== undefined) row[f.name] = v;
    }
    for (const [k, v] of Object.entries(values)) if (!(k in row) && k !== '.id') row[k] = v;
    return row;
  }

  private checkUnique(row: Row, selfId: string | undefined): void {
    const u = this.def.unique;
    if (!u) return;
    if (u.fields.some((f) => row[f] === undefined || row[f] === '')) return;
    for (const other of this.byId.values()) {
      if (other['.id'] === selfId) continue;
      if (u.fields.every((f) => other[f] === row[f])) throw new Trap(u.message);
    }
  }

  private insert(row: Row, explicitId: string | undefined, beforeId?: string): string {
    const id = explicitId ?? `*${(this.nextId++).toString(16).toUpperCase()}`;
    const stored: Row = { '.id': id, ...row };
    if (beforeId === undefined) {
      this.byId.set(id, stored);
      return id;
    }
    // Map keeps insertion order; rebuild it to put the new row in front of `beforeId` (rare: NAT place-before).
    const entries = [...this.byId.entries()];
    const at = entries.findIndex(([k]) => k === beforeId);
    entries.splice(at === -1 ? entries.length : at, 0, [id, stored]);
    this.byId.clear();
    for (const [k, v] of entries) this.byId.set(k, v);
    return id;
  }

  /** Print output of one row: `.id` first (not for singletons), then fields in menu order, limited by proplist. */
  present(row: Row, proplist: readonly string[] | undefined): Row {
    const src = this.def.compute ? { ...row, ...this.def.compute() } : row;
    if (proplist) {
      const out: Row = {};
      for (const p of proplist) {
        const v = src[p];
        if (v !== undefined) out[p] = v;
      }
      return out;
    }
    if (this.def.singleton) {
      const { '.id': _id, ...rest } = src;
      return rest;
    }
    return src;
  }

  /** Type-aware comparison for `?<` / `?>` queries. */
  compare(field: string, a: string, b: string): number {
    const type = this.fieldMap.get(field)?.type ?? 'string';
    if (type === 'int') return Number(a) - Number(b);
    if (type === 'duration') return (parseRosDuration(a) ?? 0) - (parseRosDuration(b) ?? 0);
    const na = Number(a);
    const nb = Number(b);
    if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    // Read-only counters like `uptime` are untyped; compare them as durations when both parse as one.
    const da = parseRosDuration(a);
    const db = parseRosDuration(b);
    if (a !== '' && b !== '' && da !== undefined && db !== undefined) return da - db;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Normalize a query value the way the field is stored (`?disabled=yes` matches "true"). */
  queryValue(field: string, value: string): string {
    const type = this.fieldMap.get(field)?.type;
    if (type === 'bool') {
      const b = parseRosBool(value);
      return b === undefined ? value : String(b);
    }
    if (type === 'duration') {
      const ms = parseRosDuration(value);
      return ms === undefined ? value : formatRosDuration(ms);
    }
    return value;
  }
}

/**
 * RouterOS API query words evaluated as the documented stack machine: `?name=x` pushes equality, `?name` pushes
 * "has property", `?-name` "lacks property", `?<name=x`/`?>name=x` comparisons; `?#` operators combine the
 * stack (`|` or, `&` and, `!` not, `.` duplicate, digit = copy of that stack entry). All results are ANDed.
 */
export function compileQuery(menu: Menu, words: readonly string[]): (row: Row) => boolean {
  if (words.length === 0) return () => true;
  type Op = (row: Row, stack: boolean[]) => void;
  const ops: Op[] = words.map((w): Op => {
    const q = w.slice(1);
    if (q.startsWith('#')) {
      const codes = q.slice(1);
      return (_row, stack) => {
        for (const c of codes) {
          if (c === '!') stack.push(!(stack.pop() ?? true));
          else if (c === '|' || c === '&') {
            const b = stack.pop() ?? true;
            const a = stack.pop() ?? true;
            stack.push(c === '|' ? a || b : a && b);
          } else if (c === '.') stack.push(stack[stack.length - 1] ?? true);
          else if (c >= '0' && c <= '9') stack.push(stack[Number(c)] ?? true);
        }
      };
    }
    const op = q[0];
    if (op === '-') {
      const name = q.slice(1);
      return (row, stack) => stack.push(row[name] === undefined);
    }
    if (op === '<' || op === '>') {
      const eq = q.indexOf('=');
      const name = q.slice(1, eq === -1 ? undefined : eq);
      const value = eq === -1 ? '' : menu.queryValue(name, q.slice(eq + 1));
      return (row, stack) => {
        const v = row[name];
        if (v === undefined) return stack.push(false);
        const c = menu.compare(name, v, value);
        stack.push(op === '<' ? c < 0 : c > 0);
      };
    }
    const eq = q.indexOf('=');
    if (eq === -1) return (row, stack) => stack.push(row[q] !== undefined);
    const name = q.slice(0, eq);
    const value = menu.queryValue(name, q.slice(eq + 1));
    // An absent property compares as empty: `?comment=` finds rows without a comment.
    return (row, stack) => stack.push((row[name] ?? '') === value);
  });
  return (row) => {
    const stack: boolean[] = [];
    for (const op of ops) op(row, stack);
    return stack.every(Boolean);
  };
}
