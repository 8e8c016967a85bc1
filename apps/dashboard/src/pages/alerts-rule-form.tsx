import { useState, type FormEvent } from 'react';
import { AlertScope, Comparison, MetricAgg, ReplicaMetric, type AlertRule, type AlertRuleCreate } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useSubmit } from '../api/hooks.js';
import type { Out } from '../api/types.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { CheckboxField, SelectField, TextField } from '../ui/field.js';
import { alertBody, EMPTY_ALERT_FORM, formOfRule, METRIC_UNITS, TARGET_HINTS, type AlertForm, type AlertRuleUpdateBody } from './alerts.form.js';

const COMPARISONS = Comparison.options.map((c) => ({ value: c, label: { '>': 'above (>)', '>=': 'at or above (≥)', '<': 'below (<)', '<=': 'at or below (≤)' }[c] }));
const SCOPES = AlertScope.options.map((s) => ({ value: s, label: { project: 'the whole project', instance: 'one instance', component: 'one component', replica: 'each replica of an instance' }[s] }));

/**
 * Create a rule, or edit one (`rule`). After a create the page shows the webhook secret once;
 * a refused submit keeps everything typed.
 */
export function AlertRuleForm({ project, rule, onCreated, onSaved, onCancel }: { project: string; rule: AlertRule | null; onCreated: (r: Out<'createAlertRule'>) => void; onSaved: (r: Out<'updateAlertRule'>) => void; onCancel: () => void }) {
  const { client } = useSession();
  const editing = rule !== null;
  const [form, setForm] = useState<AlertForm>(() => (rule ? formOfRule(rule) : EMPTY_ALERT_FORM));
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useSubmit(async (body: AlertRuleCreate) => onCreated(await client.call('createAlertRule', { params: { project }, body })));
  const update = useSubmit(async (name: string, body: AlertRuleUpdateBody) => {
    const saved = await client.call('updateAlertRule', { params: { project, alert: name }, body });
    // A secret typed here is known already: only one Gureum generated needs showing.
    onSaved(body.webhook?.secret === undefined ? saved : { ...saved, webhookSecret: null });
  });
  const submit = editing ? update : create;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (rule) {
      const checked = alertBody(form, 'edit');
      setLocal(checked.ok ? {} : checked.errors);
      if (checked.ok) await update.run(rule.name, checked.body);
    } else {
      const checked = alertBody(form, 'create');
      setLocal(checked.ok ? {} : checked.errors);
      if (checked.ok && (await create.run(checked.body))) setForm(EMPTY_ALERT_FORM);
    }
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  const set = (patch: Partial<AlertForm>) => setForm({ ...form, ...patch });
  const unit = METRIC_UNITS[form.metric as keyof typeof METRIC_UNITS] ?? '';
  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="alert-form-title">
      <h2 id="alert-form-title" style={{ marginTop: 0 }}>
        {editing ? `Edit rule ${rule.name}` : 'New alert rule'}
      </h2>
      <ErrorBanner error={submit.error} />
      <div className="form-row">
        {!editing && <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={fields.name} required autoComplete="off" hint="Lowercase letters, digits and -" />}
        <SelectField label="Metric" value={form.metric} onChange={(e) => set({ metric: e.target.value })} options={ReplicaMetric.options} error={fields.metric} />
        <SelectField label="Combined by" value={form.agg} onChange={(e) => set({ agg: e.target.value })} options={MetricAgg.options} error={fields.agg} hint="How the replicas of the scope combine" />
      </div>
      <div className="form-row">
        <SelectField label="Watch" value={form.scope} onChange={(e) => set({ scope: e.target.value })} options={SCOPES} error={fields.scope} />
        {form.scope !== 'project' && <TextField label="Target" value={form.target} onChange={(e) => set({ target: e.target.value })} error={fields.target} required autoComplete="off" hint={TARGET_HINTS[form.scope]} />}
      </div>
      <div className="form-row">
        <SelectField label="Fires when the value is" value={form.comparison} onChange={(e) => set({ comparison: e.target.value })} options={COMPARISONS} error={fields.comparison} />
        <TextField label="Threshold" value={form.threshold} onChange={(e) => set({ threshold: e.target.value })} error={fields.threshold} required inputMode="decimal" hint={`In ${unit}`} />
        <TextField label="Averaged over (seconds)" value={form.windowSeconds} onChange={(e) => set({ windowSeconds: e.target.value })} error={fields.windowSeconds} inputMode="numeric" hint="10 to 86400; default 60" />
        <TextField label="For at least (seconds)" value={form.forSeconds} onChange={(e) => set({ forSeconds: e.target.value })} error={fields.forSeconds} inputMode="numeric" hint="Pending this long before firing; 0 fires at once" />
      </div>
      <div className="form-row">
        <TextField label="Webhook URL (optional)" type="url" value={form.webhookUrl} onChange={(e) => set({ webhookUrl: e.target.value })} error={fields['webhook.url'] ?? fields.webhook} autoComplete="off" placeholder="https://…" hint="Gureum POSTs firing and resolved notices here, signed" />
        {form.webhookUrl.trim() !== '' && (
          <TextField
            label="Signing secret (optional)"
            type="password"
            value={form.webhookSecret}
            onChange={(e) => set({ webhookSecret: e.target.value })}
            error={fields['webhook.secret']}
            autoComplete="new-password"
            hint={editing ? 'Leave empty to keep the current one' : 'Leave empty and Gureum makes one, shown once'}
          />
        )}
      </div>
      <CheckboxField label="Enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
      <div style={{ display: 'flex', gap: 8 }}>
        <Button type="submit" variant="primary" busy={submit.busy}>
          {editing ? 'Save rule' : 'Create rule'}
        </Button>
        {editing && <Button onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
