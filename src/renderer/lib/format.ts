import { formatDate, formatDateTime } from '../../shared/dates';
import { formatNumber, formatRupiah } from '../../shared/money';
import i18n from '../i18n';

let officeTz = 'Asia/Jakarta';
/** Set from office settings, so every displayed time is in the office's zone, not the PC's. */
export function setOfficeTimeZone(tz: string) {
  officeTz = tz;
}
const lang = () => (i18n.language === 'en' ? 'en' : 'id');

/** `1250000` → `1,3 jt` / `1.3M`, `45000` → `45 rb` / `45k`: chart axes and tight tiles, in the UI language. */
function compactRupiah(v: number): string {
  const en = lang() === 'en';
  const a = Math.abs(v);
  if (a >= 1_000_000_000) return `${formatNumber(Math.round(v / 100_000_000) / 10)}${en ? 'B' : ' M'}`;
  if (a >= 1_000_000)
    return `${(Math.round(v / 100_000) / 10).toLocaleString(en ? 'en-US' : 'id-ID')}${en ? 'M' : ' jt'}`;
  if (a >= 1000) return `${formatNumber(Math.round(v / 1000))}${en ? 'k' : ' rb'}`;
  return formatNumber(v);
}

export const fmt = {
  rupiah: formatRupiah,
  compactRupiah,
  dateTime: (ms: number) => formatDateTime(ms, officeTz, lang()),
  date: (ms: number) => formatDate(ms, officeTz, lang()),
  tz: () => officeTz,
};
