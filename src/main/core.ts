import { join } from 'node:path';
import { AccountsService } from './auth/accounts';
import type { PasswordHasher } from './auth/passwords';
import type { Deps } from './context';
import { openDatabase, protectDir, type Database } from './db/database';
import { ReadPool, type Reads } from './db/read-pool';
import { EventBus } from './events';
import { lanBaseUrl } from './http/lan-url';
import { createHttpServer, type HttpOptions, type RouteRegistrar } from './http/server';
import { systemClock, type Clock } from './lib/clock';
import { uuid7, type IdGen } from './lib/ids';
import { createLogger, type Logger, type LogLevel } from './lib/logger';
import {
  createSecretBox,
  fileKeyProvider,
  memoryKeyProvider,
  type KeyProvider,
  type SecretBox,
} from './lib/secrets';
import { createDispatcher, type CallContext, type Dispatcher, type Handlers } from './rpc/dispatcher';
import type { Feature } from './feature';
import { buildFeatures } from './features';
import { contract } from '../shared/contract/index';
import { foundationHandlers } from './rpc/foundation-handlers';
import { SettingsService } from './settings/service';

export const APP_VERSION = '0.1.0';

export interface CoreConfig {
  /** Directory holding rukun.db and the key file; `:memory:` for tests. */
  dataDir: string;
  clock?: Clock;
  ids?: IdGen;
  keyProvider?: KeyProvider;
  logLevel?: LogLevel;
  /** Start the HTTP listener. Omit for pure in-process use (tests, IPC-only). */
  http?: HttpOptions;
  headless?: boolean;
  validateOutput?: boolean;
  /** Password hashing (Argon2id by default); tests wrap it to count verifications. */
  passwords?: PasswordHasher;
}

