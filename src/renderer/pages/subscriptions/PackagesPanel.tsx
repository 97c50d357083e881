import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { IconEdit, IconPackage, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageView } from '../../../shared/contract/billing';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors } from '../../lib/form';
import { fmt } from '../../lib/format';
import { EmptyState } from '../customers/common';

const blank = {
  name: '',
  speed: '',
  price: 0 as number | string,
  pppProfile: '',
  rateLimit: '',
  localAddress: '',
  remotePool: '',
  taxable: false,
  taxInclusive: true,
  active: true,
};

export function PackagesPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useRpcQuery('packages.list', { includeInactive: true });
  const [editing, setEditing] = useState<PackageView | 'new' | null>(null);
  const remove = useRpcMutation('packages.delete', { invalidate: ['packages.list'] });
  const manage = can('billing.manage');
  if (list.data?.length === 0)
    return (
      <>
        <EmptyState
          icon={IconPackage}
          title={t('billing.packages.emptyTitle')}
          text={t('billing.packages.emptyText')}
          action={
            manage && (
              <Button
                leftSection={<IconPlus size={16} />}
                onClick={() => setEditing('new')}
                data-testid="package-add"
              >
                {t('billing.packages.add')}
              </Button>
            )
          }
        />
        <PackageForm target={editing} onClose={() => setEditing(null)} />
      </>
    );
  return (
    <Stack>
      {manage && (
        <Group justify="flex-end">
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setEditing('new')}
            data-testid="package-add"
          >
            {t('billing.packages.add')}
          </Button>
        </Group>
      )}
      <Paper withBorder>
        <Table striped highlightOnHover data-testid="packages-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('billing.packages.name')}</Table.Th>
              <Table.Th>{t('billing.packages.speed')}</Table.Th>
              <Table.Th ta="right">{t('billing.packages.price')}</Table.Th>
              <Table.Th>{t('billing.packages.profile')}</Table.Th>
              <Table.Th>{t('billing.packages.rateLimit')}</Table.Th>
              <Table.Th ta="right">{t('billing.packages.subscribers')}</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data ?? []).map((p) => (
              <Table.Tr key={p.id} opacity={p.active ? 1 : 0.6}>
                <Table.Td fw={500}>
                  {p.name}{' '}
                  {!p.active && (
                    <Badge size="xs" color="gray">
                      {t('billing.status.inactive')}
                    </Badge>
                  )}{' '}
                  {p.taxable && (
                    <Badge size="xs" variant="outline">
                      PPN
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{p.speed}</Table.Td>
                <Table.Td ta="right" className="tabular">
                  {fmt.rupiah(p.price)}
                </Table.Td>
                <Table.Td ff="monospace">{p.pppProfile}</Table.Td>
                <Table.Td ff="monospace">{p.rateLimit || '—'}</Table.Td>
                <Table.Td ta="right" className="tabular">
                  {p.subscriptions}
                </Table.Td>
                <Table.Td>
                  {manage && (
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        onClick={() => setEditing(p)}
                        aria-label={t('billing.customers.edit')}
                      >
                        <IconEdit size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        disabled={p.subscriptions > 0}
                        title={
                          p.subscriptions > 0
                            ? t('billing.packages.inUse', { count: p.subscriptions })
                            : t('billing.packages.delete')
                        }
                        onClick={() =>
                          modals.openConfirmModal({
                            title: `${t('billing.packages.delete')} ${p.name}?`,
                            labels: { confirm: t('billing.packages.delete'), cancel: t('billing.cancel') },
                            confirmProps: { color: 'red' },
                            onConfirm: () => remove.mutate({ id: p.id }),
                          })
                        }
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Text size="xs" c="dimmed">
        {t('billing.packages.profileHint')}
      </Text>
      <PackageForm target={editing} onClose={() => setEditing(null)} />
    </Stack>
  );
}

function PackageForm({ target, onClose }: { target: PackageView | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useRpcMutation('packages.create', {
    invalidate: ['packages.list'],
    successMessage: t('billing.saved'),
    silentErrors: true,
  });
  const update = useRpcMutation('packages.update', {
    invalidate: ['packages.list'],
    successMessage: t('billing.saved'),
    silentErrors: true,
  });
  const form = useForm({ initialValues: blank });
  useEffect(() => {
    if (target === 'new') form.setValues(blank);
    else if (target) form.setValues({ ...target });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);
  const onError = (e: { details?: { issues?: { path: string; message: string }[] } }) =>
    form.setErrors(serverFieldErrors(e as never));
  return (
    <Modal
      opened={!!target}
      onClose={onClose}
      title={target === 'new' ? t('billing.packages.add') : t('billing.customers.edit')}
      size="lg"
    >
      <form
        onSubmit={form.onSubmit((v) => {
          const body = { ...v, price: Number(v.price) || 0 };
          if (target === 'new') create.mutate(body, { onSuccess: onClose, onError });
          else if (target)
            update.mutate(
              { ...body, id: target.id, version: target.version },
              { onSuccess: onClose, onError },
            );
        })}
      >
        <Stack>
          <SimpleGrid cols={2}>
            <TextInput
              label={t('billing.packages.name')}
              required
              data-autofocus
              name="name"
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('billing.packages.speed')}
              required
              placeholder="10 Mbps"
              name="speed"
              {...form.getInputProps('speed')}
            />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <NumberInput
              label={t('billing.packages.price')}
              prefix="Rp "
              thousandSeparator="."
              decimalSeparator=","
              min={0}
              allowDecimal={false}
              name="price"
              {...form.getInputProps('price')}
            />
            <TextInput
              label={t('billing.packages.profile')}
              description={t('billing.packages.profileHint')}
              required
              name="pppProfile"
              {...form.getInputProps('pppProfile')}
            />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <TextInput
              label={t('billing.packages.rateLimit')}
              placeholder="10M/10M"
              name="rateLimit"
              {...form.getInputProps('rateLimit')}
            />
            <TextInput
              label={t('billing.packages.localAddress')}
              placeholder="10.10.0.1"
              {...form.getInputProps('localAddress')}
            />
            <TextInput
              label={t('billing.packages.remotePool')}
              placeholder="pool-pppoe"
              {...form.getInputProps('remotePool')}
            />
          </SimpleGrid>
          <Group>
            <Checkbox
              label={t('billing.packages.taxable')}
              {...form.getInputProps('taxable', { type: 'checkbox' })}
            />
            <Checkbox
              label={t('billing.packages.taxInclusive')}
              disabled={!form.values.taxable}
              {...form.getInputProps('taxInclusive', { type: 'checkbox' })}
            />
          </Group>
          <Checkbox
            label={t('billing.packages.active')}
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('billing.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending} data-testid="package-submit">
              {t('billing.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
