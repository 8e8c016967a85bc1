import { useState, type FormEvent } from 'react';
import type { Token } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { Out } from '../api/types.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { CheckboxField, SelectField, TextField } from '../ui/field.js';
import { formatAgo } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { ShownOnce } from '../ui/shown-once.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { EMPTY_TOKEN_FORM, EXPIRY_CHOICES, tokenBody, tokenStatus, touchesTokens, type TokenBody, type TokenForm } from './tokens.form.js';

function CreateToken({ onCreated }: { onCreated: (t: Out<'createToken'>) => void }) {
  const { client, projects } = useSession();
  const [form, setForm] = useState<TokenForm>(EMPTY_TOKEN_FORM);
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit(async (body: TokenBody) => onCreated(await client.call('createToken', { body })));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = tokenBody(form, new Date());
    setLocal(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    if (await submit.run(checked.body)) setForm(EMPTY_TOKEN_FORM);
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  const toggleProject = (name: string, on: boolean) => setForm({ ...form, projects: on ? [...form.projects, name] : form.projects.filter((p) => p !== name) });
  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="new-token">
      <h2 id="new-token" style={{ marginTop: 0 }}>
        New token
      </h2>
      <ErrorBanner error={submit.error} />
      <div className="form-row">
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fields.name} required autoComplete="off" hint="What uses it: ci, laptop, notebook…" />
        <SelectField label="Expires" value={form.expiry} onChange={(e) => setForm({ ...form, expiry: e.target.value as TokenForm['expiry'] })} options={EXPIRY_CHOICES} error={form.expiry === 'custom' ? undefined : fields.expiresAt} />
        {form.expiry === 'custom' && <TextField label="Expiry day" type="date" value={form.expiryDate} onChange={(e) => setForm({ ...form, expiryDate: e.target.value })} error={fields.expiresAt} required hint="At the end of that day" />}
      </div>
      <CheckboxField label="Read-only (cannot change anything)" checked={form.readOnly} onChange={(e) => setForm({ ...form, readOnly: e.target.checked })} error={fields.readOnly} />
      {projects.length > 0 && (
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 10px' }} aria-describedby="token-projects-hint">
          <legend style={{ fontWeight: 600, fontSize: '0.92em' }}>Limit to projects</legend>
          <span id="token-projects-hint" className="hint muted" style={{ fontSize: '0.85em' }}>
            None ticked: every project you can use.
          </span>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px' }}>
            {projects.map((p) => (
              <CheckboxField key={p.name} label={p.name} checked={form.projects.includes(p.name)} onChange={(e) => toggleProject(p.name, e.target.checked)} />
            ))}
          </div>
          {fields.projects && <span className="field-error">{fields.projects}</span>}
        </fieldset>
      )}
      <Button type="submit" variant="primary" busy={submit.busy}>
        Create token
      </Button>
    </form>
  );
}

/** Your API tokens: for the CLI and scripts. A new token is shown once; revoke what you no longer use. */
export default function TokensPage() {
  const { client, whoami } = useSession();
  const [created, setCreated] = useState<Out<'createToken'> | null>(null);
  const list = useApi((c) => c.call('listTokens', {}), [], { liveOn: touchesTokens(whoami.user.name) });
  const now = new Date();
  const columns: Column<Token>[] = [
    { header: 'Name', cell: (t) => t.name },
    { header: 'Access', cell: (t) => `${t.readOnly ? 'read-only' : 'full'}${t.projects ? ` · ${t.projects.join(', ')}` : ' · all projects'}` },
    {
      header: 'Expiry',
      cell: (t) => {
        const s = tokenStatus(t, now);
        return <span className={s.expired ? 'phase-failed' : undefined}>{s.text}</span>;
      },
    },
    { header: 'Last used', cell: (t) => (t.lastUsedAt ? <time dateTime={t.lastUsedAt}>{formatAgo(t.lastUsedAt)}</time> : <span className="muted">never</span>) },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (t) => (
        <ConfirmButton
          small
          title={`Revoke token ${t.name}?`}
          message="Whatever uses it stops working at once."
          confirmLabel="Revoke token"
          aria-label={`Revoke token ${t.name}`}
          onConfirm={async () => {
            await client.call('deleteToken', { params: { id: t.id } });
            list.reload();
          }}
        >
          Revoke
        </ConfirmButton>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="API tokens" subtitle={`Tokens of ${whoami.user.name} for the CLI and scripts (Authorization: Bearer …)`} />
      {created ? (
        <ShownOnce
          title={`Token ${created.name}`}
          value={created.token}
          warning="Copy this token now and keep it somewhere safe. Gureum keeps only a hash of it and cannot show it again."
          onDone={() => setCreated(null)}
        />
      ) : (
        <CreateToken
          onCreated={(t) => {
            setCreated(t);
            list.reload();
          }}
        />
      )}
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading tokens" />
      ) : (
        <Table caption="Your API tokens" columns={columns} rows={list.data} rowKey={(t) => t.id} empty="No tokens yet." />
      )}
    </>
  );
}
