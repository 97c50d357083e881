/**
 * Parser for the RouterOS scripting language, the subset that router scripts installed by Rukun and by Mikhmon v3
 * use: statements separated by newlines or `;`, `#` comments, `\` line continuations, `:commands` (also without
 * the colon, `[len $x]`) and `/menu paths` (also abbreviated, `/sys sch add`) with positional and `name=value`
 * arguments, menu verbs without a path (`[find where …]`: the enclosing command's menu), `[command substitution]`
 * holding one or more statements (`[cmd; cmd]`), `(expressions)` with `and`/`or` and comma arrays
 * (`("jan","feb")`), array literals `{a;b}`, top-level `{blocks}`, function values and calls
 * (`:local f do={…}`, `[$f d=1]`), `$variables` (also `$"quoted-name"`), strings with `\` escapes and
 * `$var`/`$(expr)` interpolation, and `find where` conditions (`field=value`, `field!=value`, `field~"regex"`,
 * `and`, `!field`). Abbreviations of commands, menus and parameters are resolved by the interpreter, which knows
 * what exists.
 *
 * The text parsed here is exactly what a real router runs; anything outside the subset is a ScriptSyntaxError
 * rather than a silent guess.
 */

export class ScriptSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at ${offset})`);
    this.name = 'ScriptSyntaxError';
  }
}

export type StrPart = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr };

export type Expr =
  | { kind: 'str'; parts: StrPart[] }
  | { kind: 'word'; text: string }
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string }
  | { kind: 'cmd'; statement: Statement }
  /** `[cmd; cmd]`: the statements run in the caller's scope; the value is the last one's. */
  | { kind: 'cmds'; body: Statement[] }
  /** `{a;b}` or `("a","b")`: an array of the items' values (array items are spliced in, as `,` does). */
  | { kind: 'array'; items: Expr[] }
  | { kind: 'block'; body: Statement[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

export type BinaryOp =
  '||' | '&&' | '=' | '!=' | '<' | '>' | '<=' | '>=' | '~' | '.' | '+' | '-' | '*' | '/' | '%';

/** A `where` condition: `field op value`, or a bare `field` / `!field` (boolean property). */
export interface Condition {
  field: string;
  op: '=' | '!=' | '~' | '<' | '>' | 'true' | 'false';
  value?: Expr;
}

export type Arg =
  | { kind: 'pos'; value: Expr }
  | { kind: 'named'; name: string; value: Expr }
  | { kind: 'where'; conditions: Condition[] };

export interface Statement {
  /**
   * `:local`, `:if`, … (without the colon) for language commands; the verb for menu commands; `#expr` for a
   * statement that is a value (`{ … }` block, `[ … ]`, `( … )`: its one positional argument); `#call` for a
   * function call (`$f a=1`: the callee is the first positional argument).
   */
  command: string;
  /**
   * For menu commands, the menu path as written (`/ip/hotspot/user`, `/sys/sch`), or '' for a bare verb
   * (`find`, `set`, …) that acts on the enclosing command's menu. Null for language commands.
   */
  path: string | null;
  args: Arg[];
  offset: number;
}

const NAME_CHAR = /[A-Za-z0-9_\-.]/;
/** Named arguments whose `{…}` is always code, never an array literal. */
const CODE_ARGS = new Set(['do', 'else', 'on-error']);
const VAR_CHAR = /[A-Za-z0-9_]/;
/** Menu verbs: the word that ends a menu path (`/ip hotspot user set …`). */
const VERBS = new Set([
  'find',
  'get',
  'set',
  'add',
  'remove',
  'enable',
  'disable',
  'print',
  'fetch',
  'run',
  'unset',
  'reset-counters',
]);

