import {
  Alert,
  Button,
  FileButton,
  Grid,
  Group,
  Image,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock, IconPhoto, IconTrash, IconUpload } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { OfficeSettings, LOGO_MIME, type SettingsView } from '../../../shared/contract/settings';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { serverFieldErrors, zodValidate } from '../../lib/form';

const ZONES = [
  { value: 'Asia/Jakarta', label: 'WIB — Asia/Jakarta' },
  { value: 'Asia/Makassar', label: 'WITA — Asia/Makassar' },
  { value: 'Asia/Jayapura', label: 'WIT — Asia/Jayapura' },
];

const officeFields = OfficeSettings.pick({
  officeName: true,
  address: true,
  phone: true,
  email: true,
  timeZone: true,
  language: true,
  publicUrl: true,
});

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function OfficePanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const editable = can('settings.manage');
  const settings = useRpcQuery('settings.get', {});
  const info = useRpcQuery('system.info', {});
  const update = useRpcMutation('settings.update', {
    invalidate: ['settings.get'],
    successMessage: t('common.saved'),
    silentErrors: false,
  });
  const logo = useRpcMutation('settings.setLogo', { invalidate: ['settings.get'] });
  const form = useForm({
    initialValues: {
      officeName: '',
      address: '',
      phone: '',
      email: '',
      timeZone: 'Asia/Jakarta',
      language: 'id' as 'id' | 'en',
      publicUrl: '',
    },
    validate: zodValidate(officeFields),
  });
  const s: SettingsView | undefined = settings.data;
  useEffect(() => {
    if (s) {
      form.setValues({
        officeName: s.officeName,
        address: s.address,
        phone: s.phone,
        email: s.email,
        timeZone: s.timeZone,
        language: s.language,
        publicUrl: s.publicUrl,
      });
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s?.version]);

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="lg">
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
              {!editable && (
                <Alert color="gray" variant="light" icon={<IconLock size={16} />}>
                  {t('settings.readOnly')}
                </Alert>
              )}
              <TextInput
                label={t('auth.officeName')}
                description={t('auth.officeNameHint')}
                disabled={!editable}
                {...form.getInputProps('officeName')}
                name="officeName"
              />
              <Textarea
                label={t('settings.address')}
                autosize
                minRows={2}
                disabled={!editable}
                {...form.getInputProps('address')}
              />
              <Group grow>
                <TextInput
                  label={t('settings.phone')}
                  disabled={!editable}
                  {...form.getInputProps('phone')}
                />
                <TextInput
                  label={t('settings.email')}
                  disabled={!editable}
                  {...form.getInputProps('email')}
                />
              </Group>
              <Group grow>
                <Select
                  label={t('settings.timeZone')}
                  description={t('settings.timeZoneHint')}
                  data={
                    ZONES.some((z) => z.value === form.values.timeZone)
                      ? ZONES
                      : [...ZONES, { value: form.values.timeZone, label: form.values.timeZone }]
                  }
                  allowDeselect={false}
                  disabled={!editable}
                  {...form.getInputProps('timeZone')}
                />
                <Select
                  label={t('settings.language')}
                  data={[
                    { value: 'id', label: t('language.id') },
                    { value: 'en', label: t('language.en') },
                  ]}
                  allowDeselect={false}
                  disabled={!editable}
                  {...form.getInputProps('language')}
                />
              </Group>
              <TextInput
                label={t('settings.publicUrl')}
                description={t('settings.publicUrlHint')}
                placeholder={info.data?.lanUrl ?? 'http://192.168.88.10:3210'}
                disabled={!editable}
                {...form.getInputProps('publicUrl')}
                name="publicUrl"
              />
              {editable && (
                <Group justify="flex-end">
                  <Button
                    type="submit"
                    loading={update.isPending}
                    disabled={!form.isDirty()}
                    data-testid="save-office"
                  >
                    {t('common.save')}
                  </Button>
                </Group>
              )}
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack>
          <Paper withBorder p="lg">
            <Title order={5} mb="xs">
              {t('settings.logo')}
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              {t('settings.logoHint')}
            </Text>
            <Group>
              {s?.logoUrl ? (
                <Image src={`.${s.logoUrl}`} h={72} w={72} fit="contain" radius="md" alt="logo" />
              ) : (
                <ThemeIcon size={72} variant="light" radius="md">
                  <IconPhoto size={32} />
                </ThemeIcon>
              )}
              {editable && (
                <Stack gap="xs">
                  <FileButton
                    accept={LOGO_MIME.join(',')}
                    onChange={async (file) => {
                      if (!file) return;
                      const mime = file.type as (typeof LOGO_MIME)[number];
                      logo.mutate({ mime, dataBase64: await toBase64(file) });
                    }}
                  >
                    {(props) => (
                      <Button
                        {...props}
                        leftSection={<IconUpload size={16} />}
                        variant="light"
                        loading={logo.isPending}
                      >
                        {t('settings.logoUpload')}
                      </Button>
                    )}
                  </FileButton>
                  {s?.logoUrl && (
                    <Button
                      variant="subtle"
                      color="red"
                      leftSection={<IconTrash size={16} />}
                      onClick={() => logo.mutate({ remove: true })}
                    >
                      {t('settings.logoRemove')}
                    </Button>
                  )}
                </Stack>
              )}
            </Group>
          </Paper>
          <Paper withBorder p="lg">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb="sm">
              {t('settings.preview')}
            </Text>
            <Group align="flex-start" wrap="nowrap">
              {s?.logoUrl && <Image src={`.${s.logoUrl}`} h={48} w={48} fit="contain" alt="" />}
              <div>
                <Text fw={700}>{form.values.officeName || '—'}</Text>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                  {form.values.address}
                </Text>
                <Text size="sm" c="dimmed">
                  {[form.values.phone, form.values.email].filter(Boolean).join(' · ')}
                </Text>
              </div>
            </Group>
          </Paper>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
