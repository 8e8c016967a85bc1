import type { AuditEntry } from '@gureum/contract';

/** What the audit page filters by; the API filters actor and time range, the rest is the page's. */
export interface AuditFilter {
  actor: string;
  /** A `datetime-local` value: entries from then on. */
  from: string;
  /** A `datetime-local` value: entries before then. */
  until: string;
  outcome: 'all' | AuditEntry['outcome'];
  /** A part of the action (route id), e.g. "Member". */
  action: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: '', from: '', until: '', outcome: 'all', action: '' };

export const AUDIT_PAGE_SIZE = 50;

/** A `datetime-local` value as the ISO time it means here, or undefined when empty or not a time. */
function isoOf(local: string): string | undefined {
  if (local === '') return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/**
 * The log is read newest first and paged back in time by entry id: `cursor` is the id of the
 * last (oldest) entry of the page before, undefined for the first page. Entries written while
 * paging are newer than every page after the first, so nothing is skipped or shown twice.
 */
export function auditQuery(filter: AuditFilter, cursor: number | undefined, limit = AUDIT_PAGE_SIZE): { actor?: string; since?: string; before?: string; order: 'desc'; limit: number } {
  const actor = filter.actor.trim();
  const since = isoOf(filter.from);
  // Past the first page the cursor is older than "until" already.
  const before = cursor !== undefined ? String(cursor) : isoOf(filter.until);
  return { ...(actor !== '' && { actor }), ...(since !== undefined && { since }), ...(before !== undefined && { before }), order: 'desc', limit };
}

/** The entries of a page that pass the page's own filters. */
export function filterEntries(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const action = filter.action.trim().toLowerCase();
  return entries.filter((e) => (filter.outcome === 'all' || e.outcome === filter.outcome) && (action === '' || e.action.toLowerCase().includes(action)));
}

/** Pages seen so far: the cursor each started from, to go back to newer ones. */
export interface AuditPager {
  cursors: (number | undefined)[];
}

export const FIRST_PAGE: AuditPager = { cursors: [undefined] };

export function currentCursor(pager: AuditPager): number | undefined {
  return pager.cursors[pager.cursors.length - 1];
}

/** The older page starts before the last entry of a full page; a short page is the oldest. */
export function olderPage(pager: AuditPager, page: readonly AuditEntry[], limit = AUDIT_PAGE_SIZE): AuditPager | undefined {
  const last = page[page.length - 1];
  if (page.length < limit || last === undefined) return undefined;
  return { cursors: [...pager.cursors, last.id] };
}

/** Back to the page of newer entries seen before this one. */
export function newerPage(pager: AuditPager): AuditPager | undefined {
  return pager.cursors.length > 1 ? { cursors: pager.cursors.slice(0, -1) } : undefined;
}
