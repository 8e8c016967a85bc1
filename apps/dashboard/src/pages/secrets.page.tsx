import { useRef, useState, type FormEvent } from 'react';
import type { Secret } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { PageProps } from '../app/page-route.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { CheckboxField, TextArea, TextField } from '../ui/field.js';
import { formatAgo } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { EMPTY_SECRET_FORM, secretErrors, touchesSecrets, type SecretForm } from './secrets.logic.js';

/** Create or replace a secret. The value field is write-only: cleared once stored, never filled from the API. */
function PutSecret({ project, existing, form, setForm, onStored }: { project: string; existing: readonly string[]; form: SecretForm; setForm: (f: SecretForm) => void; onStored: (name: string) => void }) {
  const { client } = useSession();
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit((name: string, value: string) => client.call('putSecret', { params: { project, secret: name }, body: { value } }));
  const [multiline, setMultiline] = useState(false);
  const name = form.name.trim();
  const replacing = existing.includes(name);
  const hint = replacing ? 'The new value replaces the old one (a new version). Values are never shown again.' : 'Stored encrypted. It is never shown again, here or in the API.';
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const found = secretErrors(form);
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    if (await submit.run(name, form.value)) {
      setForm(EMPTY_SECRET_FORM);
      onStored(name);
    }
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="put-secret" autoComplete="off">
      <h2 id="put-secret" style={{ marginTop: 0 }}>
        {replacing ? `Replace secret ${name}` : 'New secret'}
      </h2>
      <ErrorBanner error={submit.error} />
      <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fields.name} required autoComplete="off" spellCheck={false} hint="Lowercase letters, digits and -; apps refer to it by this name" />
      {multiline ? (
        <TextArea label="Value" value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} error={fields.value} required rows={4} spellCheck={false} autoComplete="off" className="mono" hint={hint} />
      ) : (
        <TextField label="Value" type="password" value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} error={fields.value} required spellCheck={false} autoComplete="new-password" hint={hint} />
      )}
      <CheckboxField label="Multi-line value (a key or a certificate; shown while typed)" checked={multiline} onChange={(e) => setMultiline(e.target.checked)} />
      <Button type="submit" variant="primary" busy={submit.busy}>
        {replacing ? 'Replace secret' : 'Store secret'}
      </Button>
    </form>
  );
}

/** A project's secrets: names and versions only; values go in and never come out. */
export default function SecretsPage({ params }: PageProps) {
  const project = params.project!;
  const { client } = useSession();
  const [form, setForm] = useState<SecretForm>(EMPTY_SECRET_FORM);
  const [stored, setStored] = useState<string | null>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const list = useApi((c) => c.call('listSecrets', { params: { project } }), [project], { liveOn: touchesSecrets(project) });
  const replace = (name: string) => {
    setForm({ name, value: '' });
    setStored(null);
    formRef.current?.querySelector<HTMLElement>('textarea, input[type=password]')?.focus();
  };
  const columns: Column<Secret>[] = [
    { header: 'Name', cell: (s) => <span className="mono">{s.name}</span> },
    { header: 'Version', cell: (s) => s.version },
    { header: 'Updated', cell: (s) => <time dateTime={s.updatedAt}>{formatAgo(s.updatedAt)}</time> },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (s) => (
        <span style={{ display: 'inline-flex', gap: 6 }}>
          <Button small onClick={() => replace(s.name)} aria-label={`Replace the value of ${s.name}`}>
            Replace
          </Button>
          <ConfirmButton
            small
            title={`Delete secret ${s.name}?`}
            message="Instances that use it must be changed first; Gureum refuses while one does."
            confirmLabel="Delete secret"
            aria-label={`Delete secret ${s.name}`}
            onConfirm={async () => {
              await client.call('deleteSecret', { params: { project, secret: s.name } });
              list.reload();
            }}
          >
            Delete
          </ConfirmButton>
        </span>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="Secrets" subtitle={`Values apps of ${project} read as environment variables or files`} />
      <div ref={formRef}>
        <PutSecret
          project={project}
          existing={list.data?.map((s) => s.name) ?? []}
          form={form}
          setForm={setForm}
          onStored={(name) => {
            setStored(name);
            list.reload();
          }}
        />
      </div>
      <p aria-live="polite" className="muted">
        {stored && `Secret ${stored} stored. Its value is not shown again.`}
      </p>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading secrets" />
      ) : (
        <Table caption={`Secrets of ${project}`} columns={columns} rows={list.data} rowKey={(s) => s.name} empty="No secrets yet." />
      )}
    </>
  );
}
