/**
 * One API connection to the emulator: login (modern and pre-6.43 challenge), tagged commands processed
 * concurrently (each after its own latency), listen/cancel, and the fault injections that act on a connection.
 */
import { createHash, randomBytes } from 'node:crypto';
import type net from 'node:net';

import { execute, parseCommand, type ParsedCommand } from './commands.js';
import { type Row, Trap } from './menu.js';
import type { VersionProfile } from './menus.js';
import type { RouterState } from './state.js';
import { encodeWords, WireReader } from './wire.js';

export interface EmulatorFaults {
  /** Delay before each command is answered (commands in flight overlap, as on a router); a function sets it per command. */
  latencyMs?: number | ((command: string) => number);
  /** Close the connection when command N+1 (after login) arrives; the first N may still be unanswered. */
  dropAfterCommands?: number;
  /** Close the socket halfway through any print of two or more rows. */
  dropMidReply?: boolean;
  /** Commands that are swallowed: never answered, never cancelled — a hung router. */
  neverAnswer?: string | readonly string[] | ((command: string, params: Row) => boolean);
  /** When command N+1 arrives, send `!fatal <fatalMessage>` and close. */
  fatalAfterCommands?: number;
  fatalMessage?: string;
  /** Delay before answering `/login`. */
  slowLoginMs?: number;
  /** Accept the login, then drop the connection at once (a router whose API service is failing). */
  dropAfterLogin?: boolean;
  /** Pause between batches of rows of a reply (a slow router streaming a long print); see `streamRowsPerWrite`. */
  streamDelayMs?: number;
  /** Rows per write of a reply. Default 256. */
  streamRowsPerWrite?: number;
  /** Answer a command with this word instead of `!done` (something that is not a RouterOS reply). */
  replyWord?: (command: string) => string | undefined;
  /** Answer command N+1 (after login) with an endless sentence: words that never reach the terminating zero. */
  runawayAfterCommands?: number;
}

export type LoginMode = 'modern' | 'legacy' | 'auto';

export interface SessionHost {
  readonly profile: VersionProfile;
  readonly state: RouterState;
  readonly loginMode: LoginMode;
  readonly users: ReadonlyArray<{ name: string; password: string }>;
  faults: EmulatorFaults;
  readonly stats: {
    commands: number;
    logins: number;
    inFlight: number;
    maxInFlight: number;
    sentencesIn: number;
    sentencesOut: number;
  };
  record(dir: 'in' | 'out', words: string[], conn: number): void;
  readonly logging: boolean;
}

interface PendingCommand {
  timer: NodeJS.Timeout | undefined;
  unsubscribe: (() => void) | undefined;
  counted: boolean;
}

const ROWS_PER_WRITE = 256;

export class Session {
  private readonly reader: WireReader;
  private loggedIn = false;
  private challenge: Buffer | undefined;
  private commandCount = 0;
  private readonly pending = new Map<string, PendingCommand>();
  private closed = false;

  constructor(
    private readonly host: SessionHost,
    private readonly socket: net.Socket,
    readonly id: number,
  ) {
    this.reader = new WireReader((words) => this.onSentence(words));
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch {
        this.destroy();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.cleanup());
  }

