/**
 * `npm run demo`: headless Rukun on a fresh data dir filled with a realistic office, so a newcomer sees a
 * living app with one command. Prints the URL and the generated logins (there is no default password).
 *
 *   RUKUN_PORT=3210 npm run demo      (RUKUN_DATA_DIR to keep the data somewhere specific)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveHeadlessConfig } from '../src/main/config';
import type { Core } from '../src/main/core';
import { startHeadless } from '../src/main/headless';
import type { MethodInput, MethodName, MethodOutput } from '../src/shared/contract/index';
import { seedBilling } from './demo/billing';
import { seedWhatsapp } from './demo/whatsapp';
import { seedVouchers } from './demo/vouchers';
import { seedRouters } from './demo/routers';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function call<M extends MethodName>(
  core: Core,
  token: string | null,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const res = await core.call(method, input, { token, via: 'http' });
  if (!res.ok) throw new Error(`${method}: ${res.error.code} ${res.error.message}`);
  return res.value as MethodOutput<M>;
}

const password = () => randomBytes(9).toString('base64url');

export async function seedOffice(core: Core) {
  const logins: { username: string; role: string; password: string }[] = [];
  const ownerPw = password();
  const owner = await call(core, null, 'auth.setup', {
    officeName: 'Sukamaju Net',
    fullName: 'Budi Santoso',
    username: 'budi',
    password: ownerPw,
  });
  logins.push({ username: 'budi', role: 'owner', password: ownerPw });
  const token = owner.token;
  const s = await call(core, token, 'settings.get', {});
  await call(core, token, 'settings.update', {
    version: s.version,
    address: 'Jl. Raya Sukamaju No. 17, RT 03/RW 05\nKec. Cikampek, Kab. Karawang, Jawa Barat 41373',
    phone: '0812-8899-1020',
    email: 'admin@sukamaju.net',
    bankAccounts: [
      { bank: 'BRI', number: '0123-01-000456-50-7', holder: 'Budi Santoso' },
      { bank: 'BCA', number: '733 012 3456', holder: 'Budi Santoso' },
    ],
    receiptFooter:
      'Terima kasih telah berlangganan Sukamaju Net. Simpan nota ini sebagai bukti pembayaran yang sah.',
  });
  await call(core, token, 'settings.setLogo', {
    mime: 'image/png',
    dataBase64: readFileSync(join(ROOT, 'resources', 'icon.png')).toString('base64'),
  });
  const staff = [
    { username: 'rina', fullName: 'Rina Marlina', role: 'admin' as const },
    { username: 'sari', fullName: 'Sari Wulandari', role: 'cashier' as const },
    { username: 'dedi', fullName: 'Dedi Kurniawan', role: 'cashier' as const },
    { username: 'agus', fullName: 'Agus Setiawan', role: 'technician' as const },
  ];
  for (const st of staff) {
    const pw = password();
    await call(core, token, 'staff.create', { ...st, password: pw, phone: null });
    logins.push({ username: st.username, role: st.role, password: pw });
  }
  return { token, logins };
}

async function main() {
  const cfg = resolveHeadlessConfig(process.argv.slice(2), {
    ...process.env,
    RUKUN_DATA_DIR: process.env.RUKUN_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'rukun-demo-')),
  });
  const core = await startHeadless(cfg, { logLevel: 'warn' });
  const { logins, token } = await seedOffice(core);
  await seedRouters(core, token);
  await seedBilling(core, token);
  await seedWhatsapp(core);
  await seedVouchers(core, token);
  const lines = [
    '',
    `Rukun demo siap: ${core.httpUrl}`,
    `Data: ${cfg.dataDir}`,
    '',
    'Akun demo (kata sandi dibuat acak untuk demo ini):',
    ...logins.map((l) => `  ${l.role.padEnd(11)} ${l.username.padEnd(6)} ${l.password}`),
    '',
    'Tekan Ctrl+C untuk berhenti.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = async () => {
    await core.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
