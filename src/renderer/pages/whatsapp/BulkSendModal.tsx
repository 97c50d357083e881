import { Alert, Button, Divider, Group, List, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUsersGroup } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput, MethodOutput } from '../../../shared/contract/index';
import { formatNumber } from '../../../shared/money';
import { formatPhone } from '../../../shared/phone';
import { RpcError } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useErrorText } from '../../lib/errors';
import { fmt } from '../../lib/format';
import { WhatsAppBubble } from './WhatsAppBubble';

type Plan = MethodOutput<'whatsapp.bulk.preview'>;

/** The confirmation of a bulk send: who gets it, who is skipped, when the paced queue sends, two samples. */
export function BulkPlanModal({
  plan,
  sending,
  onCancel,
  onConfirm,
}: {
  plan: Plan | null;
  sending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={!!plan}
      onClose={onCancel}
      title={plan ? t('whatsapp.send.confirmTitle', { count: plan.recipients }) : ''}
      size="lg"
    >
      {plan && (
        <Stack>
          <List size="sm" spacing={4}>
            <List.Item>{t('whatsapp.send.recipients', { count: plan.recipients })}</List.Item>
            {plan.skippedOptOut > 0 && (
              <List.Item>{t('whatsapp.send.skippedOptOut', { count: plan.skippedOptOut })}</List.Item>
            )}
            {plan.skippedNoPhone > 0 && (
              <List.Item>{t('whatsapp.send.skippedNoPhone', { count: plan.skippedNoPhone })}</List.Item>
            )}
            {plan.firstAt && plan.lastAt && (
              <List.Item>
                {t('whatsapp.send.schedule', {
                  from: fmt.dateTime(plan.firstAt),
                  to: fmt.dateTime(plan.lastAt),
                })}
              </List.Item>
            )}
          </List>
          <Divider label={t('whatsapp.send.samples')} labelPosition="left" />
          {plan.samples.slice(0, 2).map((s) => (
            <div key={s.phone}>
              <Text size="xs" c="dimmed">
                {s.customerName} · {formatPhone(s.phone)}
              </Text>
              <WhatsAppBubble text={s.text} />
            </div>
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              {t('whatsapp.session.cancel')}
            </Button>
            <Button loading={sending} onClick={onConfirm} data-testid="wa-bulk-confirm">
              {t('whatsapp.send.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

type BulkKind = 'reminder' | 'custom';

/**
 * The state both bulk surfaces share (the Send page's filter form and the customers list's selection): the
 * template kind whose text fills the body, the recipients check and the confirmed send.
 */
export function useBulkComposer(initialKind: BulkKind, enabled = true) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const templates = useRpcQuery('whatsapp.templates.list', {}, { enabled });
  const [kind, setKind] = useState<BulkKind>(initialKind);
  const [body, setBody] = useState('');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const tpl = templates.data?.find((x) => x.kind === kind);
    if (tpl) setBody(tpl.body);
  }, [kind, templates.data]);
  const preview = useRpcMutation('whatsapp.bulk.preview', { silentErrors: true });
  const send = useRpcMutation('whatsapp.bulk.send', {
    invalidate: ['whatsapp.messages.list', 'whatsapp.messages.stats'],
  });
  return {
    kind,
    setKind,
    body,
    setBody,
    plan,
    error,
    checking: preview.isPending,
    sending: send.isPending,
    cancelPlan: () => setPlan(null),
    /** Preview the recipients; an empty result is an error message, not a confirmation. */
    check(input: MethodInput<'whatsapp.bulk.send'>, noRecipients: string) {
      setError(null);
      preview.mutate(input, {
        onSuccess: (p) => (p.recipients === 0 ? setError(noRecipients) : setPlan(p)),
        onError: (e) => setError(e instanceof RpcError ? errorText.message(e) : String(e)),
      });
    },
    confirm(input: MethodInput<'whatsapp.bulk.send'>, onSent?: () => void) {
      send.mutate(input, {
        onSuccess: (r) => {
          setPlan(null);
          notifications.show({
            color: 'teal',
            message: t('whatsapp.send.queued', { count: formatNumber(r.queued) }),
          });
          onSent?.();
        },
      });
    },
  };
}

/**
 * Bulk WhatsApp to customers picked by hand (the customers list's checkboxes): write the text, check the
 * recipients (preview with skipped opt-outs and the paced schedule), confirm. `onDone` clears the selection.
 */
export function BulkSendModal({
  customerIds,
  opened,
  onClose,
  onDone,
}: {
  customerIds: string[];
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const status = useRpcQuery('whatsapp.status', {}, { enabled: opened });
  const connected = status.data?.status === 'connected';
  const c = useBulkComposer('custom', opened);
  const { kind, body, plan, error } = c;
  const input: MethodInput<'whatsapp.bulk.send'> = { target: { customerIds }, kind, body };
  return (
    <>
      <Modal
        opened={opened && !plan}
        onClose={onClose}
        title={t('whatsapp.send.selectionTitle', { count: customerIds.length })}
        size="lg"
      >
        <Stack>
          {!connected && status.data && (
            <Alert color="orange" variant="light">
              {t('whatsapp.send.notConnected')}
            </Alert>
          )}
          <Select
            label={t('whatsapp.send.template')}
            value={kind}
            onChange={(v) => v && c.setKind(v as BulkKind)}
            allowDeselect={false}
            data={(['custom', 'reminder'] as const).map((k) => ({
              value: k,
              label: t(`whatsapp.kind.${k}`),
            }))}
          />
          <Textarea
            label={t('whatsapp.send.body')}
            value={body}
            onChange={(e) => c.setBody(e.currentTarget.value)}
            autosize
            minRows={6}
            maxRows={14}
            data-autofocus
            data-testid="wa-bulk-body"
          />
          {error && (
            <Alert color="orange" variant="light">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('whatsapp.session.cancel')}
            </Button>
            <Button
              leftSection={<IconUsersGroup size={16} />}
              disabled={!connected || body.trim().length === 0 || customerIds.length === 0}
              loading={c.checking}
              data-testid="wa-bulk-preview"
              onClick={() => c.check(input, t('whatsapp.send.noRecipientsSelected'))}
            >
              {t('whatsapp.send.checkRecipients')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <BulkPlanModal
        plan={plan}
        sending={c.sending}
        onCancel={c.cancelPlan}
        onConfirm={() =>
          c.confirm(input, () => {
            onDone();
            onClose();
          })
        }
      />
    </>
  );
}
