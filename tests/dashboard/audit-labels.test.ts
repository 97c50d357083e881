import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel } from '../../src/renderer/i18n/audit-actions';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'main');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Every audit action code the core can write, read from the source the way a reviewer would grep it (across line breaks). */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /action:\s*(?:[^'\n,]*\?\s*)?'([\w.]+)'(?:\s*:\s*'([\w.]+)')?/g, // recordChange / auditRaw, incl. `before ? 'x.update' : 'x.create'`
    /\baudit\(\s*(?:[\w.]+,\s*)?'([\w.]+)'/g, // account service and WhatsApp helpers
    /\btransition\(\s*actor,\s*'([\w.]+)'/g, // WhatsApp queue transitions
    /\bupdateSecret\([^)]*'([\w.]+)',?\s*\)/g, // router desired-state secret edits
    /'(reconcile\.adopt\.\w+)'/g, // adoption, passed to adoptInsert on its own line
  ];
  for (const file of sources(MAIN)) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        for (const code of m.slice(1)) if (code?.includes('.')) found.add(code);
      }
    }
    // `vouchers.${action}` over the Action union of the voucher list actions.
    if (text.includes('`vouchers.${action}`')) {
      const union = /type Action = ([^;]+);/.exec(text)?.[1] ?? '';
      for (const m of union.matchAll(/'(\w+)'/g)) found.add(`vouchers.${m[1]}`);
    }
  }
  return found;
}

describe('audit action labels', () => {
  it('every action the core writes has an Indonesian and an English label', () => {
    const actions = writtenActions();
    // The scan itself must keep finding the codes (payments, vouchers, auth, WhatsApp…), or this test is blind.
    expect(actions.size).toBeGreaterThan(60);
    for (const a of [
      'payments.record',
      'vouchers.firstLogin',
      'auth.login',
      'vouchers.extend',
      'whatsapp.messages.retry',
      'pppSecrets.create',
    ]) {
      expect(actions).toContain(a);
    }
    const missing = [...actions].filter((a) => !AUDIT_ACTIONS[a]).sort();
    expect(missing).toEqual([]);
    for (const [code, l] of Object.entries(AUDIT_ACTIONS)) {
      expect(l.id, code).not.toBe('');
      expect(l.en, code).not.toBe('');
    }
  });

  it('shows the label in the UI language and the raw code for unknown actions', () => {
    expect(auditActionLabel('payments.record', 'id')).toBe('Pembayaran dicatat');
    expect(auditActionLabel('payments.record', 'en')).toBe('Payment recorded');
    expect(auditActionLabel('auth.login', 'id')).toBe('Masuk');
    expect(auditActionLabel('future.thing', 'id')).toBe('future.thing');
  });
});
