import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconBrandWhatsapp, IconSend } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MANUAL_KINDS, type MessageKind } from '../../../shared/contract/whatsapp';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { WhatsAppBubble } from './WhatsAppBubble';

/**
 * "Kirim WhatsApp" for the customer and invoice screens: pick a template, see it filled with this customer's
 * data, edit, send at once. Renders nothing for roles without whatsapp.send.
 */
export function SendWhatsAppButton({
  customerId,
  invoiceId,
  defaultKind = 'reminder',
}: {
  customerId: string;
  invoiceId?: string;
  defaultKind?: MessageKind;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [opened, { open, close }] = useDisclosure(false);
  const [kind, setKind] = useState<MessageKind>(defaultKind);
  const [body, setBody] = useState('');
  const templates = useRpcQuery('whatsapp.templates.list', {}, { enabled: opened });
  const status = useRpcQuery('whatsapp.status', {}, { enabled: opened });
  useEffect(() => {
    const tpl = templates.data?.find((x) => x.kind === kind);
    if (tpl) setBody(tpl.body);
  }, [kind, templates.data]);
  const [debounced] = useDebouncedValue(body, 300);
  const preview = useRpcQuery(
    'whatsapp.preview',
    { kind, body: debounced, customerId, invoiceId },
    { enabled: opened && debounced.length > 0 },
  );
  const send = useRpcMutation('whatsapp.send', {
    invalidate: ['whatsapp.messages.list', 'whatsapp.messages.stats'],
  });
  if (!can('whatsapp.send')) return null;
  return (
    <>
      <Button variant="light" color="teal" leftSection={<IconBrandWhatsapp size={16} />} onClick={open}>
        {t('whatsapp.send.toCustomer')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('whatsapp.send.toCustomer')} size="lg">
        <Stack>
          <Select
            label={t('whatsapp.send.template')}
            value={kind}
            onChange={(v) => v && setKind(v as MessageKind)}
            allowDeselect={false}
            data={MANUAL_KINDS.map((k) => ({ value: k, label: t(`whatsapp.kind.${k}`) }))}
          />
          <Textarea
            label={t('whatsapp.send.body')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={5}
            maxRows={12}
          />
          <WhatsAppBubble text={preview.data?.text ?? ''} />
          <Group justify="flex-end">
            <Button
              leftSection={<IconSend size={16} />}
              disabled={status.data?.status !== 'connected'}
              loading={send.isPending}
              onClick={() =>
                send.mutate(
                  { to: { customerId, invoiceId }, kind, body },
                  {
                    onSuccess: (row) => {
                      notifications.show(
                        row.status === 'sent'
                          ? { color: 'teal', message: t('whatsapp.send.sent') }
                          : {
                              color: 'orange',
                              message: t('whatsapp.send.queuedNotSent', {
                                error: row.lastError ?? row.status,
                              }),
                            },
                      );
                      close();
                    },
                  },
                )
              }
            >
              {status.data?.status === 'connected'
                ? t('whatsapp.send.sendNow')
                : t('whatsapp.send.notConnected')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
