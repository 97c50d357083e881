import { ActionIcon, Badge, Button, Center, Menu, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconPrinter } from '@tabler/icons-react';
import type { Icon } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { onEvent, rpc } from '../../api/client';
import i18n from '../../i18n';
import { ListBadge } from '../../components/ListBadge';
import { fmt } from '../../lib/format';

export type CustomerStatus = 'active' | 'isolated' | 'inactive';
export type InvoiceStatus = 'open' | 'partial' | 'paid' | 'void';

export const CUSTOMER_STATUS_COLOR: Record<CustomerStatus, string> = {
  active: 'teal',
  isolated: 'orange',
  inactive: 'gray',
};
const INVOICE_COLOR: Record<InvoiceStatus, string> = {
  open: 'yellow',
  partial: 'orange',
  paid: 'teal',
  void: 'gray',
};

export function StatusBadge({ status }: { status: CustomerStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={CUSTOMER_STATUS_COLOR[status]} variant="light" data-status={status}>
      {t(`billing.status.${status}`)}
    </Badge>
  );
}

const invoiceLabelKey = (status: InvoiceStatus, overdue?: boolean) =>
  overdue && status !== 'paid' && status !== 'void'
    ? 'billing.invoices.overdue'
    : `billing.invoiceStatus.${status}`;

const invoiceColor = (status: InvoiceStatus, overdue?: boolean) =>
  overdue && status !== 'paid' && status !== 'void' ? 'red' : INVOICE_COLOR[status];

export function InvoiceBadge({ status, overdue }: { status: InvoiceStatus; overdue?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={invoiceColor(status, overdue)} variant="light" data-status={status}>
      {t(invoiceLabelKey(status, overdue))}
    </Badge>
  );
}

/** The same badge for the cells of long lists: the list's t, one element (see ListBadge). */
export function InvoiceListBadge({
  status,
  overdue,
  t,
}: {
  status: InvoiceStatus;
  overdue?: boolean;
  t: (key: string) => string;
}) {
  return (
    <ListBadge color={invoiceColor(status, overdue)} upper data-status={status}>
      {t(invoiceLabelKey(status, overdue))}
    </ListBadge>
  );
}

/** Ledger balance: red when owed, green credit, plain when settled. */
export function Balance({ amount, size = 'sm' }: { amount: number; size?: 'sm' | 'md' | 'lg' | 'xl' }) {
  const { t } = useTranslation();
  if (amount === 0)
    return (
      <Text size={size} c="dimmed" className="tabular">
        {t('billing.customers.settled')}
      </Text>
    );
  return (
    <Text
      size={size}
      fw={600}
      c={amount > 0 ? 'red.7' : 'teal.7'}
      className="tabular"
      title={amount > 0 ? t('billing.customers.owes') : t('billing.customers.credit')}
    >
      {amount > 0 ? fmt.rupiah(amount) : `+${fmt.rupiah(-amount)}`}
    </Text>
  );
}

/** Balance for a cell of a long list: plain text, colour and title, with the list's t (no hooks, no Text). */
export function BalanceText({ amount, t }: { amount: number; t: (key: string) => string }) {
  if (amount === 0) return <span className="tabular rk-dt-dimmed">{t('billing.customers.settled')}</span>;
  return (
    <span
      className="tabular"
      style={amount > 0 ? OWED_STYLE : CREDIT_STYLE}
      title={amount > 0 ? t('billing.customers.owes') : t('billing.customers.credit')}
    >
      {amount > 0 ? fmt.rupiah(amount) : `+${fmt.rupiah(-amount)}`}
    </span>
  );
}
const OWED_STYLE = { fontWeight: 600, color: 'var(--mantine-color-red-7)' } as const;
const CREDIT_STYLE = { fontWeight: 600, color: 'var(--mantine-color-teal-7)' } as const;

export function EmptyState({
  icon: IconC,
  title,
  text,
  action,
}: {
  icon: Icon;
  title: string;
  text: string;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder p="xl">
      <Center>
        <Stack align="center" maw={520} gap="sm" py="xl" data-testid="billing-empty">
          <ThemeIcon size={64} radius="xl" variant="light">
            <IconC size={34} stroke={1.5} />
          </ThemeIcon>
          <Title order={4}>{title}</Title>
          <Text c="dimmed" ta="center">
            {text}
          </Text>
          {action}
        </Stack>
      </Center>
    </Paper>
  );
}

