import { memo, useEffect, useState, type ReactNode } from 'react';

export interface Column<T> {
  header: ReactNode;
  /** What the cell shows. */
  cell: (row: T) => ReactNode;
  /** Hidden from sighted users on narrow screens? No: tables scroll sideways instead. */
  className?: string;
}

interface TableProps<T> {
  /** Read by screen readers as the table's name. */
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  /**
   * Long lists: render this many rows first and the rest in the next frames, so the first
   * screen shows at once instead of after every row is built.
   */
  progressive?: number;
  /** Re-render a row only when this changes (default: always). */
  rowVersion?: (row: T) => string;
}

interface RowProps<T> {
  row: T;
  columns: readonly Column<T>[];
  version: string | undefined;
}

function RowView<T>({ row, columns }: RowProps<T>) {
  return (
    <tr>
      {columns.map((c, i) => (
        <td key={i} className={c.className}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
}

/** A row whose version did not change is not rendered again (live lists of hundreds of rows). */
const Row = memo(RowView, (a, b) => a.version !== undefined && a.version === b.version && a.columns === b.columns) as typeof RowView;

/** How many rows to render now: all, or a growing prefix for a progressive table. */
function useShownCount(total: number, step: number | undefined): number {
  const [shown, setShown] = useState(step ?? Infinity);
  useEffect(() => {
    if (shown >= total) return;
    const frame = requestAnimationFrame(() => setShown((n) => n + (step ?? total)));
    return () => cancelAnimationFrame(frame);
  }, [shown, total, step]);
  return Math.min(shown, total);
}

/** A plain data table with a caption for screen readers; it scrolls sideways on a phone. */
export function Table<T>({ caption, columns, rows, rowKey, empty, progressive, rowVersion }: TableProps<T>) {
  const shown = useShownCount(rows.length, progressive);
  if (rows.length === 0) return <div className="empty">{empty}</div>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(shown < rows.length ? rows.slice(0, shown) : rows).map((row) => (
            <Row key={rowKey(row)} row={row} columns={columns} version={rowVersion?.(row)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
