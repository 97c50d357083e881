import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupIpc, type IpcTransport } from '../../src/main/app/ipc';
import type { AppLocation } from '../../src/main/app/origin';
import {
  IPC_EVENT_CHANNEL,
  IPC_PRINTERS_CHANNEL,
  IPC_PRINT_CHANNEL,
  IPC_RPC_CHANNEL,
} from '../../src/shared/bridge';
import { PASSWORD, testCore, type TestCore } from '../helpers/core';

// Electron cannot run here: a stand-in records ipcMain handlers and knows which WebContents are windows.
const fake = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  windowContents: new Set<unknown>(),
}));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      fake.handlers.set(channel, fn),
    removeHandler: (channel: string) => fake.handlers.delete(channel),
  },
  BrowserWindow: { fromWebContents: (wc: unknown) => (fake.windowContents.has(wc) ? {} : null) },
  session: {},
}));

const rendererDir = '/opt/Rukun/resources/app.asar/dist/renderer';
const location: AppLocation = { kind: 'file', rendererDir };
const appPage = `${pathToFileURL(`${rendererDir}/index.html`).href}#/login`;

interface Frame {
  processId: number;
  routingId: number;
  url: string;
  parent: Frame | null;
}

function fakeWindow(id: number, url = appPage) {
  const onDestroyed: (() => void)[] = [];
  const mainFrame: Frame = { processId: 7, routingId: id, url, parent: null };
  const sent: unknown[] = [];
  const webContents = {
    id,
    mainFrame,
    isDestroyed: () => false,
    send: (channel: string, msg: unknown) => {
      if (channel === IPC_EVENT_CHANNEL) sent.push(msg);
    },
    once: (name: string, fn: () => void) => {
      if (name === 'destroyed') onDestroyed.push(fn);
    },
    getPrintersAsync: async () => [
      { name: 'POS-58', displayName: 'POS-58', description: '', options: {}, isDefault: true },
    ],
  };
  fake.windowContents.add(webContents);
  return {
    webContents,
    sent,
    destroy: () => onDestroyed.forEach((fn) => fn()),
    event: (frame: Frame = mainFrame) => ({ sender: webContents, senderFrame: frame }),
  };
}

type FakeWindow = ReturnType<typeof fakeWindow>;

function invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, ...args);
}

const rpc = (w: FakeWindow, method: unknown, input: unknown = {}) =>
  invoke(IPC_RPC_CHANNEL, w.event(), method, input);

let t: TestCore;
let ipc: IpcTransport;
let ownerToken: string;

function attach(w: FakeWindow) {
  ipc.attachWindow(w as unknown as Parameters<IpcTransport['attachWindow']>[0]);
  return w;
}

beforeEach(async () => {
  t = await testCore();
  ownerToken = await t.setupOwner();
  await t.ok(
    'staff.create',
    { username: 'kasir1', fullName: 'Siti Kasir', role: 'cashier', password: PASSWORD },
    ownerToken,
  );
  await t.ok(
    'staff.create',
    { username: 'teknisi1', fullName: 'Agus Teknisi', role: 'technician', password: PASSWORD },
    ownerToken,
  );
  ipc = setupIpc(t.core, location);
});

afterEach(async () => {
  ipc.dispose();
  fake.windowContents.clear();
  await t.core.stop();
});

