import {
  Alert,
  Badge,
  Button,
  FileButton,
  Group,
  Modal,
  Progress,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconDownload,
  IconFileSpreadsheet,
  IconUpload,
} from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ImportTarget, type ImportPreview } from '../../../shared/contract/billing';
import {
  IMPORT_MAX_FILE_BYTES,
  IMPORT_MAX_ROWS,
  IMPORT_MAX_UNCOMPRESSED_BYTES,
  IMPORT_TIME_LIMIT_MS,
  formatMegabytes,
} from '../../../shared/contract/import-limits';
import { toCsv } from '../../../shared/csv';
import { formatNumber } from '../../../shared/money';
import { RpcError, onEvent } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { useErrorText } from '../../lib/errors';
import { download } from './common';

type Preview = z.infer<typeof ImportPreview>;
type Target = z.infer<typeof ImportTarget>;
const TARGETS: readonly Target[] = ImportTarget.options;

/** Rows drawn in the preview table; the downloadable report has them all. */
const MAX_SHOWN = 300;
const MB = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Reasons the core gives (details.reason) for refusing a whole file, each with its own translated text. */
const FILE_REASONS = [
  'payload_too_large',
  'too_many_rows',
  'uncompressed_too_large',
  'time_limit',
  'memory_limit',
  'invalid_file',
  'encrypted',
  'bad_header',
  'bad_quotes',
  'too_many_entries',
  'too_large',
] as const;
type FileReason = (typeof FILE_REASONS)[number];
const isFileReason = (v: unknown): v is FileReason => (FILE_REASONS as readonly unknown[]).includes(v);

async function readFile(file: File): Promise<{ content: string; format: 'csv' | 'xlsx' }> {
  if (/\.xlsx$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { content: btoa(bin), format: 'xlsx' };
  }
  return { content: await file.text(), format: 'csv' };
}

type Phase =
  | { kind: 'reading' | 'checking'; name: string; size: number }
  | { kind: 'importing'; count: number; jobId: string }
  | null;

/**
 * What the dialog is doing. While the rows are saved it follows the core's progress events for this import's
 * job; the events change only this component, never the (large) preview table around it.
 */
function PhaseProgress({ phase }: { phase: NonNullable<Phase> }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<{ written: number; total: number } | null>(null);
  const jobId = phase.kind === 'importing' ? phase.jobId : null;
  useEffect(() => {
    setSaved(null);
    if (!jobId) return;
    return onEvent('customers.importProgress', (p) => {
      if (p.jobId === jobId && p.total > 0) setSaved({ written: p.written, total: p.total });
    });
  }, [jobId]);
  return (
    <Stack gap={4} data-testid="import-progress">
      <Text size="sm">
        {saved
          ? t('billing.import.importingProgress', {
              written: formatNumber(saved.written),
              total: formatNumber(saved.total),
            })
          : phase.kind === 'importing'
            ? t('billing.import.importing', { count: formatNumber(phase.count) })
            : t(`billing.import.${phase.kind}`, {
                name: phase.name,
                size: formatMegabytes(phase.size),
                seconds: Math.round(IMPORT_TIME_LIMIT_MS / 1000),
              })}
      </Text>
      {saved ? (
        <Progress
          value={Math.min(100, (saved.written / saved.total) * 100)}
          data-testid="import-commit-progress"
        />
      ) : (
        <Progress value={100} animated striped />
      )}
    </Stack>
  );
}

