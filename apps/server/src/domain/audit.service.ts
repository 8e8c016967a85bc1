import type { AuditEntry } from '@gureum/contract';
import type { Store } from '../store/store.js';

/** Appends to and reads the audit log; entries are never changed or removed. */
export class AuditService {
  constructor(private readonly store: Store) {}

  async record(entry: Omit<AuditEntry, 'id' | 'time'>): Promise<void> {
    await this.store.audit.append({ ...entry, time: new Date().toISOString() });
  }

  async list(filter: { project?: string; since?: string | undefined; actor?: string | undefined; limit: number }): Promise<AuditEntry[]> {
    const since = filter.since;
    const afterId = since !== undefined && /^\d+$/.test(since) ? Number(since) : undefined;
    const sinceTime = since !== undefined && afterId === undefined && !Number.isNaN(Date.parse(since)) ? new Date(since).toISOString() : undefined;
    return this.store.audit.list({
      ...(filter.project !== undefined && { project: filter.project }),
      ...(afterId !== undefined && { afterId }),
      ...(sinceTime !== undefined && { sinceTime }),
      ...(filter.actor !== undefined && { actor: filter.actor }),
      limit: filter.limit,
    });
  }
}
