import { useState, type FormEvent } from 'react';
import { ROLES, type Member } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi, useSubmit } from '../api/hooks.js';
import type { PageProps } from '../app/page-route.js';
import { can, useSession } from '../app/session.js';
import type { RoleName } from '../api/types.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { RowSubmit } from '../ui/row-submit.js';
import { SelectField, TextField } from '../ui/field.js';
import { formatAgo } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { isLastOwner, memberErrors, ROLE_HELP, sortMembers, touchesMembers } from './members.logic.js';

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: `${r}: ${ROLE_HELP[r]}` }));

function AddMember({ project, onAdded }: { project: string; onAdded: () => void }) {
  const { client, whoami } = useSession();
  const [user, setUser] = useState('');
  const [role, setRole] = useState<RoleName>('member');
  const [local, setLocal] = useState<Record<string, string>>({});
  // Only the admin may list users: others type the name.
  const users = useApi((c) => (whoami.user.admin ? c.call('listUsers', {}) : Promise.resolve([])), [whoami.user.admin]);
  const submit = useSubmit((name: string, r: RoleName) => client.call('putMember', { params: { project, user: name }, body: { role: r } }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const found = memberErrors({ user, role });
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    if (await submit.run(user.trim(), role)) {
      setUser('');
      onAdded();
    }
  };
  const fields = { ...(submit.error === undefined ? {} : describeError(submit.error).fields), ...local };
  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="add-member">
      <h2 id="add-member" style={{ marginTop: 0 }}>
        Add a member
      </h2>
      <ErrorBanner error={submit.error} />
      <div className="form-row">
        <TextField label="User name" value={user} onChange={(e) => setUser(e.target.value)} error={fields.user} required autoComplete="off" spellCheck={false} list="member-users" hint="The admin creates users; ask them for a new one" />
        <datalist id="member-users">
          {(users.data ?? []).map((u) => (
            <option key={u.name} value={u.name} />
          ))}
        </datalist>
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as RoleName)} error={fields.role} options={ROLE_OPTIONS} />
        <RowSubmit busy={submit.busy}>Add member</RowSubmit>
      </div>
    </form>
  );
}

/** The role of one member, changed on the spot; a refusal (the last owner) shows on its row. */
function RoleCell({ project, member, members, onChanged }: { project: string; member: Member; members: readonly Member[]; onChanged: () => void }) {
  const { client } = useSession();
  const submit = useSubmit((role: RoleName) => client.call('putMember', { params: { project, user: member.user }, body: { role } }));
  const last = isLastOwner(members, member.user);
  return (
    <div>
      <label className="visually-hidden" htmlFor={`role-${member.user}`}>
        Role of {member.user}
      </label>
      <select
        id={`role-${member.user}`}
        value={member.role}
        disabled={submit.busy}
        aria-describedby={last ? `last-${member.user}` : undefined}
        onChange={(e) => {
          void submit.run(e.target.value as RoleName).then((ok) => ok && onChanged());
        }}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {last && (
        <span id={`last-${member.user}`} className="hint muted" style={{ display: 'block', fontSize: '0.85em' }}>
          The only owner: add another owner before changing this.
        </span>
      )}
      <div aria-live="polite">{submit.error !== undefined && <span className="field-error">{describeError(submit.error).message}</span>}</div>
    </div>
  );
}

/** Who may do what in a project. Only owners (and the admin) see the controls; the API enforces it anyway. */
export default function MembersPage({ params }: PageProps) {
  const project = params.project!;
  const { client, whoami } = useSession();
  const owner = can(whoami, project, 'owner');
  const list = useApi((c) => c.call('listMembers', { params: { project } }).then(sortMembers), [project], { liveOn: touchesMembers(project) });
  const members = list.data ?? [];
  const columns: Column<Member>[] = [
    { header: 'User', cell: (m) => <span className="mono">{m.user}</span> },
    { header: 'Role', cell: (m) => (owner ? <RoleCell project={project} member={m} members={members} onChanged={list.reload} /> : m.role) },
    { header: 'Added', cell: (m) => <time dateTime={m.addedAt}>{formatAgo(m.addedAt)}</time> },
    ...(owner
      ? [
          {
            header: <span className="visually-hidden">Actions</span>,
            cell: (m: Member) => (
              <ConfirmButton
                small
                title={`Remove ${m.user} from ${project}?`}
                message={m.user === whoami.user.name ? 'You lose access to this project unless you are the admin.' : `${m.user} can no longer see this project.`}
                confirmLabel="Remove member"
                aria-label={`Remove ${m.user}`}
                onConfirm={async () => {
                  await client.call('deleteMember', { params: { project, user: m.user } });
                  list.reload();
                }}
              >
                Remove
              </ConfirmButton>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader title="Members" subtitle={owner ? `Who may use ${project}, and how` : `Who may use ${project}. Only its owners change this.`} />
      {owner && <AddMember project={project} onAdded={list.reload} />}
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading members" />
      ) : (
        <Table caption={`Members of ${project}`} columns={columns} rows={members} rowKey={(m) => m.user} empty="No members." />
      )}
    </>
  );
}
