import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterInput, type RouterView } from '../../../shared/contract/routers';
import { rpc, RpcError } from '../../api/client';
import { useRpcMutation } from '../../api/hooks';
import { serverFieldErrors, zodValidate } from '../../lib/form';
import { useErrorText } from '../../lib/errors';

interface Values {
  name: string;
  location: string;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
  enabled: boolean;
}

/** Add or edit a router; "Tes koneksi" tries the typed parameters before anything is saved. */
export function RouterForm({
  router,
  onClose,
  onSaved,
}: {
  router: RouterView | null;
  onClose: () => void;
  onSaved?: (r: RouterView) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const editing = router !== null;
  const schema = editing
    ? RouterInput
    : RouterInput.extend({ password: RouterInput.shape.password.min(1, t('routers.fields.password')) });
  const form = useForm<Values>({
    initialValues: {
      name: router?.name ?? '',
      location: router?.location ?? '',
      host: router?.host ?? '',
      port: router?.port ?? 8728,
      tls: router?.tls ?? false,
      username: router?.username ?? 'admin',
      password: '',
      enabled: router?.enabled ?? true,
    },
    validate: zodValidate(schema),
  });
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const create = useRpcMutation('routers.create', {
    invalidate: ['routers.list'],
    successMessage: t('routers.form.saved'),
    silentErrors: true,
  });
  const update = useRpcMutation('routers.update', {
    invalidate: ['routers.list', 'routers.get'],
    successMessage: t('routers.form.saved'),
    silentErrors: true,
  });

  const runTest = async () => {
    const v = form.values;
    setTesting(true);
    setTest(null);
    try {
      const r = await rpc('routers.test', {
        host: v.host.trim(),
        port: v.port,
        tls: v.tls,
        username: v.username.trim(),
        password: v.password,
        ...(router ? { routerId: router.id } : {}),
      });
      setTest({
        ok: true,
        text: t('routers.form.testOk', { identity: r.identity, version: r.rosVersion, board: r.board }),
      });
    } catch (e) {
      if (e instanceof RpcError) {
        form.setErrors(serverFieldErrors(e));
        setTest({ ok: false, text: errorText.message(e) });
      }
    } finally {
      setTesting(false);
    }
  };

  const submit = form.onSubmit(async (v) => {
    try {
      const saved = router
        ? await update.mutateAsync({
            id: router.id,
            version: router.version,
            ...v,
            ...(v.password ? {} : { password: '' }),
          })
        : await create.mutateAsync(v);
      onSaved?.(saved);
      onClose();
    } catch (e) {
      if (e instanceof RpcError) {
        form.setErrors(serverFieldErrors(e));
        setTest({ ok: false, text: errorText.message(e) });
      }
    }
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={editing ? t('routers.form.editTitle') : t('routers.form.addTitle')}
      size="lg"
    >
      <form onSubmit={submit} data-testid="router-form">
        <Stack>
          <SimpleGrid cols={2}>
            <TextInput
              label={t('routers.fields.name')}
              placeholder="Router Pusat"
              data-autofocus
              withAsterisk
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('routers.fields.location')}
              placeholder="Kantor RT 03"
              {...form.getInputProps('location')}
            />
          </SimpleGrid>
          <Group grow align="flex-start">
            <TextInput
              label={t('routers.fields.host')}
              placeholder="192.168.88.1"
              withAsterisk
              {...form.getInputProps('host')}
            />
            <NumberInput
              label={t('routers.fields.port')}
              description={t('routers.form.hintPort')}
              min={1}
              max={65535}
              allowDecimal={false}
              maw={160}
              {...form.getInputProps('port')}
            />
          </Group>
          <Checkbox
            label={t('routers.fields.tls')}
            {...form.getInputProps('tls', { type: 'checkbox' })}
            onChange={(e) => {
              const tls = e.currentTarget.checked;
              form.setFieldValue('tls', tls);
              if (form.values.port === (tls ? 8728 : 8729)) form.setFieldValue('port', tls ? 8729 : 8728);
            }}
          />
          <SimpleGrid cols={2}>
            <TextInput
              label={t('routers.fields.username')}
              withAsterisk
              autoComplete="off"
              {...form.getInputProps('username')}
            />
            <PasswordInput
              label={t('routers.fields.password')}
              withAsterisk={!editing}
              autoComplete="new-password"
              placeholder={editing ? t('routers.fields.passwordKeep') : ''}
              {...form.getInputProps('password')}
            />
          </SimpleGrid>
          <Switch
            label={t('routers.fields.enabled')}
            {...form.getInputProps('enabled', { type: 'checkbox' })}
          />
          {test && (
            <Alert color={test.ok ? 'teal' : 'red'} data-testid="router-test-result">
              {test.text}
            </Alert>
          )}
          <Group justify="space-between" mt="sm">
            <Button
              variant="default"
              leftSection={<IconPlugConnected size={16} />}
              onClick={() => void runTest()}
              loading={testing}
              data-testid="router-test"
            >
              {t('routers.form.test')}
            </Button>
            <Group>
              <Button variant="subtle" color="gray" onClick={onClose}>
                {t('routers.form.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending} data-testid="router-save">
                {t('routers.form.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
