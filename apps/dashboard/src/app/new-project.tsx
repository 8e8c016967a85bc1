import { useRef, useState, type FormEvent } from 'react';
import { useSubmit } from '../api/hooks.js';
import { describeError } from '../api/errors.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { localErrors } from '../ui/validate.js';
import { useSession } from './session.js';

/** "New project": a small dialog; whoever creates a project owns it. */
export function NewProjectButton() {
  const { client, reloadProjects, setProject } = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit(async () => {
    await client.call('createProject', { body: { name, ...(description && { description }) } });
    await reloadProjects();
  });
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    // The schema loads on first use: zod stays out of the first screen's bundle.
    const { ProjectCreate } = await import('@gureum/contract');
    const found = localErrors(ProjectCreate, { name, ...(description && { description }) });
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    if (await submit.run()) {
      dialog.current?.close();
      setProject(name);
      setName('');
      setDescription('');
    }
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  return (
    <>
      <Button small onClick={() => dialog.current?.showModal()}>
        New project
      </Button>
      <dialog ref={dialog} aria-label="New project">
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <h2>New project</h2>
          {submit.error !== undefined && <ErrorBanner error={submit.error} />}
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required autoComplete="off" hint="Lowercase letters, digits and -" />
          <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={fields.description} />
          <div className="dialog-actions">
            <Button onClick={() => dialog.current?.close()}>Cancel</Button>
            <Button type="submit" variant="primary" busy={submit.busy}>
              Create project
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
