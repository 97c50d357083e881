import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSend, IconUsersGroup } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../../shared/contract/index';
import { MANUAL_KINDS, type MessageKind } from '../../../shared/contract/whatsapp';
import { officePeriod } from '../../../shared/dates';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { fmt } from '../../lib/format';
import { BulkPlanModal, useBulkComposer } from './BulkSendModal';
import { WhatsAppBubble } from './WhatsAppBubble';

function SingleSend({ connected }: { connected: boolean }) {
  const { t } = useTranslation();
  const templates = useRpcQuery('whatsapp.templates.list', {});
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<MessageKind>('custom');
  const [body, setBody] = useState('');
  useEffect(() => {
    const tpl = templates.data?.find((x) => x.kind === kind);
    if (tpl) setBody(tpl.body);
  }, [kind, templates.data]);
  const [debounced] = useDebouncedValue(body, 300);
  const preview = useRpcQuery(
    'whatsapp.preview',
    { kind, body: debounced },
    { enabled: debounced.length > 0 },
  );
  const send = useRpcMutation('whatsapp.send', {
    invalidate: ['whatsapp.messages.list', 'whatsapp.messages.stats'],
  });
  return (
    <Card withBorder padding="lg">
      <Title order={4}>{t('whatsapp.send.single')}</Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('whatsapp.send.singleHelp')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate(
            { to: { phone, name: name || undefined }, kind, body },
            {
              onSuccess: (row) =>
                notifications.show(
                  row.status === 'sent'
                    ? { color: 'teal', message: t('whatsapp.send.sent') }
                    : {
                        color: 'orange',
                        message: t('whatsapp.send.queuedNotSent', { error: row.lastError ?? row.status }),
                      },
                ),
            },
          );
        }}
      >
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack>
              <Group grow>
                <TextInput
                  label={t('whatsapp.send.phone')}
                  placeholder="0812 3456 7890"
                  value={phone}
                  onChange={(e) => setPhone(e.currentTarget.value)}
                  required
                  data-testid="wa-send-phone"
                />
                <TextInput
                  label={t('whatsapp.send.name')}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  data-testid="wa-send-name"
                />
              </Group>
              <Select
                label={t('whatsapp.send.template')}
                value={kind}
                onChange={(v) => v && setKind(v as MessageKind)}
                data={MANUAL_KINDS.map((k) => ({ value: k, label: t(`whatsapp.kind.${k}`) }))}
                allowDeselect={false}
              />
              <Textarea
                label={t('whatsapp.send.body')}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
                autosize
                minRows={6}
                maxRows={14}
                data-testid="wa-send-body"
              />
              <Button
                type="submit"
                leftSection={<IconSend size={16} />}
                disabled={!connected || phone.trim().length < 6 || body.trim().length === 0}
                loading={send.isPending}
                w="fit-content"
                data-testid="wa-send-submit"
              >
                {t('whatsapp.send.sendNow')}
              </Button>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Text size="sm" fw={500} mb={4}>
              {t('whatsapp.send.preview')}
            </Text>
            <WhatsAppBubble text={(preview.data?.text ?? '').replace('Ahmad Fauzi', name || 'Pelanggan')} />
          </Grid.Col>
        </Grid>
      </form>
    </Card>
  );
}

type Target = 'unpaid' | 'owing' | 'isolated' | 'active';
type BulkInput = MethodInput<'whatsapp.bulk.send'>;

function targetInput(target: Target): BulkInput['target'] {
  switch (target) {
    case 'unpaid':
      return { filter: { unpaidPeriod: officePeriod(Date.now(), fmt.tz()) } };
    case 'owing':
      return { filter: { owing: true } };
    case 'isolated':
      return { filter: { status: ['isolated'] } };
    case 'active':
      return { filter: { status: ['active'] } };
  }
}

function BulkSend({ connected }: { connected: boolean }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<Target>('unpaid');
  const c = useBulkComposer('reminder');
  const { kind, body, plan, error } = c;
  const input: BulkInput = { target: targetInput(target), kind, body };
  return (
    <Card withBorder padding="lg">
      <Title order={4}>{t('whatsapp.send.bulk')}</Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('whatsapp.send.bulkHelp')}
      </Text>
      <Stack maw={640}>
        <Group grow>
          <Select
            label={t('whatsapp.send.target')}
            value={target}
            onChange={(v) => v && setTarget(v as Target)}
            allowDeselect={false}
            data={[
              { value: 'unpaid', label: t('whatsapp.send.targetUnpaid') },
              { value: 'owing', label: t('whatsapp.send.targetOwing') },
              { value: 'isolated', label: t('whatsapp.send.targetIsolated') },
              { value: 'active', label: t('whatsapp.send.targetAll') },
            ]}
          />
          <Select
            label={t('whatsapp.send.template')}
            value={kind}
            onChange={(v) => v && c.setKind(v as 'reminder' | 'custom')}
            allowDeselect={false}
            data={(['reminder', 'custom'] as const).map((k) => ({
              value: k,
              label: t(`whatsapp.kind.${k}`),
            }))}
          />
        </Group>
        <Textarea
          label={t('whatsapp.send.body')}
          value={body}
          onChange={(e) => c.setBody(e.currentTarget.value)}
          autosize
          minRows={6}
          maxRows={14}
        />
        {error && (
          <Alert color="orange" variant="light">
            {error}
          </Alert>
        )}
        <Button
          leftSection={<IconUsersGroup size={16} />}
          variant="light"
          w="fit-content"
          disabled={!connected || body.trim().length === 0}
          loading={c.checking}
          onClick={() => c.check(input, t('whatsapp.send.noRecipients'))}
        >
          {t('whatsapp.send.checkRecipients')}
        </Button>
      </Stack>
      <BulkPlanModal
        plan={plan}
        sending={c.sending}
        onCancel={c.cancelPlan}
        onConfirm={() => c.confirm(input)}
      />
    </Card>
  );
}

export function SendPanel() {
  const { t } = useTranslation();
  const status = useRpcQuery('whatsapp.status', {});
  const connected = status.data?.status === 'connected';
  return (
    <Stack gap="lg">
      {!connected && status.data && (
        <Alert color="orange" variant="light">
          {t('whatsapp.send.notConnected')}
        </Alert>
      )}
      <SingleSend connected={connected} />
      <BulkSend connected={connected} />
    </Stack>
  );
}
