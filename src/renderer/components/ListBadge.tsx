import { Badge } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';

const styles = new Map<string, CSSProperties>();

/** Mantine's light badge colours for `color`, one style object per colour. */
function badgeStyle(color: string, upper: boolean): CSSProperties {
  const key = `${color}|${upper}`;
  let s = styles.get(key);
  if (!s) {
    s = {
      '--badge-bg': `var(--mantine-color-${color}-light)`,
      '--badge-color': `var(--mantine-color-${color}-light-color)`,
      fontWeight: 600,
      ...(upper ? {} : { textTransform: 'none' }),
    } as CSSProperties;
    styles.set(key, s);
  }
  return s;
}

/**
 * A light badge for the cells of long lists: one `<span>` with Mantine's badge class and colours, where a
 * Mantine Badge renders a component tree and a label element per row.
 */
export function ListBadge({
  color,
  upper = false,
  children,
  ...data
}: {
  color: string;
  upper?: boolean;
  children: ReactNode;
  [data: `data-${string}`]: string | undefined;
}) {
  return (
    <span className={Badge.classes.root} data-variant="light" style={badgeStyle(color, upper)} {...data}>
      {children}
    </span>
  );
}
