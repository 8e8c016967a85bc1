import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentViolations, DEFAULT_CAPABILITIES, DEFAULT_REPLICA_SECURITY, effectivePolicy, isRootUser, PolicyGuard, replicaSecurity } from './policy.js';
import { isDomainError } from '../core/errors.js';
import type { ProjectRecord, RenderedComponent } from '../core/records.js';
import { resolveUserIds } from './user-ids.js';

const base: RenderedComponent = { name: 'web', image: 'busybox:1', env: {}, ports: [], replicas: 1, volumes: [] };
const comp = (over: Partial<RenderedComponent>): RenderedComponent => ({ ...base, ...over });
/** The ids the image's files give a user (a passwd with app as 1000:1000, toor as 0:0). */
const idsOf = (user: string) => resolveUserIds(user, 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n', 'root:x:0:\napp:x:1000:\n');
const rulesOf = (c: RenderedComponent, stored = {}, imageUser?: string) => componentViolations(effectivePolicy(stored), c, imageUser === undefined ? undefined : idsOf(c.security?.user ?? imageUser)).map((v) => v.rule);

describe('container policy: defaults', () => {
  it('relaxes nothing but root, and limits processes to 1024', () => {
    const p = effectivePolicy({});
    assert.deepEqual(
      { ...p },
      { allowPrivileged: false, allowHostNetwork: false, allowHostPid: false, allowHostIpc: false, allowHostPaths: [], allowCapabilities: [], allowRoot: true, allowHostPorts: true, allowLowHostPorts: false, pidsLimit: 1024 },
    );
  });

  it('refuses privileged, host namespaces, extra capabilities and host paths, one violation each, naming the component', () => {
    const c = comp({ security: { privileged: true, hostNetwork: true, hostPid: true, hostIpc: true, capAdd: ['NET_ADMIN', 'SYS_ADMIN'] }, hostMounts: [{ hostPath: '/etc', mountPath: '/host-etc', readOnly: true }] });
    const violations = componentViolations(effectivePolicy({}), c);
    assert.deepEqual(violations.map((v) => v.rule), ['privileged', 'hostNetwork', 'hostPid', 'hostIpc', 'capability', 'capability', 'hostPath']);
    assert.ok(violations.every((v) => v.component === 'web' && v.message.startsWith('component web: ')));
    assert.match(violations[4]!.message, /NET_ADMIN/);
  });

  it('lets a component ask for capabilities of the default set without any relaxation', () => {
    assert.deepEqual(rulesOf(comp({ security: { capAdd: ['CHOWN', 'cap_net_bind_service'] } })), []);
  });

  it('reads a stored policy it does not understand as the defaults', () => {
    assert.equal(effectivePolicy({ allowPrivileged: 'yes' } as never).allowPrivileged, false);
  });
});

describe('container policy: relaxed by the admin', () => {
  it('allows what each switch allows, and only that', () => {
    const c = comp({ security: { privileged: true, hostNetwork: true } });
    assert.deepEqual(rulesOf(c, { allowPrivileged: true }), ['hostNetwork']);
    assert.deepEqual(rulesOf(c, { allowPrivileged: true, allowHostNetwork: true }), []);
  });

  it('matches capabilities with or without the CAP_ prefix, in any case', () => {
    assert.deepEqual(rulesOf(comp({ security: { capAdd: ['CAP_NET_ADMIN'] } }), { allowCapabilities: ['NET_ADMIN'] }), []);
    assert.deepEqual(rulesOf(comp({ security: { capAdd: ['NET_ADMIN'] } }), { allowCapabilities: ['CAP_NET_ADMIN'] }), []);
    assert.deepEqual(rulesOf(comp({ security: { capAdd: ['ALL'] } }), { allowCapabilities: ['NET_ADMIN'] }), ['capability']);
  });

  it('allows host paths under an allowed prefix, by path segments, after normalising', () => {
    const mount = (hostPath: string) => comp({ hostMounts: [{ hostPath, mountPath: '/m', readOnly: false }] });
    const policy = { allowHostPaths: ['/srv/data/'] };
    assert.deepEqual(rulesOf(mount('/srv/data'), policy), []);
    assert.deepEqual(rulesOf(mount('/srv/data/lab1/'), policy), []);
    assert.deepEqual(rulesOf(mount('/srv/database'), policy), ['hostPath']);
    assert.deepEqual(rulesOf(mount('/srv/data/../../etc'), policy), ['hostPath']);
    assert.deepEqual(rulesOf(mount('/srv'), policy), ['hostPath']);
  });

  it('refuses the Docker socket, and any directory above it, unless that exact socket path is allowed', () => {
    const mount = (hostPath: string) => comp({ hostMounts: [{ hostPath, mountPath: '/m', readOnly: false }] });
    assert.deepEqual(rulesOf(mount('/var/run/docker.sock')), ['dockerSocket']);
    assert.deepEqual(rulesOf(mount('/run/docker.sock')), ['dockerSocket']);
    // An allowed prefix above the socket does not allow the socket.
    assert.deepEqual(rulesOf(mount('/var/run/docker.sock'), { allowHostPaths: ['/var/run'] }), ['dockerSocket']);
    assert.deepEqual(rulesOf(mount('/var/run'), { allowHostPaths: ['/var'] }), ['dockerSocket']);
    assert.deepEqual(rulesOf(mount('/'), { allowHostPaths: ['/'] }), ['dockerSocket']);
    assert.deepEqual(rulesOf(mount('/var/run/docker.sock'), { allowHostPaths: ['/var/run/docker.sock'] }), []);
    // The socket Gureum drives, wherever it is, is protected too.
    assert.deepEqual(
      componentViolations(effectivePolicy({ allowHostPaths: ['/opt'] }), mount('/opt/engine.sock'), undefined, { engineSockets: ['/opt/engine.sock'] }).map((v) => v.rule),
      ['dockerSocket'],
    );
  });

  it('refuses a root user only when allowRoot is off; then an image running as root too', () => {
    assert.deepEqual(rulesOf(comp({ security: { user: 'root' } })), []);
    // As written (the image not on the engine yet): uid or gid 0 by number or by the name root.
    for (const user of ['root', '0', '0:0', '000', 'root:staff', '1000:0', 'app:root']) assert.deepEqual(rulesOf(comp({ security: { user } }), { allowRoot: false }), ['root'], user);
    for (const user of ['1000', '1000:1000', 'nobody']) assert.deepEqual(rulesOf(comp({ security: { user } }), { allowRoot: false }), [], user);
    // Resolved with the image's files: a name mapped to 0, a uid without an entry (gid 0).
    assert.deepEqual(rulesOf(comp({ security: { user: 'toor' } }), { allowRoot: false }, ''), ['root']);
    assert.deepEqual(rulesOf(comp({ security: { user: '4242' } }), { allowRoot: false }, ''), ['root']);
    assert.deepEqual(rulesOf(comp({ security: { user: '4242:4242' } }), { allowRoot: false }, ''), []);
    assert.deepEqual(rulesOf(comp({}), { allowRoot: false }, ''), ['root']);
    assert.deepEqual(rulesOf(comp({}), { allowRoot: false }, 'root'), ['root']);
    assert.deepEqual(rulesOf(comp({}), { allowRoot: false }, 'app'), []);
    assert.deepEqual(rulesOf(comp({}), { allowRoot: false }, undefined), [], 'an image not on the engine is checked later');
    // A user set on the component overrides the image's.
    assert.deepEqual(rulesOf(comp({ security: { user: '1000' } }), { allowRoot: false }, ''), []);
  });

  it('isRootUser', () => {
    assert.equal(isRootUser(undefined), true);
    assert.equal(isRootUser(''), true);
    assert.equal(isRootUser('65534'), false);
    assert.equal(isRootUser('65534:0'), true);
    assert.equal(isRootUser('app:root'), true);
  });
});

describe('replica security', () => {
  it('keeps the default capabilities plus the allowed extras asked for, never NET_RAW or MKNOD', () => {
    assert.ok(!DEFAULT_CAPABILITIES.includes('NET_RAW') && !DEFAULT_CAPABILITIES.includes('MKNOD'));
    const s = replicaSecurity(effectivePolicy({ allowCapabilities: ['NET_ADMIN', 'SYS_TIME'], pidsLimit: 64 }), comp({ security: { capAdd: ['cap_net_admin'] } }));
    assert.deepEqual(s.capAdd, [...DEFAULT_CAPABILITIES, 'NET_ADMIN']);
    assert.equal(s.pidsLimit, 64);
    assert.equal(s.noNewPrivileges, true);
    assert.equal(s.privileged, false);
  });

  it('grants privileged and host namespaces only when asked and allowed', () => {
    const asked = comp({ security: { privileged: true, hostPid: true, user: '1000' } });
    assert.equal(replicaSecurity(effectivePolicy({}), asked).privileged, false);
    const s = replicaSecurity(effectivePolicy({ allowPrivileged: true, allowHostPid: true, allowHostNetwork: true }), asked);
    assert.deepEqual([s.privileged, s.hostPid, s.hostNetwork, s.user], [true, true, false, '1000']);
  });

  it('the default for specs without security is the hardened one', () => {
    assert.deepEqual(DEFAULT_REPLICA_SECURITY, { privileged: false, hostNetwork: false, hostPid: false, hostIpc: false, capAdd: [...DEFAULT_CAPABILITIES], pidsLimit: 1024, noNewPrivileges: true });
  });
});

describe('PolicyGuard', () => {
  const project = (policy = {}): ProjectRecord => ({ name: 'p', description: '', deleting: false, createdAt: '', quota: {}, policy });
  // A Runtime stand-in answering only what the guard asks: the ids of the image's USER.
  const images = (user: string | null) => ({ userIds: (_image: string, given: string | undefined) => Promise.resolve(user === null ? null : idsOf(given ?? user)) });

  it('refuses with POLICY_VIOLATION listing every violation', async () => {
    const guard = new PolicyGuard(images(''));
    await assert.rejects(guard.check(null as never, project(), [comp({ security: { privileged: true } }), comp({ name: 'db', security: { hostNetwork: true } })]), (err: unknown) => {
      assert.ok(isDomainError(err) && err.code === 'POLICY_VIOLATION');
      const details = err.details as { violations: { component: string; rule: string }[] };
      assert.deepEqual(details.violations.map((v) => `${v.component}:${v.rule}`), ['web:privileged', 'db:hostNetwork']);
      return true;
    });
  });

  it('asks for the image user only when allowRoot is off', async () => {
    await new PolicyGuard(images('')).check(null as never, project(), [comp({})]);
    await assert.rejects(new PolicyGuard(images('')).check(null as never, project({ allowRoot: false }), [comp({})]), /runs as uid 0/);
    await new PolicyGuard(images('app')).check(null as never, project({ allowRoot: false }), [comp({})]);
    await new PolicyGuard(images(null)).check(null as never, project({ allowRoot: false }), [comp({})]);
  });
});
