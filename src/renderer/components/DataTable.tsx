import { Box, Center, Group, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconSearch } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../shared/money';
import './DataTable.css';

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

/** CSS grid columns for a column list: fixed widths in px, the rest share what is left. */
function gridTemplate<T>(columns: Column<T>[]): string {
  return columns.map((c) => (c.width ? `${c.width}px` : 'minmax(0, 1fr)')).join(' ');
}

/**
 * Slots for the visible row indexes: an index keeps its slot while it stays visible, and an index that comes
 * into view takes a slot an index that left has freed (so the number of slots is the most rows ever shown).
 */
export function assignSlots(previous: ReadonlyMap<number, number>, visible: number[]): Map<number, number> {
  const seen = new Set(visible);
  const next = new Map<number, number>();
  const free: number[] = [];
  let top = -1;
  for (const [index, s] of previous) {
    top = Math.max(top, s);
    if (seen.has(index)) next.set(index, s);
    else free.push(s);
  }
  free.sort((a, b) => b - a);
  for (const index of visible) if (!next.has(index)) next.set(index, free.pop() ?? ++top);
  return next;
}

interface RowProps<T> {
  row: T;
  /** The row's id (rows are keyed by slot; cells that hold state key themselves by it). */
  rowId: string;
  index: number;
  columns: Column<T>[];
  /** Pixel offset of the row and its height: rows are placed, not flowed (see DataTable.css). */
  top: number;
  height: number;
  template: string;
  onClick: ((row: T) => void) | null;
}

/**
 * One data row, memoised on its row object, position, columns and click handler: scrolling renders only the
 * rows that come into view, into the slots of the rows that left (see `slot` in DataTable). Plain `<tr>`/`<td>`
 * with Mantine's table classes (a Mantine component per cell costs more than the cell's content), absolutely
 * placed so rows entering or leaving do not lay out the others.
 */
