import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';

type AlertHandlers = Pick<
  Handlers,
  'listAlertRules' | 'createAlertRule' | 'getAlertRule' | 'updateAlertRule' | 'deleteAlertRule' | 'listAlertDeliveries' | 'listFiringAlerts' | 'getAutoscale' | 'putAutoscale' | 'deleteAutoscale'
>;

const pending = (): Promise<never> => Promise.reject(new Error('alerts are being built on this branch'));

// WIP(monitoring): replaced by the alert and autoscale services.
export function alertHandlers(_s: Services): AlertHandlers {
  return {
    listAlertRules: pending,
    createAlertRule: pending,
    getAlertRule: pending,
    updateAlertRule: pending,
    deleteAlertRule: pending,
    listAlertDeliveries: pending,
    listFiringAlerts: pending,
    getAutoscale: pending,
    putAutoscale: pending,
    deleteAutoscale: pending,
  };
}
