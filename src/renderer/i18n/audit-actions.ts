import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Readable labels for the action codes the core writes into the audit log (`recordChange`, `auditRaw`, the
 * account service). The codes stay the stored truth; the UI shows these labels and falls back to the raw
 * code for anything unknown, so a new action never disappears from the log. tests/dashboard checks that
 * every action literal in src/main has a label here.
 */
export const AUDIT_ACTIONS: Record<string, { id: string; en: string }> = {
  // accounts
  'auth.setup': { id: 'Rukun disiapkan', en: 'Rukun set up' },
  'auth.login': { id: 'Masuk', en: 'Logged in' },
  'auth.login_failed': { id: 'Gagal masuk', en: 'Failed login' },
  'auth.locked': { id: 'Akun dikunci', en: 'Account locked' },
  'auth.changePassword_failed': { id: 'Kata sandi lama salah', en: 'Wrong current password' },
  'auth.forbidden': { id: 'Akses ditolak', en: 'Access refused' },
  'auth.logout': { id: 'Keluar', en: 'Logged out' },
  'auth.changePassword': { id: 'Kata sandi diganti', en: 'Password changed' },
  'staff.create': { id: 'Staf ditambahkan', en: 'Staff added' },
  'staff.update': { id: 'Data staf diubah', en: 'Staff updated' },
  'staff.resetPassword': { id: 'Kata sandi staf direset', en: 'Staff password reset' },
  // office settings
  'settings.update': { id: 'Pengaturan kantor diubah', en: 'Office settings changed' },
  'settings.setLogo': { id: 'Logo diunggah', en: 'Logo uploaded' },
  'settings.removeLogo': { id: 'Logo dihapus', en: 'Logo removed' },
  // routers
  'routers.create': { id: 'Router ditambahkan', en: 'Router added' },
  'routers.update': { id: 'Router diubah', en: 'Router updated' },
  'routers.remove': { id: 'Router dihapus', en: 'Router removed' },
  'routers.pinCertificate': {
    id: 'Sertifikat API-SSL router disematkan',
    en: 'Router API-SSL certificate pinned',
  },
  'routers.acceptCertificate': {
    id: 'Sertifikat API-SSL baru router diterima',
    en: 'New router API-SSL certificate accepted',
  },
  'routers.setReconcilePolicy': {
    id: 'Sinkronisasi otomatis router diubah',
    en: 'Router automatic sync changed',
  },
  'routerJobs.retry': { id: 'Antrian sinkron diulang', en: 'Sync job retried' },
  'routerJobs.retryFailed': { id: 'Semua sinkron gagal diulang', en: 'Failed sync jobs retried' },
  'routerJobs.cancel': { id: 'Antrian sinkron dibatalkan', en: 'Sync job cancelled' },
  'reconcile.repair': { id: 'Selisih router diperbaiki', en: 'Router drift repaired' },
  'reconcile.autoRepair': {
    id: 'Selisih router diperbaiki sesuai kebijakan',
    en: 'Router drift repaired by policy',
  },
  'reconcile.adopt': { id: 'Data router diambil alih', en: 'Router data adopted' },
  'reconcile.adopt.hotspotProfiles': { id: 'Profil hotspot diambil alih', en: 'Hotspot profiles adopted' },
  'reconcile.adopt.pppProfiles': { id: 'Profil PPP diambil alih', en: 'PPP profiles adopted' },
  'reconcile.adopt.pppSecrets': { id: 'Secret PPPoE diambil alih', en: 'PPPoE secrets adopted' },
  'monitor.kick': { id: 'Sesi diputus', en: 'Session kicked' },
  'hotspotProfiles.create': { id: 'Profil hotspot dibuat', en: 'Hotspot profile created' },
  'hotspotProfiles.update': { id: 'Profil hotspot diubah', en: 'Hotspot profile updated' },
  'hotspotProfiles.remove': { id: 'Profil hotspot dihapus', en: 'Hotspot profile removed' },
  'hotspotProfiles.setMeta': { id: 'Harga profil voucher diubah', en: 'Voucher profile pricing changed' },
  'pppProfiles.create': { id: 'Profil PPP dibuat', en: 'PPP profile created' },
  'pppProfiles.update': { id: 'Profil PPP diubah', en: 'PPP profile updated' },
  'pppProfiles.remove': { id: 'Profil PPP dihapus', en: 'PPP profile removed' },
  'pppSecrets.create': { id: 'Secret PPPoE dibuat', en: 'PPPoE secret created' },
  'pppSecrets.update': { id: 'Secret PPPoE diubah', en: 'PPPoE secret updated' },
  'pppSecrets.remove': { id: 'Secret PPPoE dihapus', en: 'PPPoE secret removed' },
  'pppSecrets.setProfile': { id: 'Profil secret PPPoE diganti', en: 'PPPoE secret profile changed' },
  'pppSecrets.setDisabled': {
    id: 'Secret PPPoE diaktifkan/dinonaktifkan',
    en: 'PPPoE secret enabled/disabled',
  },
  'pppSecrets.link': { id: 'Secret PPPoE ditautkan ke langganan', en: 'PPPoE secret linked to subscription' },
  // vouchers
  'vouchers.createBatch': { id: 'Batch voucher dibuat', en: 'Voucher batch created' },
  'vouchers.retryBatch': { id: 'Batch voucher dikirim ulang', en: 'Voucher batch pushed again' },
  'vouchers.firstLogin': { id: 'Voucher login pertama', en: 'Voucher first login' },
  'vouchers.sync': { id: 'Voucher disinkronkan', en: 'Vouchers synced' },
  'vouchers.importMikhmon': { id: 'Data Mikhmon diimpor', en: 'Mikhmon data imported' },
  'vouchers.adoptUsers': { id: 'Voucher dari router diambil alih', en: 'Router vouchers adopted' },
  'vouchers.renameCollisions': { id: 'Kode voucher bentrok diganti', en: 'Colliding voucher codes renamed' },
  'vouchers.disable': { id: 'Voucher dinonaktifkan', en: 'Vouchers disabled' },
  'vouchers.enable': { id: 'Voucher diaktifkan', en: 'Vouchers enabled' },
  'vouchers.delete': { id: 'Voucher dihapus', en: 'Vouchers deleted' },
  'vouchers.extend': { id: 'Masa voucher diperpanjang', en: 'Vouchers extended' },
  'vouchers.templates.save': { id: 'Templat cetak voucher disimpan', en: 'Voucher print template saved' },
  'vouchers.templates.reset': {
    id: 'Templat cetak voucher dikembalikan',
    en: 'Voucher print template reset',
  },
  // billing
  'billing.settings.update': { id: 'Pengaturan tagihan diubah', en: 'Billing settings changed' },
  'packages.create': { id: 'Paket dibuat', en: 'Package created' },
  'packages.update': { id: 'Paket diubah', en: 'Package updated' },
  'packages.delete': { id: 'Paket dihapus', en: 'Package deleted' },
  'customers.create': { id: 'Pelanggan ditambahkan', en: 'Customer added' },
  'customers.update': { id: 'Data pelanggan diubah', en: 'Customer updated' },
  'customers.import': { id: 'Pelanggan diimpor', en: 'Customers imported' },
  'subscriptions.create': { id: 'Langganan dibuat', en: 'Subscription created' },
  'subscriptions.update': { id: 'Langganan diubah', en: 'Subscription updated' },
  'subscriptions.adopt': { id: 'Secret diambil alih jadi langganan', en: 'Secret adopted as subscription' },
  'subscriptions.disable': { id: 'Langganan dihentikan', en: 'Subscription stopped' },
  'subscriptions.isolate': { id: 'Pelanggan diisolir', en: 'Customer isolated' },
  'subscriptions.restore': { id: 'Isolir dibuka', en: 'Isolation lifted' },
  'subscriptions.showPassword': { id: 'Kata sandi PPPoE dilihat', en: 'PPPoE password viewed' },
  'isolation.installNotice': {
    id: 'Halaman isolir dipasang di router',
    en: 'Isolation notice installed on router',
  },
  'invoices.issue': { id: 'Tagihan diterbitkan', en: 'Invoice issued' },
  'invoices.markOverdue': { id: 'Tagihan lewat jatuh tempo', en: 'Invoice overdue' },
  'invoices.void': { id: 'Tagihan dibatalkan', en: 'Invoice voided' },
  'payments.record': { id: 'Pembayaran dicatat', en: 'Payment recorded' },
  'payments.reverse': { id: 'Pembayaran dikoreksi', en: 'Payment reversed' },
  // WhatsApp
  'whatsapp.link': { id: 'WhatsApp ditautkan', en: 'WhatsApp linked' },
  'whatsapp.logout': { id: 'WhatsApp dilepas', en: 'WhatsApp unlinked' },
  'whatsapp.settings.update': { id: 'Pengaturan WhatsApp diubah', en: 'WhatsApp settings changed' },
  'whatsapp.templates.update': { id: 'Templat pesan diubah', en: 'Message template changed' },
  'whatsapp.templates.reset': { id: 'Templat pesan dikembalikan', en: 'Message template reset' },
  'whatsapp.send': { id: 'Pesan WhatsApp dikirim', en: 'WhatsApp message sent' },
  'whatsapp.bulk.send': { id: 'Pesan massal diantrikan', en: 'Bulk message queued' },
  'whatsapp.messages.retry': { id: 'Pesan dikirim ulang', en: 'Messages retried' },
  'whatsapp.messages.cancel': { id: 'Pesan dibatalkan', en: 'Messages cancelled' },
  'whatsapp.messages.markSent': { id: 'Pesan ditandai terkirim', en: 'Messages marked sent' },
  'whatsapp.inbound.optOut': {
    id: 'Pelanggan berhenti lewat balasan WhatsApp',
    en: 'Customer opted out by WhatsApp reply',
  },
  'whatsapp.inbound.optIn': {
    id: 'Pelanggan berlangganan lagi lewat balasan WhatsApp',
    en: 'Customer opted back in by WhatsApp reply',
  },
};

