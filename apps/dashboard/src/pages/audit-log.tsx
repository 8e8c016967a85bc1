import { useState, type FormEvent } from 'react';
import type { AuditEntry, GureumClient } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { RowSubmit } from '../ui/row-submit.js';
import { SelectField, TextField } from '../ui/field.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { auditQuery, currentCursor, EMPTY_AUDIT_FILTER, filterEntries, FIRST_PAGE, newerPage, olderPage, type AuditFilter, type AuditPager } from './audit.logic.js';

type Query = ReturnType<typeof auditQuery>;

const OUTCOMES = [
  { value: 'all', label: 'Any outcome' },
  { value: 'ok', label: 'Done' },
  { value: 'refused', label: 'Refused' },
  { value: 'failed', label: 'Failed' },
];

function columns(showProject: boolean): Column<AuditEntry>[] {
  return [
    { header: 'Time', cell: (e) => <time dateTime={e.time}>{new Date(e.time).toLocaleString()}</time> },
    { header: 'Who', cell: (e) => (e.actor ? `${e.actor}${e.token && e.token !== 'session' ? ` (token ${e.token})` : ''}` : <span className="muted">nobody signed in</span>) },
    { header: 'Action', cell: (e) => <span className="mono">{e.action}</span> },
    ...(showProject ? [{ header: 'Project', cell: (e: AuditEntry) => e.project ?? <span className="muted">–</span> }] : []),
    {
      header: 'Outcome',
      cell: (e) => (
        <span className={e.outcome === 'ok' ? 'phase-running' : 'phase-failed'}>
          {e.outcome === 'ok' ? 'done' : e.outcome} {e.code && <span className="mono">{e.code}</span>} <span className="muted">({e.status})</span>
        </span>
      ),
    },
    { header: 'From', cell: (e) => <span className="mono">{e.address}</span> },
  ];
}

/** The audit log, newest first, filtered and paged back in time: the project's (owners) or Gureum's (the admin). */
export function AuditLog({ scope, load }: { scope: string; load: (client: GureumClient, query: Query) => Promise<AuditEntry[]> }) {
  const [draft, setDraft] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);
  const [pager, setPager] = useState<AuditPager>(FIRST_PAGE);
  const query = auditQuery(filter, currentCursor(pager));
  const page = useApi((c) => load(c, query), [scope, JSON.stringify(query)]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft);
    setPager(FIRST_PAGE);
  };
  const entries = page.data ?? [];
  const shown = filterEntries(entries, filter);
  const older = olderPage(pager, entries);
  const newer = newerPage(pager);
  return (
    <>
      <form className="panel" onSubmit={apply} aria-label="Filter the audit log">
        <div className="form-row">
          <TextField label="Who" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} autoComplete="off" placeholder="a user name" />
          <TextField label="From" type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          <TextField label="Until" type="datetime-local" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
          <TextField label="Action contains" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} autoComplete="off" placeholder="Member, Secret, exec…" />
          <SelectField label="Outcome" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value as AuditFilter['outcome'] })} options={OUTCOMES} />
          <RowSubmit>Apply</RowSubmit>
        </div>
      </form>
      <ErrorBanner error={page.error} onRetry={page.reload} />
      {page.data === undefined ? (
        page.error === undefined && <Loading what="Loading the audit log" />
      ) : (
        <Table caption={`Audit log of ${scope}`} columns={columns(scope === 'Gureum')} rows={shown} rowKey={(e) => String(e.id)} empty={entries.length === 0 ? 'Nothing recorded here.' : 'No entry of this page matches the filter.'} />
      )}
      <nav aria-label="Audit log pages" style={{ display: 'flex', gap: 8, marginTop: 10, alignItems: 'center' }}>
        <Button disabled={!newer} onClick={() => newer && setPager(newer)}>
          ← Newer
        </Button>
        <span className="muted" aria-live="polite">
          Page {pager.cursors.length}
        </span>
        <Button disabled={!older} onClick={() => older && setPager(older)}>
          Older →
        </Button>
      </nav>
    </>
  );
}
