import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Instance } from '@gureum/contract';
import { freePort, REGISTRY, removeProjects, startGureum, tempDir, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';

const run = promisify(execFile);
const DEFAULT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'AUDIT_WRITE'];

let g: TestGureum;
/** Escape attempts only: nothing may ever run here. */
const locked = uniqueName('pol-locked');
/** Replicas that run, under a policy the tests relax and tighten. */
const relaxed = uniqueName('pol-relaxed');
const noRoot = uniqueName('pol-noroot');
/** Host paths allowed under a prefix that holds symlinks. */
const linked = uniqueName('pol-links');
const pushedRef = `${REGISTRY}/gureum-test/policy-${uniqueName('root')}:1`;

interface Answer {
  status: number;
  json: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
}

async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(g.url + path, {
    method,
    headers: { authorization: `Bearer ${g.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as never };
}

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args)).stdout.trim();
}

async function containersOf(project: string): Promise<string[]> {
  return (await docker('ps', '-aq', '--filter', `label=io.gureum.project=${project}`)).split('\n').filter(Boolean);
}

/** Registers a one-component app (the component is "main") and answers its name. */
async function app(component: Record<string, unknown>): Promise<string> {
  const name = uniqueName('pol-app');
  const res = await api('POST', '/api/v1/apps', { name, components: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'exec sleep 3600'], ...component }] });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return name;
}

async function launch(project: string, appName: string, name = uniqueName('i')): Promise<Answer & { name: string }> {
  return { ...(await api('POST', `/api/v1/projects/${project}/instances`, { app: appName, name })), name };
}

async function runningInstance(project: string, name: string): Promise<Instance> {
  return waitFor(
    async () => {
      const i = (await api('GET', `/api/v1/projects/${project}/instances/${name}`)).json as unknown as Instance;
      return i.phase === 'running' && i.replicas.every((r) => r.current) ? i : undefined;
    },
    { what: `instance ${name} running`, timeoutMs: 40_000 },
  );
}

interface HostConfigView {
  CapDrop: string[] | null;
  CapAdd: string[] | null;
  SecurityOpt: string[] | null;
  PidsLimit: number | null;
  Privileged: boolean;
  NetworkMode: string;
  PidMode: string;
  IpcMode: string;
  Mounts: { Type: string; Source: string }[] | null;
}

async function hostConfig(containerId: string): Promise<HostConfigView> {
  return JSON.parse(await docker('inspect', '--format', '{{json .HostConfig}}', containerId)) as HostConfigView;
}

async function setPolicy(project: string, policy: Record<string, unknown>): Promise<Answer> {
  const res = await api('PUT', `/api/v1/projects/${project}/policy`, policy);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res;
}

before(async () => {
  g = await startGureum();
  for (const name of [locked, relaxed, noRoot, linked]) assert.equal((await api('POST', '/api/v1/projects', { name })).status, 201);
});

after(async () => {
  await g.stop();
  await removeProjects(locked, relaxed, noRoot, linked);
  await docker('rmi', pushedRef).catch(() => undefined);
});

describe('container policy: escape attempts through the API', () => {
  const attempts: { what: string; component: Record<string, unknown>; rule: string }[] = [
    { what: 'a privileged container', component: { security: { privileged: true } }, rule: 'privileged' },
    { what: 'the host network', component: { security: { hostNetwork: true } }, rule: 'hostNetwork' },
    { what: 'the host PID namespace', component: { security: { hostPid: true } }, rule: 'hostPid' },
    { what: 'the host IPC namespace', component: { security: { hostIpc: true } }, rule: 'hostIpc' },
    { what: 'an added capability', component: { security: { capAdd: ['SYS_ADMIN'] } }, rule: 'capability' },
    { what: 'NET_RAW, dropped from the default set', component: { security: { capAdd: ['NET_RAW'] } }, rule: 'capability' },
    { what: 'a host path', component: { volumes: [{ hostPath: '/etc', mountPath: '/host-etc', readOnly: true }] }, rule: 'hostPath' },
    { what: 'the Docker socket', component: { volumes: [{ hostPath: '/var/run/docker.sock', mountPath: '/var/run/docker.sock' }] }, rule: 'dockerSocket' },
    { what: 'the directory of the Docker socket', component: { volumes: [{ hostPath: '/run', mountPath: '/host-run' }] }, rule: 'dockerSocket' },
    { what: 'a fixed host port below 1024', component: { ports: [{ name: 'web', containerPort: 80, hostPort: 80 }] }, rule: 'hostPort' },
  ];

  for (const attempt of attempts) {
    it(`refuses ${attempt.what} with 403 POLICY_VIOLATION and creates nothing`, async () => {
      const res = await launch(locked, await app(attempt.component));
      assert.equal(res.status, 403, JSON.stringify(res.json));
      assert.equal(res.json.error?.code, 'POLICY_VIOLATION');
      const details = res.json.error?.details as { violations: { component: string; rule: string; message: string }[] };
      assert.deepEqual(details.violations.map((v) => [v.component, v.rule]), [['main', attempt.rule]]);
      assert.equal((await api('GET', `/api/v1/projects/${locked}/instances/${res.name}`)).status, 404);
    });
  }

  it('refuses a change that brings an escape in through an updated app, and leaves the instance as it was', { timeout: 60_000 }, async () => {
    const appName = await app({});
    const launched = await launch(locked, appName);
    assert.equal(launched.status, 201);
    const updated = await api('PUT', `/api/v1/apps/${appName}`, { components: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'exec sleep 3600'], security: { privileged: true } }] });
    assert.equal(updated.status, 200);
    const patched = await api('PATCH', `/api/v1/projects/${locked}/instances/${launched.name}`, { env: { X: '1' } });
    assert.equal(patched.status, 403);
    assert.equal(patched.json.error?.code, 'POLICY_VIOLATION');
    const instance = (await api('GET', `/api/v1/projects/${locked}/instances/${launched.name}`)).json as unknown as Instance;
    assert.equal(instance.generation, 1);
    assert.deepEqual(instance.env, {});
    assert.equal((await api('DELETE', `/api/v1/projects/${locked}/instances/${launched.name}`)).status, 202);
    await waitFor(async () => (await api('GET', `/api/v1/projects/${locked}/instances/${launched.name}`)).status === 404, { what: 'deletion' });
  });

  it('left no container behind in the project of the attempts', async () => {
    await waitFor(async () => (await containersOf(locked)).length === 0, { what: 'no containers', timeoutMs: 15_000 });
  });

  it('answers the defaults as the policy of a project nobody relaxed', async () => {
    const res = await api('GET', `/api/v1/projects/${locked}/policy`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { allowPrivileged: false, allowHostNetwork: false, allowHostPid: false, allowHostIpc: false, allowHostPaths: [], allowCapabilities: [], allowRoot: true, allowHostPorts: true, allowLowHostPorts: false, pidsLimit: 1024 });
  });
});

describe('container policy: what replicas run with', () => {
  it('runs an ordinary replica with every capability dropped but the default set, no-new-privileges and a pids limit', async () => {
    const launched = await launch(relaxed, await app({}));
    assert.equal(launched.status, 201);
    const instance = await runningInstance(relaxed, launched.name);
    const hc = await hostConfig(instance.replicas[0]!.containerId!);
    assert.deepEqual(hc.CapDrop, ['ALL']);
    assert.deepEqual([...(hc.CapAdd ?? [])].sort(), [...DEFAULT_CAPS].sort());
    assert.ok(hc.SecurityOpt?.some((o) => /^no-new-privileges(:true|=true)?$/.test(o)), String(hc.SecurityOpt));
    assert.equal(hc.PidsLimit, 1024);
    assert.equal(hc.Privileged, false);
    assert.ok(!['host'].includes(hc.NetworkMode) && hc.PidMode === '' && hc.IpcMode !== 'host');
    // And the kernel agrees: without NET_ADMIN, no network configuration.
    const denied = await run('docker', ['exec', instance.replicas[0]!.containerId!, 'ip', 'link', 'set', 'lo', 'mtu', '1500']).then(
      () => 'allowed',
      (err: { stderr?: string }) => err.stderr ?? 'failed',
    );
    assert.match(denied, /not permitted/);
  });

  it('lets a capability the admin allowed in, with the admin\'s pids limit, and records the change as an event', async () => {
    const put = await setPolicy(relaxed, { allowCapabilities: ['NET_ADMIN'], pidsLimit: 256 });
    assert.deepEqual(put.json.allowCapabilities, ['NET_ADMIN']);
    assert.equal((await api('GET', `/api/v1/projects/${relaxed}/policy`)).json.pidsLimit, 256);
    const events = (await api('GET', `/api/v1/events?project=${relaxed}&type=policy.updated`)).json as unknown as { message: string; data: { changed: string[] } }[];
    assert.deepEqual(events.at(-1)?.data.changed, ['allowCapabilities', 'pidsLimit']);

    const launched = await launch(relaxed, await app({ security: { capAdd: ['NET_ADMIN'] } }));
    assert.equal(launched.status, 201, JSON.stringify(launched.json));
    const instance = await runningInstance(relaxed, launched.name);
    const id = instance.replicas[0]!.containerId!;
    const hc = await hostConfig(id);
    assert.ok(hc.CapAdd?.includes('NET_ADMIN'));
    assert.ok(!hc.CapAdd?.includes('NET_RAW'));
    assert.equal(hc.PidsLimit, 256);
    await run('docker', ['exec', id, 'ip', 'link', 'set', 'lo', 'mtu', '1500']);

    // Allowed is not granted: a component that does not ask keeps the default set.
    const plain = await launch(relaxed, await app({}));
    const plainHc = await hostConfig((await runningInstance(relaxed, plain.name)).replicas[0]!.containerId!);
    assert.ok(!plainHc.CapAdd?.includes('NET_ADMIN'));
  });

  it('stops, and fails, the replicas a tightened policy no longer allows', async () => {
    await setPolicy(relaxed, { allowCapabilities: ['NET_ADMIN'] });
    const launched = await launch(relaxed, await app({ security: { capAdd: ['NET_ADMIN'] } }));
    const instance = await runningInstance(relaxed, launched.name);
    await setPolicy(relaxed, {});
    const failed = await waitFor(
      async () => {
        const i = (await api('GET', `/api/v1/projects/${relaxed}/instances/${launched.name}`)).json as unknown as Instance;
        return i.phase === 'failed' && i.replicas.every((r) => r.containerId === null) ? i : undefined;
      },
      { what: 'the instance to fail', timeoutMs: 30_000 },
    );
    assert.match(failed.reason ?? '', /^POLICY_VIOLATION: component main: capability NET_ADMIN/);
    assert.equal(await docker('ps', '-aq', '--filter', `id=${instance.replicas[0]!.containerId!}`), '');
  });

  it('mounts an allowed host path, read-only when asked, as a bind mount', async () => {
    await setPolicy(relaxed, { allowHostPaths: ['/etc'] });
    const launched = await launch(relaxed, await app({ volumes: [{ hostPath: '/etc/hostname', mountPath: '/host-hostname', readOnly: true }] }));
    assert.equal(launched.status, 201, JSON.stringify(launched.json));
    const id = (await runningInstance(relaxed, launched.name)).replicas[0]!.containerId!;
    const hc = await hostConfig(id);
    assert.deepEqual(hc.Mounts?.map((m) => [m.Type, m.Source]), [['bind', '/etc/hostname']]);
    const write = await run('docker', ['exec', id, 'sh', '-c', 'echo x > /host-hostname']).then(
      () => 'written',
      () => 'refused',
    );
    assert.equal(write, 'refused');
  });
});

describe('container policy: symlinks under an allowed host path', () => {
  // realpath: the temp dir itself could sit behind a symlink.
  const dir = fs.realpathSync(tempDir('gureum-pol-links-'));
  before(async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'hello'), 'from the host\n');
    fs.symlinkSync('/', path.join(dir, 'root'));
    fs.symlinkSync('/var/run/docker.sock', path.join(dir, 'sock'));
    fs.symlinkSync('data', path.join(dir, 'inside'));
    await setPolicy(linked, { allowHostPaths: [dir] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const escapes = [
    { what: 'a link to /', link: 'root', rule: 'dockerSocket' },
    { what: 'a path through a link to /', link: 'root/etc', rule: 'hostPath' },
    { what: 'a link to the Docker socket', link: 'sock', rule: 'dockerSocket' },
  ];
  for (const e of escapes) {
    it(`refuses ${e.what} (403 POLICY_VIOLATION ${e.rule}) and creates nothing`, async () => {
      const res = await launch(linked, await app({ volumes: [{ hostPath: path.join(dir, e.link), mountPath: '/mnt/host' }] }));
      assert.equal(res.status, 403, JSON.stringify(res.json));
      const details = res.json.error?.details as { violations: { rule: string; message: string }[] };
      assert.deepEqual(details.violations.map((v) => v.rule), [e.rule]);
      assert.match(details.violations[0]!.message, /through a symlink to \//);
      assert.equal((await api('GET', `/api/v1/projects/${linked}/instances/${res.name}`)).status, 404);
    });
  }

  it('mounts a real directory, and a link that stays under the prefix', async () => {
    for (const hostPath of [path.join(dir, 'data'), path.join(dir, 'inside')]) {
      const launched = await launch(linked, await app({ volumes: [{ hostPath, mountPath: '/mnt/host', readOnly: true }] }));
      assert.equal(launched.status, 201, JSON.stringify(launched.json));
      const id = (await runningInstance(linked, launched.name)).replicas[0]!.containerId!;
      assert.equal(await docker('exec', id, 'cat', '/mnt/host/hello'), 'from the host');
    }
    assert.equal((await containersOf(linked)).length, 2);
  });
});

describe('container policy: host namespaces, once the admin allows them', () => {
  it('runs a replica on the host network and in the host PID namespace', async () => {
    await setPolicy(relaxed, { allowHostNetwork: true, allowHostPid: true });
    const launched = await launch(relaxed, await app({ security: { hostNetwork: true, hostPid: true } }));
    assert.equal(launched.status, 201, JSON.stringify(launched.json));
    const id = (await runningInstance(relaxed, launched.name)).replicas[0]!.containerId!;
    const hc = await hostConfig(id);
    assert.deepEqual([hc.NetworkMode, hc.PidMode, hc.Privileged], ['host', 'host', false]);
    assert.deepEqual(hc.CapDrop, ['ALL']);
    // The host's PID 1 is visible from inside.
    assert.notEqual(await docker('exec', id, 'cat', '/proc/1/comm'), 'docker-init');
  });
});

describe('container policy: host ports', () => {
  it('refuses every fixed host port once the admin turns them off, and still runs an engine-chosen one', async () => {
    const project = uniqueName('pol-ports');
    assert.equal((await api('POST', '/api/v1/projects', { name: project })).status, 201);
    try {
      await setPolicy(project, { allowHostPorts: false });
      const fixed = await launch(project, await app({ ports: [{ name: 'web', containerPort: 8080, hostPort: await freePort() }] }));
      assert.equal(fixed.status, 403, JSON.stringify(fixed.json));
      assert.equal(fixed.json.error?.code, 'POLICY_VIOLATION');
      assert.match(fixed.json.error?.message ?? '', /fixed host port \d+\/tcp \(port web\) is not allowed/);
      const chosen = await launch(project, await app({ ports: [{ name: 'web', containerPort: 8080, publish: true }] }));
      assert.equal(chosen.status, 201, JSON.stringify(chosen.json));
      const running = await runningInstance(project, chosen.name);
      assert.ok((running.replicas[0]!.ports[0]?.hostPort ?? 0) > 0, 'published on a port the engine chose');
    } finally {
      await removeProjects(project);
    }
  });

  it('lets a high fixed host port in by default, and one below 1024 only when the admin allows it', async () => {
    const high = await launch(locked, await app({ ports: [{ name: 'web', containerPort: 8080, hostPort: await freePort() }] }), uniqueName('hp'));
    assert.equal(high.status, 201, JSON.stringify(high.json));
    await setPolicy(relaxed, { allowLowHostPorts: true });
    const low = await api('POST', `/api/v1/projects/${relaxed}/instances`, { app: await app({ ports: [{ name: 'web', containerPort: 80, hostPort: 1023 }] }), name: uniqueName('lp'), replicas: 0 });
    assert.equal(low.status, 201, JSON.stringify(low.json));
  });
});

describe('container policy: root', () => {
  /** The test image with passwd and group lines of its own, and a USER: committed as `ref`. */
  async function imageWithUsers(ref: string, user: string, passwd: string[], group: string[]): Promise<void> {
    const script = [...passwd.map((l) => `echo '${l}' >> /etc/passwd`), ...group.map((l) => `echo '${l}' >> /etc/group`)].join(' && ') || 'true';
    const container = await docker('create', TEST_IMAGE, 'sh', '-c', script);
    await docker('start', '-a', container);
    await docker('commit', '--change', `USER ${user}`, container, ref);
    await docker('rm', container);
  }
  const suffix = uniqueName('ids');
  const TOOR = `gureum-pol/${suffix}-toor:1`;
  const IN_ROOT_GROUP = `gureum-pol/${suffix}-wheel:1`;
  const probes = async () => (await docker('ps', '-aq', '--filter', 'label=io.gureum.probe')).split('\n').filter(Boolean);

  before(async () => {
    await setPolicy(noRoot, { allowRoot: false });
    await imageWithUsers(TOOR, 'toor', ['toor:x:0:0::/:/bin/sh'], []);
    await imageWithUsers(IN_ROOT_GROUP, 'app', ['app:x:1000:1000::/:/bin/sh'], ['app:x:1000:', 'wheel:x:0:app']);
  });

  after(async () => {
    for (const ref of [TOOR, IN_ROOT_GROUP]) await docker('rmi', ref).catch(() => undefined);
  });

  it('refuses user root, and an image whose USER is root when no user is set', async () => {
    for (const user of ['root', '0']) {
      const res = await launch(noRoot, await app({ security: { user } }));
      assert.equal(res.status, 403);
      assert.equal(res.json.error?.code, 'POLICY_VIOLATION');
    }
    const res = await launch(noRoot, await app({}));
    assert.equal(res.status, 403);
    assert.match(res.json.error?.message ?? '', /image .*: no USER \(root\) runs as uid 0/);
    assert.equal((await containersOf(noRoot)).length, 0);
  });

  it('runs the same image as another user', async () => {
    const launched = await launch(noRoot, await app({ security: { user: 'nobody' } }));
    assert.equal(launched.status, 201, JSON.stringify(launched.json));
    const id = (await runningInstance(noRoot, launched.name)).replicas[0]!.containerId!;
    assert.equal(await docker('exec', id, 'id', '-u'), '65534');
  });

  it('refuses uid 0 and gid 0 whatever their names, read from the image\'s own passwd and group files', async () => {
    const cases: { what: string; component: Record<string, unknown>; message: RegExp }[] = [
      { what: 'a USER named toor that the image maps to uid 0', component: { image: TOOR }, message: /image .*: user toor runs as uid 0/ },
      { what: 'security.user toor on that image', component: { image: TOOR, security: { user: 'toor' } }, message: /user toor runs as uid 0/ },
      { what: 'a uid without a passwd entry (the engine gives it gid 0)', component: { security: { user: '4242' } }, message: /user 4242 runs with gid 0/ },
      { what: 'a group of 0 by number', component: { security: { user: 'nobody:0' } }, message: /user nobody:0 is root|gid 0/ },
      { what: 'a user in group 0 by the image\'s /etc/group', component: { image: IN_ROOT_GROUP }, message: /user app \(uid 1000\) is in group 0/ },
    ];
    const before = await containersOf(noRoot);
    for (const { what, component, message } of cases) {
      const res = await launch(noRoot, await app(component));
      assert.equal(res.status, 403, `${what}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json.error?.code, 'POLICY_VIOLATION', what);
      assert.match(res.json.error?.message ?? '', message, what);
    }
    assert.deepEqual(await containersOf(noRoot), before, 'no replica made');
    assert.deepEqual(await probes(), [], 'the containers made to read the images are gone');
  });

  it('runs a uid:gid that is neither 0, without a passwd entry, as that uid and gid', async () => {
    const launched = await launch(noRoot, await app({ security: { user: '4242:4242' } }));
    assert.equal(launched.status, 201, JSON.stringify(launched.json));
    const id = (await runningInstance(noRoot, launched.name)).replicas[0]!.containerId!;
    assert.equal(await docker('exec', id, 'sh', '-c', 'echo $(id -u):$(id -g):$(id -G)'), '4242:4242:4242');
  });

  it('fails an instance whose image, pulled only when replicas are made, runs as root', async () => {
    // An image the engine does not have yet: the launch cannot know its USER, the reconciler can.
    await docker('tag', TEST_IMAGE, pushedRef);
    await docker('push', pushedRef);
    await docker('rmi', pushedRef);
    const name = uniqueName('pulled');
    const appName = uniqueName('pol-app');
    assert.equal((await api('POST', '/api/v1/apps', { name: appName, components: [{ name: 'main', image: pushedRef, command: ['sh', '-c', 'exec sleep 3600'] }] })).status, 201);
    const launched = await launch(noRoot, appName, name);
    assert.equal(launched.status, 201, JSON.stringify(launched.json));
    const failed = await waitFor(
      async () => {
        const i = (await api('GET', `/api/v1/projects/${noRoot}/instances/${name}`)).json as unknown as Instance;
        return i.phase === 'failed' ? i : undefined;
      },
      { what: 'the instance to fail', timeoutMs: 30_000 },
    );
    assert.match(failed.reason ?? '', /^POLICY_VIOLATION: component main: image .*: no USER \(root\) runs as uid 0/);
    assert.ok(failed.replicas.every((r) => r.containerId === null));
  });
});
