import type { ReactNode } from 'react';

/** A small spinner; `label` is read by screen readers ("" when the context says it already). */
export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span role={label ? 'status' : undefined}>
      <span className="spinner" aria-hidden="true" />
      {label && <span className="visually-hidden">{label}</span>}
    </span>
  );
}

/** A block saying the page is loading. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="empty">
      <Spinner label={what} /> <span aria-hidden="true">{what}…</span>
    </div>
  );
}

/** What a list shows when it has nothing, with what to do about it. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
