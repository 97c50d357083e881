import {
  Alert,
  Badge,
  Button,
  FileButton,
  Group,
  Modal,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
} from '@mantine/core';
import { IconCircleCheck, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ImportTarget, type ImportPreview } from '../../../shared/contract/billing';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';

type Preview = z.infer<typeof ImportPreview>;
type Target = z.infer<typeof ImportTarget>;
const TARGETS: readonly Target[] = ImportTarget.options;

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

/** CSV/XLSX import: preview marks each row valid or not with the reason; confirm imports the valid ones at once. */
export function ImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<{ name: string; content: string; format: 'csv' | 'xlsx' } | null>(null);
  const [routerId, setRouterId] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Record<string, Target>>({});
  const [report, setReport] = useState<{ imported: number; skipped: number } | null>(null);
  const routers = useRpcQuery('routers.list', {}, { enabled: opened && can('routers.view') });
  const previewM = useRpcMutation('customers.import.preview');
  const commitM = useRpcMutation('customers.import.commit', {
    invalidate: ['customers.list', 'customers.areas', 'subscriptions.list'],
  });

  const reset = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setReport(null);
    setMapping({});
    onClose();
  };
  const input = (f: NonNullable<typeof file>, map?: Record<string, Target>) => ({
    fileName: f.name,
    content: f.content,
    format: f.format,
    routerId,
    ...(map ? { mapping: map } : {}),
  });
  const runPreview = (f: NonNullable<typeof file>, map?: Record<string, Target>) =>
    previewM.mutate(input(f, map), {
      onSuccess: (p) => {
        setPreview(p);
        setMapping(p.mapping);
        setStep(1);
      },
    });

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
          <FileButton
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={async (f) => {
              if (!f) return;
              const read = await readFile(f);
              const next = { name: f.name, ...read };
              setFile(next);
              runPreview(next);
            }}
          >
            {(props) => (
              <Button
                {...props}
                leftSection={<IconUpload size={16} />}
                loading={previewM.isPending}
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
              {t('billing.import.summary', { valid: preview.valid, invalid: preview.invalid })}
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
          <Group>
            <Button
              variant="light"
              size="xs"
              onClick={() => runPreview(file, mapping)}
              loading={previewM.isPending}
            >
              {t('billing.import.preview')}
            </Button>
          </Group>
          <ScrollArea h={320}>
            <Table striped stickyHeader data-testid="import-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={60}>{t('billing.import.line')}</Table.Th>
                  <Table.Th>{t('billing.customers.name')}</Table.Th>
                  <Table.Th>{t('billing.customers.package')}</Table.Th>
                  <Table.Th w={100}>{t('billing.customers.status')}</Table.Th>
                  <Table.Th>{t('billing.import.reasons')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.rows.map((r) => (
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
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(0)}>
              {t('billing.cancel')}
            </Button>
            <Button
              disabled={preview.valid === 0}
              loading={commitM.isPending}
              data-testid="import-confirm"
              onClick={() =>
                commitM.mutate(input(file, mapping), {
                  onSuccess: (r) => {
                    setReport(r);
                    setStep(2);
                  },
                })
              }
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
