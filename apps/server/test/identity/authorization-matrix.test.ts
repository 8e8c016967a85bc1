/**
 * The authorization matrix, generated from the route table: every route of the contract is
 * called by every kind of principal, and the answer is checked against what the route's
 * declared `access` (and whether it writes) implies. A route added without a sample below
 * fails this file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { isWrite, ROLES, routes, type Access, type ProjectRole, type RouteId, type RouteSpec } from '@gureum/contract';
import { busyboxApp, REGISTRY, removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { addMember, callRoute, codeOf, createToken, createUser, openExec, sleep, type Credentials, type Reply, type TestUser } from './identity-kit.js';

const run = promisify(execFile);
const ADMIN_PASSWORD = 'matrix-admin-password';

type Kind = 'admin' | 'owner' | 'member' | 'viewer' | 'outsider' | 'readOnly' | 'limited' | 'adminLimited' | 'expired' | 'revoked' | 'anonymous';
const KINDS: Kind[] = ['admin', 'owner', 'member', 'viewer', 'outsider', 'readOnly', 'limited', 'adminLimited', 'expired', 'revoked', 'anonymous'];
/** Tokens limited to `limitedTo`, i.e. not to the project the cells act on. */
const LIMITED: Kind[] = ['limited', 'adminLimited'];

/** A caller: its credentials and the user behind them (routes about "yourself" need it). */
interface Who {
  kind: Kind;
  creds: Credentials;
  user: TestUser | null;
}

/** What a cell must answer: allowed, or refused with exactly this status and code. */
type Expect = { allowed: true } | { allowed: false; status: number; code: string };
const ALLOWED: Expect = { allowed: true };
const refuse = (status: number, code: string): Expect => ({ allowed: false, status, code });

interface Sample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  raw?: { contentType: string; data: Buffer };
  /** Streams that never end by themselves: only the head is read. */
  headersOnly?: boolean;
}

interface Rule {
  /** Builds the request for one caller; destructive routes make a throwaway target here. */
  sample: (who: Who) => Promise<Sample> | Sample;
  /**
   * The access the domain really applies when the table says `user` but the object decides
   * (a project's private app needs the member role in that project), and the code that hides
   * an object the caller cannot reach.
   */
  effective?: { access: Access; hiddenAs: string };
  /** Deliberate refinements by the domain, each with its reason in a comment. */
  except?: Partial<Record<Kind, Expect>>;
}

let g: TestGureum;
const project = uniqueName('mx');
const limitedTo = uniqueName('mx-q');
const outsiderProject = uniqueName('mx-o');
const globalApp = uniqueName('mx-app');
const privateApp = uniqueName('mx-priv');
const idle = 'idle'; // an instance with replicas 0 in `project`
const running = 'box'; // an instance with one running replica in `project`
const volume = 'data';
const madeProjects: string[] = [project, limitedTo, outsiderProject];
const madeTags: string[] = [];
const who = {} as Record<Kind, Who>;
let owner: TestUser;
let member: TestUser;
let viewer: TestUser;
let outsider: TestUser;
let spare: TestUser;
let imageTar: Buffer;
let serial = 0;
/** Set when a request got no answer: the cells after it are not run. */
let stalled: string | undefined;

/** A fresh DNS-label name for throwaway objects. */
const fresh = (prefix: string) => `${prefix}-${(serial++).toString(36)}-${uniqueName('x').slice(2)}`;
const components = () => busyboxApp('c').components;

