import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterInput, type RouterView, type TlsMode } from '../../../shared/contract/routers';
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
  tlsMode: TlsMode;
  username: string;
  password: string;
  enabled: boolean;
}

/** What a successful test saw, for the connection parameters it was run with. */
interface Tested {
  key: string;
  fingerprint: string | null;
}

/** The parameters a certificate fingerprint belongs to: change any and the test must be run again. */
const connKey = (v: Values): string => JSON.stringify([v.host.trim(), v.port, v.tls, v.tlsMode]);

/**
 * Add or edit a router; "Tes koneksi" tries the typed parameters before anything is saved. Over API-SSL it
 * shows the certificate's fingerprint, which is then pinned when the router is added.
 */
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
  // An empty password is allowed (RouterOS 6 factory login) and warned about below.
  const schema = RouterInput;
  const form = useForm<Values>({
    initialValues: {
      name: router?.name ?? '',
      location: router?.location ?? '',
      host: router?.host ?? '',
      port: router?.port ?? 8728,
      tls: router?.tls ?? false,
      tlsMode: router?.tlsMode ?? 'pinned',
      username: router?.username ?? 'admin',
      password: '',
      enabled: router?.enabled ?? true,
    },
    validate: zodValidate(schema),
  });
  const [test, setTest] = useState<{ ok: boolean; text: string; fingerprint?: string | null } | null>(null);
  const [tested, setTested] = useState<Tested | null>(null);
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
        tlsMode: v.tlsMode,
        username: v.username.trim(),
        password: v.password,
        ...(router ? { routerId: router.id } : {}),
      });
      setTest({
        ok: true,
        text: t('routers.form.testOk', { identity: r.identity, version: r.rosVersion, board: r.board }),
        fingerprint: v.tls ? r.tlsFingerprint : undefined,
      });
      setTested({ key: connKey(v), fingerprint: r.tlsFingerprint });
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
        : await create.mutateAsync({
            ...v,
            // Pin the certificate the person saw in the test, if the test was for these very parameters.
            ...(v.tls && v.tlsMode === 'pinned' && tested?.key === connKey(v) && tested.fingerprint
              ? { tlsFingerprint: tested.fingerprint }
              : {}),
          });
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
          {form.values.tls && (
            <Radio.Group
              label={t('routers.fields.tlsMode')}
              value={form.values.tlsMode}
              onChange={(v) =>
                form.setFieldValue('tlsMode', v === 'anonymous-dh' ? 'anonymous-dh' : 'pinned')
              }
              data-testid="router-tls-mode"
            >
              <Stack gap={6} mt={6}>
                <Radio
                  value="pinned"
                  label={t('routers.tls.modePinned')}
                  description={t('routers.tls.modePinnedHint')}
                />
                <Radio value="anonymous-dh" label={t('routers.tls.modeAnon')} />
              </Stack>
            </Radio.Group>
          )}
          {form.values.tls && form.values.tlsMode === 'anonymous-dh' && (
            <Alert color="orange" data-testid="router-anon-warning">
              {t('routers.tls.modeAnonWarning')}
            </Alert>
          )}
          <SimpleGrid cols={2}>
            <TextInput
              label={t('routers.fields.username')}
              withAsterisk
              autoComplete="off"
              {...form.getInputProps('username')}
            />
            <PasswordInput
              label={t('routers.fields.password')}
              autoComplete="new-password"
              placeholder={editing ? t('routers.fields.passwordKeep') : ''}
              {...form.getInputProps('password')}
            />
          </SimpleGrid>
          {form.values.password === '' && (!editing || router.passwordEmpty) && (
            <Alert color="yellow" data-testid="router-no-password">
              {t('routers.noPassword.form')}
            </Alert>
          )}
          <Switch
            label={t('routers.fields.enabled')}
            {...form.getInputProps('enabled', { type: 'checkbox' })}
          />
          {test && (
            <Alert color={test.ok ? 'teal' : 'red'} data-testid="router-test-result">
              {test.text}
              {test.fingerprint !== undefined && (
                <Text size="sm" mt="xs" data-testid="router-test-fingerprint">
                  {test.fingerprint === null ? (
                    t('routers.tls.anonTested')
                  ) : (
                    <>
                      {t('routers.tls.fingerprintTested')}{' '}
                      <Code style={{ wordBreak: 'break-all' }}>{test.fingerprint}</Code>{' '}
                      {t('routers.tls.fingerprintCheck')}
                    </>
                  )}
                </Text>
              )}
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
