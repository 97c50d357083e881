import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDataKey, type KeyWrap } from '../../src/main/app/keys';
import {
  isExternalWebLink,
  isTrustedSenderUrl,
  rendererCsp,
  type AppLocation,
} from '../../src/main/app/origin';
import { parsePrintRequest, toPrinterSummary } from '../../src/main/app/print-request';
import { shouldDeliver, type SessionRef } from '../../src/main/events-filter';

const rendererDir = '/opt/Rukun/resources/app.asar/dist/renderer';
const packaged: AppLocation = { kind: 'file', rendererDir };
const dev: AppLocation = { kind: 'dev', url: 'http://localhost:5173/' };
const page = (p: string) => pathToFileURL(join(rendererDir, p)).href;

describe('isTrustedSenderUrl', () => {
  it('accepts the built renderer, with a hash route or query', () => {
    expect(isTrustedSenderUrl(page('index.html'), packaged)).toBe(true);
    expect(isTrustedSenderUrl(`${page('index.html')}#/vouchers?batch=1`, packaged)).toBe(true);
    expect(isTrustedSenderUrl(page('assets/print.html'), packaged)).toBe(true);
  });

  it('refuses any other local file, even one that escapes with .. or shares the directory prefix', () => {
    expect(isTrustedSenderUrl('file:///tmp/rukun-print-x/dokumen.pdf', packaged)).toBe(false);
    expect(isTrustedSenderUrl(`${pathToFileURL(rendererDir).href}/../../evil.html`, packaged)).toBe(false);
    expect(isTrustedSenderUrl(`${pathToFileURL(rendererDir).href}-evil/index.html`, packaged)).toBe(false);
    expect(isTrustedSenderUrl(pathToFileURL(rendererDir).href, packaged)).toBe(false);
    expect(isTrustedSenderUrl(`file://fileserver${rendererDir}/index.html`, packaged)).toBe(false);
  });

  it('refuses web pages, data: and about: documents for a packaged app', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/', packaged)).toBe(false);
    expect(isTrustedSenderUrl('https://evil.example/index.html', packaged)).toBe(false);
    expect(isTrustedSenderUrl('data:text/html,<script>rukun.invoke()</script>', packaged)).toBe(false);
    expect(isTrustedSenderUrl('about:blank', packaged)).toBe(false);
    expect(isTrustedSenderUrl('', packaged)).toBe(false);
  });

  it('in dev accepts exactly the dev server origin', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/#/login', dev)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSenderUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedSenderUrl('http://localhost.evil.example:5173/', dev)).toBe(false);
    expect(isTrustedSenderUrl(page('index.html'), dev)).toBe(false);
  });
});

describe('external links and CSP', () => {
  it('opens only plain http(s) links outside the app', () => {
    expect(isExternalWebLink('https://wa.me/6281234567890')).toBe(true);
    expect(isExternalWebLink('http://192.168.88.1/webfig')).toBe(true);
    expect(isExternalWebLink('file:///etc/passwd')).toBe(false);
    expect(isExternalWebLink('javascript:alert(1)')).toBe(false);
    expect(isExternalWebLink('ms-settings:printers')).toBe(false);
    expect(isExternalWebLink('https://user:pass@evil.example/')).toBe(false);
    expect(isExternalWebLink('not a url')).toBe(false);
  });

  it('builds the packaged policy from none with no inline scripts, and relaxes only HMR needs in dev', () => {
    const csp = rendererCsp(packaged);
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'none'");
    const devCsp = rendererCsp(dev);
    expect(devCsp).toContain("script-src 'self' 'unsafe-inline'");
    expect(devCsp).toContain("connect-src 'self' ws://localhost:5173");
  });
});