/** A throwaway project with the same members and roles as `project`. */
async function throwawayProject(): Promise<string> {
  const name = fresh('mx-t');
  madeProjects.push(name);
  const r = await callRoute(g, 'createProject', { token: owner.token, body: { name } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await addMember(g, name, member.name, 'member');
  await addMember(g, name, viewer.name, 'viewer');
  return name;
}

/** The full-power credentials of the user behind a caller (to prepare its own objects). */
function fullTokenOf(w: Who): string {
  return w.user?.token ?? g.token;
}

const P = { project };

/** One entry per route of the contract. */
const rules: Record<RouteId, Rule | 'websocket'> = {
  healthz: { sample: () => ({}) },
  readyz: { sample: () => ({}) },
  openapi: { sample: () => ({}) },

  listProjects: { sample: () => ({}) },
  createProject: {
    sample: () => {
      const name = fresh('mx-c');
      madeProjects.push(name);
      return { body: { name } };
    },
    // A project-limited token cannot create projects (it could not reach them afterwards).
    except: { limited: refuse(403, 'FORBIDDEN'), adminLimited: refuse(403, 'FORBIDDEN') },
  },
  getProject: { sample: () => ({ params: P }) },
  deleteProject: { sample: async () => ({ params: { project: await throwawayProject() } }) },

  listApps: { sample: () => ({}) },
  getApp: { sample: () => ({ params: { app: globalApp } }) },
  createApp: {
    sample: () => ({ body: { name: fresh('mx-a'), project, components: components() } }),
    effective: { access: { kind: 'project', role: 'member' }, hiddenAs: 'PROJECT_NOT_FOUND' },
  },
  updateApp: {
    sample: () => ({ params: { app: privateApp }, body: { components: components() } }),
    effective: { access: { kind: 'project', role: 'member' }, hiddenAs: 'APP_NOT_FOUND' },
  },
  deleteApp: {
    sample: async () => {
      const app = await g.client.call('createApp', { body: { name: fresh('mx-d'), project, components: components() } });
      return { params: { app: app.name } };
    },
    effective: { access: { kind: 'project', role: 'member' }, hiddenAs: 'APP_NOT_FOUND' },
  },

  listImages: { sample: () => ({}) },
  pullImage: { sample: () => ({ body: { ref: `${REGISTRY}/${TEST_IMAGE}` } }) },
  loadImage: { sample: () => ({ raw: { contentType: 'application/x-tar', data: imageTar } }) },
  deleteImage: {
    sample: async () => {
      const tag = `gureum-test/busybox:${fresh('mx')}`;
      await run('docker', ['tag', TEST_IMAGE, tag]);
      madeTags.push(tag);
      return { params: { id: tag } };
    },
  },

  listInstances: { sample: () => ({ params: P }) },
  createInstance: { sample: () => ({ params: P, body: { name: fresh('mx-i'), app: globalApp, replicas: 0 } }) },
  getInstance: { sample: () => ({ params: { project, instance: idle } }) },
  updateInstance: { sample: () => ({ params: { project, instance: idle }, body: { replicas: 0 } }) },
  deleteInstance: {
    sample: async () => {
      const name = fresh('mx-del');
      await g.client.call('createInstance', { params: P, body: { name, app: globalApp, replicas: 0 } });
      return { params: { project, instance: name } };
    },
  },
  startInstance: { sample: () => ({ params: { project, instance: idle } }) },
  stopInstance: { sample: () => ({ params: { project, instance: idle } }) },
  restartInstance: { sample: () => ({ params: { project, instance: idle } }) },
  instanceLogs: { sample: () => ({ params: { project, instance: running }, query: { tail: '5' } }) },
  instanceExec: 'websocket',

  listVolumes: { sample: () => ({ params: P }) },
  createVolume: { sample: () => ({ params: P, body: { name: fresh('mx-v') } }) },
  getVolume: { sample: () => ({ params: { project, volume } }) },
  deleteVolume: {
    sample: async () => {
      const name = fresh('mx-dv');
      await g.client.call('createVolume', { params: P, body: { name } });
      return { params: { project, volume: name } };
    },
  },

  listEvents: { sample: () => ({}) },
  streamEvents: { sample: () => ({ headersOnly: true }) },
  listNodes: { sample: () => ({}) },

  login: { sample: () => ({ body: { user: spare.name, password: spare.password } }) },
  logout: { sample: () => ({}) },
  whoami: { sample: () => ({}) },
  // The same password again: the caller's password must still work for later cells.
  changePassword: { sample: (w) => ({ body: { currentPassword: w.user?.password ?? 'whatever', newPassword: w.user?.password ?? 'whatever-else' } }) },

  listUsers: { sample: () => ({}) },
  createUser: { sample: () => ({ body: { name: fresh('mx-u'), password: 'a-long-password' } }) },
  getUser: { sample: () => ({ params: { user: spare.name } }) },
  updateUser: { sample: () => ({ params: { user: spare.name }, body: { disabled: false } }) },
  deleteUser: {
    sample: async () => {
      const name = fresh('mx-du');
      await g.client.call('createUser', { body: { name, password: 'a-long-password' } });
      return { params: { user: name } };
    },
  },

  listTokens: { sample: () => ({}) },
  createToken: { sample: () => ({ body: { name: 'matrix' } }) },
  deleteToken: {
    sample: async (w) => {
      if (!w.user) return { params: { id: 'no-such-token' } };
      // A project-limited token reaches only tokens within its limit: its own child is one.
      const made = await createToken(g, { token: LIMITED.includes(w.kind) ? w.creds.token : fullTokenOf(w) }, { name: 'throwaway' });
      return { params: { id: made.id } };
    },
  },

  listMembers: { sample: () => ({ params: P }) },
  putMember: { sample: () => ({ params: { project, user: spare.name }, body: { role: 'viewer' } }) },
  deleteMember: {
    sample: async () => {
      await addMember(g, project, spare.name, 'viewer');
      return { params: { project, user: spare.name } };
    },
  },

  getUsage: { sample: () => ({ params: P }) },
  updateQuota: { sample: () => ({ params: P, body: { volumes: null } }) },
  getPolicy: { sample: () => ({ params: P }) },
  putPolicy: { sample: () => ({ params: P, body: {} }) },
  getSettings: { sample: () => ({}) },
  updateSettings: { sample: () => ({ body: {} }) },

  listSecrets: { sample: () => ({ params: P }) },
  putSecret: { sample: () => ({ params: { project, secret: 'matrix' }, body: { value: 'not-a-real-secret' } }) },
  deleteSecret: {
    sample: async () => {
      const secret = fresh('mx-s');
      await g.client.call('putSecret', { params: { project, secret }, body: { value: 'throwaway' } });
      return { params: { project, secret } };
    },
  },

  listAudit: { sample: () => ({}) },
  listProjectAudit: { sample: () => ({ params: P }) },

  // A project scope needs the viewer role in it, though the route itself only asks for a user.
  queryMetrics: { sample: () => ({ query: { metric: 'cpu_cores', scope: 'project', id: project, from: '-5m' } }), effective: { access: { kind: 'project', role: 'viewer' }, hiddenAs: 'PROJECT_NOT_FOUND' } },
  latestMetrics: { sample: () => ({ query: { project } }), effective: { access: { kind: 'project', role: 'viewer' }, hiddenAs: 'PROJECT_NOT_FOUND' } },
  instanceMetrics: { sample: () => ({ params: { project, instance: running }, query: { from: '-5m' } }) },
  nodeMetrics: { sample: async () => ({ params: { node: (await g.client.call('listNodes', {}))[0]?.name ?? 'missing' }, query: { from: '-5m' } }) },
  latestNodeMetrics: { sample: () => ({}) },

  listAlertRules: { sample: () => ({ params: P }) },
  createAlertRule: { sample: () => ({ params: P, body: { name: fresh('mx-a'), metric: 'cpu_cores', comparison: '>', threshold: 100 } }) },
  getAlertRule: { sample: () => ({ params: { project, alert: 'watch' } }) },
  updateAlertRule: { sample: () => ({ params: { project, alert: 'watch' }, body: { metric: 'cpu_cores', comparison: '>', threshold: 99 } }) },
  deleteAlertRule: {
    sample: async () => {
      const name = fresh('mx-a');
      await g.client.call('createAlertRule', { params: P, body: { name, metric: 'cpu_cores', comparison: '>', threshold: 100 } });
      return { params: { project, alert: name } };
    },
  },
  listAlertDeliveries: { sample: () => ({ params: { project, alert: 'watch' } }) },
  listFiringAlerts: { sample: () => ({}) },
  listNodeAlertRules: { sample: () => ({}) },
  createNodeAlertRule: { sample: () => ({ body: { name: fresh('mx-n'), metric: 'node_load1', comparison: '>', threshold: 1e6 } }) },
  getNodeAlertRule: { sample: () => ({ params: { alert: 'nwatch' } }) },
  updateNodeAlertRule: { sample: () => ({ params: { alert: 'nwatch' }, body: { metric: 'node_load1', comparison: '>', threshold: 1e7 } }) },
  deleteNodeAlertRule: {
    sample: async () => {
      const name = fresh('mx-n');
      await g.client.call('createNodeAlertRule', { body: { name, metric: 'node_load1', comparison: '>', threshold: 1e6 } });
      return { params: { alert: name } };
    },
  },
  listNodeAlertDeliveries: { sample: () => ({ params: { alert: 'nwatch' } }) },

  getAutoscale: { sample: () => ({ params: { project, instance: running, component: 'main' } }) },
  putAutoscale: { sample: () => ({ params: { project, instance: running, component: 'main' }, body: { min: 1, max: 1, targetCpuPercent: 50 } }) },
  deleteAutoscale: {
    sample: async () => {
      await g.client.call('putAutoscale', { params: { project, instance: idle, component: 'main' }, body: { min: 0, max: 1, targetCpuPercent: 50 } });
      return { params: { project, instance: idle, component: 'main' } };
    },
  },
};

/** The role each kind holds in `project` (admins act as owners); null: cannot reach it. */
const ROLE_IN_PROJECT: Record<Kind, ProjectRole | null> = {
  admin: 'owner',
  owner: 'owner',
  member: 'member',
  viewer: 'viewer',
  outsider: null,
  readOnly: 'owner',
  limited: null, // owns `project` too, but the token is limited to another project
  adminLimited: null,
  expired: null,
  revoked: null,
  anonymous: null,
};

/** The expected answer, derived from the route's access and whether it writes. */
function expectedOutcome(route: RouteSpec, rule: Rule, kind: Kind): Expect {
  const excepted = rule.except?.[kind];
  if (excepted) return excepted;
  const access = rule.effective?.access ?? route.access;
  if (route.access.kind === 'public') return ALLOWED;
  if (kind === 'anonymous' || kind === 'expired' || kind === 'revoked') return refuse(401, 'UNAUTHENTICATED');
  if (kind === 'readOnly' && isWrite(route)) return refuse(403, 'READ_ONLY_TOKEN');
  if (LIMITED.includes(kind) && route.path.includes(':project')) return refuse(404, 'PROJECT_NOT_FOUND');
  switch (access.kind) {
    case 'public':
    case 'user':
      return ALLOWED;
    case 'admin':
      // The administrator's project-limited token administers its projects only, not the installation.
      return kind === 'admin' ? ALLOWED : refuse(403, 'FORBIDDEN');
    case 'project': {
      const role = ROLE_IN_PROJECT[kind];
      if (role === null) return refuse(404, rule.effective?.hiddenAs ?? 'PROJECT_NOT_FOUND');
      return ROLES.indexOf(role) >= ROLES.indexOf(access.role) ? ALLOWED : refuse(403, 'FORBIDDEN');
    }
  }
}

/** Why an answer does not match; undefined when it does. */
function mismatch(expected: Expect, reply: Reply): string | undefined {
  const code = codeOf(reply);
  if (expected.allowed) {
    // Samples are valid and their targets exist, so an allowed call succeeds.
    return reply.status >= 200 && reply.status < 300 ? undefined : `expected success, got ${reply.status} ${code ?? ''} ${JSON.stringify(reply.body).slice(0, 200)}`;
  }
  return reply.status === expected.status && code === expected.code ? undefined : `expected ${expected.status} ${expected.code}, got ${reply.status} ${code ?? JSON.stringify(reply.body).slice(0, 200)}`;
}

before(async () => {
  g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD });
  [owner, member, viewer, outsider, spare] = await Promise.all([createUser(g, 'owner'), createUser(g, 'member'), createUser(g, 'viewer'), createUser(g, 'outsider'), createUser(g, 'spare')]);
  for (const name of [project, limitedTo]) assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name } })).status, 201);
  assert.equal((await callRoute(g, 'createProject', { token: outsider.token, body: { name: outsiderProject } })).status, 201);
  await addMember(g, project, member.name, 'member');
  await addMember(g, project, viewer.name, 'viewer');
  await g.client.call('createApp', { body: busyboxApp(globalApp, { resources: { cpus: 0.5 } }) });
  await g.client.call('createApp', { body: { name: privateApp, project, components: components() } });
  await g.client.call('createVolume', { params: P, body: { name: volume } });
  await g.client.call('createInstance', { params: P, body: { name: idle, app: globalApp, replicas: 0 } });
  await g.client.call('createInstance', { params: P, body: { name: running, app: globalApp, replicas: 1 } });
  await g.client.call('createAlertRule', { params: P, body: { name: 'watch', metric: 'memory_bytes', comparison: '>', threshold: 1e12 } });
  await g.client.call('createNodeAlertRule', { body: { name: 'nwatch', metric: 'node_load1', comparison: '>', threshold: 1e6 } });
  await g.client.call('putAutoscale', { params: { project, instance: running, component: 'main' }, body: { min: 1, max: 1, targetCpuPercent: 50 } });
  imageTar = (await run('docker', ['save', TEST_IMAGE], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })).stdout;

  const expiresAt = new Date(Date.now() + 1500).toISOString();
  const readOnly = await createToken(g, { token: owner.token }, { name: 'read-only', readOnly: true });
  const limited = await createToken(g, { token: owner.token }, { name: 'limited', projects: [limitedTo] });
  const adminLimited = await createToken(g, { token: g.token }, { name: 'admin-limited', projects: [limitedTo] });
  const expiring = await createToken(g, { token: owner.token }, { name: 'expiring', expiresAt });
  const revoked = await createToken(g, { token: owner.token }, { name: 'revoked' });
  assert.equal((await callRoute(g, 'deleteToken', { token: owner.token, params: { id: revoked.id } })).status, 200);
  const admin: TestUser = { name: 'admin', password: ADMIN_PASSWORD, token: g.token };
  Object.assign(who, {
    admin: { kind: 'admin', creds: { token: g.token }, user: admin },
    owner: { kind: 'owner', creds: { token: owner.token }, user: owner },
    member: { kind: 'member', creds: { token: member.token }, user: member },
    viewer: { kind: 'viewer', creds: { token: viewer.token }, user: viewer },
    outsider: { kind: 'outsider', creds: { token: outsider.token }, user: outsider },
    readOnly: { kind: 'readOnly', creds: { token: readOnly.token }, user: owner },
    limited: { kind: 'limited', creds: { token: limited.token }, user: owner },
    adminLimited: { kind: 'adminLimited', creds: { token: adminLimited.token }, user: admin },
    expired: { kind: 'expired', creds: { token: expiring.token }, user: owner },
    revoked: { kind: 'revoked', creds: { token: revoked.token }, user: owner },
    anonymous: { kind: 'anonymous', creds: {}, user: null },
  } satisfies Record<Kind, Who>);

  await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: running } })).phase === 'running', { what: `instance ${running} to run` });
  const wait = Date.parse(expiresAt) - Date.now() + 50;
  if (wait > 0) await sleep(wait);
});

