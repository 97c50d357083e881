import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { id as localeId, enUS } from 'date-fns/locale';

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

/** Calendar date (`YYYY-MM-DD`) of an instant in the office time zone. */
export function officeDate(ms: number, timeZone: string): string {
  return format(new TZDate(ms, timeZone), 'yyyy-MM-dd');
}

/** Billing period (`YYYY-MM`) of an instant in the office time zone. */
export function officePeriod(ms: number, timeZone: string): string {
  return format(new TZDate(ms, timeZone), 'yyyy-MM');
}

/** Midnight at the start of `YYYY-MM-DD` in the office time zone, as epoch ms. */
export function startOfOfficeDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) throw new RangeError(`Bad date ${date}`);
  return new TZDate(y, m - 1, d, 0, 0, 0, 0, timeZone).getTime();
}

export function formatDateTime(ms: number, timeZone: string, lang: 'id' | 'en' = 'id'): string {
  return format(new TZDate(ms, timeZone), 'd MMM yyyy HH:mm', { locale: lang === 'id' ? localeId : enUS });
}

export function formatDate(ms: number, timeZone: string, lang: 'id' | 'en' = 'id'): string {
  return format(new TZDate(ms, timeZone), 'd MMMM yyyy', { locale: lang === 'id' ? localeId : enUS });
}
