import { Box, Center, Group, Paper, SegmentedControl, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconWifi } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Lang } from '../i18n';

/** The frame of the setup and login screens. */
export function AuthCard({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <Box
      mih="100%"
      style={{
        background:
          'radial-gradient(circle at 20% 20%, var(--mantine-color-teal-light) 0, transparent 40%), radial-gradient(circle at 80% 80%, var(--mantine-color-cyan-light) 0, transparent 40%)',
      }}
    >
      <Center mih="100vh" p="md">
        <Stack w={420} gap="lg">
          <Group justify="space-between">
            <Group gap="sm">
              <ThemeIcon size={40} radius="md" variant="gradient" gradient={{ from: 'teal', to: 'cyan' }}>
                <IconWifi size={24} />
              </ThemeIcon>
              <div>
                <Text fw={800} size="lg" lh={1.1}>
                  Rukun
                </Text>
                <Text size="xs" c="dimmed">
                  {t('app.tagline')}
                </Text>
              </div>
            </Group>
            <SegmentedControl
              size="xs"
              value={i18n.language === 'en' ? 'en' : 'id'}
              onChange={(v) => setLanguage(v as Lang)}
              data={[
                { value: 'id', label: 'ID' },
                { value: 'en', label: 'EN' },
              ]}
            />
          </Group>
          <Paper withBorder shadow="md" p="xl">
            <Title order={3} mb={intro ? 4 : 'md'}>
              {title}
            </Title>
            {intro && (
              <Text size="sm" c="dimmed" mb="lg">
                {intro}
              </Text>
            )}
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
