import { AppCreate, AppUpdate, type App } from '@gureum/contract';
import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors.js';
import { useSubmit } from '../api/hooks.js';
import { navigate } from '../app/router.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { SelectField, TextArea, TextField } from '../ui/field.js';
import { localErrors } from '../ui/validate.js';
import { ComponentsEditor, ParamsEditor } from './catalog-editors.js';
import { toBody, type AppFormState } from './catalog-form.js';

/**
 * Register (no `existing`) or edit an app. The contract's schema checks the form first, so a
 * field shows the API's own message; whatever the API still refuses is shown at its field,
 * or above the form. The form keeps every value when a submit fails.
 */
export function AppForm({ initial, existing }: { initial: AppFormState; existing?: App }) {
  const { client, projects } = useSession();
  const [form, setForm] = useState(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit(async () => {
    const body = toBody(form);
    if (existing) {
      const { name: _n, project: _p, ...update } = body;
      await client.call('updateApp', { params: { app: existing.name }, body: update });
    } else {
      await client.call('createApp', { body });
    }
  });
  const api = submit.error === undefined ? {} : describeError(submit.error).fields;
  const errorAt = (path: string) => local[path] ?? api[path];
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const body = toBody(form);
    const found = existing ? localErrors(AppUpdate, (({ name: _n, project: _p, ...rest }) => rest)(body)) : localErrors(AppCreate, body);
    setLocal(found);
    if (Object.keys(found).length > 0) {
      // Move the keyboard to the first field that needs fixing.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (await submit.run()) navigate('/catalog');
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={existing ? `Edit ${existing.name}` : 'Register an app'}>
      {Object.keys(local).length > 0 && (
        <div className="error-banner" role="alert">
          <strong>Some fields need fixing.</strong> They are marked below.
        </div>
      )}
      <ErrorBanner error={submit.error} />
      <div className="panel">
        <div className="form-row">
          <TextField label="App name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errorAt('name')} disabled={!!existing} hint="Lowercase letters, digits and -" />
          <TextField label="Title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} error={errorAt('title')} />
          <SelectField
            label="Visible to"
            value={form.project}
            disabled={!!existing}
            onChange={(e) => setForm({ ...form, project: e.target.value })}
            error={errorAt('project')}
            options={[{ value: '', label: 'Everyone (global catalog, admin only)' }, ...projects.map((p) => ({ value: p.name, label: `Project ${p.name} only` }))]}
          />
        </div>
        <TextArea label="Description" rows={2} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} error={errorAt('description')} />
      </div>
      <ComponentsEditor rows={form.components} onChange={(components) => setForm({ ...form, components })} errorAt={errorAt} />
      <ParamsEditor rows={form.parameters} onChange={(parameters) => setForm({ ...form, parameters })} errorAt={errorAt} />
      {errorAt('components') && <p className="field-error">{errorAt('components')}</p>}
      <Button type="submit" variant="primary" busy={submit.busy}>
        {existing ? 'Save the app' : 'Register the app'}
      </Button>
    </form>
  );
}