/** Colour of an action's badge by what it touches: money, access, routers, messages. */
export function auditActionColor(action: string): string {
  const domain = action.split('.')[0] ?? '';
  if (
    action === 'auth.login_failed' ||
    action === 'auth.locked' ||
    action === 'auth.forbidden' ||
    action.endsWith('.remove') ||
    action.endsWith('.delete') ||
    action.endsWith('.void') ||
    action.endsWith('.reverse')
  )
    return 'red';
  if (domain === 'payments' || domain === 'invoices') return 'teal';
  if (domain === 'auth' || domain === 'staff' || domain === 'settings') return 'gray';
  if (domain === 'whatsapp') return 'green';
  if (domain === 'vouchers' || domain === 'hotspotProfiles') return 'violet';
  if (
    domain === 'subscriptions' ||
    domain === 'customers' ||
    domain === 'packages' ||
    domain === 'isolation' ||
    domain === 'billing'
  )
    return 'blue';
  return 'indigo';
}

export function auditActionLabel(action: string, lang: string): string {
  const l = AUDIT_ACTIONS[action];
  if (!l) return action;
  return lang === 'en' ? l.en : l.id;
}

/** `(code) => label` in the current UI language. */
export function useAuditActionLabel(): (action: string) => string {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useCallback((action: string) => auditActionLabel(action, lang), [lang]);
}

