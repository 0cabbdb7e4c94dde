import type { VNode } from 'preact';
import type { PagedList } from '../hooks/use-paged-list';
import { ErrorAlert } from './Feedback';
import { OlderButton } from './OlderButton';

export interface PagedTableProps<T> {
  list: PagedList<T>;
  /** The scrolling region's name, which a keyboard user lands on to scroll it sideways. */
  label: string;
  caption: string;
  columns: string[];
  loadingText: string;
  emptyText: string;
  /** Classes beside data-table: `compact-table stacked-on-phone` (narrow columns in a card, rows as blocks on a phone), the table's own column widths. */
  tableClass?: string;
  row: (item: T) => VNode;
}

/** A keyset-paged list as a table, newest first, with the Older button below while there is more. */
export function PagedTable<T>({
  list,
  label,
  caption,
  columns,
  loadingText,
  emptyText,
  tableClass,
  row,
}: PagedTableProps<T>) {
  return (
    <>
      <ErrorAlert message={list.error} />
      {list.loading ? (
        <p class="muted">{loadingText}</p>
      ) : list.items.length === 0 ? (
        <p class="muted">{emptyText}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so keyboard users can scroll it (axe: scrollable-region-focusable)
        <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
          <table class={tableClass ? `data-table ${tableClass}` : 'data-table'}>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{list.items.map(row)}</tbody>
          </table>
        </div>
      )}
      <OlderButton next={list.next} busy={list.loadingOlder} onClick={list.loadOlder} />
    </>
  );
}
