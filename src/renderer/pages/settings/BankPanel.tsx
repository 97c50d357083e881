import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { BankAccount } from '../../../shared/contract/settings';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors, zodValidate } from '../../lib/form';

const schema = z.object({ bankAccounts: z.array(BankAccount).max(10) });

export function BankPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const editable = can('settings.manage');
  const settings = useRpcQuery('settings.get', {});
  const update = useRpcMutation('settings.update', {
    invalidate: ['settings.get'],
    successMessage: t('common.saved'),
  });
  const form = useForm({
    initialValues: { bankAccounts: [] as BankAccount[] },
    validate: zodValidate(schema),
  });
  const s = settings.data;
  useEffect(() => {
    if (s) {
      form.setValues({ bankAccounts: s.bankAccounts });
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s?.version]);

  return (
    <Paper withBorder p="lg" maw={820}>
      <form
        onSubmit={form.onSubmit(
          (v) =>
            s &&
            update.mutate(
              { ...v, version: s.version },
              { onError: (e) => form.setErrors(serverFieldErrors(e)) },
            ),
        )}
      >
        <Stack>
          {form.values.bankAccounts.length === 0 && <Text c="dimmed">{t('settings.noBank')}</Text>}
          {form.values.bankAccounts.map((_, i) => (
            <Group key={i} align="flex-start" wrap="nowrap">
              <TextInput
                label={t('settings.bankName')}
                placeholder="BRI"
                disabled={!editable}
                {...form.getInputProps(`bankAccounts.${i}.bank`)}
                w={140}
              />
              <TextInput
                label={t('settings.bankNumber')}
                disabled={!editable}
                {...form.getInputProps(`bankAccounts.${i}.number`)}
                style={{ flex: 1 }}
              />
              <TextInput
                label={t('settings.bankHolder')}
                disabled={!editable}
                {...form.getInputProps(`bankAccounts.${i}.holder`)}
                style={{ flex: 1 }}
              />
              {editable && (
                <ActionIcon
                  color="red"
                  variant="subtle"
                  mt={28}
                  onClick={() => form.removeListItem('bankAccounts', i)}
                  aria-label={t('common.remove')}
                >
                  <IconTrash size={18} />
                </ActionIcon>
              )}
            </Group>
          ))}
          {editable && (
            <Group justify="space-between">
              <Button
                variant="light"
                leftSection={<IconPlus size={16} />}
                onClick={() =>
                  form.insertListItem('bankAccounts', { bank: '', number: '', holder: s?.officeName ?? '' })
                }
                disabled={form.values.bankAccounts.length >= 10}
              >
                {t('settings.addBank')}
              </Button>
              <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
