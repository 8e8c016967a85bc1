import { useState, type FormEvent } from 'react';
import type { Instance } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useSubmit } from '../api/hooks.js';
import { navigate } from '../app/router.js';
import { useSession } from '../app/session.js';
import { Button } from '../ui/button.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { TextField } from '../ui/field.js';
import { replicaCounts } from './instance-bits.js';

/** Scale, start, stop, restart and delete; stop and delete ask first. Shown to members and owners only. */
export function InstanceActions({ instance, onChanged }: { instance: Instance; onChanged: (i: Instance) => void }) {
  const { client } = useSession();
  const params = { project: instance.project, instance: instance.name };
  const single = instance.components.length === 1;
  const [replicas, setReplicas] = useState(String(replicaCounts(instance).desired));
  const act = useSubmit(async (action: 'startInstance' | 'stopInstance' | 'restartInstance') => onChanged(await client.call(action, { params })));
  const scale = useSubmit(async () => onChanged(await client.call('updateInstance', { params, body: { replicas: Number(replicas) } })));
  const onScale = (e: FormEvent) => {
    e.preventDefault();
    void scale.run();
  };
  const stopped = instance.desiredState === 'stopped';
  return (
    <div className="panel">
      <ErrorBanner error={act.error} />
      <div className="actions-row">
        {single && (
          <form onSubmit={onScale} className="actions-row" aria-label="Scale">
            <TextField
              label="Desired replicas"
              type="number"
              min={0}
              max={100}
              value={replicas}
              onChange={(e) => setReplicas(e.target.value)}
              error={scale.error === undefined ? undefined : (describeError(scale.error).fields.replicas ?? describeError(scale.error).message)}
            />
            <Button type="submit" busy={scale.busy}>
              Scale
            </Button>
          </form>
        )}
        <div className="actions-row">
          {stopped ? (
            <Button busy={act.busy} onClick={() => void act.run('startInstance')}>
              Start
            </Button>
          ) : (
            <ConfirmButton variant="plain" title={`Stop ${instance.name}?`} message="Every replica stops. Its volumes and settings stay; start it again at any time." confirmLabel="Stop" onConfirm={() => client.call('stopInstance', { params }).then(onChanged)}>
              Stop
            </ConfirmButton>
          )}
          <Button busy={act.busy} onClick={() => void act.run('restartInstance')} disabled={stopped}>
            Restart
          </Button>
          <ConfirmButton
            title={`Delete ${instance.name}?`}
            message="Its containers are removed. Project volumes stay until you delete them."
            confirmLabel="Delete instance"
            onConfirm={async () => {
              await client.call('deleteInstance', { params });
              navigate(`/projects/${encodeURIComponent(instance.project)}/instances`);
            }}
          >
              Delete
            </ConfirmButton>
        </div>
      </div>
    </div>
  );
}
