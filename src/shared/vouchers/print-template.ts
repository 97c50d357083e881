/**
 * Editable voucher print templates.
 *
 * A template is data, never code: lines of text with `{placeholder}`s from a fixed whitelist, a few style knobs
 * and toggles, validated by zod. Substitution is plain string replacement, so an operator (or an imported file)
 * cannot make the printer run anything. Unknown placeholders are left visible, so a typo shows on the preview
 * instead of silently printing nothing.
 *
 * Each layout places four regions:
 *   title  – office name: the coloured band on cards, the top of a thermal slip; not printed in the A4 compact grid
 *   badge  – the price, emphasised: band right on cards, right column in the compact grid, big on thermal
 *   body   – the code and its details
 *   footer – small print under the body (cards, thermal); not printed in the compact grid
 */
import { z } from 'zod';
import { formatDurationIndonesian } from '../routeros-duration';

export const VOUCHER_LAYOUTS = ['a4-compact', 'a4-cards', 'thermal-58', 'thermal-80'] as const;
export type VoucherLayout = (typeof VOUCHER_LAYOUTS)[number];

export const PLACEHOLDERS = {
  kode: 'Kode voucher (username)',
  username: 'Username (sama dengan kode)',
  password: 'Password',
  harga: 'Harga jual, mis. Rp 5.000',
  masa_aktif: 'Masa aktif sejak login pertama, mis. 1 hari',
  batas_waktu: 'Batas waktu pemakaian (uptime), mis. 3 jam',
  nama_usaha: 'Nama usaha',
  profil: 'Nama profil hotspot',
  batch: 'Label batch',
  nomor: 'Nomor urut voucher dalam cetakan',
  dns: 'Alamat login hotspot (DNS name)',
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Warna harus berformat #RRGGBB');

export const templateLineSchema = z.object({
  text: z.string().max(200),
  size: z.number().min(4).max(32).default(8),
  bold: z.boolean().default(false),
  align: z.enum(['left', 'center', 'right']).default('left'),
  /** Extra space between characters, in points; makes codes easier to read aloud. */
  spacing: z.number().min(0).max(4).default(0),
  color: hexColor.optional(),
  /** Shrink the font so the line never wraps (codes, which must stay on one line). */
  fit: z.boolean().default(false),
  showIf: z
    .enum(['always', 'separate_password', 'same_password', 'has_price', 'has_validity', 'has_time_limit'])
    .default('always'),
});

export const voucherTemplateSchema = z.object({
  version: z.literal(1).default(1),
  title: z.array(templateLineSchema).max(4).default([]),
  badge: z.array(templateLineSchema).max(4).default([]),
  body: z.array(templateLineSchema).max(10).default([]),
  footer: z.array(templateLineSchema).max(4).default([]),
  showLogo: z.boolean().default(true),
  showQr: z.boolean().default(true),
  accentColor: hexColor.default('#1F4E79'),
});

export type TemplateLineInput = z.input<typeof templateLineSchema>;
export type TemplateLine = z.output<typeof templateLineSchema>;
export type VoucherTemplateInput = z.input<typeof voucherTemplateSchema>;
export type VoucherTemplate = z.output<typeof voucherTemplateSchema>;

export interface PrintableVoucher {
  username: string;
  password: string;
  /** Selling price in rupiah. */
  price: number;
  validityMs?: number;
  timeLimitMs?: number;
  profileName: string;
  batchLabel?: string;
}

export interface TemplateContext {
  officeName: string;
  hotspotDnsName: string;
  /** 1-based position in the print run. */
  index: number;
}

/** `Rp 5.000`, as Indonesian receipts write it (dot thousands, no decimals), independent of the ICU build. */
export function formatRupiahPrint(amount: number): string {
  const n = Math.round(Math.abs(amount));
  const grouped = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 ? '-' : ''}Rp ${grouped}`;
}

export function placeholderValues(v: PrintableVoucher, ctx: TemplateContext): Record<Placeholder, string> {
  return {
    kode: v.username,
    username: v.username,
    password: v.password,
    harga: formatRupiahPrint(v.price),
    masa_aktif: v.validityMs
      ? formatDurationIndonesian(v.validityMs)
      : v.timeLimitMs
        ? formatDurationIndonesian(v.timeLimitMs)
        : '-',
    batas_waktu: v.timeLimitMs ? formatDurationIndonesian(v.timeLimitMs) : '-',
    nama_usaha: ctx.officeName,
    profil: v.profileName,
    batch: v.batchLabel ?? '',
    nomor: String(ctx.index),
    dns: ctx.hotspotDnsName,
  };
}

/** Replaces whitelisted `{name}`s; anything else between braces stays as written. */
export function substitute(text: string, values: Record<Placeholder, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as Placeholder] : whole,
  );
}

export function lineVisible(line: TemplateLine, v: PrintableVoucher): boolean {
  switch (line.showIf) {
    case 'always':
      return true;
    case 'separate_password':
      return v.password !== v.username;
    case 'same_password':
      return v.password === v.username;
    case 'has_price':
      return v.price > 0;
    case 'has_validity':
      return (v.validityMs ?? 0) > 0;
    case 'has_time_limit':
      return (v.timeLimitMs ?? 0) > 0;
  }
}

const L = (line: TemplateLineInput): TemplateLineInput => line;

const DEFAULTS: Record<VoucherLayout, VoucherTemplateInput> = {
  'a4-compact': {
    body: [
      L({ text: '{kode}', size: 10, bold: true, spacing: 0.8, fit: true }),
      // One small line under the code: the password when it differs, otherwise the office name.
      L({ text: 'Password: {password}', size: 5.5, bold: true, fit: true, showIf: 'separate_password' }),
      L({ text: '{nama_usaha}', size: 5, color: '#6B7280', fit: true, showIf: 'same_password' }),
    ],
    badge: [
      L({ text: '{harga}', size: 8, bold: true, align: 'right' }),
      L({ text: '{masa_aktif}', size: 6, align: 'right', color: '#374151' }),
    ],
    showLogo: false,
    showQr: false,
  },
  'a4-cards': {
    title: [L({ text: '{nama_usaha}', size: 8.5, bold: true, fit: true })],
    badge: [L({ text: '{harga}', size: 10, bold: true, align: 'right' })],
    body: [
      L({ text: 'KODE VOUCHER', size: 5.5, color: '#6B7280', spacing: 0.6 }),
      L({ text: '{kode}', size: 17, bold: true, spacing: 1, fit: true }),
      L({ text: 'Password: {password}', size: 7, bold: true, showIf: 'separate_password' }),
      L({ text: 'Masa aktif {masa_aktif}', size: 6.5, color: '#374151' }),
      L({ text: 'Paket {profil}', size: 6.5, color: '#374151' }),
    ],
    footer: [L({ text: 'Login: {dns}  ·  #{nomor}', size: 5, color: '#6B7280' })],
  },
  'thermal-58': {
    title: [L({ text: '{nama_usaha}', size: 10, bold: true, align: 'center', fit: true })],
    badge: [L({ text: '{harga}', size: 14, bold: true, align: 'center' })],
    body: [
      L({ text: 'KODE VOUCHER', size: 6.5, align: 'center', spacing: 0.6 }),
      L({ text: '{kode}', size: 18, bold: true, align: 'center', spacing: 1, fit: true }),
      L({ text: 'Password: {password}', size: 9, bold: true, align: 'center', showIf: 'separate_password' }),
      L({ text: 'Masa aktif {masa_aktif} · {profil}', size: 7, align: 'center' }),
    ],
    footer: [L({ text: 'Hubungkan WiFi, buka {dns}', size: 6.5, align: 'center' })],
    accentColor: '#000000',
  },
  'thermal-80': {
    title: [L({ text: '{nama_usaha}', size: 12, bold: true, align: 'center', fit: true })],
    badge: [L({ text: '{harga}', size: 16, bold: true, align: 'center' })],
    body: [
      L({ text: 'KODE VOUCHER', size: 7.5, align: 'center', spacing: 0.8 }),
      L({ text: '{kode}', size: 22, bold: true, align: 'center', spacing: 1.5, fit: true }),
      L({ text: 'Password: {password}', size: 11, bold: true, align: 'center', showIf: 'separate_password' }),
      L({ text: 'Masa aktif {masa_aktif} · Paket {profil}', size: 8, align: 'center' }),
    ],
    footer: [L({ text: 'Hubungkan ke WiFi lalu buka {dns} atau pindai QR', size: 7, align: 'center' })],
    accentColor: '#000000',
  },
};

/** The built-in template of a layout, fully defaulted. */
export function defaultVoucherTemplate(layout: VoucherLayout): VoucherTemplate {
  return voucherTemplateSchema.parse(DEFAULTS[layout]);
}