after(async () => {
  await g?.stop();
  await removeProjects(...madeProjects);
  for (const tag of madeTags) await run('docker', ['rmi', tag]).catch(() => undefined);
});

describe('authorization matrix (generated from the route table)', () => {
  it('has a sample for every route of the contract', () => {
    const missing = Object.keys(routes).filter((id) => !(id in rules));
    assert.deepEqual(missing, [], 'routes without a sample in the matrix: add one to `rules`');
  });

  for (const [id, route] of Object.entries(routes) as [RouteId, RouteSpec][]) {
    const rule = rules[id];
    if (rule === undefined || rule === 'websocket') continue;
    it(`${id}: ${route.method} ${route.path} (${route.access.kind}${route.access.kind === 'project' ? ` ${route.access.role}` : ''}${isWrite(route) ? ', write' : ''})`, async () => {
      // One request that never answers (a deadlock) would make every later cell wait out its timeout.
      assert.equal(stalled, undefined, `the server stopped answering at ${stalled}`);
      const failures: string[] = [];
      for (const kind of KINDS) {
        const expected = expectedOutcome(route, rule, kind);
        const sample = await rule.sample(who[kind]);
        const reply = await callRoute(g, id, { ...sample, ...who[kind].creds }).catch((err: Error) => {
          stalled = `${id} as ${kind}: ${err.message}`;
          throw err;
        });
        const why = mismatch(expected, reply);
        if (why) failures.push(`${kind}: ${why}`);
      }
      assert.deepEqual(failures, []);
    });
  }
});

