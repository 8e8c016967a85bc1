import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './status.js';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'danger' | 'plain';
  small?: boolean;
  /** Shows a spinner and disables the button while an action runs. */
  busy?: boolean;
};

/** A button; `type` defaults to "button" so that only submit buttons submit forms. */
export function Button({ variant = 'plain', small, busy, className, children, disabled, type = 'button', ...rest }: ButtonProps) {
  const classes = ['btn', variant !== 'plain' && `btn-${variant}`, small && 'btn-small', className].filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <Spinner label="" />} {children}
    </button>
  );
}