export function parseScript(source: string): Statement[] {
  return new Parser(source).script();
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  script(): Statement[] {
    const out = this.statements(null);
    if (this.pos < this.src.length) this.fail('unexpected text');
    return out;
  }

  private fail(message: string): never {
    throw new ScriptSyntaxError(message, this.pos);
  }

  private peek(n = 0): string {
    return this.src[this.pos + n] ?? '';
  }

  /** Skips spaces, tabs and `\`-newline continuations (not newlines). */
  private skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r') this.pos += 1;
      else if (c === '\\' && (this.peek(1) === '\n' || (this.peek(1) === '\r' && this.peek(2) === '\n'))) {
        this.pos += this.peek(1) === '\n' ? 2 : 3;
      } else return;
    }
  }

  /** Skips blanks, newlines, `;` and comments between statements. */
  private skipSeparators(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '\n' || c === ';') this.pos += 1;
      else if (c === '#') {
        while (this.pos < this.src.length && this.peek() !== '\n') this.pos += 1;
      } else return;
    }
  }

  /** Statements until `close` (a `}` or `]`) or the end of the text. */
  private statements(close: '}' | ']' | null): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      this.skipSeparators();
      const c = this.peek();
      if (c === '') {
        if (close) this.fail(`missing ${close}`);
        return out;
      }
      if (c === close) return out;
      out.push(this.statement(close));
    }
  }

  private statement(close: '}' | ']' | null): Statement {
    const offset = this.pos;
    let path: string | null = null;
    let command: string;
    const first = this.peek();
    if (first === '{' || first === '[' || first === '(') {
      // A value in statement position: `{ … }` runs as a block with its own scope, `[ … ]` runs its commands.
      return { command: '#expr', path: null, args: [{ kind: 'pos', value: this.atom(false) }], offset };
    }
    const args: Arg[] = [];
    if (first === '$') {
      command = '#call';
      args.push({ kind: 'pos', value: this.variable() });
    } else if (first === ':') {
      this.pos += 1;
      command = this.name();
    } else {
      const words: string[] = [];
      if (this.peek() === '/') {
        path = '';
        // `/ip hotspot user set` or `/ip/hotspot/user/set`: collect bare words; the last one is the verb.
        while (this.peek() === '/') {
          this.pos += 1;
          if (NAME_CHAR.test(this.peek())) words.push(this.name());
          this.skipBlanks();
          if (VERBS.has(words.at(-1) ?? '')) break;
        }
        while (!VERBS.has(words.at(-1) ?? '') && NAME_CHAR.test(this.peek()) && !this.isNamedArgAhead()) {
          words.push(this.name());
          this.skipBlanks();
          while (this.peek() === '/' && !VERBS.has(words.at(-1) ?? '')) {
            this.pos += 1;
            if (NAME_CHAR.test(this.peek())) words.push(this.name());
          }
          this.skipBlanks();
        }
        const verb = words.pop();
        if (verb === undefined) this.fail('missing command');
        path = '/' + words.join('/');
        command = verb;
      } else {
        command = this.name();
        // A bare menu verb acts on the menu of the command around it (`set … [find where …]`).
        if (VERBS.has(command)) path = '';
      }
    }
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '' || c === '\n' || c === ';' || c === close) break;
      if (
        path !== null &&
        command === 'find' &&
        c === 'w' &&
        this.src.startsWith('where', this.pos) &&
        !NAME_CHAR.test(this.peek(5))
      ) {
        this.pos += 5;
        args.push({ kind: 'where', conditions: this.conditions(close) });
        continue;
      }
      if (NAME_CHAR.test(c) && this.isNamedArgAhead()) {
        const name = this.name();
        this.pos += 1; // '='
        args.push({ kind: 'named', name, value: this.atom(!CODE_ARGS.has(name)) });
        continue;
      }
      args.push({ kind: 'pos', value: this.atom(true) });
    }
    return { command, path, args, offset };
  }

  private isNamedArgAhead(): boolean {
    let i = this.pos;
    while (i < this.src.length && NAME_CHAR.test(this.src[i]!)) i += 1;
    return i > this.pos && this.src[i] === '=';
  }

  private conditions(close: '}' | ']' | null): Condition[] {
    const out: Condition[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '' || c === '\n' || c === ';' || c === close) return out;
      if (c === '!') {
        this.pos += 1;
        out.push({ field: this.name(), op: 'false' });
        continue;
      }
      const field = this.name();
      if (field === 'and') continue;
      const two = this.src.slice(this.pos, this.pos + 2);
      let op: Condition['op'];
      if (two === '!=') {
        op = '!=';
        this.pos += 2;
      } else if (this.peek() !== '' && '=~<>'.includes(this.peek())) {
        op = this.peek() as '=' | '~' | '<' | '>';
        this.pos += 1;
      } else {
        out.push({ field, op: 'true' });
        continue;
      }
      out.push({ field, op, value: this.atom(false) });
    }
  }

  private name(): string {
    const start = this.pos;
    while (NAME_CHAR.test(this.peek())) this.pos += 1;
    if (this.pos === start) this.fail('expected a name');
    return this.src.slice(start, this.pos);
  }

  /**
   * One argument value: string, variable, [cmd], (expr), {block} or a bare word. Where `arrayOk`, a `{…}` whose
   * items are all plain values separated by `;` is an array literal (`{1;"a";$x}`); anything else is a block.
   */
  private atom(arrayOk = false): Expr {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === '$') return this.variable();
    if (c === '[') {
      this.pos += 1;
      const body = this.statements(']');
      this.pos += 1;
      if (body.length === 1) return { kind: 'cmd', statement: body[0]! };
      return { kind: 'cmds', body };
    }
    if (c === '{' && arrayOk) {
      const array = this.tryArrayLiteral();
      if (array) return array;
    }
    if (c === '(') {
      this.pos += 1;
      const e = this.expr();
      this.skipWs();
      if (this.peek() !== ')') this.fail('expected )');
      this.pos += 1;
      return e;
    }
    if (c === '{') {
      this.pos += 1;
      const body = this.statements('}');
      this.pos += 1;
      return { kind: 'block', body };
    }
    const start = this.pos;
    while (this.pos < this.src.length && !' \t\r\n;[](){}"$'.includes(this.peek())) this.pos += 1;
    if (this.pos === start) this.fail('expected a value');
    const text = this.src.slice(start, this.pos);
    if (/^-?\d+$/.test(text)) return { kind: 'num', value: Number(text) };
    return { kind: 'word', text };
  }

  /** `{a;b;c}` as an array of values, or null (position unchanged) when the braces hold statements. */
  private tryArrayLiteral(): Expr | null {
    const start = this.pos;
    this.pos += 1;
    const items: Expr[] = [];
    try {
      for (;;) {
        this.skipWs();
        if (this.peek() === '}') {
          this.pos += 1;
          return { kind: 'array', items };
        }
        const c = this.peek();
        // A statement (`:cmd`, `/menu`) or a `key=value` pair is not a plain array item.
        if (c === ':' || c === '/' || c === '{' || c === ';' || this.isNamedArgAhead()) break;
        items.push(this.atom(true));
        this.skipBlanks();
        const sep = this.peek();
        if (sep === ';' || sep === '\n') this.pos += 1;
        else if (sep !== '}') break;
      }
    } catch (e) {
      if (!(e instanceof ScriptSyntaxError)) throw e;
    }
    this.pos = start;
    return null;
  }

  private variable(): Expr {
    this.pos += 1;
    if (this.peek() === '"') {
      const s = this.string();
      const parts = s.kind === 'str' ? s.parts : [];
      if (parts.some((p) => p.kind !== 'text')) this.fail('variable name cannot interpolate');
      return { kind: 'var', name: parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') };
    }
    const start = this.pos;
    while (VAR_CHAR.test(this.peek())) this.pos += 1;
    if (this.pos === start) this.fail('expected a variable name');
    return { kind: 'var', name: this.src.slice(start, this.pos) };
  }

  private string(): Expr {
    this.pos += 1; // opening quote
    const parts: StrPart[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
    };
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail('unterminated string');
      this.pos += 1;
      if (c === '"') break;
      if (c === '\\') {
        const e = this.peek();
        this.pos += 1;
        if (e === 'n') text += '\n';
        else if (e === 'r') text += '\r';
        else if (e === 't') text += '\t';
        else if (e === '_') text += ' ';
        else if (e === 'a') text += '\x07';
        else if (e === '\n') continue;
        else if (/[0-9A-Fa-f]/.test(e) && /[0-9A-Fa-f]/.test(this.peek())) {
          text += String.fromCharCode(parseInt(e + this.peek(), 16));
          this.pos += 1;
        } else text += e; // \" \\ \$ \? and friends
        continue;
      }
      if (c === '$') {
        if (this.peek() === '(') {
          flush();
          this.pos += 1;
          const e = this.expr();
          this.skipWs();
          if (this.peek() !== ')') this.fail('expected )');
          this.pos += 1;
          parts.push({ kind: 'expr', expr: e });
          continue;
        }
        if (VAR_CHAR.test(this.peek()) || this.peek() === '"') {
          flush();
          this.pos -= 1;
          parts.push({ kind: 'expr', expr: this.variable() });
          continue;
        }
      }
      text += c;
    }
    flush();
    return { kind: 'str', parts };
  }

  // ------------------------------------------------------------ expressions

  private skipWs(): void {
    for (;;) {
      this.skipBlanks();
      if (this.peek() === '\n') this.pos += 1;
      else return;
    }
  }

  /** An expression; `a,b,c` makes an array of the items (arrays among them are spliced in). */
  private expr(): Expr {
    const first = this.binary(0);
    this.skipWs();
    if (this.peek() !== ',') return first;
    const items = [first];
    while (this.peek() === ',') {
      this.pos += 1;
      items.push(this.binary(0));
      this.skipWs();
    }
    return { kind: 'array', items };
  }

  /** Word spellings of the logical operators (`$a = 1 or $b = 2`). */
  private static readonly WORD_OPS: Record<string, BinaryOp> = { or: '||', and: '&&' };

  private static readonly LEVELS: BinaryOp[][] = [
    ['||'],
    ['&&'],
    ['=', '!=', '<=', '>=', '<', '>', '~'],
    ['.'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Expr {
    const ops = Parser.LEVELS[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipWs();
      const word = Object.entries(Parser.WORD_OPS).find(
        ([w, o]) =>
          ops.includes(o) && this.src.startsWith(w, this.pos) && !NAME_CHAR.test(this.peek(w.length)),
      );
      if (word) {
        this.pos += word[0].length;
        left = { kind: 'binary', op: word[1], left, right: this.binary(level + 1) };
        continue;
      }
      const op = ops.find(
        (o) =>
          this.src.startsWith(o, this.pos) &&
          !(o === '<' && this.peek(1) === '=') &&
          !(o === '>' && this.peek(1) === '='),
      );
      if (!op) return left;
      // `!=` is not `!` + `=`, and `=` must not eat the start of `!=`.
      this.pos += op.length;
      const right = this.binary(level + 1);
      left = { kind: 'binary', op, left, right };
    }
  }

  private unary(): Expr {
    this.skipWs();
    const c = this.peek();
    if (c === '!') {
      this.pos += 1;
      return { kind: 'unary', op: '!', arg: this.unary() };
    }
    if (c === '-' && !/\d/.test(this.peek(1))) {
      this.pos += 1;
      return { kind: 'unary', op: '-', arg: this.unary() };
    }
    if (c === '-' || /\d/.test(c)) {
      const start = this.pos;
      this.pos += 1;
      while (/[0-9A-Za-z:]/.test(this.peek())) this.pos += 1;
      const text = this.src.slice(start, this.pos);
      if (/^-?\d+$/.test(text)) return { kind: 'num', value: Number(text) };
      return { kind: 'word', text };
    }
    if (c === '"' || c === '$' || c === '[' || c === '(') return this.atom();
    const start = this.pos;
    while (/[A-Za-z0-9_\-:]/.test(this.peek())) this.pos += 1;
    if (this.pos === start) this.fail('expected an expression');
    return { kind: 'word', text: this.src.slice(start, this.pos) };
  }
}
