import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';

type MetricsHandlers = Pick<Handlers, 'queryMetrics' | 'latestMetrics' | 'instanceMetrics' | 'nodeMetrics' | 'latestNodeMetrics'>;

const pending = (): Promise<never> => Promise.reject(new Error('metrics are being built on this branch'));

// WIP(monitoring): replaced by the metrics service.
export function metricsHandlers(_s: Services): MetricsHandlers {
  return { queryMetrics: pending, latestMetrics: pending, instanceMetrics: pending, nodeMetrics: pending, latestNodeMetrics: pending };
}
