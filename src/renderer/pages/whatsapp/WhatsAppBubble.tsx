import { Box, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** WhatsApp's own light formatting: *bold*, _italic_, ~strike~. */
function formatLine(line: string, key: number): ReactNode {
  const parts: ReactNode[] = [];
  const re = /(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~)/g;
  let last = 0;
  let i = 0;
  for (const m of line.matchAll(re)) {
    const idx = m.index ?? 0;
    if (idx > last) parts.push(line.slice(last, idx));
    const inner = m[0].slice(1, -1);
    const k = `${key}-${i++}`;
    if (m[0].startsWith('*')) parts.push(<b key={k}>{inner}</b>);
    else if (m[0].startsWith('_')) parts.push(<i key={k}>{inner}</i>);
    else parts.push(<s key={k}>{inner}</s>);
    last = idx + m[0].length;
  }
  if (last < line.length) parts.push(line.slice(last));
  return parts;
}

/** A message as the customer will see it in WhatsApp. */
export function WhatsAppBubble({ text }: { text: string }) {
  return (
    <Box
      p="md"
      style={{ background: 'light-dark(#efeae2, #0b141a)', borderRadius: 'var(--mantine-radius-md)' }}
    >
      <Paper
        p="sm"
        shadow="xs"
        maw={380}
        style={{
          background: 'light-dark(#d9fdd3, #005c4b)',
          borderRadius: '8px 0 8px 8px',
          marginLeft: 'auto',
        }}
        data-testid="wa-bubble"
      >
        {text.split('\n').map((line, i) => (
          <Text key={i} size="sm" style={{ minHeight: '1.2em', wordBreak: 'break-word' }}>
            {formatLine(line, i)}
          </Text>
        ))}
      </Paper>
    </Box>
  );
}
