import { useState, type FormEvent } from 'react';
import { ApiError, type Autoscale, type AutoscalePut, type Instance } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import { touchesInstances } from '../api/live.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { formatAgo } from '../ui/format.js';
import { Loading } from '../ui/status.js';
import { autoscaleBody, describeMetric, EMPTY_AUTOSCALE_FORM, formOfPolicy, type AutoscaleForm } from './autoscale.form.js';

/** The policy's figures change every evaluation without an event: read them again this often. */
const REFRESH_MS = 10_000;

const FACTS = { display: 'grid', gridTemplateColumns: 'minmax(110px, max-content) 1fr', gap: '6px 16px', margin: '0 0 10px' } as const;

/** The autoscaling of each component of an instance; members set, change and remove it. */
export default function InstanceAutoscale({ instance, member }: { instance: Instance; member: boolean }) {
  return (
    <>
      {instance.components.map((c) => (
        <ComponentAutoscale key={c.name} project={instance.project} instance={instance.name} component={c.name} member={member} />
      ))}
    </>
  );
}

function ComponentAutoscale({ project, instance, component, member }: { project: string; instance: string; component: string; member: boolean }) {
  const { client } = useSession();
  const params = { project, instance, component };
  const [editing, setEditing] = useState(false);
  const policy = useApi(
    (c) =>
      c.call('getAutoscale', { params }).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'AUTOSCALE_NOT_FOUND') return null;
        throw err;
      }),
    [project, instance, component],
    { liveOn: touchesInstances(project, instance), everyMs: REFRESH_MS },
  );
  const p = policy.data;
  const titleId = `autoscale-${component}`;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h3 id={titleId} style={{ marginTop: 0 }}>
        Component {component}
      </h3>
      <ErrorBanner error={policy.error} onRetry={policy.reload} />
      {p === undefined ? (
        policy.error === undefined && <Loading what="Loading the autoscaling" />
      ) : editing ? (
        <AutoscaleEditor
          params={params}
          policy={p}
          onSaved={() => {
            setEditing(false);
            policy.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {p === null ? <p className="muted">Not autoscaled: its replica count is set by hand.</p> : <PolicyFacts policy={p} />}
          {member && (
            <div className="actions-row">
              <Button onClick={() => setEditing(true)}>{p === null ? 'Autoscale' : 'Change'}</Button>
              {p !== null && (
                <ConfirmButton
                  variant="plain"
                  title={`Stop autoscaling ${component}?`}
                  message="Its replica count stays where it is; scale it by hand from then on."
                  confirmLabel="Stop autoscaling"
                  onConfirm={async () => {
                    await client.call('deleteAutoscale', { params });
                    policy.reload();
                  }}
                >
                  Stop autoscaling
                </ConfirmButton>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function PolicyFacts({ policy: p }: { policy: Autoscale }) {
  return (
    <dl style={FACTS}>
      <dt>Replicas</dt>
      <dd>
        {p.currentReplicas} (between {p.min} and {p.max})
      </dd>
      <dt>CPU</dt>
      <dd>{describeMetric(p.targetCpuPercent, p.lastCpuPercent)}</dd>
      <dt>Memory</dt>
      <dd>{describeMetric(p.targetMemoryPercent, p.lastMemoryPercent)}</dd>
      <dt>Waits</dt>
      <dd>
        {p.scaleUpStabilizationSeconds} s before scaling up, {p.scaleDownStabilizationSeconds} s before scaling down
      </dd>
      <dt>Last decision</dt>
      <dd>{p.lastDecision === null ? <span className="muted">none yet</span> : <>{p.lastDecision} {p.lastDecisionAt && <span className="muted">({formatAgo(p.lastDecisionAt)})</span>}</>}</dd>
    </dl>
  );
}

/** The policy's form; a refused save keeps what was typed and says why (a missing limit, a bad number). */
function AutoscaleEditor({ params, policy, onSaved, onCancel }: { params: { project: string; instance: string; component: string }; policy: Autoscale | null; onSaved: () => void; onCancel: () => void }) {
  const { client } = useSession();
  const [form, setForm] = useState<AutoscaleForm>(() => (policy ? formOfPolicy(policy) : EMPTY_AUTOSCALE_FORM));
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useSubmit(async (body: AutoscalePut) => {
    await client.call('putAutoscale', { params, body });
    onSaved();
  });
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = autoscaleBody(form);
    setLocal(checked.ok ? {} : checked.errors);
    if (checked.ok) await save.run(checked.body);
  };
  const fields = { ...(save.error === undefined ? {} : describeError(save.error).fields), ...local };
  const set = (patch: Partial<AutoscaleForm>) => setForm({ ...form, ...patch });
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={`Autoscaling of ${params.component}`}>
      <ErrorBanner error={save.error} />
      <div className="form-row">
        <TextField label="Fewest replicas" value={form.min} onChange={(e) => set({ min: e.target.value })} error={fields.min} inputMode="numeric" required />
        <TextField label="Most replicas" value={form.max} onChange={(e) => set({ max: e.target.value })} error={fields.max} inputMode="numeric" required />
      </div>
      <div className="form-row">
        <TextField label="CPU target (%)" value={form.cpuPercent} onChange={(e) => set({ cpuPercent: e.target.value })} error={fields.targetCpuPercent} inputMode="decimal" hint="Average use, in % of the CPU limit; empty: not a target" />
        <TextField
          label="Memory target (%)"
          value={form.memoryPercent}
          onChange={(e) => set({ memoryPercent: e.target.value })}
          error={fields.targetMemoryPercent}
          inputMode="decimal"
          hint="Average working set, in % of the memory limit; empty: not a target"
        />
      </div>
      {fields[''] && (
        <p className="danger" role="alert">
          {fields['']}
        </p>
      )}
      <div className="form-row">
        <TextField label="Wait before scaling up (seconds)" value={form.upSeconds} onChange={(e) => set({ upSeconds: e.target.value })} error={fields.scaleUpStabilizationSeconds} inputMode="numeric" />
        <TextField label="Wait before scaling down (seconds)" value={form.downSeconds} onChange={(e) => set({ downSeconds: e.target.value })} error={fields.scaleDownStabilizationSeconds} inputMode="numeric" />
      </div>
      <div className="actions-row">
        <Button type="submit" variant="primary" busy={save.busy}>
          Save autoscaling
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
