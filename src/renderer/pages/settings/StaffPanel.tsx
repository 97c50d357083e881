import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import {
  IconDots,
  IconKey,
  IconLock,
  IconLockOpen,
  IconPlus,
  IconUserCheck,
  IconUserOff,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserPublic } from '../../../shared/contract/auth';
import { contract, ROLES, canManageRole, type Role } from '../../../shared/contract/index';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { serverFieldErrors, zodValidate } from '../../lib/form';

const ROLE_COLOR: Record<Role, string> = {
  owner: 'grape',
  admin: 'blue',
  cashier: 'teal',
  technician: 'orange',
};

function CreateStaffModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const create = useRpcMutation('staff.create', { invalidate: ['staff.list'], silentErrors: true });
  const form = useForm({
    initialValues: { fullName: '', username: '', role: 'cashier' as Role, phone: '', password: '' },
    validate: (v) => zodValidate(contract['staff.create'].input)({ ...v, phone: v.phone || null }),
  });
  const roles = ROLES.filter((r) => user && canManageRole(user.role, r));
  return (
    <Modal opened={opened} onClose={onClose} title={t('staff.add')}>
      <form
        onSubmit={form.onSubmit((v) =>
          create.mutate(
            { ...v, phone: v.phone || null },
            {
              onSuccess: () => {
                form.reset();
                onClose();
              },
              onError: (e) =>
                form.setErrors({
                  ...serverFieldErrors(e),
                  ...(e.details?.issues ? {} : { username: e.message }),
                }),
            },
          ),
        )}
      >
        <Stack>
          <TextInput
            label={t('auth.fullName')}
            data-autofocus
            {...form.getInputProps('fullName')}
            name="fullName"
          />
          <TextInput label={t('auth.username')} {...form.getInputProps('username')} name="username" />
          <Select
            label={t('staff.role')}
            data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            description={t(`staff.roleHelp.${form.values.role}`)}
            allowDeselect={false}
            {...form.getInputProps('role')}
            name="role"
            data-testid="staff-role"
          />
          <TextInput
            label={`${t('settings.phone')} (${t('common.optional')})`}
            placeholder="0812…"
            {...form.getInputProps('phone')}
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.passwordHint')}
            autoComplete="new-password"
            {...form.getInputProps('password')}
            name="password"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="staff-submit">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ResetPasswordModal({ target, onClose }: { target: UserPublic | null; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useRpcMutation('staff.resetPassword', { successMessage: t('common.saved') });
  const form = useForm({
    initialValues: { newPassword: '' },
    validate: { newPassword: (v) => (v.length >= 8 ? null : t('auth.passwordHint')) },
  });
  return (
    <Modal
      opened={!!target}
      onClose={onClose}
      title={`${t('staff.resetPassword')} — ${target?.fullName ?? ''}`}
    >
      <form
        onSubmit={form.onSubmit((v) => {
          if (target)
            reset.mutate(
              { id: target.id, ...v },
              {
                onSuccess: () => {
                  form.reset();
                  onClose();
                },
              },
            );
        })}
      >
        <Stack>
          <PasswordInput
            label={t('auth.newPassword')}
            data-autofocus
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={reset.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function StaffPanel() {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  const staff = useRpcQuery('staff.list', {});
  const update = useRpcMutation('staff.update', {
    invalidate: ['staff.list'],
    successMessage: t('common.saved'),
  });
  const [createOpen, create] = useDisclosure(false);
  const [resetTarget, setResetTarget] = useState<UserPublic | null>(null);
  const manage = can('staff.manage');
  const now = Date.now();

  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="md">
        <Text c="dimmed" size="sm">
          {staff.data?.length ?? 0} {t('staff.title').toLowerCase()}
        </Text>
        {manage && (
          <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="add-staff">
            {t('staff.add')}
          </Button>
        )}
      </Group>
      <Table highlightOnHover verticalSpacing="sm" data-testid="staff-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('auth.fullName')}</Table.Th>
            <Table.Th>{t('auth.username')}</Table.Th>
            <Table.Th>{t('staff.role')}</Table.Th>
            <Table.Th>{t('staff.status')}</Table.Th>
            <Table.Th>{t('staff.lastLogin')}</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(staff.data ?? []).map((u) => {
            const locked = u.lockedUntil !== null && u.lockedUntil > now;
            const manageable = manage && user && canManageRole(user.role, u.role) && u.id !== user.id;
            return (
              <Table.Tr key={u.id}>
                <Table.Td fw={500}>{u.fullName}</Table.Td>
                <Table.Td c="dimmed">@{u.username}</Table.Td>
                <Table.Td>
                  <Badge color={ROLE_COLOR[u.role]} variant="light">
                    {t(`roles.${u.role}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {locked ? (
                    <Badge color="red" leftSection={<IconLock size={12} />}>
                      {t('staff.locked')}
                    </Badge>
                  ) : (
                    <Badge color={u.active ? 'green' : 'gray'} variant="dot">
                      {u.active ? t('common.active') : t('common.inactive')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td className="tabular">
                  {u.lastLoginAt ? fmt.dateTime(u.lastLoginAt) : t('staff.never')}
                </Table.Td>
                <Table.Td>
                  {manageable && (
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <ActionIcon variant="subtle" aria-label={t('common.actions')}>
                          <IconDots size={18} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Label>{t('staff.role')}</Menu.Label>
                        {ROLES.filter((r) => r !== u.role && canManageRole(user.role, r)).map((r) => (
                          <Menu.Item
                            key={r}
                            onClick={() => update.mutate({ id: u.id, version: u.version, role: r })}
                          >
                            {t(`roles.${r}`)}
                          </Menu.Item>
                        ))}
                        <Menu.Divider />
                        {locked && (
                          <Menu.Item
                            leftSection={<IconLockOpen size={16} />}
                            onClick={() => update.mutate({ id: u.id, version: u.version, unlock: true })}
                          >
                            {t('staff.unlock')}
                          </Menu.Item>
                        )}
                        <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setResetTarget(u)}>
                          {t('staff.resetPassword')}
                        </Menu.Item>
                        <Menu.Item
                          color={u.active ? 'red' : 'green'}
                          leftSection={u.active ? <IconUserOff size={16} /> : <IconUserCheck size={16} />}
                          onClick={() =>
                            modals.openConfirmModal({
                              title: u.active ? t('staff.deactivate') : t('staff.activate'),
                              children: <Text size="sm">{u.fullName}</Text>,
                              labels: { confirm: t('common.yes'), cancel: t('common.cancel') },
                              onConfirm: () =>
                                update.mutate({ id: u.id, version: u.version, active: !u.active }),
                            })
                          }
                        >
                          {u.active ? t('staff.deactivate') : t('staff.activate')}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <CreateStaffModal opened={createOpen} onClose={create.close} />
      <ResetPasswordModal target={resetTarget} onClose={() => setResetTarget(null)} />
    </Paper>
  );
}
