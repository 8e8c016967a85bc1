/** Bytes in the unit a person reads (1.5 GiB). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(digits)} ${units[unit]}`;
}

/** A value of a metric with its unit. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'bytes/s':
      return `${formatBytes(value)}/s`;
    case 'cores':
      return `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)} cores`;
    default:
      return Math.abs(value) >= 100 ? value.toFixed(0) : String(Math.round(value * 100) / 100);
  }
}

/** A value of the metric named `metric` (cpu_cores, memory_bytes, net_rx_bps, node_disk_used_percent...), rounded as a person reads it. */
export function formatMetric(metric: string, value: number | null | undefined): string {
  const unit = metric.endsWith('_bps') ? 'bytes/s' : metric.endsWith('_bytes') ? 'bytes' : metric.endsWith('_cores') ? 'cores' : metric.endsWith('_percent') ? 'percent' : 'count';
  const text = formatValue(value, unit);
  return unit === 'percent' && text !== '–' ? `${text} %` : text;
}

/** How long ago an ISO time was ("3 min ago"). */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}
