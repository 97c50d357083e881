import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { contract } from '../../shared/contract/index';
import { useRpcMutation } from '../api/hooks';
import { serverFieldErrors, zodValidate } from '../lib/form';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useRpcMutation('auth.changePassword', {
    successMessage: t('auth.passwordChanged'),
    silentErrors: true,
  });
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: (v) => {
      const errors = zodValidate(contract['auth.changePassword'].input)(v);
      if (v.newPassword !== v.confirm) errors.confirm = t('auth.passwordMismatch');
      return errors;
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('auth.changePassword')}>
      <form
        onSubmit={form.onSubmit(({ confirm: _c, ...v }) =>
          change.mutate(v, {
            onSuccess: () => {
              form.reset();
              onClose();
            },
            onError: (e) => form.setErrors(serverFieldErrors(e)),
          }),
        )}
      >
        <Stack>
          <PasswordInput
            label={t('auth.currentPassword')}
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('auth.newPassword')}
            description={t('auth.passwordHint')}
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('auth.passwordConfirm')}
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