const DataRow = memo(function DataRow<T>({
  row,
  rowId,
  index,
  columns,
  top,
  height,
  template,
  onClick,
}: RowProps<T>) {
  return (
    <tr
      className={`${Table.classes.tr} rk-dt-row`}
      data-with-row-border
      data-hover
      style={{
        height,
        transform: `translateY(${top}px)`,
        gridTemplateColumns: template,
        cursor: onClick ? 'pointer' : undefined,
      }}
      onClick={onClick ? () => onClick(row) : undefined}
      onKeyDown={onClick ? (e) => e.key === 'Enter' && onClick(row) : undefined}
      tabIndex={onClick ? 0 : undefined}
      data-row-index={index}
      aria-rowindex={index + 2}
      data-row-id={rowId}
    >
      {columns.map((c) => (
        <td key={c.id} className={Table.classes.td}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
}) as <T>(props: RowProps<T>) => ReactNode;

/** A row whose block is still loading: one light bar, no per-cell components or animations. */
const PlaceholderRow = memo(function PlaceholderRow({ top, height }: { top: number; height: number }) {
  return (
    <tr
      className={`${Table.classes.tr} rk-dt-row rk-dt-placeholder`}
      data-with-row-border
      style={{ height, transform: `translateY(${top}px)` }}
    >
      <td className={Table.classes.td}>
        <div className="rk-dt-bar" />
      </td>
    </tr>
  );
});

interface HeadProps<T> {
  columns: Column<T>[];
  template: string;
  sorting: SortState | null;
  onSort: (id: string) => void;
}

/** The header row; memoised, so a scroll step (which re-renders the table body) does not render it. */
const Head = memo(function Head<T>({ columns, template, sorting, onSort }: HeadProps<T>) {
  return (
    <Table.Thead>
      <Table.Tr style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const dir = sorting?.id === c.id ? (sorting.desc ? 'desc' : 'asc') : null;
          return (
            <Table.Th key={c.id} style={{ height: 40 }}>
              {c.sortable ? (
                <UnstyledButton
                  onClick={() => onSort(c.id)}
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
  );
}) as <T>(props: HeadProps<T>) => ReactNode;

/** Search box, the caller's toolbar and the row count; memoised for the same reason as Head. */
const TopBar = memo(function TopBar({
  searchable,
  search,
  onSearch,
  toolbar,
  total,
  testId,
}: {
  searchable: boolean;
  search: string;
  onSearch: (v: string) => void;
  toolbar: ReactNode;
  total: number | null;
  testId: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" mb="sm" wrap="nowrap">
      {searchable ? (
        <TextInput
          placeholder={t('common.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => onSearch(e.currentTarget.value)}
          w={320}
          aria-label={t('common.search')}
        />
      ) : (
        <span />
      )}
      <Group gap="sm">
        {toolbar}
        <Text size="sm" c="dimmed" className="tabular" data-testid={testId ? `${testId}-total` : undefined}>
          {total === null ? t('common.loading') : `${formatNumber(total)} ${t('common.rows')}`}
        </Text>
      </Group>
    </Group>
  );
});

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
  const toggleSort = useCallback(
    (id: string) =>
      setSorting((cur) => (cur?.id !== id ? { id, desc: false } : cur.desc ? null : { id, desc: true })),
    [],
  );
  // Callers often pass a new key array with the same content each render: key the memo on its content.
  const keyText = JSON.stringify(queryKey);
  const baseKey = useMemo(
    () => [...(JSON.parse(keyText) as unknown[]), { search, sort }],
    [keyText, search, sort],
  );

  const virtualizer = useVirtualizer({
    count: knownTotal ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  // Blocks load a little before they scroll into view, so rows rarely show as placeholders.
  const lookahead = Math.min(60, Math.floor(blockSize / 3));
  const lastIndex = Math.max(0, (knownTotal ?? 1) - 1);
  const firstBlock = Math.floor(Math.max(0, (items[0]?.index ?? 0) - lookahead) / blockSize);
  const lastBlock = Math.floor(Math.min(lastIndex, (items.at(-1)?.index ?? 0) + lookahead) / blockSize);

  // The caller's fetchPage is usually a new closure each render; the queries only need the latest one.
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  // Rebuilt only when the visible blocks (or the data set) change, not on every scroll step. No placeholder
  // data: a slot's previous block would show its rows at the wrong positions until the new block arrives.
  const queries = useMemo(() => {
    const out = [];
    for (let b = firstBlock; b <= lastBlock; b++) {
      out.push({
        queryKey: [...baseKey, 'block', b],
        queryFn: () =>
          fetchRef.current({
            offset: b * blockSize,
            limit: blockSize,
            ...(search ? { search } : {}),
            ...(sort ? { sort } : {}),
          }),
        staleTime: 30_000,
      });
    }
    return out;
  }, [baseKey, firstBlock, lastBlock, blockSize, search, sort]);
  const results = useQueries({ queries });
  const total = results.find((r) => r.data)?.data?.total;
  if (total !== undefined && total !== knownTotal) setKnownTotal(total);

  const rowAt = (index: number): T | undefined => {
    const b = Math.floor(index / blockSize) - firstBlock;
    return results[b]?.data?.rows[index % blockSize];
  };

  // Stable for the rows' memo: a new onRowClick from the caller each render must not re-render every row.
  const clickRef = useRef(onRowClick);
  clickRef.current = onRowClick;
  const clickable = onRowClick !== undefined;
  const handleClick = useCallback((row: T) => clickRef.current?.(row), []);

  const template = useMemo(() => gridTemplate(columns), [columns]);
  // Rows are keyed by a slot, not by their id: a row scrolling out hands its slot (its DOM elements) to a row
  // scrolling in, which only changes their text and position. New elements would each need the browser's
  // full style resolution, the bulk of a scroll step's cost.
  const slots = useRef(new Map<number, number>());
  const slotOf = assignSlots(
    slots.current,
    items.map((i) => i.index),
  );
  slots.current = slotOf;
  const slot = (index: number) => slotOf.get(index) ?? index;
  // In slot order, so React never moves a row's elements (rows are placed by transform, not by DOM order;
  // aria-rowindex gives assistive technology the visual order).
  const bySlot = [...items].sort((a, b) => slot(a.index) - slot(b.index));
  const loading = results.some((r) => r.isLoading) && knownTotal === null;

  return (
    <Box data-testid={testId}>
      <TopBar
        searchable={searchable}
        search={searchRaw}
        onSearch={setSearchRaw}
        toolbar={toolbar}
        total={knownTotal}
        testId={testId}
      />
      <Box
        ref={scrollRef}
        className={virtualizer.isScrolling ? 'rk-dt-scroll rk-dt-scrolling' : 'rk-dt-scroll'}
        style={{
          height,
          overflow: 'auto',
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 8,
        }}
      >
        <Table stickyHeader highlightOnHover verticalSpacing={0} className="rk-dt-table">
          <Head columns={columns} template={template} sorting={sorting} onSort={toggleSort} />
          {/* Not Mantine's tbody class: its `:last-of-type` rule makes the browser restyle every row whenever
              one is added or removed, i.e. on every scroll step. */}
          <tbody style={{ height: virtualizer.getTotalSize() }}>
            {bySlot.map((vi) => {
              const row = rowAt(vi.index);
              return row ? (
                <DataRow
                  key={slot(vi.index)}
                  rowId={getRowId(row)}
                  row={row}
                  index={vi.index}
                  columns={columns}
                  top={vi.start}
                  height={rowHeight}
                  template={template}
                  onClick={clickable ? handleClick : null}
                />
              ) : (
                <PlaceholderRow key={slot(vi.index)} top={vi.start} height={rowHeight} />
              );
            })}
          </tbody>
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
