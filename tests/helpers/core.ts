import { createCore, type Core, type CoreConfig } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract/index';

export interface TestCore {
  core: Core;
  clock: FakeClock;
  /** Calls a method with a token and returns the raw envelope. */
  raw(method: string, input: unknown, token?: string | null): ReturnType<Core['call']>;
  /** Calls a method and returns its value, throwing on an error envelope. */
  ok<M extends MethodName>(method: M, input: MethodInput<M>, token?: string | null): Promise<MethodOutput<M>>;
  /** Runs first-run setup and returns the owner's token. */
  setupOwner(): Promise<string>;
  /** Creates a staff member as `asToken` and logs them in; returns their token. */
  staff(asToken: string, role: 'admin' | 'cashier' | 'technician', username?: string): Promise<string>;
}

export const PASSWORD = 'rahasia-kuat-1';

/** A fresh core on an in-memory database with a fake clock, as every service test uses. */
export async function testCore(extra: Partial<CoreConfig> = {}): Promise<TestCore> {
  const clock = new FakeClock();
  const core = createCore({ dataDir: ':memory:', clock, logLevel: 'silent', validateOutput: true, ...extra });
  await core.start();
  const raw: TestCore['raw'] = (method, input, token = null) =>
    core.call(method, input, { token, via: 'http' });
  const ok: TestCore['ok'] = async (method, input, token = null) => {
    const res = await raw(method, input, token);
    if (!res.ok) throw new Error(`${method} failed: ${res.error.code} ${res.error.message}`);
    return res.value as never;
  };
  return {
    core,
    clock,
    raw,
    ok,
    async setupOwner() {
      const r = await ok('auth.setup', {
        officeName: 'RT/RW Net Sukamaju',
        fullName: 'Budi Santoso',
        username: 'budi',
        password: PASSWORD,
      });
      return r.token;
    },
    async staff(asToken, role, username = `${role}1`) {
      await ok('staff.create', { username, fullName: `Staf ${role}`, role, password: PASSWORD }, asToken);
      return (await ok('auth.login', { username, password: PASSWORD })).token;
    },
  };
}
