import { Alert, Button, ColorInput, Group, Stack, Switch, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PLACEHOLDERS,
  type VoucherLayout,
  type VoucherTemplate,
} from '../../../shared/vouchers/print-template';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';

const REGIONS = ['title', 'badge', 'body', 'footer'] as const;
type Region = (typeof REGIONS)[number];

/**
 * Edits the text of a layout's template, one line per row; size, weight and alignment of existing lines are
 * kept, new lines take the style of the region's last line. Only whitelisted {placeholders} are filled in.
 */
export function TemplateEditor({ layout, onDone }: { layout: VoucherLayout; onDone: () => void }) {
  const { t } = useTranslation();
  const current = useRpcQuery('vouchers.templates.get', { layout });
  const save = useRpcMutation('vouchers.templates.save', {
    invalidate: ['vouchers.templates.get'],
    successMessage: t('vouchers.template.saved'),
  });
  const reset = useRpcMutation('vouchers.templates.reset', {
    invalidate: ['vouchers.templates.get'],
    successMessage: t('vouchers.template.resetDone'),
  });
  const [draft, setDraft] = useState<VoucherTemplate | null>(null);
  const [texts, setTexts] = useState<Record<Region, string>>({ title: '', badge: '', body: '', footer: '' });
  useEffect(() => {
    const tpl = current.data?.template;
    if (!tpl) return;
    setDraft(tpl);
    setTexts({
      title: tpl.title.map((l) => l.text).join('\n'),
      badge: tpl.badge.map((l) => l.text).join('\n'),
      body: tpl.body.map((l) => l.text).join('\n'),
      footer: tpl.footer.map((l) => l.text).join('\n'),
    });
  }, [current.data]);
  if (!draft || !current.data) return null;

  const build = (): VoucherTemplate => {
    const next = { ...draft };
    for (const r of REGIONS) {
      const lines = texts[r].split('\n').filter((x, i, all) => x.trim() !== '' || i < all.length - 1);
      const old = draft[r];
      next[r] = lines.map((text, i) => ({
        ...(old[i] ??
          old.at(-1) ?? { size: 8, bold: false, align: 'left', spacing: 0, fit: false, showIf: 'always' }),
        text,
      }));
    }
    return next;
  };
  return (
    <Stack gap="xs" data-testid="template-editor">
      <Text size="xs" c="dimmed">
        {t('vouchers.template.help')}{' '}
        {Object.keys(PLACEHOLDERS)
          .map((p) => `{${p}}`)
          .join(' ')}
      </Text>
      {REGIONS.map((r) => (
        <Textarea
          key={r}
          label={t(`vouchers.template.regions.${r}`)}
          autosize
          minRows={1}
          maxRows={6}
          value={texts[r]}
          onChange={(e) => setTexts({ ...texts, [r]: e.currentTarget.value })}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        />
      ))}
      <Group>
        <Switch
          label={t('vouchers.template.showLogo')}
          checked={draft.showLogo}
          onChange={(e) => setDraft({ ...draft, showLogo: e.currentTarget.checked })}
        />
        <Switch
          label={t('vouchers.template.showQr')}
          checked={draft.showQr}
          onChange={(e) => setDraft({ ...draft, showQr: e.currentTarget.checked })}
        />
        <ColorInput
          size="xs"
          w={140}
          label={t('vouchers.template.accent')}
          value={draft.accentColor}
          onChange={(v) => setDraft({ ...draft, accentColor: v })}
          format="hex"
        />
      </Group>
      {current.data.isDefault && (
        <Alert color="gray" p="xs">
          {t('vouchers.template.isDefault')}
        </Alert>
      )}
      <Group justify="flex-end">
        {!current.data.isDefault && (
          <Button
            variant="subtle"
            color="gray"
            loading={reset.isPending}
            onClick={() => reset.mutate({ layout }, { onSuccess: onDone })}
          >
            {t('vouchers.template.reset')}
          </Button>
        )}
        <Button variant="default" onClick={onDone}>
          {t('vouchers.actions.cancel')}
        </Button>
        <Button
          loading={save.isPending}
          onClick={() =>
            save.mutate(
              {
                layout,
                template: build(),
                ...(current.data.isDefault ? {} : { version: current.data.version }),
              },
              { onSuccess: onDone },
            )
          }
        >
          {t('vouchers.actions.save')}
        </Button>
      </Group>
    </Stack>
  );
}
