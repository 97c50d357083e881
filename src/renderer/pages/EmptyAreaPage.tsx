import { Center, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AREAS, type AreaKey } from '../layout/areas';

/** Honest empty state for an area whose feature has not landed yet. */
export function EmptyAreaPage({ area }: { area: AreaKey }) {
  const { t } = useTranslation();
  const def = AREAS.find((a) => a.key === area);
  const Icon = def?.icon;
  return (
    <Stack>
      <Title order={2}>{t(`nav.${area}`)}</Title>
      <Paper withBorder p="xl">
        <Center>
          <Stack align="center" maw={520} gap="sm" py="xl" data-testid="empty-state">
            {Icon && (
              <ThemeIcon size={64} radius="xl" variant="light">
                <Icon size={34} stroke={1.5} />
              </ThemeIcon>
            )}
            <Title order={4}>{t('empty.title', { area: t(`nav.${area}`) })}</Title>
            <Text c="dimmed" ta="center">
              {t(`empty.${area}`, { defaultValue: '' })}
            </Text>
            <Text c="dimmed" ta="center" size="sm">
              {t('empty.body')}
            </Text>
          </Stack>
        </Center>
      </Paper>
    </Stack>
  );
}
