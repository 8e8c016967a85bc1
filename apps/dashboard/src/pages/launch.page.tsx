import { Name, type ParameterSpec } from '@gureum/contract';
import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { PageProps } from '../app/page-route.js';
import { navigate } from '../app/router.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { CheckboxField, SelectField, TextField } from '../ui/field.js';
import { formatBytes } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table } from '../ui/table.js';
import { checkParameters, initialValues, quotaCost, quotaLines, toParameters, type LaunchValues, type QuotaLine } from './launch-form.js';

const WHAT = { instances: 'Instances', replicas: 'Replicas', cpus: 'CPU cores', memoryBytes: 'Memory' } as const;
const show = (what: QuotaLine['what'], v: number | null) => (v === null ? 'no limit' : what === 'memoryBytes' ? formatBytes(v) : String(v));

function ParamField({ p, value, error, onChange }: { p: ParameterSpec; value: string | boolean | undefined; error: string | undefined; onChange: (v: string | boolean) => void }) {
  const label = `${p.title ?? p.name}${p.required ? ' (required)' : ''}`;
  const hint = [p.description, p.type === 'integer' && (p.min !== undefined || p.max !== undefined) ? `from ${p.min ?? '…'} to ${p.max ?? '…'}` : null].filter(Boolean).join(' · ') || undefined;
  switch (p.type) {
    case 'boolean':
      return <CheckboxField label={label} checked={value === true} onChange={(e) => onChange(e.target.checked)} error={error} hint={hint} />;
    case 'enum':
      return <SelectField label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} error={error} hint={hint} options={p.values} />;
    case 'integer':
      return <TextField label={label} type="number" inputMode="numeric" min={p.min} max={p.max} step={1} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} error={error} hint={hint} />;
    case 'string':
      return <TextField label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} error={error} hint={hint} pattern={p.pattern} />;
  }
}

/** Launch an app into the project: a form made from the app's parameters, and what it takes of the quota. */
export default function LaunchPage({ params }: PageProps) {
  const project = params.project!;
  const appName = params.app!;
  const { client } = useSession();
  const app = useApi((c) => c.call('getApp', { params: { app: appName } }), [appName]);
  const usage = useApi((c) => c.call('getUsage', { params: { project } }), [project], { liveOn: (e) => e.project === project && e.type.startsWith('instance.') });
  const [name, setName] = useState(appName);
  const [values, setValues] = useState<LaunchValues | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const a = app.data;
  const current = values ?? (a ? initialValues(a.parameters) : {});
  const submit = useSubmit(() => client.call('createInstance', { params: { project }, body: { name, app: appName, parameters: toParameters(a!.parameters, current) } }));
  const api = submit.error === undefined ? {} : describeError(submit.error).fields;
  const errorAt = (path: string) => local[path] ?? api[path];

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!a) return;
    const nameError = Name.safeParse(name).error?.issues[0]?.message;
    const found = { ...checkParameters(a.parameters, current), ...(nameError && { name: nameError }) };
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    if (await submit.run()) navigate(`/projects/${encodeURIComponent(project)}/instances/${encodeURIComponent(name)}`);
  };

  const lines = a && usage.data ? quotaLines(usage.data, quotaCost(a, current)) : null;
  return (
    <>
      <PageHeader title={`Launch ${a?.title || appName}`} subtitle={`Into project ${project}`} />
      <ErrorBanner error={app.error} onRetry={app.reload} />
      {!a ? (
        app.error === undefined && <Loading />
      ) : (
        <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={`Launch ${appName}`}>
          <ErrorBanner error={submit.error} />
          <div className="panel">
            <TextField label="Instance name" value={name} onChange={(e) => setName(e.target.value)} error={errorAt('name')} hint="Lowercase letters, digits and -" />
            {a.parameters.map((p) => (
              <ParamField key={p.name} p={p} value={current[p.name]} error={errorAt(`parameters.${p.name}`)} onChange={(v) => setValues({ ...current, [p.name]: v })} />
            ))}
          </div>
          <section className="panel" aria-label="Quota">
            <h2 style={{ marginTop: 0 }}>What it takes from the quota</h2>
            <ErrorBanner error={usage.error} />
            {lines ? (
              <Table
                caption="Quota use after this launch"
                columns={[
                  { header: '', cell: (l: QuotaLine) => WHAT[l.what] },
                  { header: 'Used now', cell: (l) => show(l.what, l.used) },
                  { header: 'After launch', cell: (l) => <span className={l.over ? 'phase-failed' : undefined}>{show(l.what, l.after)}{l.unbounded ? ' + unbounded (a component sets no limit)' : ''}{l.over ? ' — over the quota' : ''}</span> },
                  { header: 'Quota', cell: (l) => show(l.what, l.limit) },
                ]}
                rows={lines}
                rowKey={(l) => l.what}
                empty=""
              />
            ) : (
              usage.error === undefined && <Loading />
            )}
          </section>
          <Button type="submit" variant="primary" busy={submit.busy}>
            Launch
          </Button>
        </form>
      )}
    </>
  );
}
