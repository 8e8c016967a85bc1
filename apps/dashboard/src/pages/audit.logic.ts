import type { AuditEntry } from '@gureum/contract';

/** What the audit page filters by; the API filters actor and start time, the rest is the page's. */
export interface AuditFilter {
  actor: string;
  /** A `datetime-local` value: entries from then on. */
  from: string;
  outcome: 'all' | AuditEntry['outcome'];
  /** A part of the action (route id), e.g. "Member". */
  action: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: '', from: '', outcome: 'all', action: '' };

export const AUDIT_PAGE_SIZE = 50;

/**
 * The log is read oldest first and paged forward by entry id: `cursor` is the id of the last
 * entry of the page before (undefined for the first page).
 */
export function auditQuery(filter: AuditFilter, cursor: number | undefined, limit = AUDIT_PAGE_SIZE): { actor?: string; since?: string; limit: number } {
  const actor = filter.actor.trim();
  let since: string | undefined;
  if (cursor !== undefined) since = String(cursor);
  else if (filter.from !== '') {
    const t = new Date(filter.from);
    if (!Number.isNaN(t.getTime())) since = t.toISOString();
  }
  return { ...(actor !== '' && { actor }), ...(since !== undefined && { since }), limit };
}

/** The entries of a page that pass the page's own filters. */
export function filterEntries(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const action = filter.action.trim().toLowerCase();
  return entries.filter((e) => (filter.outcome === 'all' || e.outcome === filter.outcome) && (action === '' || e.action.toLowerCase().includes(action)));
}

/** Pages seen so far: the cursor each started from, to go back. */
export interface AuditPager {
  cursors: (number | undefined)[];
}

export const FIRST_PAGE: AuditPager = { cursors: [undefined] };

export function currentCursor(pager: AuditPager): number | undefined {
  return pager.cursors[pager.cursors.length - 1];
}

/** The next page starts after the last entry of a full page; a short page is the end. */
export function nextPage(pager: AuditPager, page: readonly AuditEntry[], limit = AUDIT_PAGE_SIZE): AuditPager | undefined {
  const last = page[page.length - 1];
  if (page.length < limit || last === undefined) return undefined;
  return { cursors: [...pager.cursors, last.id] };
}

export function previousPage(pager: AuditPager): AuditPager | undefined {
  return pager.cursors.length > 1 ? { cursors: pager.cursors.slice(0, -1) } : undefined;
}
