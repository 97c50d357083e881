import { Alert, Button, Card, Code, Group, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCertificate, IconLock, IconLockOpen } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { RouterView } from '../../../shared/contract/routers';
import { useRpcMutation } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';

function Fingerprint({ value, testId }: { value: string; testId: string }) {
  return (
    <Code block style={{ wordBreak: 'break-all', whiteSpace: 'normal' }} data-testid={testId}>
      {value}
    </Code>
  );
}

/**
 * A router whose API-SSL certificate is not the pinned one: both fingerprints, and for owners and admins the
 * decision to trust the new one (routers.acceptCertificate, audited). Until then Rukun does not connect.
 */
export function CertificateChangedAlert({ r }: { r: RouterView }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const accept = useRpcMutation('routers.acceptCertificate', {
    invalidate: ['routers.list', 'routers.get'],
    successMessage: t('routers.tls.accepted'),
  });
  const offered = r.tlsOfferedFingerprint;
  if (offered === null || !r.tls) return null;
  const confirm = () =>
    modals.openConfirmModal({
      title: t('routers.tls.acceptTitle'),
      children: <Text size="sm">{t('routers.tls.acceptBody', { fp: offered })}</Text>,
      labels: { confirm: t('routers.tls.accept'), cancel: t('routers.form.cancel') },
      confirmProps: { color: 'orange' },
      onConfirm: () => accept.mutate({ id: r.id, fingerprint: offered }),
    });
  return (
    <Alert
      color="red"
      icon={<IconCertificate size={18} />}
      title={t('routers.tls.changedTitle')}
      data-testid="router-cert-changed"
    >
      <Stack gap="xs">
        <Text size="sm">{t('routers.tls.changedBody')}</Text>
        <Text size="xs" fw={700}>
          {t('routers.tls.pinned')}
        </Text>
        <Fingerprint value={r.tlsFingerprint ?? '—'} testId="router-cert-pinned" />
        <Text size="xs" fw={700}>
          {t('routers.tls.offered')}
        </Text>
        <Fingerprint value={offered || t('routers.tls.offeredNone')} testId="router-cert-offered" />
        {can('routers.trust') && offered ? (
          <Group>
            <Button
              color="orange"
              variant="light"
              onClick={confirm}
              loading={accept.isPending}
              data-testid="router-cert-accept"
            >
              {t('routers.tls.accept')}
            </Button>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {t('routers.tls.adminOnly')}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

/** How Rukun talks to the router: plain API, API-SSL with the pinned certificate, or anonymous DH. */
export function TrustCard({ r }: { r: RouterView }) {
  const { t } = useTranslation();
  const icon = r.tls ? <IconLock size={18} /> : <IconLockOpen size={18} />;
  return (
    <Card withBorder data-testid="router-trust">
      <Group gap="xs" mb="xs">
        {icon}
        <Text fw={600}>{t('routers.tls.cardTitle')}</Text>
      </Group>
      {!r.tls && <Text size="sm">{t('routers.tls.plain')}</Text>}
      {r.tls && r.tlsMode === 'anonymous-dh' && (
        <Text size="sm" c="orange.8">
          {t('routers.tls.anonymous')}
        </Text>
      )}
      {r.tls && r.tlsMode === 'pinned' && (
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {t('routers.tls.fingerprint')}
          </Text>
          {r.tlsFingerprint ? (
            <Fingerprint value={r.tlsFingerprint} testId="router-fingerprint" />
          ) : (
            <Text size="sm">{t('routers.tls.pinnedNone')}</Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
