import {
  Alert,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRupiah } from '../../../shared/money';
import type { Voucher } from '../../../shared/contract/vouchers';
import { rpc, RpcError } from '../../api/client';
import { useErrorText } from '../../lib/errors';
import { downloadBase64, durationText } from './shared';
import { TemplateEditor } from './TemplateEditor';
import { useAuth } from '../../auth/AuthProvider';

type Layout = 'a4-compact' | 'a4-cards' | 'thermal-58' | 'thermal-80';
const PER_PAGE: Record<Layout, number> = {
  'a4-compact': 120,
  'a4-cards': 24,
  'thermal-58': 40,
  'thermal-80': 40,
};

export interface PrintTarget {
  batchId?: string;
  ids?: string[];
  count: number;
  sample: Voucher[];
  officeName?: string;
}

/**
 * Print preview and output. The desktop app prints to the chosen printer through Electron; headless mode
 * downloads the PDF (the browser's own print dialog takes it from there).
 */
export function PrintModal({ target, onClose }: { target: PrintTarget | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const desktop = typeof window !== 'undefined' ? window.rukun?.desktop : undefined;
  const [layout, setLayout] = useState<Layout>('a4-compact');
  const [dns, setDns] = useState('');
  const [printers, setPrinters] = useState<{ name: string; isDefault: boolean }[]>([]);
  const [printer, setPrinter] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const { can } = useAuth();

  useEffect(() => {
    if (!desktop || !target) return;
    void desktop.listPrinters().then((list) => {
      setPrinters(list);
      setPrinter((p) => p ?? list.find((x) => x.isDefault)?.name ?? list[0]?.name ?? null);
    });
  }, [desktop, target]);

  const make = async () => {
    if (!target) throw new Error('no target');
    return rpc('vouchers.printPdf', {
      layout,
      ...(target.batchId ? { batchId: target.batchId } : {}),
      ...(target.ids ? { ids: target.ids } : {}),
      ...(dns.trim() ? { dnsName: dns.trim() } : {}),
    });
  };
  const run = async (mode: 'print' | 'download') => {
    setBusy(true);
    try {
      const pdf = await make();
      if (mode === 'print' && desktop) {
        const r = await desktop.printPdf(pdf.base64, printer ? { printer } : {});
        if (!r.ok) throw new Error(r.error ?? 'print failed');
        notifications.show({ color: 'teal', message: t('vouchers.print.printed') });
      } else {
        downloadBase64(pdf.base64, pdf.filename, pdf.mime);
        notifications.show({ color: 'teal', message: t('vouchers.print.downloaded') });
      }
      onClose();
    } catch (e) {
      notifications.show({
        color: 'red',
        title: e instanceof RpcError ? errorText.title(e) : t('vouchers.actions.print'),
        message: e instanceof RpcError ? errorText.message(e) : String(e),
      });
    } finally {
      setBusy(false);
    }
  };

  const count = target?.count ?? 0;
  const sample = (target?.sample ?? []).slice(0, layout === 'a4-compact' ? 6 : 3);
  return (
    <Modal
      opened={!!target}
      onClose={onClose}
      title={t('vouchers.print.title')}
      size="lg"
      data-testid="print-modal"
    >
      <Stack>
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('vouchers.print.layout')}
          </Text>
          <SegmentedControl
            fullWidth
            value={layout}
            onChange={(v) => setLayout(v as Layout)}
            data={(['a4-compact', 'a4-cards', 'thermal-58', 'thermal-80'] as const).map((l) => ({
              value: l,
              label: t(`vouchers.print.layouts.${l}`),
            }))}
          />
        </div>
        <Text size="sm" c="dimmed">
          {t(`vouchers.print.layoutHints.${layout}`)}{' '}
          {t('vouchers.print.pages', { count, pages: Math.max(1, Math.ceil(count / PER_PAGE[layout])) })}
        </Text>
        <Paper withBorder p="md" bg="var(--mantine-color-gray-0)">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb="xs">
            {t('vouchers.print.sample')}
          </Text>
          <SimpleGrid
            cols={layout === 'a4-compact' ? 3 : layout === 'a4-cards' ? 2 : 1}
            spacing={6}
            maw={layout.startsWith('thermal') ? (layout === 'thermal-58' ? 220 : 300) : undefined}
            mx={layout.startsWith('thermal') ? 'auto' : undefined}
          >
            {sample.map((v) => (
              <Paper
                key={v.id}
                withBorder
                p={6}
                radius="xs"
                bg="white"
                style={{ borderStyle: layout.startsWith('thermal') ? 'dashed' : 'solid' }}
              >
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Text size="10px" fw={700} truncate>
                    {target?.officeName ?? v.profile}
                  </Text>
                  <Text size="10px" fw={700} c="teal.8">
                    {formatRupiah(v.priceSell)}
                  </Text>
                </Group>
                <Text
                  ff="monospace"
                  fw={800}
                  size={layout === 'a4-compact' ? 'sm' : 'lg'}
                  ta="center"
                  lts={1}
                >
                  {v.username}
                </Text>
                {v.password !== v.username && (
                  <Text ff="monospace" size="xs" ta="center">
                    {t('vouchers.columns.password')}: {v.password}
                  </Text>
                )}
                <Text size="10px" c="dimmed" ta="center">
                  {t('vouchers.print.validity')}: {durationText(v.validitySeconds, i18n.language)} ·{' '}
                  {v.profile}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
        </Paper>
        {editing ? (
          <TemplateEditor layout={layout} onDone={() => setEditing(false)} />
        ) : (
          can('vouchers.manage') && (
            <Group justify="flex-end" mt={-8}>
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => setEditing(true)}
                data-testid="edit-template"
              >
                {t('vouchers.template.edit')}
              </Button>
            </Group>
          )
        )}
        <TextInput
          label={t('vouchers.print.dns')}
          description={t('vouchers.print.dnsHint')}
          placeholder="hotspot.rtrwnet.id"
          value={dns}
          onChange={(e) => setDns(e.currentTarget.value)}
        />
        {desktop && printers.length > 0 && (
          <Select
            label={t('vouchers.print.printer')}
            data={printers.map((p) => p.name)}
            value={printer}
            onChange={setPrinter}
            allowDeselect={false}
          />
        )}
        {count === 0 && <Alert color="orange">{t('vouchers.empty.vouchers')}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('vouchers.actions.close')}
          </Button>
          <Button
            variant={desktop ? 'default' : 'filled'}
            leftSection={<IconDownload size={16} />}
            loading={busy}
            onClick={() => void run('download')}
            data-testid="print-download"
            disabled={count === 0}
          >
            {t('vouchers.actions.download')}
          </Button>
          {desktop && (
            <Button
              leftSection={<IconPrinter size={16} />}
              loading={busy}
              onClick={() => void run('print')}
              disabled={count === 0}
            >
              {t('vouchers.actions.print')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
