import { useEffect, useState, type FormEvent } from 'react';
import type { Event, Quota } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { PageProps } from '../app/page-route.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { Meter } from '../ui/meter.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { formOfQuota, QUOTA_LIMITS, quotaBody, usageRows, type QuotaForm } from './quotas.logic.js';

const HINTS: Record<'count' | 'cores' | 'bytes', string> = { count: 'A whole number', cores: 'Cores, e.g. 4 or 0.5', bytes: 'A size, e.g. 8GiB' };

/** Use of a project moves with its instances and volumes. */
const touchesUsage = (project: string) => (e: Event) => e.project === project && (e.type.startsWith('instance.') || e.type.startsWith('volume.'));

function EditQuota({ project, quota, onSaved }: { project: string; quota: Quota; onSaved: () => void }) {
  const { client } = useSession();
  const [form, setForm] = useState<QuotaForm>(() => formOfQuota(quota));
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = useSubmit((body: Partial<Quota>) => client.call('updateQuota', { params: { project }, body }));
  // Usage reloads on every instance event: the form follows only a change of the limits
  // themselves (saved here or by another admin), so typing is not lost to a live reload.
  const limits = JSON.stringify(quota);
  useEffect(() => setForm(formOfQuota(JSON.parse(limits) as Quota)), [limits]);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = quotaBody(form);
    setLocal(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    if (await submit.run(checked.body)) onSaved();
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="edit-quota">
      <h2 id="edit-quota" style={{ marginTop: 0 }}>
        Limits
      </h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Empty means no limit. New launches and volumes over a limit are refused; what runs keeps running.
      </p>
      <ErrorBanner error={submit.error} />
      <div className="form-row">
        {QUOTA_LIMITS.map(({ key, label, kind }) => (
          <TextField key={key} label={label} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} error={fields[key]} inputMode={kind === 'bytes' ? 'text' : 'decimal'} placeholder="no limit" hint={HINTS[kind]} />
        ))}
      </div>
      <Button type="submit" variant="primary" busy={submit.busy}>
        Save limits
      </Button>
    </form>
  );
}

/** What a project uses against its quota, one bar per limit; the admin sets the limits here. */
export default function QuotasPage({ params }: PageProps) {
  const project = params.project!;
  const { whoami } = useSession();
  const usage = useApi((c) => c.call('getUsage', { params: { project } }), [project], { liveOn: touchesUsage(project) });
  return (
    <>
      <PageHeader title="Quota and usage" subtitle={`What ${project} uses against its limits`} />
      <ErrorBanner error={usage.error} onRetry={usage.reload} />
      {usage.data === undefined ? (
        usage.error === undefined && <Loading what="Loading usage" />
      ) : (
        <>
          <section className="panel" aria-labelledby="usage-title">
            <h2 id="usage-title" style={{ marginTop: 0 }}>
              Usage
            </h2>
            <dl style={{ display: 'grid', gridTemplateColumns: 'minmax(110px, max-content) 1fr', gap: '8px 16px', margin: 0, alignItems: 'center' }}>
              {usageRows(usage.data).map((row) => (
                <div key={row.key} style={{ display: 'contents' }}>
                  <dt style={{ fontWeight: 600 }}>{row.label}</dt>
                  <dd style={{ margin: 0 }} data-testid={`usage-${row.key}`}>
                    <Meter label={`${row.label} used`} fraction={row.fraction} text={row.text} level={row.level} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
          {whoami.user.admin ? <EditQuota project={project} quota={usage.data.quota} onSaved={usage.reload} /> : <p className="muted">Only the administrator changes limits.</p>}
        </>
      )}
    </>
  );
}