/** Office dates (`YYYY-MM-DD`) shown as "5 November 2026" in the office time zone. */
export function fmtDay(date: string): string {
  return fmt.date(Date.parse(`${date}T12:00:00Z`));
}

const dayShort = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-05` → "5 Nov 2026" for dense tables (one formatter per language, not one per cell). */
export function fmtDayShort(date: string): string {
  const locale = i18n.language === 'en' ? 'en-GB' : 'id-ID';
  let f = dayShort.get(locale);
  if (!f)
    dayShort.set(
      locale,
      (f = new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      })),
    );
  return f.format(new Date(`${date}T12:00:00Z`));
}

/** Saves a file the core produced (export) through the browser. */
export function download(file: { fileName: string; mime: string; dataBase64: string }): void {
  const bytes = Uint8Array.from(atob(file.dataBase64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Public receipt / invoice pages are served by the same listener as the UI in headless mode. */
export const receiptHref = (token: string, narrow = false) => `./receipt/${token}${narrow ? '?w=80' : ''}`;
export const invoiceHref = (token: string, narrow = false) => `./invoice/${token}${narrow ? '?w=80' : ''}`;

const BILLING_QUERIES = [
  'customers.list',
  'customers.get',
  'customers.areas',
  'subscriptions.list',
  'subscriptions.adoptable',
  'packages.list',
  'invoices.list',
  'invoices.get',
  'payments.list',
  'billing.summary',
  'billing.runs.list',
  'billing.settings.get',
];

/** Open billing screens refresh when anything billing changes (another cashier, a scheduled run). */
export function useBillingLive(): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      onEvent('billing.changed', () => {
        for (const k of BILLING_QUERIES) void qc.invalidateQueries({ queryKey: [k] });
      }),
    [qc],
  );
}

/**
 * Prints a receipt or invoice: straight to the printer in the desktop app, as a PDF download in a browser
 * (whose own print dialog takes it from there). Returns what happened for a notification.
 */
export async function printDocument(
  kind: 'receipt' | 'invoice',
  id: string,
  paper: 'a4' | '80mm',
): Promise<'printed' | 'downloaded'> {
  const file = await rpc('billing.documentPdf', { kind, id, paper });
  const desktop = typeof window !== 'undefined' ? window.rukun?.desktop : undefined;
  if (desktop) {
    const r = await desktop.printPdf(file.dataBase64, {});
    if (!r.ok) throw new Error(r.error ?? 'print failed');
    return 'printed';
  }
  download(file);
  return 'downloaded';
}

/** "Cetak" for a receipt or invoice: A4 or 80 mm PDF (printer or download), or the public page. */
export function PrintMenu({
  kind,
  id,
  token,
  compact,
}: {
  kind: 'receipt' | 'invoice';
  id: string;
  token: string;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const run = (paper: 'a4' | '80mm') =>
    printDocument(kind, id, paper)
      .then((how) =>
        notifications.show({
          color: 'teal',
          message: how === 'printed' ? t('billing.printed') : t('billing.pdfDownloaded'),
        }),
      )
      .catch((e: unknown) =>
        notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) }),
      );
  const href = kind === 'receipt' ? receiptHref(token) : invoiceHref(token);
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        {compact ? (
          <ActionIcon variant="subtle" aria-label={t('billing.print')}>
            <IconPrinter size={16} />
          </ActionIcon>
        ) : (
          <Button variant="default" leftSection={<IconPrinter size={16} />}>
            {t('billing.print')}
          </Button>
        )}
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void run('a4')}>{t('billing.printA4')}</Menu.Item>
        <Menu.Item onClick={() => void run('80mm')}>{t('billing.print80')}</Menu.Item>
        <Menu.Divider />
        <Menu.Item component="a" href={href} target="_blank" leftSection={<IconExternalLink size={14} />}>
          {t('billing.openPage')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
