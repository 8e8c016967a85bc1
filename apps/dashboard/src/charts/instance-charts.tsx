import { useState } from 'react';
import { useApi } from '../api/hooks.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { Loading } from '../ui/status.js';
import { bundleSeries, INSTANCE_CHARTS, RANGES, rangeQuery, type RangeKey } from './chart-data.js';
import { LineChart } from './line-chart.js';

/** CPU, memory, network and block I/O of an instance over a chosen range. */
export function InstanceCharts({ project, instance }: { project: string; instance: string }) {
  const [range, setRange] = useState<RangeKey>('live');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const { query, refreshMs } = rangeQuery(range, custom);
  const bundle = useApi((c) => c.call('instanceMetrics', { params: { project, instance }, query }), [project, instance, range, custom.from, custom.to], refreshMs ? { everyMs: refreshMs } : {});
  return (
    <section aria-label="Charts">
      <div className="form-row">
        <fieldset className="field" style={{ border: 0, padding: 0 }}>
          <legend>Time range</legend>
          <div className="form-row" role="radiogroup">
            {RANGES.map((r) => (
              <label key={r.key}>
                <input type="radio" name="range" value={r.key} checked={range === r.key} onChange={() => setRange(r.key)} /> {r.label}
              </label>
            ))}
          </div>
        </fieldset>
        {range === 'custom' && (
          <>
            <TextField label="From" type="datetime-local" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
            <TextField label="To" type="datetime-local" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          </>
        )}
      </div>
      {bundle.error !== undefined && bundle.data === undefined ? (
        <div className="panel">
          <p>Charts need the metrics of this instance, and Gureum could not give them now. They appear here as soon as samples are collected.</p>
          <ErrorBanner error={bundle.error} onRetry={bundle.reload} />
        </div>
      ) : bundle.data === undefined ? (
        <Loading what="Loading charts" />
      ) : (
        <div className="chart-grid">
          {INSTANCE_CHARTS.map((chart) => {
            const { unit, series } = bundleSeries(bundle.data!, chart.metrics);
            return <LineChart key={chart.title} title={chart.title} unit={unit} series={series} range={{ from: bundle.data!.from, to: bundle.data!.to }} />;
          })}
        </div>
      )}
    </section>
  );
}
