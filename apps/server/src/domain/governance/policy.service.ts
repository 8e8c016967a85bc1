import type { Policy } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import type { EventService } from '../core/event.service.js';
import { effectivePolicy } from './policy.js';
import type { ProjectService } from '../identity/project.service.js';
import type { ReconcileQueue } from '../core/reconcile-queue.js';

/** The container policy of each project: read by its members, set by the admin. */
export class PolicyService {
  constructor(
    private readonly store: Store,
    private readonly projects: ProjectService,
    private readonly events: EventService,
    private readonly queue: ReconcileQueue,
  ) {}

  async get(project: string): Promise<Policy> {
    return effectivePolicy((await this.projects.require(project)).policy);
  }

  /**
   * Replaces the policy. Every instance of the project is looked at again: a tighter policy
   * fails (and stops) the replicas it no longer allows; a new pids limit rolls replicas.
   */
  async put(project: string, policy: Policy): Promise<Policy> {
    const { before, instanceIds } = await this.store.transaction(async (trx) => {
      const record = await this.projects.require(project, trx);
      await trx.projects.setPolicy(project, policy);
      const instances = await trx.instances.list({ project });
      return { before: effectivePolicy(record.policy), instanceIds: instances.filter((i) => !i.deleting).map((i) => i.id) };
    });
    const after = effectivePolicy(policy);
    const changed = (Object.keys(after) as (keyof Policy)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    await this.events.record('policy.updated', {
      project,
      message: changed.length > 0 ? `container policy of project ${project} changed: ${changed.join(', ')}` : `container policy of project ${project} set (unchanged)`,
      data: { changed, policy: after },
    });
    for (const id of instanceIds) this.queue.enqueue(id);
    return after;
  }
}
