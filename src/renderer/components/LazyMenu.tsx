import { Menu } from '@mantine/core';
import { useState, type ReactNode } from 'react';

/**
 * A row's "…" menu that is only a plain button until it is opened: a Mantine Menu (popover, floating position,
 * focus handling) and an ActionIcon with its SVG in every row of a long list cost more to render than the
 * rest of the row. The first click mounts the menu already open; closing it goes back to the plain button.
 */
export function LazyMenu({
  id,
  label,
  testId,
  items,
}: {
  /**
   * What the menu acts on (e.g. the voucher's id). A virtualized table reuses a row's elements for another
   * row; the menu is open only for the id it was opened for, so it never acts on the row that took the slot.
   */
  id: string;
  label: string;
  testId?: string;
  /** The menu's items, built only when it opens. */
  items: () => ReactNode;
}) {
  const [openFor, setOpenFor] = useState<string | null>(null);
  const open = openFor === id;
  const setOpen = (v: boolean) => setOpenFor(v ? id : null);
  const button = (onClick: (e: React.MouseEvent) => void) => (
    <button
      type="button"
      className="rk-dt-icon-btn"
      aria-label={label}
      onClick={onClick}
      data-testid={testId}
    >
      ⋯
    </button>
  );
  if (!open)
    return button((e) => {
      e.stopPropagation();
      setOpen(true);
    });
  return (
    <Menu position="bottom-end" withinPortal defaultOpened onClose={() => setOpen(false)}>
      <Menu.Target>{button((e) => e.stopPropagation())}</Menu.Target>
      <Menu.Dropdown onClick={(e) => e.stopPropagation()}>{items()}</Menu.Dropdown>
    </Menu>
  );
}