  destroy(): void {
    this.cleanup();
    this.socket.destroy();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) this.finish(p);
    this.pending.clear();
  }

  private finish(p: PendingCommand): void {
    if (p.timer) clearTimeout(p.timer);
    p.unsubscribe?.();
    if (p.counted) {
      p.counted = false;
      this.host.stats.inFlight--;
    }
  }

  private send(words: string[]): boolean {
    if (this.closed) return false;
    this.host.stats.sentencesOut++;
    if (this.host.logging) this.host.record('out', words, this.id);
    return this.socket.write(encodeWords(words));
  }

  private reply(tag: string | undefined, type: string, attrs: Row = {}): void {
    const words = [type];
    for (const [k, v] of Object.entries(attrs)) words.push(`=${k}=${v}`);
    if (tag !== undefined) words.push(`.tag=${tag}`);
    this.send(words);
  }

  private trap(tag: string | undefined, message: string, category?: number): void {
    this.reply(tag, '!trap', category === undefined ? { message } : { category: String(category), message });
    this.reply(tag, '!done');
  }

  private fatal(message: string): void {
    this.send(['!fatal', message]);
    this.socket.end();
    this.cleanup();
  }

  private onSentence(words: string[]): void {
    if (this.closed) return;
    this.host.stats.sentencesIn++;
    if (this.host.logging) this.host.record('in', words, this.id);
    const cmd = parseCommand(words);
    if (cmd.command === '/login') {
      const delay = this.host.faults.slowLoginMs ?? 0;
      if (delay > 0) setTimeout(() => this.login(cmd), delay);
      else this.login(cmd);
      return;
    }
    if (cmd.command === '/quit') {
      this.fatal('session terminated on request');
      return;
    }
    if (!this.loggedIn) {
      this.trap(cmd.tag, 'not logged in', 0);
      return;
    }
    const faults = this.host.faults;
    this.commandCount++;
    this.host.stats.commands++;
    if (faults.fatalAfterCommands !== undefined && this.commandCount > faults.fatalAfterCommands) {
      this.fatal(faults.fatalMessage ?? 'session terminated on request');
      return;
    }
    if (faults.dropAfterCommands !== undefined && this.commandCount > faults.dropAfterCommands) {
      this.destroy();
      return;
    }
    if (faults.runawayAfterCommands !== undefined && this.commandCount > faults.runawayAfterCommands) {
      void this.runaway();
      return;
    }
    if (this.swallowed(cmd)) return;
    if (cmd.command === '/cancel') {
      this.cancel(cmd);
      return;
    }
    const key = cmd.tag ?? '';
    const p: PendingCommand = { timer: undefined, unsubscribe: undefined, counted: true };
    this.host.stats.inFlight++;
    if (this.host.stats.inFlight > this.host.stats.maxInFlight)
      this.host.stats.maxInFlight = this.host.stats.inFlight;
    this.pending.set(key, p);
    const latency =
      typeof faults.latencyMs === 'function' ? faults.latencyMs(cmd.command) : (faults.latencyMs ?? 0);
    const run = (): void => {
      p.timer = undefined;
      void this.run(cmd, p);
    };
    if (latency > 0) p.timer = setTimeout(run, latency);
    else setImmediate(run);
  }

  private swallowed(cmd: ParsedCommand): boolean {
    const rule = this.host.faults.neverAnswer;
    if (rule === undefined) return false;
    if (typeof rule === 'function') return rule(cmd.command, cmd.params);
    if (typeof rule === 'string') return rule === cmd.command;
    return rule.includes(cmd.command);
  }

  private async run(cmd: ParsedCommand, p: PendingCommand): Promise<void> {
    if (this.closed) return;
    const key = cmd.tag ?? '';
    const end = (): void => {
      this.finish(p);
      if (this.pending.get(key) === p) this.pending.delete(key);
    };
    let result;
    try {
      result = execute(this.host.state, cmd);
    } catch (e) {
      if (e instanceof Trap) this.trap(cmd.tag, e.message, e.category);
      else this.trap(cmd.tag, `failure: ${(e as Error).message}`, 4);
      end();
      return;
    }
    if (result.kind === 'listen') {
      const { menu, proplist } = result;
      // A listen stays open until /cancel; it no longer counts as "in flight" work.
      if (p.counted) {
        p.counted = false;
        this.host.stats.inFlight--;
      }
      p.unsubscribe = menu.subscribe((kind, row) => {
        if (kind === 'remove') this.reply(cmd.tag, '!re', { '.id': row['.id'] ?? '', '.dead': 'yes' });
        else this.reply(cmd.tag, '!re', menu.present(row, proplist));
      });
      return;
    }
    const { rows } = result;
    if (
      rows.length === 0 &&
      Object.keys(result.done).length === 0 &&
      cmd.command.endsWith('/print') &&
      this.host.profile.emptyReply
    ) {
      this.reply(cmd.tag, '!empty');
    }
    const dropAt = this.host.faults.dropMidReply && rows.length >= 2 ? Math.floor(rows.length / 2) : -1;
    const tagWord = cmd.tag === undefined ? undefined : `.tag=${cmd.tag}`;
    const perWrite = Math.max(1, this.host.faults.streamRowsPerWrite ?? ROWS_PER_WRITE);
    for (let i = 0; i < rows.length; i += perWrite) {
      const pause = this.host.faults.streamDelayMs ?? 0;
      if (pause > 0 && i > 0) {
        await new Promise((resolve) => setTimeout(resolve, pause));
        if (this.closed || this.pending.get(key) !== p) return; // dropped or cancelled meanwhile
      }
      const chunk: Buffer[] = [];
      const stop = Math.min(rows.length, i + perWrite);
      for (let j = i; j < stop; j++) {
        if (j === dropAt) {
          if (chunk.length > 0) this.socket.write(Buffer.concat(chunk));
          this.destroy();
          return;
        }
        const words = ['!re'];
        for (const [k, v] of Object.entries(rows[j]!)) words.push(`=${k}=${v}`);
        if (tagWord) words.push(tagWord);
        if (this.host.logging) this.host.record('out', words, this.id);
        this.host.stats.sentencesOut++;
        chunk.push(encodeWords(words));
      }
      if (this.closed) return;
      if (!this.socket.write(Buffer.concat(chunk))) {
        await new Promise<void>((resolve) => {
          this.socket.once('drain', resolve);
          this.socket.once('close', resolve);
        });
        if (this.closed || this.pending.get(key) !== p) return; // dropped or cancelled meanwhile
      }
    }
    this.reply(cmd.tag, this.host.faults.replyWord?.(cmd.command) ?? '!done', result.done);
    end();
  }

  /** Words of a sentence that never ends, written in batches until the peer gives up and closes. */
  private async runaway(): Promise<void> {
    const batch = encodeWords(Array.from({ length: 1024 }, (_, i) => `=junk${i}=x`)).subarray(0, -1);
    while (!this.closed) {
      if (!this.socket.write(batch)) {
        await new Promise<void>((resolve) => {
          this.socket.once('drain', resolve);
          this.socket.once('close', resolve);
        });
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  private cancel(cmd: ParsedCommand): void {
    const target = cmd.params['tag'];
    const keys = target === undefined ? [...this.pending.keys()] : [target];
    for (const key of keys) {
      const p = this.pending.get(key);
      if (!p) continue;
      this.finish(p);
      this.pending.delete(key);
      this.trap(key === '' ? undefined : key, 'interrupted', 2);
    }
    this.reply(cmd.tag, '!done');
  }

  private login(cmd: ParsedCommand): void {
    if (this.closed) return;
    const { name, password, response } = cmd.params;
    const legacyAllowed = this.host.profile.legacyLogin && this.host.loginMode !== 'modern';
    const user = this.host.users.find((u) => u.name === name);
    if (response !== undefined) {
      const ok =
        this.challenge !== undefined &&
        user !== undefined &&
        response ===
          '00' +
            createHash('md5')
              .update(Buffer.from([0]))
              .update(Buffer.from(user.password, 'utf8'))
              .update(this.challenge)
              .digest('hex');
      this.challenge = undefined;
      if (ok) return this.loginOk(cmd);
      this.trap(cmd.tag, 'cannot log in');
      this.closeSoon();
      return;
    }
    const wantsChallenge = this.host.loginMode === 'legacy' || password === undefined;
    if (wantsChallenge && legacyAllowed) {
      // Pre-6.43 behaviour: ignore any password and hand out a challenge.
      this.challenge = randomBytes(16);
      this.reply(cmd.tag, '!done', { ret: this.challenge.toString('hex') });
      return;
    }
    if (user !== undefined && password !== undefined && user.password === password) return this.loginOk(cmd);
    this.trap(cmd.tag, 'invalid user name or password (6)');
    this.closeSoon();
  }

  private loginOk(cmd: ParsedCommand): void {
    this.loggedIn = true;
    this.host.stats.logins++;
    this.reply(cmd.tag, '!done');
    if (this.host.faults.dropAfterLogin) setImmediate(() => this.destroy());
  }

  private closeSoon(): void {
    setImmediate(() => {
      this.socket.end();
      this.cleanup();
    });
  }
}
