import { ImagePull, type GureumClient, type Image, type ImageProgress } from '@gureum/contract';
import { useState, type FormEvent } from 'react';
import { createClient, csrfStore } from '../api/client.js';
import { describeError } from '../api/errors.js';
import { useApi } from '../api/hooks.js';
import { foldProgress, fraction, NO_PROGRESS, uploadFetch, type ProgressState } from '../api/progress.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { Field, TextField } from '../ui/field.js';
import { formatAgo, formatBytes } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table } from '../ui/table.js';
import { localErrors } from '../ui/validate.js';

function ProgressBar({ label, state }: { label: string; state: ProgressState }) {
  const f = fraction(state);
  return (
    <div className="field">
      <span>
        {label}: {state.error ? state.error.message : state.status}
      </span>
      <progress aria-label={label} max={1} value={f ?? undefined}>
        {f === null ? '' : `${Math.round(f * 100)} %`}
      </progress>
    </div>
  );
}

async function follow(lines: AsyncGenerator<string>, set: (f: (s: ProgressState) => ProgressState) => void): Promise<void> {
  for await (const line of lines) {
    if (line.trim() === '') continue;
    set((s) => foldProgress(s, JSON.parse(line) as ImageProgress));
  }
}

/** Images on the engine; import one by registry pull or by uploading a `docker save` tarball. */
export default function ImagesPage() {
  const { client, whoami } = useSession();
  const images = useApi((c) => c.call('listImages', {}), [], { liveOn: (e) => e.type.startsWith('image.') });
  const [ref, setRef] = useState('');
  const [refError, setRefError] = useState<string | undefined>();
  const [pull, setPull] = useState<ProgressState | null>(null);
  const [pullError, setPullError] = useState<unknown>();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [load, setLoad] = useState<ProgressState | null>(null);
  const [loadError, setLoadError] = useState<unknown>();

  const onPull = async (e: FormEvent) => {
    e.preventDefault();
    setRefError(localErrors(ImagePull, { ref }).ref);
    if (localErrors(ImagePull, { ref }).ref) return;
    setPull(NO_PROGRESS);
    setPullError(undefined);
    try {
      await follow(client.streamLines('pullImage', { body: { ref } }), (f) => setPull((s) => f(s ?? NO_PROGRESS)));
      images.reload();
    } catch (err) {
      setPull(null);
      setPullError(err);
    }
  };

  const onUpload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setLoad(NO_PROGRESS);
    setSent(0);
    setLoadError(undefined);
    // The same typed client, over a fetch that can tell how much of the file has gone.
    const uploader: GureumClient = createClient(csrfStore.get(), location.origin, uploadFetch((loaded, total) => setSent(total > 0 ? loaded / total : 0)));
    try {
      await follow(uploader.streamLines('loadImage', {}, { body: file, headers: { 'content-type': 'application/x-tar' } }), (f) => setLoad((s) => f(s ?? NO_PROGRESS)));
      images.reload();
    } catch (err) {
      setLoad(null);
      setLoadError(err);
    }
  };

  return (
    <>
      <PageHeader title="Images" subtitle="What the engine has; apps name these images." />
      {!whoami.user.admin && <p className="muted">Images are managed by the administrator: ask them to pull or upload the image your app needs.</p>}
      {whoami.user.admin && (
      <div className="cards">
        <form className="panel" onSubmit={(e) => void onPull(e)} noValidate aria-label="Pull an image">
          <h2>Pull from a registry</h2>
          <ErrorBanner error={pullError} />
          <TextField label="Image reference" value={ref} onChange={(e) => setRef(e.target.value)} placeholder="registry:5000/team/app:1.0" error={refError ?? (pullError === undefined ? undefined : describeError(pullError).fields.ref)} />
          {pull && <ProgressBar label="Pull" state={pull} />}
          <Button type="submit" variant="primary" busy={pull !== null && !pull.done}>
            Pull
          </Button>
        </form>
        <form className="panel" onSubmit={(e) => void onUpload(e)} aria-label="Upload an image">
          <h2>Upload a tarball</h2>
          <ErrorBanner error={loadError} />
          <Field label="Archive made by docker save" hint=".tar, streamed to the engine">
            {(a11y) => <input type="file" accept=".tar,application/x-tar" onChange={(e) => setFile(e.target.files?.[0] ?? null)} {...a11y} />}
          </Field>
          {load && (
            <>
              <div className="field">
                <span>Sent {Math.round(sent * 100)} %</span>
                <progress aria-label="Upload" max={1} value={sent} />
              </div>
              <ProgressBar label="Load" state={load} />
            </>
          )}
          <Button type="submit" variant="primary" disabled={!file} busy={load !== null && !load.done}>
            Upload
          </Button>
        </form>
      </div>
      )}
      <h2>On the engine</h2>
      <ErrorBanner error={images.error} onRetry={images.reload} />
      {images.data === undefined ? (
        images.error === undefined && <Loading />
      ) : (
        <Table<Image>
          caption="Images"
          columns={[
            { header: 'Tags', cell: (i) => i.tags.join(', ') || <span className="muted">untagged</span> },
            { header: 'Size', cell: (i) => formatBytes(i.sizeBytes) },
            { header: 'Created', cell: (i) => formatAgo(i.createdAt) },
            { header: 'Used by', cell: (i) => [...new Set((i.usedBy ?? []).map((u) => `${u.project}/${u.instance}`))].join(', ') || <span className="muted">nothing you can see</span> },
            { header: 'Id', cell: (i) => <code>{i.id.replace('sha256:', '').slice(0, 12)}</code> },
          ]}
          rows={images.data}
          rowKey={(i) => i.id}
          empty="No images yet."
        />
      )}
    </>
  );
}
