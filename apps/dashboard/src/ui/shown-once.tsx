import { useId, useRef, useState } from 'react';
import { Button } from './button.js';

/**
 * A secret the API answers only once (a new API token, an alert's webhook signing secret):
 * shown in a read-only field with a copy button and a warning, until dismissed.
 */
export function ShownOnce({ title, value, warning, onDone }: { title: string; value: string; warning: string; onDone: () => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      // The Clipboard API needs a secure context (https or localhost); elsewhere the
      // selected text is copied the old way.
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(value);
      else {
        input.current?.select();
        if (!document.execCommand('copy')) throw new Error('copy refused');
      }
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`} style={{ borderColor: 'var(--warn)' }}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {title}
      </h2>
      <p role="note">
        <strong>{warning}</strong>
      </p>
      <div className="form-row" style={{ alignItems: 'center' }}>
        <label htmlFor={id} className="visually-hidden">
          {title}
        </label>
        <input id={id} ref={input} readOnly value={value} className="mono" style={{ flex: '1 1 240px' }} onFocus={(e) => e.currentTarget.select()} data-testid="shown-once-value" />
        <Button onClick={() => void copy()}>Copy</Button>
        <Button variant="primary" onClick={onDone}>
          I have stored it
        </Button>
      </div>
      <p aria-live="polite" className="muted" style={{ minHeight: '1.4em', margin: '6px 0 0' }}>
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'no' ? 'Copying is not allowed here: the text is selected, press Ctrl+C (⌘C).' : ''}
      </p>
    </section>
  );
}
