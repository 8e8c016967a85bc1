import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Event, Instance, Project } from '@gureum/contract';
import { GureumClient } from '@gureum/contract';
import { busyboxApp, REPO_ROOT, removeProjects, startGureum, tempDir, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../../server/test/support/harness.js';
import { APP_FILE_EXAMPLE } from '../src/app-file-example.js';
import { buildCli, cliEnv, GUREUM_BIN, gureum, ok, Running } from './support.js';

const PASSWORD = 'correct-horse-battery';
let g: TestGureum;
let env: Record<string, string>;
const configDir = path.join(tempDir('gureum-cli-'), 'config');
const project = uniqueName('cli');
const appName = uniqueName('ticker');
const work = tempDir('gureum-cli-work-');

before(async () => {
  buildCli();
  g = await startGureum({ GUREUM_ADMIN_PASSWORD: PASSWORD });
  env = cliEnv(configDir);
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

const execFileAsync = promisify(execFile);

const instance = async (name: string): Promise<Instance> => JSON.parse(await ok(env, ['inspect', name, '-o', 'json'])) as Instance;

describe('gureum against a real Gureum', () => {
  it('logs in with a password read from stdin, keeps a token of its own in a 0600 file, and knows the context', async () => {
    const r = await gureum(env, ['login', '-u', 'admin', '--password-stdin', g.url], PASSWORD + '\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Logged in to http:\/\/127\.0\.0\.1:\d+ as admin/);
    assert.equal(fs.statSync(path.join(configDir, 'config.json')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(configDir).mode & 0o777, 0o700);
    const config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { current: string; contexts: Record<string, { token: string; url: string }> };
    const context = config.contexts[config.current]!;
    assert.equal(context.url, g.url);
    assert.notEqual(context.token, g.token, 'the CLI made a token of its own');
    assert.ok(!fs.readFileSync(path.join(configDir, 'config.json'), 'utf8').includes(PASSWORD), 'the password is not stored');
    const tokens = JSON.parse(await ok(env, ['tokens', 'ls', '-o', 'json'])) as { name: string }[];
    assert.ok(tokens.some((t) => t.name.startsWith('cli@')), 'a cli@host token exists');
    const me = JSON.parse(await ok(env, ['whoami', '-o', 'json'])) as { user: { name: string }; via: string };
    assert.deepEqual([me.user.name, me.via], ['admin', 'token']);
    const contexts = JSON.parse(await ok(env, ['context', 'ls', '-o', 'json'])) as { name: string; current: boolean; token?: string }[];
    assert.equal(contexts.length, 1);
    assert.equal(contexts[0]!.current, true);
    assert.equal(contexts[0]!.token, undefined, 'listing never shows tokens');
  });

  it('refuses a wrong password with the API code on stderr and exit 1', async () => {
    const r = await gureum(cliEnv(), ['login', '-u', 'admin', '--password-stdin', g.url], 'wrong-password\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /LOGIN_FAILED, HTTP 401/);
  });

  it('creates a project, makes it the default, applies an app from YAML and runs it with typed parameters', async () => {
    await ok(env, ['projects', 'create', project]);
    await ok(env, ['projects', 'use', project]);
    const projects = JSON.parse(await ok(env, ['projects', '-o', 'json'])) as Project[];
    assert.ok(projects.some((p) => p.name === project));
    const file = path.join(work, 'app.yaml');
    fs.writeFileSync(
      file,
      [
        `name: ${appName}`,
        'parameters:',
        '  - {name: greeting, type: string, default: hi}',
        '  - {name: n, type: integer, default: 1}',
        'components:',
        '  - name: main',
        `    image: ${TEST_IMAGE}`,
        `    command: [sh, -c, 'echo "{{greeting}} from {{replica}}"; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done']`,
      ].join('\n'),
    );
    assert.match(await ok(env, ['apps', 'apply', '-f', file]), /created \(version 1\)/);
    assert.match(await ok(env, ['apps', 'apply', '-f', file]), /updated \(version 2\)/, 'apply replaces an existing app');
    const launched = JSON.parse(await ok(env, ['run', appName, '--name', 'tick', '--param', 'greeting=안녕', '--param', 'n=5', '--replicas', '2', '--wait', '-o', 'json'])) as Instance;
    assert.deepEqual(launched.parameters, { greeting: '안녕', n: 5 }, 'the integer parameter arrived as a number');
    assert.equal(launched.phase, 'running');
    assert.equal(launched.replicas.filter((r) => r.state === 'running').length, 2);
  });

  it('round-trips apps show -o yaml through apps apply -f -, and takes quantities with units', async () => {
    const file = path.join(work, 'sized.yaml');
    const sized = uniqueName('sized');
    fs.writeFileSync(file, [`name: ${sized}`, 'components:', '  - name: main', `    image: ${TEST_IMAGE}`, '    ports: [{name: web, containerPort: 80, hostPort: 18091}]', '    resources: {memory: 512Mi, cpus: 500m}'].join('\n'));
    await ok(env, ['apps', 'apply', '-f', file]);
    const shown = await ok(env, ['apps', 'show', sized, '-o', 'yaml']);
    assert.match(await ok(env, ['apps', 'apply', '-f', '-'], shown), /updated \(version 2\)/);
    const app = await g.client.call('getApp', { params: { app: sized } });
    assert.deepEqual(app.components[0]!.resources, { memoryBytes: 512 * 1024 * 1024, cpus: 0.5 });
    assert.equal(app.components[0]!.ports![0]!.hostPort, 18091, 'every field survives the round trip');
    // The whole app file of apps apply --help and the README is one the server takes.
    const help = await ok(env, ['apps', 'apply', '--help']);
    assert.ok(help.includes(APP_FILE_EXAMPLE.replace(/^/gm, '  ')), 'apps apply --help shows the whole app file');
    assert.ok(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').includes(APP_FILE_EXAMPLE), 'the README shows the same file');
    const example = uniqueName('example');
    fs.writeFileSync(file, APP_FILE_EXAMPLE.replace('name: notebook ', `name: ${example} `).replace('project: lab ', `project: ${project} `).replace(/image: .*/, `image: ${TEST_IMAGE}`));
    assert.match(await ok(env, ['apps', 'apply', '-f', file]), /created \(version 1\)/);
    await g.client.call('deleteApp', { params: { app: example } });
    fs.writeFileSync(file, [`name: ${sized}`, 'components:', '  - name: main', `    image: ${TEST_IMAGE}`, '    resources: {memory: lots}'].join('\n'));
    const bad = await gureum(env, ['apps', 'apply', '-f', file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /component main: resources.memory "lots" is not a size/);
    await g.client.call('deleteApp', { params: { app: sized } });
  });

  it('lists instances as a table, as JSON for scripts and as names with -q', async () => {
    const table = await ok(env, ['ps']);
    assert.match(table.split('\n')[0]!, /^NAME\s+APP\s+PHASE\s+READY/);
    assert.match(table, new RegExp(`tick\\s+${appName}\\s+running\\s+2/2`));
    const list = JSON.parse(await ok(env, ['ps', '-o', 'json'])) as Instance[];
    assert.deepEqual(list.map((i) => i.name), ['tick']);
    assert.equal(await ok(env, ['ps', '-q']), 'tick\n');
    const yaml = await ok(env, ['ps', '-o', 'yaml']);
    assert.match(yaml, /^- project: /);
  });

  it('completes instance, app and project names from the server in bash', async () => {
    const script = `${await ok(env, ['completion', 'bash'])}
gureum() { ${JSON.stringify(process.execPath)} ${JSON.stringify(GUREUM_BIN)} "$@"; }
offer() { COMP_WORDS=(gureum "$@"); COMP_CWORD=$#; _gureum; printf '%s\\n' "\${COMPREPLY[@]}"; }
echo "logs: $(offer logs t | paste -sd,)"
echo "run: $(offer run '' | paste -sd,)"
echo "use: $(offer projects use '' | paste -sd,)"`;
    // Not execFileSync: the Gureum under test runs in this process and must answer meanwhile.
    const { stdout: out } = await execFileAsync('bash', ['-c', script], { env, encoding: 'utf8' });
    assert.match(out, /^logs: tick$/m);
    assert.match(out, new RegExp(`^run: .*\\b${appName}\\b`, 'm'));
    assert.match(out, new RegExp(`^use: .*\\b${project}\\b`, 'm'));
    const nobody = await gureum(cliEnv(), ['__complete', 'instances']);
    assert.deepEqual([nobody.code, nobody.stdout], [0, ''], 'not logged in: nothing to offer, quietly');
  });

  it('prints logs, and follows them with -f until Ctrl-C, which exits 130', async () => {
    const logs = await ok(env, ['logs', 'tick']);
    assert.match(logs, /main\/0 \| 안녕 from 0/);
    assert.match(logs, /main\/1 \| 안녕 from 1/);
    const tail = await ok(env, ['logs', 'tick', '--tail', '1', '--replica', '0']);
    assert.equal(tail.trim().split('\n').length, 1);
    const follow = new Running(env, ['logs', '-f', '--tail', '0', 'tick']);
    const first = await follow.waitFor(/main\/\d \| tick (\d+)/);
    // A line written after the follow started arrives: it is live, not a replay.
    await follow.waitFor(new RegExp(`tick ${Number(first[1]) + 2}\\b`));
    assert.equal(await follow.interrupt(), 130);
  });

  it('scales up and down, and the engine follows', async () => {
    const scaled = JSON.parse(await ok(env, ['scale', 'tick', '3', '--wait', '-o', 'json'])) as Instance;
    assert.equal(scaled.replicas.filter((r) => r.state === 'running').length, 3);
    const containers = await g.driver.listReplicas({ project });
    assert.equal(containers.filter((c) => c.state === 'running').length, 3);
    await ok(env, ['scale', 'tick', 'main=1', '--wait']);
    assert.equal((await instance('tick')).replicas.length, 1);
  });

  it('stops, starts and restarts', async () => {
    await ok(env, ['stop', 'tick', '--wait']);
    assert.equal((await instance('tick')).phase, 'stopped');
    await ok(env, ['start', 'tick', '--wait']);
    assert.equal((await instance('tick')).phase, 'running');
    const before = (await instance('tick')).replicas[0]!.startedAt;
    await ok(env, ['restart', 'tick', '--wait']);
    await waitFor(async () => (await instance('tick')).replicas[0]!.startedAt !== before, { what: 'the replica to restart' });
  });

  it('lists events, and follows them live', async () => {
    const events = JSON.parse(await ok(env, ['events', '-p', project, '-o', 'json'])) as Event[];
    assert.ok(events.some((e) => e.type === 'instance.scaled'));
    // From the last stored event on: nothing recorded after it can be missed, whenever the stream connects.
    const since = (await g.client.call('listEvents', { query: { project, limit: 1000 } })).at(-1)!.id;
    const follow = new Running(env, ['events', '-f', '--since', String(since), '-p', project, '-o', 'json', '--type', 'volume.created']);
    await ok(env, ['volumes', 'create', 'data', '--size', '1G']);
    const line = await follow.waitFor(/^\{.*"volume.created".*\}$/m);
    assert.equal((JSON.parse(line[0]) as Event).message.includes('data'), true);
    assert.equal(await follow.interrupt(), 130);
    const volumes = await ok(env, ['volumes']);
    assert.match(volumes, /data\s+1\.0GiB/);
  });

  it('events -f says why it ended when the server ends the stream, and fails', async () => {
    const token = await g.client.call('createToken', { body: { name: uniqueName('follow') } });
    const since = (await g.client.call('listEvents', { query: { project, limit: 1000 } })).at(-1)!.id;
    const follow = new Running(cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: token.token }), ['events', '-f', '--since', String(since), '-p', project, '-o', 'json']);
    await ok(env, ['volumes', 'create', 'scratch', '--size', '1M']);
    await follow.waitFor(/^\{.*"volume.created".*\}$/m); // the stream is open
    await g.client.call('deleteToken', { params: { id: token.id } });
    const { code } = await follow.ended;
    assert.equal(code, 1);
    assert.match(follow.stderr, /error: the server ended the event stream, UNAUTHENTICATED: .+ \(STREAM_ENDED\)/);
  });

  it('deletes an instance with rm --wait: gone from the API and the engine', async () => {
    assert.equal(await ok(env, ['rm', 'tick', '--wait']), 'tick\n');
    assert.deepEqual(JSON.parse(await ok(env, ['ps', '-o', 'json'])), []);
    assert.deepEqual(await g.driver.listReplicas({ project }), []);
  });

  it('run --wait stops early, with the reason, when a replica crash-loops', async () => {
    const crasher = uniqueName('crasher');
    await g.client.call('createApp', { body: busyboxApp(crasher, { command: ['sh', '-c', 'echo boom; exit 3'] }) });
    // Waiting out the timeout would end in TIMEOUT: the crash loop ends the wait first, and says why.
    const r = await gureum(env, ['run', crasher, '--name', 'crasher', '--wait', '--timeout', '110']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: instance crasher will not settle: replica main\/0 is crash-looping: it exited with code 3 after \d+ restarts \(see gureum logs crasher\) \(INSTANCE_FAILED\)$/m);
    await ok(env, ['rm', 'crasher', '--wait']);
    await g.client.call('deleteApp', { params: { app: crasher } });
  });

  it('answers usage errors with exit 2 and API errors with exit 1 and the API code', async () => {
    const unknown = await gureum(env, ['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    const badFormat = await gureum(env, ['ps', '-o', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /Allowed choices are table, json, yaml/);
    const missing = await gureum(env, ['run']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument 'app'/);
    const badScale = await gureum(env, ['scale', 'tick', 'many']);
    assert.equal(badScale.code, 2);
    assert.match(badScale.stderr, /replicas must be a number/);
    const notFound = await gureum(env, ['inspect', 'nope']);
    assert.equal(notFound.code, 1);
    assert.match(notFound.stderr, /^error: instance nope does not exist .* \(INSTANCE_NOT_FOUND, HTTP 404\)$/m);
    assert.equal(notFound.stdout, '');
    const badParam = await gureum(env, ['run', appName, '--name', 'bad', '--param', 'n=lots']);
    assert.equal(badParam.code, 1);
    assert.match(badParam.stderr, /PARAMETER_INVALID/);
    const nobody = await gureum(cliEnv(), ['ps']);
    assert.equal(nobody.code, 2);
    assert.match(nobody.stderr, /not logged in/);
  });

  it('works from GUREUM_URL and GUREUM_TOKEN alone, and -p wins over the context', async () => {
    const scripted = cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: g.token });
    assert.equal(await ok(scripted, ['projects', '-q']), `${project}\n`);
    const other = uniqueName('cli-other');
    await ok(scripted, ['projects', 'create', other]);
    assert.deepEqual(JSON.parse(await ok(env, ['ps', '-p', other, '-o', 'json'])), []);
    await ok(scripted, ['projects', 'rm', other]);
  });

  it('logs out: the token it made is revoked and the context forgotten', async () => {
    const config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { current: string; contexts: Record<string, { token: string }> };
    const token = config.contexts[config.current]!.token;
    await ok(env, ['logout']);
    await assert.rejects(new GureumClient({ baseUrl: g.url, token }).call('whoami', {}), /UNAUTHENTICATED|not valid|revoked|token/i);
    const after = await gureum(env, ['ps']);
    assert.equal(after.code, 2);
  });
});
