/** A recommendation of the autoscaler at a time, kept for the stabilisation windows. */
export interface Recommendation {
  /** unix ms */
  at: number;
  replicas: number;
}

/** The autoscaling policy of one component of one instance, with its last decision. */
export interface AutoscalePolicyRecord {
  instanceId: string;
  project: string;
  instance: string;
  component: string;
  min: number;
  max: number;
  /** null: CPU is not a target. At least one target is set. */
  targetCpuPercent: number | null;
  /** null: memory is not a target. */
  targetMemoryPercent: number | null;
  scaleUpStabilizationSeconds: number;
  scaleDownStabilizationSeconds: number;
  lastCpuPercent: number | null;
  lastMemoryPercent: number | null;
  lastDecision: string | null;
  lastDecisionAt: string | null;
  /** Recent recommendations, oldest first (only as far back as the longer window). */
  recommendations: Recommendation[];
  createdAt: string;
  updatedAt: string;
}
