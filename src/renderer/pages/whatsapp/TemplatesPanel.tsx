import {
  Badge,
  Button,
  Card,
  Chip,
  Grid,
  Group,
  NavLink,
  Paper,
  ScrollArea,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowBackUp, IconDeviceFloppy, IconDice5 } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MESSAGE_KINDS, type MessageKind } from '../../../shared/contract/whatsapp';
import { TEMPLATE_VARIABLES } from '../../../shared/whatsapp/templates';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { WhatsAppBubble } from './WhatsAppBubble';

export function TemplatesPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const manage = can('whatsapp.manage');
  const list = useRpcQuery('whatsapp.templates.list', {});
  const [kind, setKind] = useState<MessageKind>('reminder');
  const current = list.data?.find((x) => x.kind === kind);
  const [body, setBody] = useState('');
  const [enabled, setEnabled] = useState(true);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (current) {
      setBody(current.body);
      setEnabled(current.enabled);
    }
  }, [current]);
  const [debounced] = useDebouncedValue(body, 300);
  const preview = useRpcQuery(
    'whatsapp.preview',
    { kind, body: debounced },
    { enabled: debounced.length > 0 },
  );
  const save = useRpcMutation('whatsapp.templates.update', {
    invalidate: ['whatsapp.templates.list'],
    successMessage: t('whatsapp.templates.saved'),
  });
  const reset = useRpcMutation('whatsapp.templates.reset', { invalidate: ['whatsapp.templates.list'] });

  const insert = (name: string) => {
    const el = area.current;
    const token = `{${name}}`;
    if (!el) return setBody((b) => b + token);
    const start = el.selectionStart;
    const end = el.selectionEnd;
    const next = body.slice(0, start) + token + body.slice(end);
    setBody(next);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Paper withBorder p={4}>
          {MESSAGE_KINDS.map((k) => {
            const tpl = list.data?.find((x) => x.kind === k);
            return (
              <NavLink
                key={k}
                active={k === kind}
                label={t(`whatsapp.kind.${k}`)}
                onClick={() => setKind(k)}
                rightSection={
                  tpl && !tpl.isDefault ? (
                    <Badge size="xs" variant="light">
                      {t('whatsapp.templates.edited')}
                    </Badge>
                  ) : null
                }
                description={tpl && !tpl.enabled ? '—' : undefined}
              />
            );
          })}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder padding="lg">
          <Group justify="space-between" mb="sm">
            <Title order={4}>{t(`whatsapp.kind.${kind}`)}</Title>
            <Switch
              label={t('whatsapp.templates.enabled')}
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
              disabled={!manage}
            />
          </Group>
          <Textarea
            ref={area}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={12}
            maxRows={22}
            readOnly={!manage}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            error={
              preview.data && preview.data.unknownVariables.length > 0
                ? preview.data.unknownVariables.map((v) => `{${v}}`).join(', ')
                : undefined
            }
            data-testid="wa-template-body"
          />
          {manage && (
            <>
              <Text size="xs" c="dimmed" mt="md" mb={6}>
                {t('whatsapp.templates.variables')}
              </Text>
              <ScrollArea.Autosize mah={120}>
                <Group gap={6}>
                  {Object.entries(TEMPLATE_VARIABLES).map(([name, desc]) => (
                    <Chip key={name} size="xs" checked={false} onClick={() => insert(name)} title={desc}>
                      {`{${name}}`}
                    </Chip>
                  ))}
                </Group>
              </ScrollArea.Autosize>
              <Group mt="lg">
                <Button
                  leftSection={<IconDeviceFloppy size={16} />}
                  loading={save.isPending}
                  onClick={() => current && save.mutate({ kind, body, enabled, version: current.version })}
                >
                  {t('whatsapp.templates.save')}
                </Button>
                <Button
                  variant="subtle"
                  leftSection={<IconArrowBackUp size={16} />}
                  disabled={current?.isDefault}
                  onClick={() => reset.mutate({ kind })}
                >
                  {t('whatsapp.templates.reset')}
                </Button>
              </Group>
            </>
          )}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack>
          <Group justify="space-between">
            <Text fw={600}>
              {preview.data?.customerName
                ? t('whatsapp.templates.previewReal', { name: preview.data.customerName })
                : t('whatsapp.templates.preview')}
            </Text>
            <Button
              size="compact-sm"
              variant="subtle"
              leftSection={<IconDice5 size={14} />}
              onClick={() => void preview.refetch()}
            >
              {t('whatsapp.templates.shuffle')}
            </Button>
          </Group>
          <WhatsAppBubble text={preview.data?.text ?? ''} />
          <Text size="xs" c="dimmed">
            {t('whatsapp.templates.variationNote')}
          </Text>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
