import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';
import { principalOf } from './identity.routes.js';

type MetricsHandlers = Pick<Handlers, 'queryMetrics' | 'latestMetrics' | 'instanceMetrics' | 'nodeMetrics' | 'latestNodeMetrics'>;

export function metricsHandlers(s: Services): MetricsHandlers {
  return {
    queryMetrics: ({ query }, { request }) => s.metrics.query(query, principalOf(request)),
    latestMetrics: ({ query }, { request }) => s.metrics.latest(query, principalOf(request)),
    instanceMetrics: ({ params, query }) => s.metrics.instance(params.project, params.instance, query),
    nodeMetrics: ({ params, query }) => s.metrics.node(params.node, query),
    latestNodeMetrics: () => Promise.resolve(s.metrics.latestNodes()),
  };
}
