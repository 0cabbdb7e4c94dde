import { useEffect, useRef, useState } from 'preact/hooks';
import {
  allFree,
  columnTimes,
  type GridItem,
  type GridModel,
  type GridRow,
  type GridSelection,
  itemAt,
  SLOT_MINUTES,
  timeOfMinutes,
} from '../format/grid-model';
import { dayOfDate, wallTimeWords } from '../format/zoned-time';

interface Props {
  model: GridModel;
  /** The grid's name for screen readers: "Free time on Tue 8 Dec". */
  label: string;
  selection: GridSelection | null;
  onSelect: (selection: GridSelection | null) => void;
  /** A free stretch chosen (Enter, a click, the end of a drag): the form takes it from here. */
  onChoose: (selection: GridSelection) => void;
  /** A booking the viewer may open. */
  onOpen: (bookingId: number) => void;
  /** A row's heading may lead elsewhere (a venue's week). */
  rowLink?: (row: GridRow) => string | null;
}

const KIND_WORDS: Record<GridItem['kind'], string> = {
  free: 'free',
  booked: 'booked',
  closed: 'closed',
  shut: 'outside opening hours',
  unavailable: 'not bookable',
};

/** The first free cell, row by row (else the first cell). */
function firstFree(model: GridModel): { row: number; column: number } {
  for (let row = 0; row < model.rows.length; row++) {
    const free = model.rows[row]?.items.find((item) => item.kind === 'free');
    if (free) return { row, column: free.from };
  }
  return { row: 0, column: 0 };
}

/** One hour by default when the next half hour is free too, else the half hour. */
function defaultStretch(row: GridRow, column: number, columns: number): [number, number] {
  const hour = 60 / SLOT_MINUTES;
  return column + hour <= columns && allFree(row, column, column + hour)
    ? [column, column + hour]
    : [column, column + 1];
}

/**
 * The booking grid (the ARIA grid pattern): rows are venues (or days), columns half hours. One tab
 * stop; arrow keys move between cells, Home/End to the row's ends, Shift+Left/Right widens the
 * chosen free time, Enter takes it (or opens your booking). A pointer clicks a free half hour, or
 * drags across free time in one row.
 */