describe('exec authorization (WebSocket upgrade)', () => {
  it('opens for a member and runs the command in the replica', async () => {
    const r = await openExec(g, member.token, project, running, ['sh', '-c', 'echo exec-$((40+2))']);
    assert.ok('output' in r, `refused: ${JSON.stringify(r)}`);
    assert.match(r.output, /exec-42/);
    assert.equal(r.exit, 0);
  });

  it('refuses a viewer (403 FORBIDDEN), a read-only token (403 READ_ONLY_TOKEN), outsiders (404) and bad tokens (401) at the upgrade', async () => {
    const cases: [Kind, number, string][] = [
      ['viewer', 403, 'FORBIDDEN'],
      ['readOnly', 403, 'READ_ONLY_TOKEN'],
      ['outsider', 404, 'PROJECT_NOT_FOUND'],
      ['limited', 404, 'PROJECT_NOT_FOUND'],
      ['adminLimited', 404, 'PROJECT_NOT_FOUND'],
      ['revoked', 401, 'UNAUTHENTICATED'],
      ['expired', 401, 'UNAUTHENTICATED'],
    ];
    for (const [kind, status, code] of cases) {
      const r = await openExec(g, who[kind].creds.token!, project, running, ['sh', '-c', 'echo should-not-run']);
      assert.deepEqual(r, { refused: status, code }, kind);
    }
  });
});
