import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../app/session.js';
import { parseServerMessage, resizeMessage } from './exec-protocol.js';

interface Props {
  project: string;
  instance: string;
  component: string;
  replica: number;
}

/**
 * A terminal into one replica: xterm.js over the exec WebSocket (the session cookie and the
 * page's own Origin authenticate it). Follows the size of its box as the window changes.
 * Loaded only when the terminal tab opens: xterm is most of its weight.
 */
export default function ReplicaTerminal({ project, instance, component, replica }: Props) {
  const { client } = useSession();
  const box = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState('Connecting…');

  useEffect(() => {
    const term = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', convertEol: false, screenReaderMode: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    fit.fit();
    const url = client.execUrl({ params: { project, instance }, query: { component, replica, cols: term.cols, rows: term.rows } });
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const encoder = new TextEncoder();
    ws.onopen = () => {
      setStatus(`Connected to ${component}/${replica}`);
      term.focus();
    };
    ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
      if (typeof e.data !== 'string') return term.write(new Uint8Array(e.data));
      const m = parseServerMessage(e.data);
      if (m.type === 'exit') setStatus(`The shell exited with code ${m.code}.`);
      else if (m.type === 'error') setStatus(`${m.message} (${m.code})`);
    };
    ws.onclose = (e) => setStatus((s) => (s.startsWith('Connected') || s.startsWith('Connecting') ? `Disconnected${e.reason ? `: ${e.reason}` : ''}.` : s));
    const input = term.onData((d) => ws.readyState === WebSocket.OPEN && ws.send(encoder.encode(d)));
    const resized = term.onResize(({ cols, rows }) => ws.readyState === WebSocket.OPEN && ws.send(resizeMessage(cols, rows)));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      ws.close();
      term.dispose();
    };
  }, [client, project, instance, component, replica]);

  return (
    <section aria-label="Terminal">
      <p role="status" className="muted">
        {status}
      </p>
      <div className="terminal-box" ref={box} data-testid="terminal" />
    </section>
  );
}
