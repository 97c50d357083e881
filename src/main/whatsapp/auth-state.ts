import type BetterSqlite3 from 'better-sqlite3';
import type {
  AuthenticationCreds,
  AuthenticationState,
  SignalDataSet,
  SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import type { Clock } from '../lib/clock';
import type { SecretBox } from '../lib/secrets';

/** The parts of Baileys the auth state needs (loaded lazily: Baileys is large and only needed when linking). */
export interface BaileysAuthLib {
  initAuthCreds: () => AuthenticationCreds;
  BufferJSON: { replacer: (k: string, v: unknown) => unknown; reviver: (k: string, v: unknown) => unknown };
  fromAppStateSyncKey: (v: unknown) => SignalDataTypeMap['app-state-sync-key'];
}

export interface StoredAuthState {
  state: AuthenticationState;
  saveCreds(): void;
}

/**
 * Baileys auth state in SQLite instead of `useMultiFileAuthState` (which writes hundreds of plain JSON files
 * with the account's private keys). Every value is sealed with the SecretBox, so a copied database or backup
 * does not reveal the WhatsApp session, and the link survives restarts with the rest of the office data.
 */
export class AuthStore {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  hasCreds(): boolean {
    return this.sqlite.prepare("SELECT 1 FROM wa_auth WHERE category = 'creds'").get() !== undefined;
  }

  /** Whether a linked (registered) session is stored: only then do we connect at start-up. */
  isRegistered(lib: Pick<BaileysAuthLib, 'BufferJSON'>): boolean {
    const creds = this.read('creds', '', lib) as { registered?: boolean; me?: unknown } | null;
    return Boolean(creds && (creds.registered || creds.me));
  }

  clear(): void {
    this.sqlite.prepare('DELETE FROM wa_auth').run();
  }

  /** Number of stored values (tests check that nothing is stored in plain text). */
  rawRows(): { category: string; key_id: string; sealed: string }[] {
    return this.sqlite.prepare('SELECT category, key_id, sealed FROM wa_auth').all() as never;
  }

  load(lib: BaileysAuthLib): StoredAuthState {
    const creds = (this.read('creds', '', lib) as AuthenticationCreds | null) ?? lib.initAuthCreds();
    const getStmt = this.sqlite.prepare('SELECT sealed FROM wa_auth WHERE category = ? AND key_id = ?');
    const put = this.sqlite.prepare(
      `INSERT INTO wa_auth (category, key_id, sealed, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (category, key_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
    );
    const del = this.sqlite.prepare('DELETE FROM wa_auth WHERE category = ? AND key_id = ?');
    const state: AuthenticationState = {
      creds,
      keys: {
        get: <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
          const out: { [id: string]: SignalDataTypeMap[T] } = {};
          for (const id of ids) {
            const row = getStmt.get(type, id) as { sealed: string } | undefined;
            if (!row) continue;
            let value = JSON.parse(this.secrets.decrypt(row.sealed), lib.BufferJSON.reviver) as unknown;
            if (type === 'app-state-sync-key' && value) value = lib.fromAppStateSyncKey(value);
            out[id] = value as SignalDataTypeMap[T];
          }
          return out;
        },
        set: (data: SignalDataSet) => {
          const now = this.clock.now();
          this.sqlite.transaction(() => {
            for (const [category, entries] of Object.entries(data)) {
              for (const [id, value] of Object.entries(entries ?? {})) {
                if (value) put.run(category, id, this.seal(value, lib), now);
                else del.run(category, id);
              }
            }
          })();
        },
      },
    };
    return { state, saveCreds: () => this.write('creds', '', state.creds, lib) };
  }

  private seal(value: unknown, lib: Pick<BaileysAuthLib, 'BufferJSON'>): string {
    return this.secrets.encrypt(JSON.stringify(value, lib.BufferJSON.replacer));
  }

  private write(category: string, id: string, value: unknown, lib: Pick<BaileysAuthLib, 'BufferJSON'>): void {
    this.sqlite
      .prepare(
        `INSERT INTO wa_auth (category, key_id, sealed, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (category, key_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
      )
      .run(category, id, this.seal(value, lib), this.clock.now());
  }

  private read(category: string, id: string, lib: Pick<BaileysAuthLib, 'BufferJSON'>): unknown {
    const row = this.sqlite
      .prepare('SELECT sealed FROM wa_auth WHERE category = ? AND key_id = ?')
      .get(category, id) as { sealed: string } | undefined;
    return row ? (JSON.parse(this.secrets.decrypt(row.sealed), lib.BufferJSON.reviver) as unknown) : null;
  }
}
