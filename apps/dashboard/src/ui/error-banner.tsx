import { describeError } from '../api/errors.js';

/**
 * An API error shown where it happened: a headline in plain words, the API's message, and
 * the code (to search the docs or tell an admin). Announced to screen readers.
 */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === undefined || error === null) return null;
  const shown = describeError(error);
  const fieldLines = Object.entries(shown.fields).filter(([path]) => path !== '');
  return (
    <div className="error-banner" role="alert">
      <strong>{shown.title}</strong>
      {shown.message && shown.message !== shown.title && <div>{shown.message}</div>}
      {fieldLines.length > 1 && (
        <ul>
          {fieldLines.map(([path, message]) => (
            <li key={path}>
              <code>{path}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      <div className="muted">
        <small>
          {shown.code}
          {shown.status ? ` (HTTP ${shown.status})` : ''}
        </small>
        {onRetry && (
          <>
            {' '}
            <button type="button" className="btn btn-small" onClick={onRetry}>
              Try again
            </button>
          </>
        )}
      </div>
    </div>
  );
}
