import { Button, Group, Paper, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';

export function ReceiptPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const editable = can('settings.manage');
  const settings = useRpcQuery('settings.get', {});
  const update = useRpcMutation('settings.update', {
    invalidate: ['settings.get'],
    successMessage: t('common.saved'),
  });
  const form = useForm({ initialValues: { receiptFooter: '' } });
  const s = settings.data;
  useEffect(() => {
    if (s) {
      form.setValues({ receiptFooter: s.receiptFooter });
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s?.version]);
  return (
    <Paper withBorder p="lg" maw={820}>
      <form onSubmit={form.onSubmit((v) => s && update.mutate({ ...v, version: s.version }))}>
        <Stack>
          <Textarea
            label={t('settings.receiptFooter')}
            description={t('settings.receiptFooterHint')}
            autosize
            minRows={3}
            maxLength={500}
            disabled={!editable}
            {...form.getInputProps('receiptFooter')}
          />
          {editable && (
            <Group justify="flex-end">
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
