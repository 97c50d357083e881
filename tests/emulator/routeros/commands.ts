/**
 * API commands against the emulated state: `/menu/path/verb` with `=param=value` words and `?query` words.
 * Returns rows and `!done` attributes, or throws `Trap` with the router's message.
 */
import { compileQuery, type Menu, type Row, Trap } from './menu.js';
import type { RouterState } from './state.js';

export interface ParsedCommand {
  command: string;
  params: Row;
  queries: string[];
  tag: string | undefined;
}

export type CommandResult =
  { kind: 'rows'; rows: Row[]; done: Row } | { kind: 'listen'; menu: Menu; proplist: string[] | undefined };

const PRINT_PARAMS = new Set([
  '.proplist',
  'count-only',
  'detail',
  'terse',
  'without-paging',
  'brief',
  'stats',
  'from',
  'where',
  'as-value',
  'value-list',
  'follow',
  'follow-only',
  'interval',
  'append',
  'file',
]);

export function parseCommand(words: readonly string[]): ParsedCommand {
  const params: Row = {};
  const queries: string[] = [];
  let tag: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('=')) {
      const eq = w.indexOf('=', 1);
      if (eq === -1) params[w.slice(1)] = '';
      else params[w.slice(1, eq)] = w.slice(eq + 1);
    } else if (w.startsWith('?')) {
      queries.push(w);
    } else if (w.startsWith('.tag=')) {
      tag = w.slice(5);
    }
  }
  return { command: words[0] ?? '', params, queries, tag };
}

export function splitCommand(command: string): { path: string; verb: string } {
  const i = command.lastIndexOf('/');
  return { path: command.slice(0, i), verb: command.slice(i + 1) };
}

export function execute(state: RouterState, cmd: ParsedCommand): CommandResult {
  const { path, verb } = splitCommand(cmd.command);
  const menu = state.menus.get(path);
  if (!menu) throw new Trap('no such command prefix', 0);
  if (!menu.def.verbs.includes(verb)) throw new Trap('no such command', 0);
  const p = cmd.params;
  const proplist =
    p['.proplist'] === undefined ? undefined : p['.proplist'].split(',').filter((s) => s !== '');
  switch (verb) {
    case 'print':
      return print(menu, cmd, proplist);
    case 'listen':
      return { kind: 'listen', menu, proplist };
    case 'add':
      return done({ ret: add(menu, p) });
    case 'set':
      set(menu, p);
      return done();
    case 'remove':
      for (const id of targetIds(menu, p)) {
        if (path === '/ip/hotspot/active') state.endHotspotSession(id);
        else if (path === '/ppp/active') state.endPppSession(id, 'administrative-disconnect');
        else menu.remove(id);
      }
      return done();
    case 'enable':
    case 'disable':
      for (const id of targetIds(menu, p)) menu.set(id, { disabled: verb === 'disable' ? 'true' : 'false' });
      return done();
    case 'unset': {
      const field = p['value-name'];
      if (field === undefined) throw new Trap('missing value for value-name', 1);
      for (const id of targetIds(menu, p)) menu.unset(id, field);
      return done();
    }
    case 'reset-counters':
      for (const id of targetIds(menu, p)) {
        const row = menu.get(id)!;
        for (const f of [
          'uptime',
          'bytes-in',
          'bytes-out',
          'packets-in',
          'packets-out',
          'bytes',
          'packets',
        ]) {
          if (row[f] !== undefined) row[f] = f === 'uptime' ? '0s' : '0';
        }
      }
      return done();
    case 'run':
      for (const id of targetIds(menu, p)) state.runScriptItem(menu.get(id)!);
      return done();
    default:
      throw new Trap('no such command', 0);
  }
}

function done(attrs: Row = {}): CommandResult {
  return { kind: 'rows', rows: [], done: attrs };
}

function print(menu: Menu, cmd: ParsedCommand, proplist: string[] | undefined): CommandResult {
  for (const k of Object.keys(cmd.params)) if (!PRINT_PARAMS.has(k)) throw new Trap('unknown parameter', 1);
  const match = compileQuery(menu, cmd.queries);
  let rows = menu.rows().filter(match);
  if (cmd.params['from'] !== undefined) {
    const ids = new Set(menu.resolveIds(cmd.params['from']));
    rows = rows.filter((r) => ids.has(r['.id'] ?? ''));
  }
  if (cmd.params['count-only'] !== undefined) return done({ ret: String(rows.length) });
  return { kind: 'rows', rows: rows.map((r) => menu.present(r, proplist)), done: {} };
}

function add(menu: Menu, p: Row): string {
  const values: Row = {};
  let placeBefore: string | undefined;
  for (const [k, v] of Object.entries(p)) {
    if (k === 'place-before' && menu.def.addParams?.includes(k)) placeBefore = v;
    else if (k === 'copy-from') Object.assign(values, copyOf(menu, v));
    else values[k] = v;
  }
  return menu.add(values, placeBefore === undefined ? {} : { placeBefore });
}

function copyOf(menu: Menu, spec: string): Row {
  const [id] = menu.resolveIds(spec);
  const src = menu.get(id!)!;
  const out: Row = {};
  for (const f of menu.def.fields) {
    const v = src[f.name];
    if (!f.readOnly && v !== undefined && f.name !== 'name') out[f.name] = v;
  }
  return out;
}

function set(menu: Menu, p: Row): void {
  const values: Row = {};
  for (const [k, v] of Object.entries(p)) if (k !== '.id' && k !== 'numbers') values[k] = v;
  if (menu.def.singleton) {
    const row = menu.single();
    for (const [k, v] of Object.entries(values)) row[k] = menu.normalize(k, v);
    menu.notify('set', row);
    return;
  }
  const ids = targetIds(menu, p);
  // Validate against every target before changing any, like one RouterOS command.
  for (const [k, v] of Object.entries(values)) menu.normalize(k, v);
  for (const id of ids) menu.set(id, values);
}

function targetIds(menu: Menu, p: Row): string[] {
  const spec = p['.id'] ?? p['numbers'] ?? p['number'];
  if (spec === undefined) throw new Trap('no such item', 0);
  return menu.resolveIds(spec);
}
