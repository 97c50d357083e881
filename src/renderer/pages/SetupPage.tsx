import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contract } from '../../shared/contract/index';
import { useRpcMutation } from '../api/hooks';
import { serverFieldErrors, zodValidate } from '../lib/form';
import { AuthCard } from './AuthCard';

export function SetupPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const setup = useRpcMutation('auth.setup');
  const form = useForm({
    initialValues: { officeName: '', fullName: '', username: '', password: '', confirm: '' },
    validate: (v) => {
      const errors = zodValidate(contract['auth.setup'].input)(v);
      if (v.password !== v.confirm) errors.confirm = t('auth.passwordMismatch');
      return errors;
    },
  });
  return (
    <AuthCard title={t('auth.setupTitle')} intro={t('auth.setupIntro')}>
      <form
        onSubmit={form.onSubmit(({ confirm: _c, ...values }) =>
          setup.mutate(values, {
            onSuccess: () => void qc.invalidateQueries(),
            onError: (e) => form.setErrors(serverFieldErrors(e)),
          }),
        )}
      >
        <Stack>
          <TextInput
            label={t('auth.officeName')}
            description={t('auth.officeNameHint')}
            data-autofocus
            autoFocus
            {...form.getInputProps('officeName')}
            name="officeName"
          />
          <TextInput label={t('auth.fullName')} {...form.getInputProps('fullName')} name="fullName" />
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            {...form.getInputProps('username')}
            name="username"
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.passwordHint')}
            autoComplete="new-password"
            {...form.getInputProps('password')}
            name="password"
          />
          <PasswordInput
            label={t('auth.passwordConfirm')}
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
            name="confirm"
          />
          <Button type="submit" loading={setup.isPending} fullWidth mt="sm">
            {t('auth.createOwner')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
