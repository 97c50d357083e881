import { Box, Center, Group, Skeleton, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../shared/money';

export interface PageRequest {
  offset: number;
  limit: number;
  search?: string;
  sort?: { field: string; dir: 'asc' | 'desc' };
}

/** A column: how to render a cell, and whether the server can sort by its id. */
export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  width?: number;
  sortable?: boolean;
}

export interface SortState {
  id: string;
  desc: boolean;
}

export interface DataTableProps<T> {
  /** Identifies the data set (include filters); blocks are cached under it. */
  queryKey: readonly unknown[];
  columns: Column<T>[];
  fetchPage: (req: PageRequest) => Promise<{ rows: T[]; total: number }>;
  getRowId: (row: T) => string;
  /** Rows per server request. */
  blockSize?: number;
  rowHeight?: number;
  height?: number | string;
  searchable?: boolean;
  toolbar?: ReactNode;
  onRowClick?: (row: T) => void;
  initialSort?: SortState | null;
  testId?: string;
}

/**
 * A table that stays fast with tens of thousands of rows: only the visible rows are rendered
 * (virtualized), and rows are fetched from the core in blocks as they scroll into view, with sorting and
 * search done on the server. Dragging the scrollbar to the middle of 50,000 rows fetches just that block.
 */
export function DataTable<T>({
  queryKey,
  columns,
  fetchPage,
  getRowId,
  blockSize = 200,
  rowHeight = 40,
  height = 'calc(100vh - 260px)',
  searchable = true,
  toolbar,
  onRowClick,
  initialSort = null,
  testId,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const [sorting, setSorting] = useState<SortState | null>(initialSort);
  const [searchRaw, setSearchRaw] = useState('');
  const [search] = useDebouncedValue(searchRaw.trim(), 250);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [knownTotal, setKnownTotal] = useState<number | null>(null);

  const sort = useMemo(
    () =>
      sorting ? { field: sorting.id, dir: sorting.desc ? ('desc' as const) : ('asc' as const) } : undefined,
    [sorting],
  );
  const toggleSort = (id: string) =>
    setSorting((cur) => (cur?.id !== id ? { id, desc: false } : cur.desc ? null : { id, desc: true }));
  const baseKey = useMemo(() => [...queryKey, { search, sort }], [queryKey, search, sort]);

  const virtualizer = useVirtualizer({
    count: knownTotal ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstBlock = Math.floor((items[0]?.index ?? 0) / blockSize);
  const lastBlock = Math.floor((items.at(-1)?.index ?? 0) / blockSize);
  const blocks: number[] = [];
  for (let b = firstBlock; b <= lastBlock; b++) blocks.push(b);

  const results = useQueries({
    queries: blocks.map((b) => ({
      queryKey: [...baseKey, 'block', b],
      queryFn: () =>
        fetchPage({
          offset: b * blockSize,
          limit: blockSize,
          ...(search ? { search } : {}),
          ...(sort ? { sort } : {}),
        }),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    })),
  });
  const total = results.find((r) => r.data)?.data?.total;
  if (total !== undefined && total !== knownTotal) setKnownTotal(total);

  const rowAt = (index: number): T | undefined => {
    const b = Math.floor(index / blockSize) - firstBlock;
    return results[b]?.data?.rows[index % blockSize];
  };

  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const loading = results.some((r) => r.isLoading) && knownTotal === null;

  return (
    <Box data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        {searchable ? (
          <TextInput
            placeholder={t('common.search')}
            leftSection={<IconSearch size={16} />}
            value={searchRaw}
            onChange={(e) => setSearchRaw(e.currentTarget.value)}
            w={320}
            aria-label={t('common.search')}
          />
        ) : (
          <span />
        )}
        <Group gap="sm">
          {toolbar}
          <Text size="sm" c="dimmed" className="tabular" data-testid={testId ? `${testId}-total` : undefined}>
            {knownTotal === null ? t('common.loading') : `${formatNumber(knownTotal)} ${t('common.rows')}`}
          </Text>
        </Group>
      </Group>
      <Box
        ref={scrollRef}
        style={{
          height,
          overflow: 'auto',
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 8,
        }}
      >
        <Table stickyHeader highlightOnHover verticalSpacing={0} style={{ tableLayout: 'fixed' }}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => {
                const dir = sorting?.id === c.id ? (sorting.desc ? 'desc' : 'asc') : null;
                return (
                  <Table.Th key={c.id} style={{ width: c.width, height: 40 }}>
                    {c.sortable ? (
                      <UnstyledButton
                        onClick={() => toggleSort(c.id)}
                        style={{ display: 'flex', alignItems: 'center', gap: 4, fontWeight: 600 }}
                      >
                        {c.header}
                        {dir === 'asc' ? (
                          <IconArrowUp size={14} />
                        ) : dir === 'desc' ? (
                          <IconArrowDown size={14} />
                        ) : (
                          <IconArrowsSort size={14} opacity={0.4} />
                        )}
                      </UnstyledButton>
                    ) : (
                      c.header
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {padTop > 0 && (
              <tr>
                <td style={{ height: padTop, padding: 0 }} colSpan={columns.length} />
              </tr>
            )}
            {items.map((vi) => {
              const row = rowAt(vi.index);
              if (!row) {
                return (
                  <Table.Tr key={`s${vi.index}`} style={{ height: rowHeight }}>
                    {columns.map((c) => (
                      <Table.Td key={c.id}>
                        <Skeleton h={12} radius="sm" />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              }
              return (
                <Table.Tr
                  key={getRowId(row)}
                  style={{ height: rowHeight, cursor: onRowClick ? 'pointer' : undefined }}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                  onKeyDown={onRowClick ? (e) => e.key === 'Enter' && onRowClick(row) : undefined}
                  tabIndex={onRowClick ? 0 : undefined}
                  data-row-index={vi.index}
                >
                  {columns.map((c) => (
                    <Table.Td
                      key={c.id}
                      style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    >
                      {c.cell(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
            {padBottom > 0 && (
              <tr>
                <td style={{ height: padBottom, padding: 0 }} colSpan={columns.length} />
              </tr>
            )}
          </Table.Tbody>
        </Table>
        {!loading && knownTotal === 0 && (
          <Center p="xl">
            <Text c="dimmed">{t('common.noData')}</Text>
          </Center>
        )}
      </Box>
    </Box>
  );
}
