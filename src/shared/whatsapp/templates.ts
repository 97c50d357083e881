import type { MessageKind } from '../contract/whatsapp';

/**
 * WhatsApp message templates: Indonesian defaults, the variables they may use, and rendering with greeting
 * and closing variations (identical texts to many numbers is what WhatsApp's spam detection looks for).
 * Pure: used by the core to send and by the renderer to explain the variables.
 */

export const TEMPLATE_VARIABLES = {
  salam: 'Sapaan (bervariasi: Halo, Selamat pagi, …)',
  penutup: 'Penutup (bervariasi: Terima kasih, Salam hangat, …)',
  nama: 'Nama pelanggan',
  kode_pelanggan: 'Kode pelanggan',
  paket: 'Nama paket internet',
  periode: 'Periode tagihan, mis. November 2026',
  no_tagihan: 'Nomor tagihan',
  total: 'Sisa tagihan (Rp)',
  jatuh_tempo: 'Tanggal jatuh tempo',
  status_jatuh_tempo: 'Mis. "jatuh tempo 3 hari lagi" / "jatuh tempo hari ini"',
  jumlah_bayar: 'Jumlah yang dibayar (nota)',
  tanggal_bayar: 'Tanggal pembayaran (nota)',
  link_bayar: 'Tautan halaman tagihan',
  link_nota: 'Tautan nota pembayaran',
  nama_usaha: 'Nama usaha',
  rekening: 'Rekening bank untuk transfer',
  telepon_kantor: 'Nomor telepon kantor',
  kata_berhenti: 'Kata balasan untuk berhenti menerima pesan, mis. BERHENTI',
  kata_mulai: 'Kata balasan untuk berlangganan lagi, mis. MULAI',
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

export const DEFAULT_TEMPLATES: Record<MessageKind, string> = {
  invoice_issued: [
    '🧾 *Tagihan Internet {periode}*',
    '',
    '{salam} *{nama}*,',
    '',
    'Tagihan internet Anda untuk periode *{periode}* sudah terbit.',
    '',
    '📋 *Detail Tagihan:*',
    '• No. Tagihan: {no_tagihan}',
    '• Paket: {paket}',
    '• Total: *{total}*',
    '• Jatuh Tempo: {jatuh_tempo}',
    '',
    '💳 *Pembayaran via Transfer:*',
    '{rekening}',
    '',
    'Lihat tagihan: {link_bayar}',
    '',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
  reminder: [
    '🔔 *Pengingat Tagihan Internet*',
    '',
    '{salam} *{nama}*,',
    '',
    'Tagihan internet Anda periode *{periode}* {status_jatuh_tempo}.',
    '',
    '📋 *Detail Tagihan:*',
    '• Paket: {paket}',
    '• Sisa Tagihan: *{total}*',
    '• Jatuh Tempo: {jatuh_tempo}',
    '',
    '💳 *Pembayaran via Transfer:*',
    '{rekening}',
    '',
    'Lihat tagihan: {link_bayar}',
    '',
    'Mohon abaikan pesan ini bila sudah membayar.',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
  receipt: [
    '✅ *Nota Pembayaran Internet*',
    '',
    '{salam} *{nama}*,',
    '',
    'Pembayaran Anda sudah kami terima. Terima kasih!',
    '',
    '📋 *Detail Pembayaran:*',
    '• Paket: {paket}',
    '• Periode: {periode}',
    '• Total Bayar: *{jumlah_bayar}*',
    '• Tanggal Bayar: {tanggal_bayar}',
    '',
    '🧾 Lihat nota lengkap: {link_nota}',
    '',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
  isolation: [
    '⚠️ *Pemberitahuan Isolir*',
    '',
    '{salam} *{nama}*,',
    '',
    'Layanan internet Anda untuk sementara kami *isolir* karena tagihan belum dibayar.',
    '',
    '• Sisa Tagihan: *{total}*',
    '',
    'Silakan lakukan pembayaran agar layanan aktif kembali.',
    '',
    '💳 *Pembayaran via Transfer:*',
    '{rekening}',
    '',
    'Hubungi kami bila ada pertanyaan.',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
  restore: [
    '🟢 *Layanan Aktif Kembali*',
    '',
    '{salam} *{nama}*,',
    '',
    'Layanan internet Anda (paket {paket}) sudah aktif kembali. Bila belum tersambung, silakan matikan lalu nyalakan lagi modem/router Anda.',
    '',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
  custom: ['{salam} *{nama}*,', '', 'Tulis pesan Anda di sini.', '', '{penutup}', '_{nama_usaha}_'].join(
    '\n',
  ),
  optout_confirm: [
    '{salam} *{nama}*,',
    '',
    'Permintaan Anda sudah kami terima. Mulai sekarang Anda *tidak menerima pesan WhatsApp otomatis* lagi dari {nama_usaha} (tagihan, pengingat, pemberitahuan).',
    '',
    'Ingin menerimanya lagi? Balas *{kata_mulai}* kapan saja.',
    '',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
  optin_confirm: [
    '{salam} *{nama}*,',
    '',
    'Terima kasih, Anda kembali menerima pesan WhatsApp dari {nama_usaha}: tagihan, pengingat dan nota pembayaran.',
    '',
    'Untuk berhenti, balas *{kata_berhenti}*.',
    '',
    '{penutup}',
    '_{nama_usaha}_',
  ].join('\n'),
};

/** The greeting depends on the office hour, like a person would write it. */
export function greetings(officeHour: number): string[] {
  const time =
    officeHour < 11
      ? 'Selamat pagi'
      : officeHour < 15
        ? 'Selamat siang'
        : officeHour < 18
          ? 'Selamat sore'
          : 'Selamat malam';
  return ['Halo', 'Hai', time, 'Halo Bapak/Ibu', 'Assalamualaikum'];
}

export const CLOSINGS = [
  'Terima kasih.',
  'Terima kasih banyak.',
  'Salam hangat,',
  'Terima kasih atas kepercayaan Anda.',
  'Hormat kami,',
];

const VAR_RE = /\{([a-z_]+)\}/g;

/** `{names}` in a body that are not known variables (to refuse on save, to flag in preview). */
export function unknownVariables(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(VAR_RE)) {
    const name = m[1] ?? '';
    if (!Object.hasOwn(TEMPLATE_VARIABLES, name)) out.add(name);
  }
  return [...out];
}

/** A body split once into lines of literal text and variables, for rendering many messages from one template. */
interface CompiledLine {
  /** Literal text at even indexes, variable names at odd ones. */
  parts: string[];
  /** The line holds variables and all of them are links (dropped when every link is missing). */
  linksOnly: boolean;
}

const compiled = new Map<string, CompiledLine[]>();

function compile(body: string): CompiledLine[] {
  let lines = compiled.get(body);
  if (lines) return lines;
  lines = body.split('\n').map((line) => {
    // split() with a capture group alternates text and captured names.
    const parts = line.split(VAR_RE);
    const vars = parts.filter((_, i) => i % 2 === 1);
    return { parts, linksOnly: vars.length > 0 && vars.every((v) => v.startsWith('link_')) };
  });
  if (compiled.size > 64) compiled.clear();
  compiled.set(body, lines);
  return lines;
}

/**
 * Fills a template. `pick` chooses a variation index (random in production, seeded in tests). A variable
 * whose value is missing becomes `-` so a message never shows raw braces to a customer; a line made only of
 * a missing link (e.g. no LAN address yet) is dropped. The parsed body is cached (a monthly run renders one
 * template thousands of times).
 */
export function renderTemplate(
  body: string,
  values: TemplateValues,
  opts: { officeHour: number; pick: (n: number) => number },
): string {
  const g = greetings(opts.officeHour);
  const salam = g[opts.pick(g.length)] ?? 'Halo';
  const penutup = CLOSINGS[opts.pick(CLOSINGS.length)] ?? 'Terima kasih.';
  const all: TemplateValues = { salam, penutup, ...values };
  const out: string[] = [];
  for (const line of compile(body)) {
    if (line.linksOnly && line.parts.every((p, i) => i % 2 === 0 || !all[p as TemplateVariable])) continue;
    let text = '';
    for (let i = 0; i < line.parts.length; i++) {
      const p = line.parts[i] ?? '';
      if (i % 2 === 0) text += p;
      else
        text += Object.hasOwn(TEMPLATE_VARIABLES, p) ? (all[p as TemplateVariable] ?? '-') || '-' : `{${p}}`;
    }
    out.push(text);
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** "jatuh tempo 3 hari lagi" / "jatuh tempo besok" / "jatuh tempo hari ini" / "sudah lewat jatuh tempo 2 hari". */
export function dueStatusText(daysUntilDue: number): string {
  if (daysUntilDue > 1) return `akan jatuh tempo ${daysUntilDue} hari lagi`;
  if (daysUntilDue === 1) return 'akan jatuh tempo besok';
  if (daysUntilDue === 0) return 'jatuh tempo hari ini';
  return `sudah lewat jatuh tempo ${-daysUntilDue} hari`;
}

/** Sample values for previews before a customer is chosen (or when billing is not available). */
export const SAMPLE_VALUES: TemplateValues = {
  nama: 'Ahmad Fauzi',
  kode_pelanggan: 'RTN-0001',
  paket: 'Paket 20 Mbps',
  periode: 'Desember 2026',
  no_tagihan: 'INV/2026/12/0001',
  total: 'Rp 150.000',
  jatuh_tempo: '5 Desember 2026',
  status_jatuh_tempo: dueStatusText(3),
  jumlah_bayar: 'Rp 150.000',
  tanggal_bayar: '2 Desember 2026',
  link_bayar: 'http://192.168.1.10:3210/i/contoh',
  link_nota: 'http://192.168.1.10:3210/r/contoh',
  kata_berhenti: 'BERHENTI',
  kata_mulai: 'MULAI',
};
