import { useState, type FormEvent } from 'react';
import { Comparison, NodeAlertMetric, type NodeAlertRule, type NodeAlertRuleCreate } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { Out } from '../api/types.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { SelectField, TextField } from '../ui/field.js';
import { formatAgo, formatMetric } from '../ui/format.js';
import { ShownOnce } from '../ui/shown-once.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { alertEvent, AlertStateBadge } from './alerts-bits.js';
import { EMPTY_NODE_ALERT_FORM, nodeAlertBody, type NodeAlertForm } from './alerts.form.js';

const condition = (r: NodeAlertRule) => `${r.metric} ${r.comparison} ${r.threshold} over ${r.windowSeconds} s${r.forSeconds > 0 ? ` for ${r.forSeconds} s` : ''}`;

/** The admin's alert rules on node metrics, their state per node, and the form to add one. */
export function NodeAlertsPanel() {
  const { client } = useSession();
  const rules = useApi((c) => c.call('listNodeAlertRules', {}), [], { liveOn: alertEvent() });
  const [form, setForm] = useState<NodeAlertForm>(EMPTY_NODE_ALERT_FORM);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Out<'createNodeAlertRule'> | null>(null);
  const create = useSubmit(async (body: NodeAlertRuleCreate) => {
    setCreated(await client.call('createNodeAlertRule', { body }));
    rules.reload();
  });
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = nodeAlertBody(form);
    setLocal(checked.ok ? {} : checked.errors);
    if (checked.ok && (await create.run(checked.body))) setForm(EMPTY_NODE_ALERT_FORM);
  };
  const fields = { ...(create.error === undefined ? {} : describeError(create.error).fields), ...local };
  const set = (patch: Partial<NodeAlertForm>) => setForm({ ...form, ...patch });
  const columns: Column<NodeAlertRule>[] = [
    { header: 'Rule', cell: (r) => <strong>{r.name}</strong> },
    { header: 'Condition', cell: (r) => <span className="mono">{condition(r)}</span> },
    { header: 'Node', cell: (r) => r.node ?? <span className="muted">every node</span> },
    {
      header: 'State',
      cell: (r) => (
        <>
          {r.enabled ? <AlertStateBadge state={r.state} /> : <span className="badge phase-stopped">disabled</span>}
          {r.series.filter((s) => s.state !== 'inactive').map((s) => (
            <div key={s.key} className="muted">
              {s.key}: {formatMetric(r.metric, s.value)} {s.since && `since ${formatAgo(s.since)}`}
            </div>
          ))}
        </>
      ),
    },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (r) => (
        <ConfirmButton
          small
          title={`Delete node alert rule ${r.name}?`}
          message="It stops being evaluated; its delivery history goes with it."
          confirmLabel="Delete rule"
          aria-label={`Delete node rule ${r.name}`}
          onConfirm={async () => {
            await client.call('deleteNodeAlertRule', { params: { alert: r.name } });
            rules.reload();
          }}
        >
          Delete
        </ConfirmButton>
      ),
    },
  ];
  return (
    <section aria-labelledby="node-alerts-title">
      <h2 id="node-alerts-title">Node alert rules</h2>
      <ErrorBanner error={rules.error} onRetry={rules.reload} />
      {rules.data === undefined ? (
        rules.error === undefined && <Loading what="Loading node alert rules" />
      ) : (
        <Table caption="Node alert rules" columns={columns} rows={rules.data} rowKey={(r) => r.name} empty="No node alert rules yet." />
      )}
      {created?.webhookSecret ? (
        <ShownOnce
          title={`Signing secret of ${created.name}`}
          value={created.webhookSecret}
          warning="Copy this secret now: your webhook receiver checks the X-Gureum-Signature header with it. It is not shown again."
          onDone={() => setCreated(null)}
        />
      ) : (
        <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="node-alert-form-title">
          <h3 id="node-alert-form-title" style={{ marginTop: 0 }}>
            New node alert rule
          </h3>
          <ErrorBanner error={create.error} />
          <div className="form-row">
            <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={fields.name} required autoComplete="off" hint="Lowercase letters, digits and -" />
            <SelectField label="Metric" value={form.metric} onChange={(e) => set({ metric: e.target.value })} options={NodeAlertMetric.options} error={fields.metric} hint="…_percent: 0 to 100" />
            <TextField label="Node (optional)" value={form.node} onChange={(e) => set({ node: e.target.value })} error={fields.node} autoComplete="off" hint="Empty: every node, one alert each" />
          </div>
          <div className="form-row">
            <SelectField label="Fires when the value is" value={form.comparison} onChange={(e) => set({ comparison: e.target.value })} options={Comparison.options} error={fields.comparison} />
            <TextField label="Threshold" value={form.threshold} onChange={(e) => set({ threshold: e.target.value })} error={fields.threshold} required inputMode="decimal" />
            <TextField label="Averaged over (seconds)" value={form.windowSeconds} onChange={(e) => set({ windowSeconds: e.target.value })} error={fields.windowSeconds} inputMode="numeric" />
            <TextField label="For at least (seconds)" value={form.forSeconds} onChange={(e) => set({ forSeconds: e.target.value })} error={fields.forSeconds} inputMode="numeric" />
          </div>
          <div className="form-row">
            <TextField label="Webhook URL (optional)" type="url" value={form.webhookUrl} onChange={(e) => set({ webhookUrl: e.target.value })} error={fields['webhook.url'] ?? fields.webhook} autoComplete="off" placeholder="https://…" hint="Signed like project rules' webhooks" />
          </div>
          {created && <p role="status">Rule {created.name} created.</p>}
          <Button type="submit" variant="primary" busy={create.busy}>
            Create rule
          </Button>
        </form>
      )}
    </section>
  );
}
