import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';

type AlertHandlers = Pick<
  Handlers,
  'listAlertRules' | 'createAlertRule' | 'getAlertRule' | 'updateAlertRule' | 'deleteAlertRule' | 'listAlertDeliveries' | 'listFiringAlerts'
  | 'listNodeAlertRules'
  | 'createNodeAlertRule'
  | 'getNodeAlertRule'
  | 'updateNodeAlertRule'
  | 'deleteNodeAlertRule'
  | 'listNodeAlertDeliveries'
  | 'getAutoscale' | 'putAutoscale' | 'deleteAutoscale'
>;

/** Alert rules (of projects and of nodes) with their deliveries, and autoscaling policies of components. */
export function alertHandlers(s: Services): AlertHandlers {
  return {
    listAlertRules: ({ params }) => s.alerts.list(params.project),
    createAlertRule: ({ params, body }) => s.alerts.create(params.project, body),
    getAlertRule: ({ params }) => s.alerts.get(params.project, params.alert),
    updateAlertRule: ({ params, body }) => s.alerts.update(params.project, params.alert, body),
    deleteAlertRule: async ({ params }) => {
      await s.alerts.delete(params.project, params.alert);
      return { deleted: true as const };
    },
    listAlertDeliveries: ({ params }) => s.alerts.deliveries(params.project, params.alert),
    listFiringAlerts: () => s.alerts.firing(),
    listNodeAlertRules: () => s.nodeAlerts.list(),
    createNodeAlertRule: ({ body }) => s.nodeAlerts.create(body),
    getNodeAlertRule: ({ params }) => s.nodeAlerts.get(params.alert),
    updateNodeAlertRule: ({ params, body }) => s.nodeAlerts.update(params.alert, body),
    deleteNodeAlertRule: async ({ params }) => {
      await s.nodeAlerts.delete(params.alert);
      return { deleted: true as const };
    },
    listNodeAlertDeliveries: ({ params }) => s.nodeAlerts.deliveries(params.alert),
    getAutoscale: ({ params }) => s.autoscale.get(params.project, params.instance, params.component),
    putAutoscale: ({ params, body }) => s.autoscale.put(params.project, params.instance, params.component, body),
    deleteAutoscale: async ({ params }) => {
      await s.autoscale.delete(params.project, params.instance, params.component);
      return { deleted: true as const };
    },
  };
}
