import { useState, type FormEvent } from 'react';
import type { Volume } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { PageProps } from '../app/page-route.js';
import { can, useSession } from '../app/session.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { RowSubmit } from '../ui/row-submit.js';
import { TextField } from '../ui/field.js';
import { formatAgo, formatBytes } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { EMPTY_VOLUME_FORM, touchesVolumes, volumeBody, volumeDeleteProblem, type VolumeForm } from './volumes.logic.js';

function CreateVolume({ project, onCreated }: { project: string; onCreated: () => void }) {
  const { client } = useSession();
  const [form, setForm] = useState<VolumeForm>(EMPTY_VOLUME_FORM);
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit((body: { name: string; sizeBytes?: number | undefined }) => client.call('createVolume', { params: { project }, body }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = volumeBody(form);
    setLocal(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    if (await submit.run(checked.body)) {
      setForm(EMPTY_VOLUME_FORM);
      onCreated();
    }
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="new-volume">
      <h2 id="new-volume" style={{ marginTop: 0 }}>
        New volume
      </h2>
      <ErrorBanner error={submit.error} />
      <div className="form-row">
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fields.name} required autoComplete="off" hint="Lowercase letters, digits and -" />
        <TextField label="Size (optional)" value={form.size} onChange={(e) => setForm({ ...form, size: e.target.value })} error={fields.sizeBytes} placeholder="10GiB" hint="Counted against the project's quota" />
        <RowSubmit busy={submit.busy}>Create volume</RowSubmit>
      </div>
    </form>
  );
}

function DeleteVolume({ project, volume, onDeleted }: { project: string; volume: Volume; onDeleted: () => void }) {
  const { client } = useSession();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <>
      <ConfirmButton
        small
        title={`Delete volume ${volume.name}?`}
        message={
          <>
            Its data is gone for good.
            {problem && (
              <span role="alert" style={{ display: 'block', marginTop: 8, color: 'var(--danger)' }}>
                {problem}
              </span>
            )}
          </>
        }
        confirmLabel="Delete volume"
        aria-label={`Delete volume ${volume.name}`}
        onConfirm={async () => {
          setProblem(undefined);
          try {
            await client.call('deleteVolume', { params: { project, volume: volume.name } });
          } catch (err) {
            setProblem(volumeDeleteProblem(err));
            throw err;
          }
          onDeleted();
        }}
      >
        Delete
      </ConfirmButton>
    </>
  );
}

/** The persistent volumes of a project: they outlive instances until deleted here. */
export default function VolumesPage({ params }: PageProps) {
  const project = params.project!;
  const { whoami } = useSession();
  const member = can(whoami, project, 'member');
  const list = useApi((c) => c.call('listVolumes', { params: { project } }), [project], { liveOn: touchesVolumes(project) });
  const columns: Column<Volume>[] = [
    { header: 'Name', cell: (v) => <span className="mono">{v.name}</span> },
    { header: 'Size', cell: (v) => (v.sizeBytes === null ? <span className="muted">not declared</span> : formatBytes(v.sizeBytes)) },
    {
      header: 'On disk',
      cell: (v) =>
        v.usedBytes === null ? <span className="muted">not measured yet</span> : v.sizeBytes !== null && v.usedBytes > v.sizeBytes ? <strong className="danger">{formatBytes(v.usedBytes)} (over its size)</strong> : formatBytes(v.usedBytes),
    },
    { header: 'Mounted by', cell: (v) => (v.usedBy.length === 0 ? <span className="muted">nothing</span> : v.usedBy.join(', ')) },
    { header: 'Created', cell: (v) => <time dateTime={v.createdAt}>{formatAgo(v.createdAt)}</time> },
    ...(member ? [{ header: <span className="visually-hidden">Actions</span>, cell: (v: Volume) => <DeleteVolume project={project} volume={v} onDeleted={list.reload} /> }] : []),
  ];
  return (
    <>
      <PageHeader title="Volumes" subtitle={`Persistent storage of ${project}: kept when instances go, until deleted here`} />
      {member && <CreateVolume project={project} onCreated={list.reload} />}
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading volumes" />
      ) : (
        <Table caption={`Volumes of ${project}`} columns={columns} rows={list.data} rowKey={(v) => v.name} empty="No volumes yet. Apps create the volumes they mount, or create one here." />
      )}
    </>
  );
}
