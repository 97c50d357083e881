import { Tabs } from '@mantine/core';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

export interface RoutedTab {
  value: string;
  label: ReactNode;
  icon: ReactNode;
  testId?: string;
  /** Left out of both the tab list and the panels (e.g. the role may not see it). */
  hidden?: boolean;
  content: ReactNode;
}

/**
 * An area's tabs bound to the URL: the first tab lives at `basePath`, every other one at
 * `basePath/<value>`. Panels are not kept mounted, so a tab loads its data when opened.
 */
export function RoutedTabs({ basePath, tabs }: { basePath: string; tabs: RoutedTab[] }) {
  const location = useLocation();
  const navigate = useNavigate();
  const visible = tabs.filter((t) => !t.hidden);
  const first = visible[0]?.value ?? '';
  const rest = location.pathname.startsWith(basePath) ? location.pathname.slice(basePath.length) : '';
  const tab = rest.split('/')[1] || first;
  return (
    <Tabs
      value={tab}
      onChange={(v) => navigate(!v || v === first ? basePath : `${basePath}/${v}`)}
      keepMounted={false}
    >
      <Tabs.List mb="md">
        {visible.map((t) => (
          <Tabs.Tab
            key={t.value}
            value={t.value}
            leftSection={t.icon}
            {...(t.testId ? { 'data-testid': t.testId } : {})}
          >
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {visible.map((t) => (
        <Tabs.Panel key={t.value} value={t.value}>
          {t.content}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