/** Readable names for the `entity` the core writes into the audit log; unknown ones fall back to the code. */
export const AUDIT_ENTITIES: Record<string, { id: string; en: string }> = {
  billing_settings: { id: 'Pengaturan tagihan', en: 'Billing settings' },
  customer: { id: 'Pelanggan', en: 'Customer' },
  hotspot_profile: { id: 'Profil hotspot', en: 'Hotspot profile' },
  invoice: { id: 'Tagihan', en: 'Invoice' },
  package: { id: 'Paket', en: 'Package' },
  payment: { id: 'Pembayaran', en: 'Payment' },
  ppp_profile: { id: 'Profil PPPoE', en: 'PPPoE profile' },
  ppp_secret: { id: 'Secret PPPoE', en: 'PPPoE secret' },
  router: { id: 'Router', en: 'Router' },
  router_job: { id: 'Antrean router', en: 'Router job' },
  run: { id: 'Jadwal tagihan', en: 'Billing run' },
  settings: { id: 'Pengaturan kantor', en: 'Office settings' },
  subscription: { id: 'Langganan', en: 'Subscription' },
  user: { id: 'Akun staf', en: 'Staff account' },
  voucher: { id: 'Voucher', en: 'Voucher' },
  voucher_batch: { id: 'Batch voucher', en: 'Voucher batch' },
  voucher_print_template: { id: 'Template cetak voucher', en: 'Voucher print template' },
  whatsapp_batch: { id: 'Kiriman massal WhatsApp', en: 'WhatsApp bulk send' },
  whatsapp_message: { id: 'Pesan WhatsApp', en: 'WhatsApp message' },
  whatsapp_session: { id: 'Sesi WhatsApp', en: 'WhatsApp session' },
  whatsapp_settings: { id: 'Pengaturan WhatsApp', en: 'WhatsApp settings' },
  whatsapp_template: { id: 'Template WhatsApp', en: 'WhatsApp template' },
};

/** Fields that name a record better than its id (invoice number, receipt, customer name, voucher code…). */
const NAME_FIELDS = ['number', 'receipt', 'code', 'name', 'username', 'title', 'label', 'key'] as const;

function nameOf(v: unknown): string | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  for (const f of NAME_FIELDS) {
    const x = o[f];
    if (typeof x === 'string' && x.trim()) return x.trim();
  }
  return null;
}

/**
 * `Tagihan · INV/2026/11/00080`, `Pelanggan · Euis Setiawan`: the object of an audit entry as an operator reads it.
 * Without a name in the before/after snapshot, the id's random tail (UUIDv7 heads are all the same timestamp).
 */
export function auditObjectLabel(
  e: { entity: string; entityId: string | null; before: unknown; after: unknown },
  lang: string,
): string {
  const l = AUDIT_ENTITIES[e.entity];
  const kind = l ? (lang === 'en' ? l.en : l.id) : e.entity;
  const name =
    nameOf(e.after) ?? nameOf(e.before) ?? (e.entityId ? `#${e.entityId.replace(/-/g, '').slice(-6)}` : null);
  return name ? `${kind} · ${name}` : kind;
}
