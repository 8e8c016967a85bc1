import type { ReactNode } from 'react';
import { Button } from './button.js';

/** The submit button at the end of a `form-row`: as wide as its label, level with the fields. */
export function RowSubmit({ busy, children }: { busy?: boolean; children: ReactNode }) {
  return (
    <div className="field" style={{ flex: '0 0 auto' }}>
      <Button type="submit" variant="primary" busy={busy}>
        {children}
      </Button>
    </div>
  );
}
