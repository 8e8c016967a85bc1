/** How full something is, for a meter's colour. */
export type MeterLevel = 'ok' | 'high' | 'full';

const COLOURS: Record<MeterLevel, string> = { ok: 'var(--accent)', high: 'var(--warn)', full: 'var(--danger)' };

/** The level of a fraction: high from 80 %, full at 100 %. */
export function levelOf(fraction: number | null): MeterLevel {
  if (fraction === null) return 'ok';
  return fraction >= 1 ? 'full' : fraction >= 0.8 ? 'high' : 'ok';
}

/**
 * A horizontal bar of use against a limit, with its text beside it. Screen readers get the
 * label and the text (role meter); without a limit only the text shows.
 */
export function Meter({ label, fraction, text, level = levelOf(fraction) }: { label: string; fraction: number | null; text: string; level?: MeterLevel }) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
      {percent !== null && (
        <div
          role="meter"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={text}
          style={{ flex: '1 1 120px', minWidth: 60, height: 10, borderRadius: 5, background: 'var(--border)', overflow: 'hidden' }}
        >
          <div data-level={level} style={{ width: `${percent}%`, height: '100%', background: COLOURS[level] }} />
        </div>
      )}
      <span style={{ whiteSpace: 'nowrap' }}>{text}</span>
    </div>
  );
}
