import { useId } from 'react';
import { formatValue } from '../ui/format.js';
import { extentOf, labelledTicks, lastValue, linePath, timeLabel, type ChartSeries } from './chart-data.js';

const W = 600;
const H = 180;
const LEFT = 84;
const BOTTOM = 20;
/** Room above the plot, so the top tick's label is not cut off. */
const TOP = 10;
const COLORS = ['var(--chart-1)', 'var(--chart-2)'];

interface Props {
  title: string;
  unit: string;
  series: readonly ChartSeries[];
  range?: { from: number; to: number };
}

/** A time-series chart in plain SVG, with a text summary for screen readers and a legend. */
export function LineChart({ title, unit, series, range }: Props) {
  const id = useId();
  const extent = extentOf(series, range);
  const summary = series.map((s) => `${s.label} now ${formatValue(lastValue(s.points), unit)}`).join(', ');
  return (
    <figure className="chart panel" aria-labelledby={`${id}-t`} data-chart={title}>
      <figcaption id={`${id}-t`}>
        <strong>{title}</strong> <span className="muted">{summary}</span>
      </figcaption>
      {!extent ? (
        <div className="empty">No samples in this range yet.</div>
      ) : (
        <svg viewBox={`0 0 ${W} ${TOP + H + BOTTOM}`} role="img" aria-label={`${title}: ${summary}`} data-has-data="true">
          {labelledTicks(extent.min, extent.max, (v) => formatValue(v, unit)).map(({ value, label }) => {
            const y = TOP + H - ((value - extent.min) / (extent.max - extent.min)) * H;
            return (
              <g key={value}>
                <line className="grid" x1={LEFT} x2={W} y1={y} y2={y} />
                <text className="axis" x={LEFT - 4} y={y + 3} textAnchor="end">
                  {label}
                </text>
              </g>
            );
          })}
          {[0, 0.5, 1].map((f) => (
            <text key={f} className="axis" x={LEFT + f * (W - LEFT)} y={TOP + H + 14} textAnchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}>
              {timeLabel(extent.t0 + f * (extent.t1 - extent.t0), extent.t1 - extent.t0)}
            </text>
          ))}
          <g transform={`translate(${LEFT},${TOP})`}>
            {series.map((s, i) => (
              <path key={s.label} d={linePath(s.points, extent, W - LEFT, H)} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={1.6} strokeDasharray={i > 0 ? '5 3' : undefined} />
            ))}
          </g>
        </svg>
      )}
      {series.length > 1 && (
        <div className="muted">
          {series.map((s, i) => (
            <span key={s.label} style={{ marginRight: 12 }}>
              <span aria-hidden="true" style={{ color: COLORS[i % COLORS.length] }}>
                {i > 0 ? '╌' : '━'}
              </span>{' '}
              {s.label}
            </span>
          ))}
        </div>
      )}
    </figure>
  );
}

/** A tiny line for a table cell; its label says the latest value. */
export function Sparkline({ points, unit, label }: { points: ChartSeries['points'] | undefined; unit: string; label: string }) {
  const extent = points ? extentOf([{ label, points }]) : null;
  if (!points || !extent) return <span className="muted" aria-label={`${label}: no samples`}>–</span>;
  const last = formatValue(lastValue(points), unit);
  return (
    <span title={last}>
      <svg className="sparkline" width="80" height="20" viewBox="0 0 80 20" role="img" aria-label={`${label}: ${last}`}>
        <path d={linePath(points, extent, 80, 18)} transform="translate(0,1)" fill="none" stroke="var(--chart-1)" strokeWidth={1.3} />
      </svg>{' '}
      <small className="muted">{last}</small>
    </span>
  );
}