export function BookingGrid({ model, label, selection, onSelect, onChoose, onOpen, rowLink }: Props) {
  // A week's rows are days of one venue; a day's rows are venues.
  const week = model.rows.length > 0 && model.rows.every((row) => row.venue.id === model.rows[0]?.venue.id);
  // Focus starts on the first free time, and the grid scrolls to it (a phone shows a few hours at once).
  const [focus, setFocus] = useState<{ row: number; column: number }>(() => firstFree(model));
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const start = firstFree(model);
    const cell = cells.current.get(`${start.row}:${itemAt(model.rows[start.row] as GridRow, start.column)?.from}`);
    const box = scroller.current;
    const head = box?.querySelector<HTMLElement>('.grid-head');
    if (cell && box && head) box.scrollLeft = Math.max(0, cell.offsetLeft - head.offsetWidth - 4);
  }, [model.rows.length > 0]);
  const cells = useRef(new Map<string, HTMLElement>());
  const moved = useRef(false);
  const drag = useRef<{ row: number; anchor: number } | null>(null);
  const latest = useRef(selection);
  // The choice as last set here, until the parent hands down a different one (a reset, a new day).
  const handed = useRef(selection);
  if (handed.current !== selection) {
    handed.current = selection;
    latest.current = selection;
  }
  // Read at the end of a press, which may come before the render that follows its start.
  const handlers = useRef({ onSelect, onChoose });
  handlers.current = { onSelect, onChoose };
  const select = (next: GridSelection | null) => {
    latest.current = next;
    handlers.current.onSelect(next);
  };

  // The model changes (another day, a live update): focus stays on a cell that exists.
  const rowCount = model.rows.length;
  const safe = {
    row: Math.min(focus.row, Math.max(0, rowCount - 1)),
    column: Math.min(focus.column, Math.max(0, model.columns - 1)),
  };
  const focusedRow = model.rows[safe.row];
  const focusedItem = focusedRow ? itemAt(focusedRow, safe.column) : undefined;

  useEffect(() => {
    if (!moved.current || !focusedRow || !focusedItem) return;
    moved.current = false;
    cells.current.get(`${safe.row}:${focusedItem.from}`)?.focus();
  });

  const latestModel = useRef(model);
  latestModel.current = model;
  useEffect(() => {
    // The end of a press on free time: a drag chose its stretch; a click without one, an hour where it fits.
    const end = () => {
      const dragged = drag.current;
      drag.current = null;
      const chosen = latest.current;
      if (!dragged || !chosen || chosen.row !== dragged.row) return;
      const row = latestModel.current.rows[chosen.row];
      if (!row) return;
      if (chosen.to - chosen.from === 1) {
        const [from, to] = defaultStretch(row, chosen.from, latestModel.current.columns);
        const stretched = { row: chosen.row, from, to };
        select(stretched);
        handlers.current.onChoose(stretched);
      } else handlers.current.onChoose(chosen);
    };
    window.addEventListener('pointerup', end);
    return () => window.removeEventListener('pointerup', end);
  }, []);

  // Keys may come faster than renders: each reads where focus and the choice are now, not as last drawn.
  const at = useRef(safe);
  const move = (row: number, column: number) => {
    moved.current = true;
    at.current = {
      row: Math.max(0, Math.min(rowCount - 1, row)),
      column: Math.max(0, Math.min(model.columns - 1, column)),
    };
    setFocus(at.current);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const row = Math.min(at.current.row, Math.max(0, rowCount - 1));
    const focusedRow = model.rows[row];
    const item = focusedRow && itemAt(focusedRow, at.current.column);
    if (!focusedRow || !item) return;
    const selection = latest.current;
    const key = event.key;

    if (event.shiftKey && (key === 'ArrowRight' || key === 'ArrowLeft')) {
      // Widen (or narrow) the chosen free time from where it started.
      event.preventDefault();
      const current =
        selection && selection.row === row
          ? selection
          : item.kind === 'free'
            ? { row, from: item.from, to: item.to }
            : null;
      if (!current) return;
      const next =
        key === 'ArrowRight'
          ? { ...current, to: Math.min(model.columns, current.to + 1) }
          : { ...current, to: Math.max(current.from + 1, current.to - 1) };
      if (!allFree(focusedRow, next.from, next.to)) return;
      select(next);
      move(row, next.to - 1);
      return;
    }
    switch (key) {
      case 'ArrowRight':
        event.preventDefault();
        move(row, item.to);
        return;
      case 'ArrowLeft':
        event.preventDefault();
        move(row, item.from - 1);
        return;
      case 'ArrowDown':
        event.preventDefault();
        move(row + 1, at.current.column);
        return;
      case 'ArrowUp':
        event.preventDefault();
        move(row - 1, at.current.column);
        return;
      case 'Home':
        event.preventDefault();
        move(event.ctrlKey ? 0 : row, 0);
        return;
      case 'End':
        event.preventDefault();
        move(event.ctrlKey ? rowCount - 1 : row, model.columns - 1);
        return;
      case 'Enter':
      case ' ': {
        event.preventDefault();
        if (item.kind === 'booked' && item.block?.id) {
          onOpen(item.block.id);
          return;
        }
        if (item.kind !== 'free') return;
        const inside = selection && selection.row === row && selection.from <= item.from && item.from < selection.to;
        if (inside) onChoose(selection);
        else {
          const [from, to] = defaultStretch(focusedRow, item.from, model.columns);
          const chosen = { row, from, to };
          select(chosen);
          onChoose(chosen);
        }
        return;
      }
      case 'Escape':
        if (selection) {
          event.preventDefault();
          select(null);
        }
        return;
    }
  };

  const pointerDown = (rowIndex: number, item: GridItem, event: PointerEvent) => {
    if (item.kind !== 'free' || event.button !== 0) return;
    drag.current = { row: rowIndex, anchor: item.from };
    at.current = { row: rowIndex, column: item.from };
    setFocus(at.current);
    select({ row: rowIndex, from: item.from, to: item.to });
  };

  const pointerEnter = (rowIndex: number, row: GridRow, item: GridItem) => {
    const dragging = drag.current;
    if (!dragging || dragging.row !== rowIndex || item.kind !== 'free') return;
    const from = Math.min(dragging.anchor, item.from);
    const to = Math.max(dragging.anchor + 1, item.to);
    if (allFree(row, from, to)) select({ row: rowIndex, from, to });
  };

  const click = (item: GridItem) => {
    if (item.kind === 'booked' && item.block?.id) onOpen(item.block.id);
  };

  const hours: number[] = [];
  for (let column = 0; column < model.columns; column += 60 / SLOT_MINUTES) hours.push(column);
  const template = { gridTemplateColumns: `var(--grid-head) repeat(${model.columns}, minmax(1.5rem, 1fr))` };

  return (
    <div class="grid-scroll" ref={scroller}>
      {/* biome-ignore lint/a11y/useSemanticElements: a table cannot hold cells that span and move focus like this */}
      {/* biome-ignore lint/a11y/useFocusableInteractive: ARIA grid: only its cells take focus (one tab stop, arrow keys between them) */}
      <div role="grid" aria-label={label} aria-rowcount={rowCount + 1} class="booking-grid">
        {/* biome-ignore lint/a11y/useFocusableInteractive: ARIA grid: only its cells take focus (one tab stop, arrow keys between them) */}
        <div role="row" class="grid-row grid-hours" style={template}>
          {/* biome-ignore lint/a11y/useFocusableInteractive: ARIA grid: only its cells take focus (one tab stop, arrow keys between them) */}
          <span role="columnheader" class="grid-head">
            <span class="visually-hidden">Venue</span>
          </span>
          {hours.map((column) => (
            // biome-ignore lint/a11y/useFocusableInteractive: ARIA grid: only its cells take focus (one tab stop, arrow keys between them)
            <span
              role="columnheader"
              key={column}
              class="grid-hour"
              style={{ gridColumn: `${column + 2} / span ${60 / SLOT_MINUTES}` }}
            >
              {wallTimeWords(timeOfMinutes(model.axisStart + column * SLOT_MINUTES))}
            </span>
          ))}
        </div>
        {model.rows.map((row, rowIndex) => {
          const href = rowLink?.(row) ?? null;
          return (
            // biome-ignore lint/a11y/useFocusableInteractive: ARIA grid: only its cells take focus (one tab stop, arrow keys between them)
            <div role="row" key={`${row.venue.id}-${row.day.date}`} class="grid-row" style={template}>
              {/* biome-ignore lint/a11y/useFocusableInteractive: ARIA grid: only its cells take focus (one tab stop, arrow keys between them) */}
              <span role="rowheader" class="grid-head">
                {href ? <a href={href}>{row.heading}</a> : row.heading}
                {!week && row.venue.capacity !== null && <span class="grid-sub"> · {row.venue.capacity} seats</span>}
              </span>
              {row.items.map((item) => {
                const chosen =
                  selection?.row === rowIndex &&
                  item.kind === 'free' &&
                  selection.from <= item.from &&
                  item.to <= selection.to;
                const focused = rowIndex === safe.row && item === focusedItem;
                const times = columnTimes(model, item.from, item.to);
                const where = `${row.heading}${row.heading === row.venue.name ? '' : ` (${row.venue.name})`}`;
                const name =
                  item.kind === 'free'
                    ? `${where}, ${dayOfDate(row.day.date)}, ${times}, free${chosen ? ', chosen' : ''}`
                    : `${where}, ${times}, ${item.kind === 'booked' ? item.label : `${KIND_WORDS[item.kind]}${item.kind === 'closed' ? ` (${row.day.closed})` : ''}`}`;
                return (
                  <span
                    key={item.from}
                    role="gridcell"
                    ref={(element) => {
                      const key = `${rowIndex}:${item.from}`;
                      if (element) cells.current.set(key, element);
                      else cells.current.delete(key);
                    }}
                    tabIndex={focused ? 0 : -1}
                    aria-label={name}
                    aria-selected={item.kind === 'free' ? chosen : undefined}
                    class={`grid-cell ${item.kind}${chosen ? ' chosen' : ''}${item.block?.mine ? ' mine' : ''}${item.block?.pending ? ' pending' : ''}`}
                    style={{ gridColumn: `${item.from + 2} / span ${item.to - item.from}` }}
                    title={item.kind === 'free' ? `${times} free` : `${times} ${item.label}`}
                    onFocus={() => {
                      if (rowIndex !== safe.row || item !== focusedItem) {
                        at.current = { row: rowIndex, column: item.from };
                        setFocus(at.current);
                      }
                    }}
                    onPointerDown={(event) => pointerDown(rowIndex, item, event)}
                    onPointerEnter={() => pointerEnter(rowIndex, row, item)}
                    onClick={() => click(item)}
                    onKeyDown={onKeyDown}
                  >
                    {item.kind === 'free' ? '' : item.to - item.from >= 2 || item.kind === 'booked' ? item.label : ''}
                  </span>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
