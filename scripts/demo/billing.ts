/**
 * Demo billing: a PPPoE router (emulated RouterOS 7.18) with four packages and 80 customers on it, six months
 * of prepaid invoices, cash and transfer payments (most paid, some partly, a few overdue and isolated), a
 * few PPP secrets left on the router for the "adopt" screen, and the scheduled jobs run once.
 */
import type { Core } from '../../src/main/core';
import { officeDate } from '../../src/shared/dates';
import { addMonths } from '../../src/shared/billing/periods';
import { RouterOsEmulator } from '../../tests/emulator/routeros/index';
import { call } from '../demo';

const ROS_USER = { name: 'rukun', password: 'api-demo-pppoe' };
const FIRST = [
  'Ahmad',
  'Siti',
  'Budi',
  'Dewi',
  'Agus',
  'Rina',
  'Joko',
  'Sri',
  'Eko',
  'Wati',
  'Hendra',
  'Yuni',
  'Dedi',
  'Lina',
  'Rudi',
  'Fitri',
  'Bayu',
  'Nur',
  'Asep',
  'Euis',
];
const LAST = [
  'Santoso',
  'Lestari',
  'Hartono',
  'Wijaya',
  'Saputra',
  'Nurhaliza',
  'Fauzi',
  'Kusuma',
  'Pratama',
  'Handayani',
  'Setiawan',
  'Rahayu',
  'Hidayat',
  'Sopandi',
];
const AREAS = [
  { area: 'Kampung Cibogo', code: 'KCB', street: 'Gg. Mawar' },
  { area: 'Perum Sukamaju', code: 'PSM', street: 'Jl. Melati' },
  { area: 'Desa Mekarjaya', code: 'DMJ', street: 'Jl. Raya Mekarjaya' },
];