/** CSV/XLSX import: preview marks each row valid or not with the reason; confirm imports the valid ones at once. */
export function ImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const errorText = useErrorText();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<{
    name: string;
    size: number;
    content: string;
    format: 'csv' | 'xlsx';
  } | null>(null);
  const [routerId, setRouterId] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Record<string, Target>>({});
  const [report, setReport] = useState<{ imported: number; skipped: number } | null>(null);
  const [phase, setPhase] = useState<Phase>(null);
  const [error, setError] = useState<string | null>(null);
  const [show, setShow] = useState<'all' | 'invalid'>('all');
  const routers = useRpcQuery('routers.list', {}, { enabled: opened && can('routers.view') });
  const previewM = useRpcMutation('customers.import.preview', { silentErrors: true });
  const commitM = useRpcMutation('customers.import.commit', {
    invalidate: ['customers.list', 'customers.areas', 'subscriptions.list'],
    silentErrors: true,
  });

  /** A refusal of the whole file, in the UI language, with the limits filled in. */
  const describe = (e: unknown): string => {
    if (!(e instanceof RpcError)) return errorText.message(e);
    const d = e.details ?? {};
    const reason = d['reason'];
    if (isFileReason(reason))
      return t(`billing.import.errors.${reason}`, {
        mb: MB(reason === 'uncompressed_too_large' ? IMPORT_MAX_UNCOMPRESSED_BYTES : IMPORT_MAX_FILE_BYTES),
        rows: formatNumber(Number(d['rows'] ?? 0)),
        limit: formatNumber(Number(d['limit'] ?? IMPORT_MAX_ROWS)),
        seconds: Math.round(Number(d['limitMs'] ?? IMPORT_TIME_LIMIT_MS) / 1000),
      });
    // A refusal by the contract (e.g. the size check) names the file's content: show just that sentence.
    const onContent = e.details?.issues?.find((i) => i.path === 'content');
    return onContent?.message ?? errorText.message(e);
  };

  const reset = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setReport(null);
    setMapping({});
    setPhase(null);
    setError(null);
    setShow('all');
    onClose();
  };
  const input = (f: NonNullable<typeof file>, map?: Record<string, Target>) => ({
    fileName: f.name,
    content: f.content,
    format: f.format,
    routerId,
    ...(map ? { mapping: map } : {}),
  });
  const runPreview = (f: NonNullable<typeof file>, map?: Record<string, Target>) => {
    setError(null);
    setPhase({ kind: 'checking', name: f.name, size: f.size });
    previewM.mutate(input(f, map), {
      onSuccess: (p) => {
        setPreview(p);
        setMapping(p.mapping);
        setShow('all');
        setStep(1);
      },
      onError: (e) => setError(describe(e)),
      onSettled: () => setPhase(null),
    });
  };

  const pick = async (f: File | null) => {
    if (!f) return;
    setError(null);
    // Refused here, before a byte is sent: the same limits the core applies (import-limits.ts).
    if (!/\.(csv|xlsx)$/i.test(f.name)) return setError(t('billing.import.errors.unsupported_format'));
    if (f.size > IMPORT_MAX_FILE_BYTES)
      return setError(
        t('billing.import.errors.file_too_large', {
          size: formatMegabytes(f.size),
          mb: MB(IMPORT_MAX_FILE_BYTES),
        }),
      );
    setPhase({ kind: 'reading', name: f.name, size: f.size });
    try {
      const next = { name: f.name, size: f.size, ...(await readFile(f)) };
      setFile(next);
      runPreview(next);
    } catch (e) {
      setPhase(null);
      setError(describe(e));
    }
  };

  const rows = useMemo(
    () => (preview ? (show === 'invalid' ? preview.rows.filter((r) => !r.valid) : preview.rows) : []),
    [preview, show],
  );

  const downloadReport = () => {
    if (!preview || !file) return;
    const c = (k: string) => t(`billing.import.reportColumns.${k}`);
    const csv = toCsv(
      [c('line'), c('status'), c('name'), c('phone'), c('reasons')],
      preview.rows.map((r) => [
        r.line,
        r.valid ? t('billing.import.valid') : t('billing.import.invalid'),
        r.name,
        r.phone ?? '',
        r.errors.join('; '),
      ]),
    );
    const bytes = new TextEncoder().encode(csv);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    download({
      fileName: `laporan-impor-${file.name.replace(/\.[^.]+$/, '')}.csv`,
      mime: 'text/csv',
      dataBase64: btoa(bin),
    });
  };

  const progress = phase && <PhaseProgress phase={phase} />;
  const errorAlert = error && (
    <Alert
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={t('billing.import.failed')}
      data-testid="import-error"
    >
      {error}
    </Alert>
  );

  return (
    <Modal opened={opened} onClose={reset} title={t('billing.import.title')} size="xl">
      <Stepper active={step} size="sm" mb="lg">
        <Stepper.Step label={t('billing.import.step1')} />
        <Stepper.Step label={t('billing.import.step2')} />
        <Stepper.Step label={t('billing.import.step3')} />
      </Stepper>
      {step === 0 && (
        <Stack>
          <Text size="sm" c="dimmed">
            {t('billing.import.format')}
          </Text>
          <Text size="sm" c="dimmed">
            {t('billing.import.limits', {
              mb: MB(IMPORT_MAX_FILE_BYTES),
              rows: formatNumber(IMPORT_MAX_ROWS),
            })}
          </Text>
          {can('routers.view') && (
            <Select
              label={t('billing.customers.router')}
              description={t('billing.import.routerHint')}
              clearable
              data={(routers.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              value={routerId}
              onChange={setRouterId}
            />
          )}
          {errorAlert}
          {progress}
          <FileButton
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(f) => void pick(f)}
          >
            {(props) => (
              <Button
                {...props}
                leftSection={<IconUpload size={16} />}
                loading={phase !== null}
                data-testid="import-pick"
              >
                {t('billing.import.pick')}
              </Button>
            )}
          </FileButton>
        </Stack>
      )}
      {step === 1 && preview && file && (
        <Stack>
          <Group justify="space-between">
            <Group gap="xs">
              <IconFileSpreadsheet size={18} />
              <Text fw={500}>{file.name}</Text>
            </Group>
            <Text size="sm" data-testid="import-summary">
              {t('billing.import.summary', {
                valid: formatNumber(preview.valid),
                invalid: formatNumber(preview.invalid),
              })}
            </Text>
          </Group>
          <Text size="sm" fw={600}>
            {t('billing.import.mapping')}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {preview.columns.map((col) => (
              <Select
                key={col}
                label={col}
                size="xs"
                clearable
                placeholder={t('billing.import.ignore')}
                data={TARGETS}
                value={mapping[col] ?? null}
                onChange={(v) => {
                  const next = { ...mapping };
                  if (v) next[col] = v as Target;
                  else delete next[col];
                  setMapping(next);
                }}
              />
            ))}
          </SimpleGrid>
          <Group justify="space-between">
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => runPreview(file, mapping)}
                loading={previewM.isPending}
              >
                {t('billing.import.preview')}
              </Button>
              <Button
                variant="subtle"
                size="xs"
                leftSection={<IconDownload size={14} />}
                onClick={downloadReport}
                data-testid="import-report"
              >
                {t('billing.import.report')}
              </Button>
            </Group>
            <SegmentedControl
              size="xs"
              value={show}
              onChange={(v) => setShow(v === 'invalid' ? 'invalid' : 'all')}
              data={[
                { value: 'all', label: t('billing.import.show.all') },
                { value: 'invalid', label: t('billing.import.show.invalid') },
              ]}
            />
          </Group>
          {errorAlert}
          {progress}
          <ScrollArea h={320}>
            <Table striped stickyHeader data-testid="import-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={60}>{t('billing.import.line')}</Table.Th>
                  <Table.Th>{t('billing.customers.name')}</Table.Th>
                  <Table.Th>{t('billing.customers.package')}</Table.Th>
                  <Table.Th w={120}>{t('billing.customers.status')}</Table.Th>
                  <Table.Th>{t('billing.import.reasons')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.slice(0, MAX_SHOWN).map((r) => (
                  <Table.Tr key={r.line} bg={r.valid ? undefined : 'var(--mantine-color-red-light)'}>
                    <Table.Td className="tabular">{r.line}</Table.Td>
                    <Table.Td>{r.name}</Table.Td>
                    <Table.Td>{r.packageName}</Table.Td>
                    <Table.Td>
                      <Badge color={r.valid ? 'teal' : 'red'} variant="light">
                        {r.valid ? t('billing.import.valid') : t('billing.import.invalid')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{r.errors.join(' · ')}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          {rows.length > MAX_SHOWN && (
            <Text size="xs" c="dimmed" data-testid="import-shown">
              {t('billing.import.shown', {
                shown: formatNumber(MAX_SHOWN),
                total: formatNumber(rows.length),
              })}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(0)}>
              {t('billing.cancel')}
            </Button>
            <Button
              disabled={preview.valid === 0 || phase !== null}
              loading={commitM.isPending}
              data-testid="import-confirm"
              onClick={() => {
                setError(null);
                const jobId = crypto.randomUUID();
                setPhase({ kind: 'importing', count: preview.valid, jobId });
                commitM.mutate(
                  { ...input(file, mapping), jobId },
                  {
                    onSuccess: (r) => {
                      setReport(r);
                      setStep(2);
                    },
                    onError: (e) => setError(describe(e)),
                    onSettled: () => setPhase(null),
                  },
                );
              }}
            >
              {t('billing.import.confirm', { count: preview.valid })}
            </Button>
          </Group>
        </Stack>
      )}
      {step === 2 && report && (
        <Stack>
          <Alert color="teal" icon={<IconCircleCheck size={18} />} data-testid="import-done">
            {t('billing.import.done', report)}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={reset}>{t('billing.close')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
