/** The ids a container runs with, resolved as the engine resolves its USER. */
export interface UserIds {
  /** As written: the component's `security.user`, else the image's USER ('' = root). */
  user: string;
  uid: number;
  gid: number;
  /** Supplementary groups: those of /etc/group that list the user's name. */
  groups: number[];
}

/** A USER the image cannot run as (a name its /etc/passwd or /etc/group does not have). */
export interface UnknownUser {
  user: string;
  unknown: string;
}

function entries(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

const numeric = (text: string) => /^\d+$/.test(text);

/**
 * Resolves `user` ("", "name", "uid", "name:group", "uid:gid") with an image's own passwd and
 * group files, as runc does: a name must have a passwd entry; a uid without one runs with gid
 * 0; without a group the passwd entry's gid is the group; supplementary groups are those that
 * list the user's name.
 */
export function resolveUserIds(user: string, passwd: string, group: string): UserIds | UnknownUser {
  const [userPart = '', groupPart] = user.split(':');
  const users = entries(passwd);
  const groups = entries(group);
  const name = userPart === '' ? 'root' : userPart;
  const entry = users.find((f) => (numeric(name) ? f[2] === name : f[0] === name));
  if (!entry && !numeric(name)) {
    if (name === 'root') return { user, uid: 0, gid: 0, groups: [] };
    return { user, unknown: `user ${name} is not in the image's /etc/passwd` };
  }
  const uid = numeric(name) ? Number(name) : Number(entry![2]);
  let gid: number;
  if (groupPart === undefined || groupPart === '') gid = entry ? Number(entry[3]) : 0;
  else if (numeric(groupPart)) gid = Number(groupPart);
  else {
    const g = groups.find((f) => f[0] === groupPart);
    if (!g) return { user, unknown: `group ${groupPart} is not in the image's /etc/group` };
    gid = Number(g[2]);
  }
  const memberName = entry?.[0];
  const extra = memberName === undefined ? [] : groups.filter((f) => (f[3] ?? '').split(',').map((m) => m.trim()).includes(memberName)).map((f) => Number(f[2]));
  const valid = (n: number) => (Number.isInteger(n) && n >= 0 ? n : 0);
  return { user, uid: valid(uid), gid: valid(gid), groups: [...new Set(extra.map(valid))] };
}

/** Why these ids are root's (uid 0, gid 0, or group 0 among the supplementary ones), or undefined. */
export function rootProblem(ids: UserIds | UnknownUser): string | undefined {
  if ('unknown' in ids) return undefined;
  const as = ids.user === '' ? 'no USER (root)' : `user ${ids.user}`;
  if (ids.uid === 0) return `${as} runs as uid 0`;
  if (ids.gid === 0) return `${as} runs with gid 0 (uid ${ids.uid}; a uid without a passwd entry gets group 0)`;
  if (ids.groups.includes(0)) return `${as} (uid ${ids.uid}) is in group 0 by the image's /etc/group`;
  return undefined;
}
