import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { id as localeId } from 'date-fns/locale';
import type { SettingsView } from '../../shared/contract/settings';
import type { WaSettings } from '../../shared/contract/whatsapp';
import { startOfOfficeDay } from '../../shared/dates';
import { formatRupiah } from '../../shared/money';
import { dueStatusText, type TemplateValues } from '../../shared/whatsapp/templates';
import type { BillingCustomerView, BillingInvoiceView } from '../billing/api';

/** `2026-12` → `Desember 2026`. */
export function periodText(period: string, timeZone: string): string {
  const start = startOfOfficeDay(`${period}-01`, timeZone);
  return format(new TZDate(start, timeZone), 'MMMM yyyy', { locale: localeId });
}

/** `2026-12-05` → `5 Desember 2026`. */
export function dateText(date: string, timeZone: string): string {
  return format(new TZDate(startOfOfficeDay(date, timeZone), timeZone), 'd MMMM yyyy', { locale: localeId });
}

export function officeValues(s: SettingsView): TemplateValues {
  const rekening =
    s.bankAccounts.length === 0
      ? 'Hubungi kantor kami'
      : s.bankAccounts.map((b) => `${b.bank} ${b.number} a.n. ${b.holder}`).join('\n');
  return { nama_usaha: s.officeName, rekening, telepon_kantor: s.phone || '-' };
}

/** The first keyword of each list, for texts that tell the customer how to stop or restart messages. */
export function keywordValues(s: WaSettings): TemplateValues {
  return { kata_berhenti: s.inbound.optOutKeywords[0] ?? '', kata_mulai: s.inbound.optInKeywords[0] ?? '' };
}

export function customerValues(c: BillingCustomerView): TemplateValues {
  return {
    nama: c.name,
    kode_pelanggan: c.code,
    paket: c.packageName ?? '-',
    total: formatRupiah(Math.max(0, c.balance)),
  };
}

export function invoiceValues(
  inv: BillingInvoiceView,
  timeZone: string,
  today: string | null,
): TemplateValues {
  const v: TemplateValues = {
    periode: periodText(inv.period, timeZone),
    no_tagihan: inv.number,
    total: formatRupiah(inv.balanceDue > 0 ? inv.balanceDue : inv.total),
    jatuh_tempo: dateText(inv.dueDate, timeZone),
    link_bayar: inv.url ?? '',
  };
  if (today) {
    const days = Math.round(
      (startOfOfficeDay(inv.dueDate, timeZone) - startOfOfficeDay(today, timeZone)) / 86_400_000,
    );
    v.status_jatuh_tempo = dueStatusText(days);
  }
  return v;
}
