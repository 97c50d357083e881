import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { FakeClock } from '../../src/main/lib/clock';

let core: Core;
let base: string;

async function rpc(method: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    cookie: res.headers.get('set-cookie'),
    json: (await res.json()) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string; details?: { issues?: { path: string }[] } };
    },
  };
}

beforeAll(async () => {
  core = createCore({
    dataDir: ':memory:',
    clock: new FakeClock(Date.now()),
    logLevel: 'silent',
    http: { host: '127.0.0.1', port: 0, serveApi: true },
  });
  await core.start();
  base = core.httpUrl ?? '';
});
afterAll(async () => {
  await core.stop();
});

describe('HTTP transport (headless mode)', () => {
  it('answers /health and lists the contract with schemas and permissions', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const contract = (await (await fetch(`${base}/api/contract`)).json()) as {
      methods: { name: string; permission: string; input: object }[];
    };
    const staffCreate = contract.methods.find((m) => m.name === 'staff.create');
    expect(staffCreate?.permission).toBe('staff.manage');
    expect(JSON.stringify(staffCreate?.input)).toContain('"role"');
  });

  it('refuses unauthenticated calls, names the bad field, and sets an HttpOnly SameSite cookie on setup', async () => {
    expect((await rpc('staff.list', {})).json.error?.code).toBe('UNAUTHENTICATED');
    const bad = await rpc('auth.setup', {
      officeName: 'Net',
      fullName: 'Budi',
      username: 'budi',
      password: 'x',
    });
    expect(bad.json.error?.code).toBe('VALIDATION');
    expect(bad.json.error?.details?.issues?.map((i) => i.path)).toContain('password');

    const ok = await rpc('auth.setup', {
      officeName: 'Sukamaju Net',
      fullName: 'Budi Santoso',
      username: 'budi',
      password: 'rahasia-kuat-1',
    });
    expect(ok.json.ok).toBe(true);
    expect(ok.cookie).toMatch(/rukun_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\//);
    const cookie = (ok.cookie ?? '').split(';')[0] ?? '';
    expect((await rpc('staff.list', {}, { Cookie: cookie })).json.ok).toBe(true);

    const token = (ok.json.value as { token: string }).token;
    const created = await rpc(
      'staff.create',
      { username: 'agus', fullName: 'Agus Teknisi', role: 'technician', password: 'teknisi-agus-1' },
      { Authorization: `Bearer ${token}` },
    );
    expect(created.json.ok).toBe(true);
    const tech = await rpc('auth.login', { username: 'agus', password: 'teknisi-agus-1' });
    const techToken = (tech.json.value as { token: string }).token;
    const forbidden = await rpc(
      'settings.update',
      { version: 1, officeName: 'Diambil alih' },
      { Authorization: `Bearer ${techToken}` },
    );
    expect(forbidden.json.error?.code).toBe('FORBIDDEN');
  });

  it('rejects a non-JSON body (no cross-site form posts)', async () => {
    const res = await fetch(`${base}/api/rpc/auth.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=budi&password=x',
    });
    expect(res.status).toBe(415);
  });

  it('sends security headers', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('streams contract events to the logged-in session over SSE', async () => {
    const login = await rpc('auth.login', { username: 'budi', password: 'rahasia-kuat-1' });
    const token = (login.json.value as { token: string }).token;
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const settings = (await rpc('settings.get', {}, { Authorization: `Bearer ${token}` })).json.value as {
      version: number;
    };
    await rpc(
      'settings.update',
      { version: settings.version, phone: '0812-1111-2222' },
      { Authorization: `Bearer ${token}` },
    );
    let text = '';
    while (!text.includes('event: settings.changed')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain('event: settings.changed');
    expect(text).toContain('0812-1111-2222');
  });
});
