import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { machineAddresses } from '../../src/main/http/lan-url';
import { createHttpServer } from '../../src/main/http/server';
import { FakeClock } from '../../src/main/lib/clock';
import { PASSWORD } from '../helpers/core';

/**
 * DNS rebinding and CSRF (issue 9 #3), through the real listener. `fetch` cannot forge a Host header, so the
 * requests are written with node:http the way a rebinding browser or a page on another port would send them.
 */
let core: Core;
let port = 0;

interface Answer {
  status: number;
  body: string;
  json: { ok?: boolean; value?: unknown; error?: { code: string } } | null;
}

function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: Answer['json'] = null;
          try {
            json = JSON.parse(text) as Answer['json'];
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const own = () => ({ Host: `127.0.0.1:${port}` });
const setupBody = {
  officeName: 'Sukamaju Net',
  fullName: 'Budi Santoso',
  username: 'budi',
  password: PASSWORD,
};

beforeAll(async () => {
  core = createCore({
    dataDir: ':memory:',
    clock: new FakeClock(Date.now()),
    logLevel: 'silent',
    http: { host: '0.0.0.0', port: 0, serveApi: true, allowedHosts: ['rukun.kantor.test'] },
  });
  await core.start();
  port = Number(new URL(core.httpUrl ?? '').port);
});
afterAll(async () => {
  await core.stop();
});

describe('DNS rebinding: the API answers only to this machine’s own names', () => {
  it('refuses auth.setup under a foreign Host before the office exists, and sets nothing up', async () => {
    const forged = await send('POST', '/api/rpc/auth.setup', { Host: `evil.example:${port}` }, setupBody);
    expect(forged.status).toBe(421);
    expect(forged.json?.error?.code).toBe('FORBIDDEN');
    // A foreign name on the right port, and the right name on another port, are both foreign.
    for (const Host of [`attacker.test:${port}`, `127.0.0.1:${port + 1}`, 'localhost']) {
      expect((await send('POST', '/api/rpc/auth.setup', { Host }, setupBody)).status).toBe(421);
    }
    const status = await send('POST', '/api/rpc/auth.status', own(), {});
    expect(status.json).toMatchObject({ ok: true, value: { setupRequired: true } });
  });

  it('refuses every /api path under a foreign Host, reads included', async () => {
    for (const [method, path] of [
      ['GET', '/api/contract'],
      ['GET', '/api/events'],
      ['POST', '/api/rpc/auth.status'],
      ['POST', '/api/rpc/nope'],
    ] as const) {
      const r = await send(
        method,
        path,
        { Host: `rebind.example:${port}` },
        method === 'POST' ? {} : undefined,
      );
      expect(r.status, path).toBe(421);
    }
  });

  it('answers under loopback names, the machine’s own addresses and configured names', async () => {
    const hosts = [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'rukun.kantor.test',
      `rukun.kantor.test:${port}`,
    ];
    for (const a of machineAddresses()) hosts.push(`${a.includes(':') ? `[${a.split('%')[0]}]` : a}:${port}`);
    for (const Host of hosts) {
      const r = await send('GET', '/api/contract', { Host });
      expect(r.status, Host).toBe(200);
    }
  });

  it('keeps the public LAN pages reachable under any name (routers behind NAT, customers)', async () => {
    const foreign = { Host: `203.0.113.7:${port}` };
    expect((await send('GET', '/health', foreign)).status).toBe(200);
    expect((await send('GET', '/isolir', foreign)).status).toBe(200);
    // The on-login callback is reached, and refuses only for its own reason (no router token).
    const hook = await send('GET', '/hooks/hotspot/login?r=x&t=y&u=z', foreign);
    expect(hook.status).toBe(403);
    expect(hook.body).toBe('forbidden');
  });
});

describe('CSRF: state changes from another origin are refused', () => {
  let cookie = '';
  beforeAll(async () => {
    const setup = await send('POST', '/api/rpc/auth.setup', own(), setupBody);
    expect(setup.json?.ok).toBe(true);
    cookie = (setup.json?.value as { token: string }).token;
  });
  const withCookie = (extra: Record<string, string>) => ({
    ...own(),
    Cookie: `rukun_session=${cookie}`,
    ...extra,
  });
  const loggedIn = async () =>
    (await send('POST', '/api/rpc/auth.status', withCookie({}), {})).json?.value as {
      user: unknown;
    };

  it('a body-less POST from another port of the same host cannot log the user out', async () => {
    const attempts: Record<string, string>[] = [
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: `http://localhost:${port + 1}` },
      { Origin: 'http://evil.example' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of attempts) {
      const r = await send('POST', '/api/rpc/auth.logout', withCookie(headers));
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.json?.error?.code).toBe('FORBIDDEN');
    }
    expect((await loggedIn()).user).not.toBeNull();
  });

  it('a foreign Origin cannot change data, even with a valid JSON body', async () => {
    const r = await send('POST', '/api/rpc/settings.get', withCookie({ Origin: `https://evil.example` }), {});
    expect(r.status).toBe(403);
  });

  it('the app’s own origin, and clients that send no browser headers, work', async () => {
    const same = await send(
      'POST',
      '/api/rpc/settings.get',
      withCookie({ Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' }),
      {},
    );
    expect(same.json?.ok).toBe(true);
    const script = await send('POST', '/api/rpc/settings.get', withCookie({}), {});
    expect(script.json?.ok).toBe(true);
    const out = await send(
      'POST',
      '/api/rpc/auth.logout',
      withCookie({ Origin: `http://localhost:${port}` }),
    );
    expect(out.json?.ok).toBe(true);
    expect((await loggedIn()).user).toBeNull();
  });
});

describe('the on-login callback with repeated parameters (issue 9 #7)', () => {
  it('answers 400 with no internal detail', async () => {
    for (const query of ['r=a&r=b&t=x&u=y', 'r=a&t=x&t=y&u=z', 'r=a&t=x&u=y&u=z', 'r=a&t=x&u=y&ip=1&ip=2']) {
      const r = await send('GET', `/hooks/hotspot/login?${query}`, own());
      expect(r.status, query).toBe(400);
      expect(r.body).toBe('bad request');
    }
  });

  it('any route that fails answers 500 without the error text, which stays in the log', async () => {
    const logged: string[] = [];
    const srv = await createHttpServer(
      { host: '127.0.0.1', port: 0, serveApi: false },
      {
        dispatcher: core.dispatcher,
        accounts: core.accounts,
        settings: core.settings,
        events: core.deps.events,
        log: { ...core.deps.log, error: (msg, data) => logged.push(`${msg} ${JSON.stringify(data)}`) },
      },
      [
        (app) => {
          app.get('/hooks/boom', () => {
            throw new Error('SQLITE_ERROR: no such column: rahasia_internal');
          });
        },
      ],
    );
    try {
      const res = await fetch(`http://127.0.0.1:${srv.port}/hooks/boom`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('rahasia_internal');
      expect(text).not.toContain('SQLITE');
      expect(logged.join('\n')).toContain('rahasia_internal');
    } finally {
      await srv.app.close();
    }
  });
});
