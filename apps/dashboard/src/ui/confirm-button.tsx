import { useId, useRef, useState, type ReactNode } from 'react';
import { Button, type ButtonProps } from './button.js';
import { ErrorBanner } from './error-banner.js';

interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick'> {
  /** The question the dialog asks ("Delete instance web?"). */
  title: string;
  /** What will happen, in words. */
  message?: ReactNode;
  /** The label of the dialog's confirming button. */
  confirmLabel: string;
  /** Runs when confirmed; an error keeps the dialog open and shows it. */
  onConfirm: () => Promise<unknown>;
}

/** A button for a destructive action: it asks first, in a modal dialog that the keyboard can drive. */
export function ConfirmButton({ title, message, confirmLabel, onConfirm, variant = 'danger', children, ...button }: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const open = () => {
    setError(undefined);
    dialog.current?.showModal();
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant={variant} {...button} onClick={open}>
        {children}
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        {message && <p>{message}</p>}
        <ErrorBanner error={error} />
        <div className="dialog-actions">
          <Button onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