describe('shouldDeliver', () => {
  const cashier: SessionRef = { sessionId: 's-cashier', user: { id: 'u-cashier', role: 'cashier' } };
  const tech: SessionRef = { sessionId: 's-tech', user: { id: 'u-tech', role: 'technician' } };
  const settingsChanged = { name: 'settings.changed' };
  const ended = { name: 'auth.sessionEnded' };

  it('delivers broadcast events to any live session the contract allows', () => {
    expect(shouldDeliver(settingsChanged, {}, cashier, cashier)).toBe('deliver');
    expect(shouldDeliver(settingsChanged, {}, tech, tech)).toBe('deliver');
  });

  it('delivers addressed events only to that user or that session', () => {
    expect(shouldDeliver(ended, { userId: 'u-tech' }, cashier, cashier)).toBe('skip');
    expect(shouldDeliver(ended, { userId: 'u-cashier' }, cashier, cashier)).toBe('deliver');
    expect(shouldDeliver(ended, { sessionId: 's-other' }, cashier, cashier)).toBe('skip');
    expect(shouldDeliver(ended, { sessionId: 's-cashier' }, cashier, cashier)).toBe('deliver');
  });

  it('filters by the permission of the live role, so a role change applies at once', () => {
    const accessOf = (name: string) => (name === 'routers.status' ? ('routers.view' as const) : undefined);
    const billingOnly = (name: string) =>
      name === 'billing.progress' ? ('billing.manage' as const) : undefined;
    expect(shouldDeliver({ name: 'routers.status' }, {}, cashier, cashier, accessOf)).toBe('deliver');
    expect(shouldDeliver({ name: 'billing.progress' }, {}, cashier, cashier, billingOnly)).toBe('skip');
    const promoted: SessionRef = { ...cashier, user: { ...cashier.user, role: 'admin' } };
    expect(shouldDeliver({ name: 'billing.progress' }, {}, cashier, promoted, billingOnly)).toBe('deliver');
  });

  it('never forwards an event name the contract does not declare', () => {
    expect(shouldDeliver({ name: 'debug.internal' }, {}, cashier, cashier)).toBe('skip');
  });

  it('after logout, tells the ended session why once, and stops everything else', () => {
    expect(shouldDeliver(ended, { sessionId: 's-cashier' }, cashier, null)).toBe('deliver-and-end');
    expect(shouldDeliver(ended, { userId: 'u-cashier' }, cashier, null)).toBe('deliver-and-end');
    expect(shouldDeliver(settingsChanged, {}, cashier, null)).toBe('end');
    expect(shouldDeliver(ended, { sessionId: 's-tech' }, cashier, null)).toBe('end');
  });
});

describe('print requests', () => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF').toString('base64');

  it('accepts a PDF with optional printer and silent flag', () => {
    const r = parsePrintRequest(pdf, { printer: 'EPSON TM-T82', silent: true });
    expect(r.ok && r.value.printer).toBe('EPSON TM-T82');
    expect(r.ok && r.value.silent).toBe(true);
    const bare = parsePrintRequest(pdf, undefined);
    expect(bare.ok && bare.value.silent).toBe(false);
    expect(bare.ok && 'printer' in bare.value).toBe(false);
  });

  it('refuses what is not a PDF or has malformed options', () => {
    expect(parsePrintRequest(Buffer.from('<html>').toString('base64'), {}).ok).toBe(false);
    expect(parsePrintRequest('%%%not base64', {}).ok).toBe(false);
    expect(parsePrintRequest(42, {}).ok).toBe(false);
    expect(parsePrintRequest(pdf, { silent: 'yes' }).ok).toBe(false);
    expect(parsePrintRequest(pdf, { printer: '' }).ok).toBe(false);
    expect(parsePrintRequest(pdf, ['x']).ok).toBe(false);
  });

  it('reports the default printer when the platform says so', () => {
    expect(toPrinterSummary({ name: 'A4', isDefault: true })).toEqual({ name: 'A4', isDefault: true });
    expect(toPrinterSummary({ name: 'POS58', options: { 'is-default': 'true' } })).toEqual({
      name: 'POS58',
      isDefault: true,
    });
    expect(toPrinterSummary({ name: 'Lain', options: {} })).toEqual({ name: 'Lain', isDefault: false });
  });
});

describe('loadDataKey', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  // Stands in for safeStorage: a reversible transform so a sealed file differs from the raw key.
  const wrap: KeyWrap = {
    seal: (b) => Buffer.from(b.toString('base64')),
    open: (b) => Buffer.from(b.toString(), 'base64'),
  };

  it('seals a new key with the keychain and reads the same key back next start', () => {
    dir = mkdtempSync(join(tmpdir(), 'rukun-key-'));
    const first = loadDataKey(dir, wrap);
    expect(first.source).toBe('keychain');
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    expect(readFileSync(join(dir, 'secret.key.sealed')).equals(first.provider.getKey())).toBe(false);
    expect(loadDataKey(dir, wrap).provider.getKey().equals(first.provider.getKey())).toBe(true);
  });

  it('refuses to start, rather than mint a new key, when a sealed key exists but the keychain is gone', () => {
    dir = mkdtempSync(join(tmpdir(), 'rukun-key-'));
    loadDataKey(dir, wrap);
    expect(() => loadDataKey(dir, null)).toThrow(/keychain/);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('keeps using a plain key file from a run without keychain', () => {
    dir = mkdtempSync(join(tmpdir(), 'rukun-key-'));
    const key = Buffer.alloc(32, 7);
    writeFileSync(join(dir, 'secret.key'), key);
    const loaded = loadDataKey(dir, wrap);
    expect(loaded.source).toBe('file');
    expect(loaded.provider.getKey().equals(key)).toBe(true);
  });
});
