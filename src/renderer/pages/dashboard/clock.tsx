import { Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRpcQuery } from '../../api/hooks';
import { fmt } from '../../lib/format';
import { live } from './common';

const ZONE_ABBR: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/**
 * The office's "now": the core's clock (system.info) carried forward by the PC's clock between refreshes,
 * so the dashboard shows office time even when this PC's clock or zone is off.
 */
export function useOfficeNow(): number {
  const info = useRpcQuery('system.info', {}, live);
  const [offset, setOffset] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (info.data) setOffset(info.data.now - Date.now());
  }, [info.data]);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now + offset;
}

export function officeHour(ms: number): number {
  const h = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    hourCycle: 'h23',
    timeZone: fmt.tz(),
  }).format(ms);
  return Number(h);
}

/** Time big, date small, zone smaller: nothing is truncated at any width. */
export function OfficeClock({ now }: { now: number }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'id-ID';
  const tz = fmt.tz();
  const time = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: tz,
  }).format(now);
  const date = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: tz,
  }).format(now);
  return (
    <Paper withBorder radius="md" px="lg" py="sm" data-testid="dash-clock">
      <Group gap="md" wrap="nowrap">
        <ThemeIcon variant="light" size={40} radius="xl">
          <IconClock size={22} />
        </ThemeIcon>
        <Stack gap={0}>
          <Group gap={6} align="baseline" wrap="nowrap">
            <Text
              fz={30}
              fw={700}
              lh={1.1}
              className="tabular"
              data-testid="dash-clock-time"
              style={{ whiteSpace: 'nowrap' }}
            >
              {time}
            </Text>
            <Text size="sm" fw={600} c="dimmed">
              {ZONE_ABBR[tz] ?? tz}
            </Text>
          </Group>
          <Text
            size="sm"
            c="dimmed"
            style={{ whiteSpace: 'nowrap' }}
            title={`${t('dashboard.officeTime')} · ${tz}`}
          >
            {date}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
