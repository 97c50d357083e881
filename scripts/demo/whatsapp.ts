import type { Core } from '../../src/main/core';
import { FakeMessenger } from '../../src/main/whatsapp/fake-messenger';
import type { WhatsappFeature } from '../../src/main/whatsapp/index';
import { waIdFor } from '../../src/main/whatsapp/queue';
import { renderTemplate, DEFAULT_TEMPLATES, dueStatusText } from '../../src/shared/whatsapp/templates';
import { formatRupiah } from '../../src/shared/money';

const FIRST = [
  'Ahmad',
  'Siti',
  'Budi',
  'Dewi',
  'Rudi',
  'Sri',
  'Agus',
  'Nur',
  'Eko',
  'Rina',
  'Joko',
  'Yanti',
  'Hendra',
  'Wati',
  'Dodi',
  'Lina',
  'Asep',
  'Euis',
  'Ujang',
  'Neneng',
];
const LAST = [
  'Fauzi',
  'Nurhaliza',
  'Santoso',
  'Lestari',
  'Hartono',
  'Wahyuni',
  'Saputra',
  'Hidayat',
  'Prasetyo',
  'Kusuma',
  'Sutrisno',
  'Rahayu',
  'Gunawan',
  'Suryani',
  'Firmansyah',
];
const PACKAGES: [string, number][] = [
  ['Paket 10 Mbps', 100000],
  ['Paket 20 Mbps', 150000],
  ['Paket 30 Mbps', 200000],
];

/**
 * Demo WhatsApp: a fake messenger that is "linked" (no WhatsApp servers are reachable from a demo), a day
 * of message history for the chart and log, a few failures and one interrupted send to review, a paced
 * batch of reminders going out live while the demo runs, and a few customer replies in the Inbox — one of
 * them "BERHENTI", which opts that customer out and sends the confirmation.
 */
export async function seedWhatsapp(core: Core): Promise<void> {
  const wa = core.features.find((f) => f.name === 'whatsapp') as WhatsappFeature | undefined;
  if (!wa) return;
  const fake = new FakeMessenger(core.deps.clock, { connected: true, phone: '6281288991020' });
  await wa.api.setMessenger(fake);
  const sqlite = core.deps.database.sqlite;
  const now = core.deps.clock.now();
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const person = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
  const phone = (i: number) => `62812${String(30_000_000 + i * 7919).slice(0, 8)}`;
  const settings = await core.settings.get();
  const office = {
    nama_usaha: settings.officeName,
    rekening: settings.bankAccounts.map((b) => `${b.bank} ${b.number} a.n. ${b.holder}`).join('\n'),
  };
  const text = (kind: 'reminder' | 'receipt' | 'isolation', i: number, hour: number) => {
    const [pkg, price] = PACKAGES[i % PACKAGES.length] ?? ['Paket 10 Mbps', 100000];
    return renderTemplate(
      DEFAULT_TEMPLATES[kind],
      {
        ...office,
        nama: person(i),
        paket: pkg,
        periode: 'Desember 2026',
        total: formatRupiah(price),
        jumlah_bayar: formatRupiah(price),
        tanggal_bayar: '21 November 2026',
        jatuh_tempo: '25 November 2026',
        status_jatuh_tempo: dueStatusText(3),
        link_bayar: `${core.httpUrl ?? 'http://127.0.0.1:3210'}/i/demo${i}`,
        link_nota: `${core.httpUrl ?? 'http://127.0.0.1:3210'}/r/demo${i}`,
      },
      { officeHour: hour, pick: (n) => Math.floor(rnd() * n) },
    );
  };
  const insert = sqlite.prepare(
    `INSERT INTO wa_messages (id, kind, priority, status, customer_name, phone, body, due_at, attempts, max_attempts, last_error, wa_id, ack, sent_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 3, ?, ?, ?, ?, ?, ?)`,
  );
  const attempt = sqlite.prepare(
    'INSERT INTO wa_attempts (id, message_id, at, outcome, error) VALUES (?, ?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    // Yesterday 07:00–20:00 and this morning: paced reminders plus receipts during office hours.
    for (let i = 0; i < 180; i++) {
      const at = now - 23 * 3_600_000 + Math.floor((i / 180) * 22 * 3_600_000) + Math.floor(rnd() * 600_000);
      const hour = new Date(at + 7 * 3_600_000).getUTCHours();
      if (hour < 7 || hour >= 20) continue;
      const kind = i % 9 === 0 ? 'receipt' : i % 23 === 0 ? 'isolation' : 'reminder';
      const id = core.deps.ids();
      const failed = i % 41 === 5;
      insert.run(
        id,
        kind,
        kind === 'reminder' ? 1 : 0,
        failed ? 'failed' : 'sent',
        person(i),
        phone(i),
        text(kind, i, hour),
        at,
        failed ? 3 : 1,
        failed ? 'Nomor tidak terdaftar di WhatsApp' : null,
        waIdFor(id),
        failed ? 0 : i % 3 === 0 ? 4 : 3,
        failed ? null : at,
        at - 60_000,
        at,
      );
      attempt.run(
        core.deps.ids(),
        id,
        at,
        failed ? 'failed' : 'sent',
        failed ? 'Nomor tidak terdaftar di WhatsApp' : null,
      );
    }
    const id = core.deps.ids();
    insert.run(
      id,
      'receipt',
      0,
      'unknown',
      person(99),
      phone(99),
      text('receipt', 99, 10),
      now - 3_600_000,
      1,
      'Rukun berhenti saat pesan sedang dikirim — periksa di HP apakah sudah terkirim.',
      waIdFor(id),
      0,
      null,
      now - 3_600_000,
      now - 3_600_000,
    );
    attempt.run(core.deps.ids(), id, now - 3_600_000, 'unknown', 'Rukun berhenti saat pesan sedang dikirim');
  })();
  // Today's reminders, paced from now on.
  const reminders = Array.from({ length: 140 }, (_, k) => {
    const i = 200 + k;
    return {
      kind: 'reminder' as const,
      phone: phone(i),
      body: text('reminder', i, 9),
      customerName: person(i),
      dedupeKey: `demo:reminder:${i}`,
    };
  });
  wa.api.queue.enqueue(reminders, { priority: 'paced' });
  wa.api.queue.kick();
  await seedReplies(core, wa, fake);
}

/** Customers write back: a question, a stranger asking for a quote, and one customer replying BERHENTI. */
async function seedReplies(core: Core, wa: WhatsappFeature, fake: FakeMessenger): Promise<void> {
  const now = core.deps.clock.now();
  const customers = core.deps.database.sqlite
    .prepare(
      'SELECT name, phone FROM customers WHERE phone IS NOT NULL AND whatsapp_opt_out = 0 ORDER BY created_at, id LIMIT 2',
    )
    .all() as { name: string; phone: string }[];
  const [asks, stops] = customers;
  if (asks) {
    fake.deliver({
      phone: asks.phone,
      text: 'Pak, internet di rumah lambat sejak kemarin sore. Mohon dicek ya 🙏',
      at: now - 50 * 60_000,
      pushName: asks.name.split(' ')[0] ?? '',
    });
  }
  fake.deliver({
    phone: '6285712340987',
    text: 'Assalamualaikum, mau tanya pasang wifi di RT 04 biayanya berapa ya?',
    at: now - 20 * 60_000,
    pushName: 'Hendra',
  });
  if (stops) fake.deliver({ phone: stops.phone, text: 'BERHENTI', at: now - 5 * 60_000 });
  await wa.api.inbound.idle();
}
