import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRpcMutation } from '../api/hooks';
import { useAuth } from '../auth/AuthProvider';
import { fmt } from '../lib/format';
import { useErrorText } from '../lib/errors';
import { AuthCard } from './AuthCard';

export function LoginPage() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const login = useRpcMutation('auth.login', { silentErrors: true });
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : t('auth.username')),
      password: (v) => (v ? null : t('auth.password')),
    },
  });
  return (
    <AuthCard title={t('auth.loginTitle')} intro={status?.officeName ?? undefined}>
      <form
        onSubmit={form.onSubmit((values) => {
          setError(null);
          login.mutate(values, {
            onSuccess: () => void qc.invalidateQueries(),
            onError: (e) => {
              // The answer never says how many tries are left (that would tell which accounts exist).
              const until = e.details?.until;
              let msg = errorText.message(e);
              if (e.code === 'ACCOUNT_LOCKED' && typeof until === 'number')
                msg = `${msg}. ${t('auth.lockedUntil', { time: fmt.dateTime(until) })}`;
              if (e.code === 'RATE_LIMITED' && typeof until === 'number')
                msg = `${msg}. ${t('auth.retryAfter', { time: fmt.dateTime(until) })}`;
              setError(msg);
              form.setFieldValue('password', '');
            },
          });
        })}
      >
        <Stack>
          {error && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} data-testid="login-error">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            autoFocus
            {...form.getInputProps('username')}
            name="username"
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            {...form.getInputProps('password')}
            name="password"
          />
          <Button type="submit" loading={login.isPending} fullWidth mt="sm">
            {t('auth.login')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