/** A part of the core with an ordered lifecycle; stopped in reverse order of start. */
export interface Service {
  name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface Core {
  readonly deps: Deps;
  readonly secrets: SecretBox;
  readonly accounts: AccountsService;
  readonly settings: SettingsService;
  readonly dispatcher: Dispatcher;
  /** The features in build order (tests reach their services through them). */
  readonly features: readonly Feature[];
  /** Base URL of the HTTP listener once started (loopback form, for this machine). */
  readonly httpUrl: string | null;
  /** Base URL routers and customers on the LAN use. */
  lanUrl(): string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  call(method: string, input: unknown, ctx?: Partial<CallContext>): ReturnType<Dispatcher['dispatch']>;
}

/**
 * The composition root: builds every service from the config and starts them in order —
 * database + migrations → services → workers and schedulers → HTTP listener. Never imports electron.
 */
export function createCore(config: CoreConfig): Core {
  const log: Logger = createLogger(config.logLevel ?? 'info');
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? uuid7;
  const events = new EventBus();
  const memory = config.dataDir === ':memory:';
  const keyProvider = config.keyProvider ?? (memory ? memoryKeyProvider() : fileKeyProvider(config.dataDir));
  const secrets = createSecretBox(keyProvider);

  let database: Database | null = null;
  let reads: ReadPool | null = null;
  const deps = {
    get database(): Database {
      if (!database) throw new Error('Database is not open yet');
      return database;
    },
    get reads(): Reads {
      if (!reads) throw new Error('Database is not open yet');
      return reads;
    },
    clock,
    ids,
    log,
    events,
  } satisfies Deps;

  let accounts!: AccountsService;
  let settings!: SettingsService;
  let dispatcher!: Dispatcher;
  let httpUrl: string | null = null;
  let listening: { host: string; port: number } | null = null;
  /** What routers and customers use to reach the LAN listener (settings.publicUrl, else derived). */
  const lanUrl = () => lanBaseUrl(settings?.cachedPublicUrl ?? '', listening);
  let closeHttp: (() => Promise<void>) | null = null;
  const started: Service[] = [];
  const registrars: RouteRegistrar[] = [];

  let housekeeping: NodeJS.Timeout | null = null;
  let features: Feature[] = [];
  const startedFeatures: Feature[] = [];
  const services: Service[] = [
    {
      name: 'database',
      start() {
        if (!memory) protectDir(config.dataDir);
        database = openDatabase(memory ? ':memory:' : join(config.dataDir, 'rukun.db'));
        // Long lists and searches read on worker threads with their own connections (migrations are done).
        reads = new ReadPool(database.sqlite, database.path, log.child('reads'));
        reads.warm();
        // Whoever reads the log should know which file unlocks the stored router and gateway passwords.
        log.info('data', {
          database: database.path,
          dataKey: keyProvider.location ?? 'supplied by the desktop host (see the desktop log line)',
        });
      },
      async stop() {
        await reads?.close();
        reads = null;
        await database?.close();
        database = null;
      },
    },
    {
      name: 'accounts',
      async start() {
        accounts = new AccountsService(deps, config.passwords ? { passwords: config.passwords } : {});
        settings = new SettingsService(deps);
        await settings.get();
        features = buildFeatures({
          ...deps,
          database: deps.database,
          secrets,
          settings,
          accounts,
          dataDir: config.dataDir,
          headless: config.headless ?? false,
          lanUrl,
        });
        const handlers = {
          ...foundationHandlers(deps, accounts, settings, {
            appVersion: APP_VERSION,
            headless: config.headless ?? false,
            lanUrl,
          }),
          ...Object.assign({}, ...features.map((f) => f.handlers)),
        } as Partial<Handlers>;
        const missing = Object.keys(contract).filter((m) => !(m in handlers));
        if (missing.length > 0) throw new Error(`Contract methods without a handler: ${missing.join(', ')}`);
        dispatcher = createDispatcher({
          handlers: handlers as Handlers,
          accounts,
          deps,
          log,
          validateOutput: config.validateOutput ?? false,
        });
        for (const f of features) if (f.routes) registrars.push(f.routes);
      },
    },
    {
      name: 'features',
      async start() {
        for (const f of features) {
          await f.start?.();
          startedFeatures.push(f);
        }
      },
      async stop() {
        while (startedFeatures.length > 0) await startedFeatures.pop()?.stop?.();
      },
    },
    {
      name: 'housekeeping',
      start() {
        housekeeping = setInterval(() => void accounts.purgeExpired().catch(() => undefined), 3600_000);
        housekeeping.unref();
      },
      stop() {
        if (housekeeping) clearInterval(housekeeping);
      },
    },
    {
      name: 'http',
      async start() {
        if (!config.http) return;
        const srv = await createHttpServer(
          config.http,
          { dispatcher, accounts, settings, events, log },
          registrars,
        );
        httpUrl = srv.url;
        listening = { host: config.http.host, port: srv.port };
        closeHttp = () => srv.app.close();
      },
      async stop() {
        await closeHttp?.();
        closeHttp = null;
        httpUrl = null;
        listening = null;
      },
    },
  ];

  return {
    deps,
    secrets,
    get accounts() {
      return accounts;
    },
    get settings() {
      return settings;
    },
    get dispatcher() {
      return dispatcher;
    },
    get features() {
      return features;
    },
    get httpUrl() {
      return httpUrl;
    },
    lanUrl,
    async start() {
      for (const s of services) {
        try {
          await s.start?.();
          started.push(s);
        } catch (e) {
          log.error('start failed', { service: s.name, error: e instanceof Error ? e.message : String(e) });
          await this.stop();
          throw e;
        }
      }
      log.debug('core started');
    },
    async stop() {
      while (started.length > 0) {
        const s = started.pop();
        try {
          await s?.stop?.();
        } catch (e) {
          log.error('stop failed', { service: s?.name, error: e instanceof Error ? e.message : String(e) });
        }
      }
    },
    call(method, input, ctx = {}) {
      return dispatcher.dispatch(method, input, {
        token: ctx.token ?? null,
        via: ctx.via ?? 'ipc',
        ip: ctx.ip ?? null,
      });
    },
  };
}