export async function seedBilling(core: Core, token: string): Promise<void> {
  const emu = new RouterOsEmulator({
    version: '7.18',
    identity: 'PPPoE-Cikampek',
    users: [ROS_USER],
    now: Date.now(),
  });
  // Secrets someone made by hand before Rukun: shown on the "Secret di router" tab for adoption.
  emu.seed('/ppp/secret', [
    {
      name: 'pak-rt03',
      password: 'rt03sukamaju',
      profile: 'default',
      service: 'pppoe',
      comment: 'Pak RT 03',
    },
    { name: 'warung-bu-iis', password: 'iis12345', profile: 'default', service: 'pppoe', comment: 'Warung' },
  ]);
  const { port } = await emu.start();
  const router = await call(core, token, 'routers.create', {
    name: 'Cikampek',
    location: 'Menara RW 05',
    host: '127.0.0.1',
    port,
    tls: false,
    username: ROS_USER.name,
    password: ROS_USER.password,
  });
  for (let i = 0; i < 100 && !(await call(core, token, 'routers.get', { id: router.id })).online; i++)
    await new Promise((r) => setTimeout(r, 50));

  // Six months of history are entered at once, as an office importing its books would: WhatsApp stays quiet
  // for the backfill (hundreds of receipts "sent today" would break the daily cap the WhatsApp page shows)
  // and is switched back on for today's scheduled runs below.
  const wa = await call(core, token, 'whatsapp.settings.get', {});
  const quiet = await call(core, token, 'whatsapp.settings.update', {
    version: wa.version,
    settings: {
      ...wa.settings,
      triggers: {
        ...wa.settings.triggers,
        invoiceIssued: false,
        receipt: false,
        isolation: false,
        restore: false,
      },
    },
  });

  const s = await call(core, token, 'billing.settings.get', {});
  await call(core, token, 'billing.settings.update', {
    version: s.version,
    graceDays: 5,
    noIsolationWeekdays: [0],
    holidays: ['2026-12-25'],
  });
  const pkgs = [];
  for (const p of [
    {
      name: 'Paket Hemat 5 Mbps',
      speed: '5 Mbps',
      price: 100_000,
      pppProfile: 'PAKET-5M',
      rateLimit: '5M/5M',
    },
    {
      name: 'Paket Keluarga 10 Mbps',
      speed: '10 Mbps',
      price: 150_000,
      pppProfile: 'PAKET-10M',
      rateLimit: '10M/10M',
    },
    {
      name: 'Paket Gamer 20 Mbps',
      speed: '20 Mbps',
      price: 200_000,
      pppProfile: 'PAKET-20M',
      rateLimit: '20M/20M',
    },
    {
      name: 'Paket Usaha 30 Mbps',
      speed: '30 Mbps',
      price: 300_000,
      pppProfile: 'PAKET-30M',
      rateLimit: '30M/30M',
      taxable: true,
      taxInclusive: false,
    },
  ])
    pkgs.push(await call(core, token, 'packages.create', p));

  const tz = 'Asia/Jakarta';
  const today = officeDate(Date.now(), tz);
  const thisMonth = today.slice(0, 7);
  const start = `${addMonths(thisMonth, -5)}-01`;
  const customers: { id: string; i: number }[] = [];
  for (let i = 0; i < 80; i++) {
    const a = AREAS[i % AREAS.length]!;
    const name = `${FIRST[i % FIRST.length]} ${LAST[(Math.floor(i / FIRST.length) * 5 + i) % LAST.length]}`;
    const c = await call(core, token, 'customers.create', {
      name,
      phone: `${['0812', '0857', '0878', '0813', '0896'][i % 5]}${String(21_000_000 + ((i * 7_919_113) % 78_999_999)).padStart(8, '0')}`,
      area: a.area,
      locationCode: a.code,
      address: `${a.street} No. ${(i % 40) + 1}, RT 0${(i % 5) + 1}/RW 05`,
      routerId: router.id,
      registeredOn: start,
      ...(i % 4 === 0 ? { nik: `3215${String(100_000_000_000 + i).padStart(12, '0')}` } : {}),
    });
    const pkg = pkgs[i % 7 === 0 ? 3 : i % 3 === 0 ? 2 : i % 2 === 0 ? 1 : 0]!;
    await call(core, token, 'subscriptions.create', {
      customerId: c.id,
      packageId: pkg.id,
      routerId: router.id,
      billingDay: [1, 5, 10, 15, 20][i % 5]!,
      discount: i % 10 === 0 ? 10_000 : 0,
      startDate: start,
      invoiceNow: false,
    });
    customers.push({ id: c.id, i });
  }
  // Six months of invoices, as the monthly run would have issued them.
  for (let m = -5; m <= -1; m++)
    await call(core, token, 'invoices.generate', { date: `${addMonths(thisMonth, m)}-28` });
  await call(core, token, 'invoices.generate', {});

  for (const c of customers) {
    const d = await call(core, token, 'customers.get', { id: c.id });
    const owed = d.customer.balance;
    const open = d.invoices
      .filter((x) => x.balanceDue > 0)
      .sort((x, y) => x.dueDate.localeCompare(y.dueDate));
    if (c.i % 11 === 0) {
      // Behind by the last two months: the isolation run cuts them off.
      const keep = open.slice(-2).reduce((s2, x) => s2 + x.balanceDue, 0);
      if (owed - keep > 0)
        await call(core, token, 'payments.record', { customerId: c.id, amount: owed - keep, method: 'cash' });
    } else if (c.i % 9 === 0) {
      await call(core, token, 'payments.record', {
        customerId: c.id,
        amount: Math.max(owed - 50_000, 1),
        method: 'transfer',
        reference: 'BRI mobile',
      });
    } else if (c.i % 13 === 0) {
      await call(core, token, 'payments.record', {
        customerId: c.id,
        amount: owed + 100_000,
        method: 'cash',
        note: 'Bayar lebih untuk bulan depan',
      });
    } else if (owed > 0) {
      // Most pay month by month.
      for (const inv of open)
        await call(core, token, 'payments.record', {
          customerId: c.id,
          amount: inv.balanceDue,
          method: c.i % 3 === 0 ? 'transfer' : 'cash',
          ...(c.i % 3 === 0 ? { reference: 'BCA 7330' } : {}),
        });
    }
  }
  await call(core, token, 'whatsapp.settings.update', { version: quiet.version, settings: wa.settings });
  await call(core, token, 'billing.runs.start', { job: 'invoices' });
  await call(core, token, 'billing.runs.start', { job: 'overdue' });
  await call(core, token, 'billing.runs.start', { job: 'isolation' });
}
