import { useEffect, useMemo, useRef, useState } from 'react';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { appendLines, filterLines, highlight, logFileName } from './log-buffer.js';

const TAIL = 500;

/** Live logs of an instance: follow, search, download. */
export function LogView({ project, instance }: { project: string; instance: string }) {
  const { client } = useSession();
  const [lines, setLines] = useState<string[]>([]);
  const [follow, setFollow] = useState(true);
  const [search, setSearch] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    let pending: string[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Lines are added in batches: a chatty replica must not re-render the page per line.
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      setLines((old) => appendLines(old, batch));
    };
    setLines([]);
    setError(undefined);
    void (async () => {
      try {
        for await (const line of client.streamLines('instanceLogs', { params: { project, instance }, query: { follow: follow ? 'true' : 'false', tail: TAIL } }, { signal: controller.signal })) {
          pending.push(line);
          timer ??= setTimeout(flush, 100);
        }
        flush();
      } catch (err) {
        if (!controller.signal.aborted) setError(err);
      }
    })();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, project, instance, follow, attempt]);

  const shown = useMemo(() => filterLines(lines, search), [lines, search]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

  const download = () => {
    const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = logFileName(project, instance);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section aria-label="Logs">
      <div className="form-row">
        <TextField label="Search the logs" type="search" value={search} onChange={(e) => setSearch(e.target.value)} hint={search ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`} />
        <div className="field">
          <label>
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
          </label>
        </div>
        <div className="field">
          <Button onClick={download} disabled={lines.length === 0}>
            Download
          </Button>
        </div>
      </div>
      <ErrorBanner error={error} onRetry={() => setAttempt((n) => n + 1)} />
      <div className="log-view" ref={box} role="log" aria-live={follow ? 'polite' : 'off'} aria-label={`Logs of ${instance}`} tabIndex={0} data-testid="logs">
        {shown.map((line, i) => (
          <div key={i}>{highlight(line, search).map((p, j) => (p.match ? <mark key={j}>{p.text}</mark> : p.text))}</div>
        ))}
      </div>
    </section>
  );
}
