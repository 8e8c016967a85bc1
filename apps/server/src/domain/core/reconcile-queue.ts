/** How services ask the reconciler to look at something; the reconciler implements it. */
export interface ReconcileQueue {
  enqueue(instanceId: string): void;
  /** Finish deleting a project once it is empty (network, volumes, row). */
  enqueueProject(project: string): void;
  /** Why the last attempt to finish deleting a project failed (it is retried); null when none failed. */
  deletionProblem(project: string): string | null;
}