describe('IPC transport', () => {
  it('keeps one session per window: a login in one window does not log in another', async () => {
    const a = attach(fakeWindow(1));
    const b = attach(fakeWindow(2));
    expect(await rpc(a, 'auth.login', { username: 'kasir1', password: PASSWORD })).toMatchObject({
      ok: true,
    });
    expect(await rpc(a, 'auth.status')).toMatchObject({ ok: true, value: { user: { username: 'kasir1' } } });
    expect(await rpc(b, 'auth.status')).toMatchObject({ ok: true, value: { user: null } });
    expect(await rpc(b, 'staff.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await rpc(a, 'auth.logout')).toMatchObject({ ok: true });
    expect(await rpc(a, 'auth.status')).toMatchObject({ ok: true, value: { user: null } });
  });

  it('refuses senders that are not the main frame of one of our windows on one of our pages', async () => {
    const a = attach(fakeWindow(1));
    await rpc(a, 'auth.login', { username: 'kasir1', password: PASSWORD });
    const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };

    const iframe: Frame = { processId: 7, routingId: 99, url: appPage, parent: a.webContents.mainFrame };
    expect(await invoke(IPC_RPC_CHANNEL, a.event(iframe), 'auth.status', {})).toMatchObject(forbidden);

    const navigatedAway = attach(fakeWindow(3, 'https://evil.example/'));
    expect(await rpc(navigatedAway, 'auth.status')).toMatchObject(forbidden);

    const notAttached = fakeWindow(4);
    expect(await rpc(notAttached, 'auth.status')).toMatchObject(forbidden);

    expect(
      await invoke(IPC_RPC_CHANNEL, { sender: a.webContents, senderFrame: null }, 'auth.status', {}),
    ).toMatchObject(forbidden);
    expect(await rpc(a, 42)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('forwards events only to logged-in windows, and ends them at logout with the reason', async () => {
    const a = attach(fakeWindow(1));
    const b = attach(fakeWindow(2));
    const idle = attach(fakeWindow(3));
    await rpc(a, 'auth.login', { username: 'kasir1', password: PASSWORD });
    await rpc(b, 'auth.login', { username: 'teknisi1', password: PASSWORD });

    const s = await t.ok('settings.get', {}, ownerToken);
    await t.ok('settings.update', { version: s.version, address: 'Jl. Merdeka 1' }, ownerToken);
    expect(a.sent).toMatchObject([{ name: 'settings.changed' }]);
    expect(b.sent).toMatchObject([{ name: 'settings.changed' }]);
    expect(idle.sent).toEqual([]);

    await rpc(a, 'auth.logout');
    expect(a.sent).toMatchObject([
      { name: 'settings.changed' },
      { name: 'auth.sessionEnded', payload: { reason: 'logout' } },
    ]);
    expect(b.sent).toHaveLength(1);

    await t.ok('settings.update', { version: s.version + 1, address: 'Jl. Merdeka 2' }, ownerToken);
    expect(a.sent).toHaveLength(2);
    expect(b.sent).toHaveLength(2);
  });

  it('forgets a closed window: its session no longer receives events', async () => {
    const a = attach(fakeWindow(1));
    await rpc(a, 'auth.login', { username: 'kasir1', password: PASSWORD });
    a.destroy();
    const s = await t.ok('settings.get', {}, ownerToken);
    await t.ok('settings.update', { version: s.version, address: 'Jl. Baru' }, ownerToken);
    expect(a.sent).toEqual([]);
    expect(await rpc(a, 'auth.status')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('lets only logged-in staff who print vouchers or bills list printers and print', async () => {
    const w = attach(fakeWindow(1));
    await expect(invoke(IPC_PRINTERS_CHANNEL, w.event())).rejects.toThrow('UNAUTHENTICATED');
    expect(await invoke(IPC_PRINT_CHANNEL, w.event(), 'JVBERi0=', {})).toEqual({
      ok: false,
      error: 'UNAUTHENTICATED',
    });

    await rpc(w, 'auth.login', { username: 'teknisi1', password: PASSWORD });
    await expect(invoke(IPC_PRINTERS_CHANNEL, w.event())).rejects.toThrow('FORBIDDEN');

    await rpc(w, 'auth.logout');
    await rpc(w, 'auth.login', { username: 'kasir1', password: PASSWORD });
    expect(await invoke(IPC_PRINTERS_CHANNEL, w.event())).toEqual([{ name: 'POS-58', isDefault: true }]);
    expect(await invoke(IPC_PRINT_CHANNEL, w.event(), 'PGh0bWw+', {})).toEqual({
      ok: false,
      error: 'VALIDATION',
    });
  });
});
