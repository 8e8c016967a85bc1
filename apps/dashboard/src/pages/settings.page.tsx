import { useEffect, useState, type FormEvent } from 'react';
import type { Settings, SettingsPatch } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { SelectField, TextArea, TextField } from '../ui/field.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { QUOTA_LIMITS } from './quotas.logic.js';
import { formOfSettings, settingsBody, type SettingsForm } from './settings.logic.js';

const CREATION = [
  { value: 'everyone', label: 'Every signed-in user' },
  { value: 'admins', label: 'Administrators only' },
] as const;

function SettingsEditor({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { client } = useSession();
  const [form, setForm] = useState<SettingsForm>(() => formOfSettings(settings));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const submit = useSubmit((body: SettingsPatch) => client.call('updateSettings', { body }).then(onSaved));
  const current = JSON.stringify(settings);
  useEffect(() => setForm(formOfSettings(JSON.parse(current) as Settings)), [current]);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const checked = settingsBody(form);
    setLocal(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    if (await submit.run(checked.body)) setSaved(true);
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  const rangeError = (list: 'allow' | 'deny') => Object.entries(fields).find(([k]) => k.startsWith(`webhooks.${list}`))?.[1];
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Settings">
      <ErrorBanner error={submit.error} />
      <section className="panel" aria-labelledby="projects-title">
        <h2 id="projects-title" style={{ marginTop: 0 }}>
          Projects
        </h2>
        <SelectField label="Who may create projects" value={form.projectCreation} onChange={(e) => setForm({ ...form, projectCreation: e.target.value as SettingsForm['projectCreation'] })} options={CREATION} error={fields.projectCreation} hint="Whoever creates a project owns it. With administrators only, users ask an administrator to create one and add them." />
        <h3>Quota of a new project</h3>
        <p className="muted" style={{ marginTop: 0 }}>
          Every project created from now on starts with these limits (empty: no limit); change a project’s own on its Quota page.
        </p>
        <div className="form-row">
          {QUOTA_LIMITS.map(({ key, label, kind }) => (
            <TextField key={key} label={label} value={form.quota[key]} onChange={(e) => setForm({ ...form, quota: { ...form.quota, [key]: e.target.value } })} error={fields[`defaultQuota.${key}`]} inputMode={kind === 'bytes' ? 'text' : 'decimal'} placeholder="no limit" />
          ))}
        </div>
      </section>
      <section className="panel" aria-labelledby="limits-title">
        <h2 id="limits-title" style={{ marginTop: 0 }}>
          Default limits
        </h2>
        <p className="muted" style={{ marginTop: 0 }}>
          A component that sets no CPU or memory limit runs with these, from its instance’s next launch or change (empty: unlimited).
        </p>
        <div className="form-row">
          <TextField label="CPU cores" value={form.cpus} onChange={(e) => setForm({ ...form, cpus: e.target.value })} error={fields['defaultResources.cpus']} inputMode="decimal" placeholder="unlimited" hint="Cores, e.g. 1 or 0.5" />
          <TextField label="Memory" value={form.memory} onChange={(e) => setForm({ ...form, memory: e.target.value })} error={fields['defaultResources.memoryBytes']} placeholder="unlimited" hint="A size, e.g. 512MiB" />
        </div>
      </section>
      <section className="panel" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title" style={{ marginTop: 0 }}>
          Webhook addresses
        </h2>
        <p className="muted" style={{ marginTop: 0 }}>
          Every address an alert webhook’s host resolves to is checked when it is sent: one in an allowed range may be reached, else one in a denied range may not. One range a line, like 10.0.0.0/8.
        </p>
        <div className="form-row">
          <TextArea label="Allowed ranges" rows={6} value={form.allow} onChange={(e) => setForm({ ...form, allow: e.target.value })} error={rangeError('allow')} placeholder="none" />
          <TextArea label="Denied ranges" rows={6} value={form.deny} onChange={(e) => setForm({ ...form, deny: e.target.value })} error={rangeError('deny')} />
        </div>
      </section>
      <Button type="submit" variant="primary" busy={submit.busy}>
        Save settings
      </Button>{' '}
      {saved && (
        <span role="status" className="muted">
          Saved.
        </span>
      )}
    </form>
  );
}

/** The installation's settings, for the admin: who creates projects, defaults, webhook ranges. */
export default function SettingsPage() {
  const settings = useApi((c) => c.call('getSettings', {}), []);
  return (
    <>
      <PageHeader title="Settings" subtitle="What the administrator decides for the whole of Gureum" />
      <ErrorBanner error={settings.error} onRetry={settings.reload} />
      {settings.data === undefined ? settings.error === undefined && <Loading what="Loading settings" /> : <SettingsEditor settings={settings.data} onSaved={() => settings.reload()} />}
    </>
  );
}
