import { AutoscalePut, type Autoscale } from '@gureum/contract';
import { checkForm, numberOf, type CheckedForm } from '../ui/check-form.js';

/** An autoscaling form as the inputs hold it (numbers as typed; an empty target is no target). */
export interface AutoscaleForm {
  min: string;
  max: string;
  cpuPercent: string;
  memoryPercent: string;
  upSeconds: string;
  downSeconds: string;
}

/** A new policy: the API's defaults for the windows, no target chosen yet. */
export const EMPTY_AUTOSCALE_FORM: AutoscaleForm = { min: '1', max: '3', cpuPercent: '', memoryPercent: '', upSeconds: '0', downSeconds: '300' };

/** The form of an existing policy, for changing it. */
export function formOfPolicy(p: Autoscale): AutoscaleForm {
  const text = (n: number | null) => (n === null ? '' : String(n));
  return {
    min: String(p.min),
    max: String(p.max),
    cpuPercent: text(p.targetCpuPercent),
    memoryPercent: text(p.targetMemoryPercent),
    upSeconds: String(p.scaleUpStabilizationSeconds),
    downSeconds: String(p.scaleDownStabilizationSeconds),
  };
}

/**
 * The body of putAutoscale, checked with the contract's schema so the messages are the API's
 * (a form with neither target gets the schema's own message under the key "").
 */
export function autoscaleBody(form: AutoscaleForm): CheckedForm<AutoscalePut> {
  const errors: Record<string, string> = {};
  const min = numberOf(form.min, 'min', errors, true);
  const max = numberOf(form.max, 'max', errors, true);
  const targetCpuPercent = numberOf(form.cpuPercent, 'targetCpuPercent', errors, false);
  const targetMemoryPercent = numberOf(form.memoryPercent, 'targetMemoryPercent', errors, false);
  const scaleUpStabilizationSeconds = numberOf(form.upSeconds, 'scaleUpStabilizationSeconds', errors, false);
  const scaleDownStabilizationSeconds = numberOf(form.downSeconds, 'scaleDownStabilizationSeconds', errors, false);
  const input = {
    min,
    max,
    ...(targetCpuPercent !== undefined && { targetCpuPercent }),
    ...(targetMemoryPercent !== undefined && { targetMemoryPercent }),
    ...(scaleUpStabilizationSeconds !== undefined && { scaleUpStabilizationSeconds }),
    ...(scaleDownStabilizationSeconds !== undefined && { scaleDownStabilizationSeconds }),
  };
  return checkForm(AutoscalePut, input, errors);
}

/** One metric of a policy in words: "42.5% of the limit (target 60%)", or that it is not a target. */
export function describeMetric(target: number | null, last: number | null): string {
  if (target === null) return 'not a target';
  return `${last === null ? 'no figure yet' : `${last.toFixed(1)}% of the limit`} (target ${target}%)`;
}
