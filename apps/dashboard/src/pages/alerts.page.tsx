import { useState } from 'react';
import type { AlertRule } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import type { Out } from '../api/types.js';
import type { PageProps } from '../app/page-route.js';
import { can, useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { formatAgo, formatMetric } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { ShownOnce } from '../ui/shown-once.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { alertEvent, AlertStateBadge } from './alerts-bits.js';
import { AlertDeliveries } from './alerts-deliveries.js';
import { AlertRuleForm } from './alerts-rule-form.js';
import { describeRule } from './alerts.form.js';

/** What the form panel shows: a new rule, an edit, or a rule just saved (with its new webhook secret, once). */
type Panel = { kind: 'new' } | { kind: 'edit'; rule: AlertRule } | { kind: 'saved'; rule: Out<'createAlertRule'>; verb: 'created' | 'saved' };

/** A project's alert rules with their live state, their webhook deliveries, and the form to change them. */
export default function AlertsPage({ params }: PageProps) {
  const project = params.project!;
  const { client, whoami } = useSession();
  const member = can(whoami, project, 'member');
  const [panel, setPanel] = useState<Panel>({ kind: 'new' });
  const [deliveriesOf, setDeliveriesOf] = useState<string | null>(null);
  const rules = useApi((c) => c.call('listAlertRules', { params: { project } }), [project], { liveOn: alertEvent(project) });
  const columns: Column<AlertRule>[] = [
    { header: 'Rule', cell: (r) => <strong>{r.name}</strong> },
    { header: 'Condition', cell: (r) => <span className="mono">{describeRule(r)}</span> },
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
    { header: 'Webhook', cell: (r) => (r.webhook ? <span className="mono">{new URL(r.webhook.url).host}</span> : <span className="muted">none</span>) },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (r) => (
        <span style={{ display: 'inline-flex', gap: 6, flexWrap: 'wrap' }}>
          <Button small aria-pressed={deliveriesOf === r.name} onClick={() => setDeliveriesOf(deliveriesOf === r.name ? null : r.name)} aria-label={`Webhook deliveries of ${r.name}`}>
            Deliveries
          </Button>
          {member && (
            <>
              <Button small onClick={() => setPanel({ kind: 'edit', rule: r })} aria-label={`Edit rule ${r.name}`}>
                Edit
              </Button>
              <ConfirmButton
                small
                title={`Delete alert rule ${r.name}?`}
                message="It stops being evaluated; its delivery history goes with it."
                confirmLabel="Delete rule"
                aria-label={`Delete rule ${r.name}`}
                onConfirm={async () => {
                  await client.call('deleteAlertRule', { params: { project, alert: r.name } });
                  if (deliveriesOf === r.name) setDeliveriesOf(null);
                  rules.reload();
                }}
              >
                Delete
              </ConfirmButton>
            </>
          )}
        </span>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="Alerts" subtitle={`Rules on the metrics of ${project}, and where their notices go`} />
      {member &&
        (panel.kind === 'saved' ? (
          panel.rule.webhookSecret ? (
            <ShownOnce
              title={`Signing secret of ${panel.rule.name}`}
              value={panel.rule.webhookSecret}
              warning="Copy this secret now: your webhook receiver checks the X-Gureum-Signature header with it. It is not shown again."
              onDone={() => setPanel({ kind: 'new' })}
            />
          ) : (
            <p role="status" className="panel">
              Rule {panel.rule.name} {panel.verb}. <Button onClick={() => setPanel({ kind: 'new' })}>New rule</Button>
            </p>
          )
        ) : (
          <AlertRuleForm
            key={panel.kind === 'edit' ? `edit-${panel.rule.name}` : 'new'}
            project={project}
            rule={panel.kind === 'edit' ? panel.rule : null}
            onCreated={(r) => {
              setPanel({ kind: 'saved', rule: r, verb: 'created' });
              rules.reload();
            }}
            onSaved={(r) => {
              setPanel(r.webhookSecret ? { kind: 'saved', rule: r, verb: 'saved' } : { kind: 'new' });
              rules.reload();
            }}
            onCancel={() => setPanel({ kind: 'new' })}
          />
        ))}
      <ErrorBanner error={rules.error} onRetry={rules.reload} />
      {rules.data === undefined ? (
        rules.error === undefined && <Loading what="Loading alert rules" />
      ) : (
        <Table caption={`Alert rules of ${project}`} columns={columns} rows={rules.data} rowKey={(r) => r.name} empty="No alert rules yet." />
      )}
      {deliveriesOf && <AlertDeliveries project={project} rule={deliveriesOf} />}
    </>
  );
}
