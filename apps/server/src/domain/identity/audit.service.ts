import type { AuditEntry } from '@gureum/contract';
import type { AuditFilter } from '../../store/audit.repository.js';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';

/** A page bound of the audit query (`since`, `before`): an entry id or a time. */
function bound(name: string, text: string | undefined): { id?: number; time?: string } {
  if (text === undefined) return {};
  if (/^\d+$/.test(text)) return { id: Number(text) };
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new DomainError('VALIDATION_FAILED', `${name} must be an entry id or an ISO time, not ${JSON.stringify(text)}`);
  return { time: new Date(time).toISOString() };
}

/** Appends to and reads the audit log; entries are never changed or removed. */
export class AuditService {
  constructor(private readonly store: Store) {}

  async record(entry: Omit<AuditEntry, 'id' | 'time'>): Promise<void> {
    await this.store.audit.append({ ...entry, time: new Date().toISOString() });
  }

  /**
   * One page of the log, oldest or newest first. Pages follow each other by entry id: the next
   * one is `since` (asc) or `before` (desc) the last entry of this one, so none is skipped or
   * repeated while new entries are written.
   */
  async list(filter: { project?: string; since?: string | undefined; before?: string | undefined; actor?: string | undefined; order?: 'asc' | 'desc'; limit: number }): Promise<AuditEntry[]> {
    const since = bound('since', filter.since);
    const before = bound('before', filter.before);
    const query: AuditFilter = {
      ...(filter.project !== undefined && { project: filter.project }),
      ...(since.id !== undefined && { afterId: since.id }),
      ...(since.time !== undefined && { sinceTime: since.time }),
      ...(before.id !== undefined && { beforeId: before.id }),
      ...(before.time !== undefined && { beforeTime: before.time }),
      ...(filter.actor !== undefined && { actor: filter.actor }),
      order: filter.order ?? 'asc',
      limit: filter.limit,
    };
    return this.store.audit.list(query);
  }
}
