import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Member, Node, Secret, Token, Volume } from '@gureum/contract';
import { busyboxApp, tempDir, uniqueName, type TestGureum } from '../../server/test/support/harness.js';
import { cliEnv, GUREUM_BIN, gureum, ok, OnTerminal, useProjectGureum } from './support.js';

const PASSWORD = 'correct-horse-battery';
let g: TestGureum;
let env: Record<string, string>;
let project: string;
const work = tempDir('gureum-cli-res-');
useProjectGureum('cli-res', (started) => ({ g, env, project } = started), PASSWORD);

describe('gureum resources', () => {
  it('asks for the password on a terminal without echoing it', async () => {
    const configDir = path.join(work, 'prompted');
    const term = new OnTerminal(cliEnv(configDir), ['login', '-u', 'admin', g.url], path.join(work, 'tty'));
    await term.waitFor(/Password: /);
    term.type(`${PASSWORD}\r`);
    assert.equal(await term.exitCode(), 0, term.output);
    assert.ok(!term.output.includes(PASSWORD), 'the password was not echoed');
    assert.match(term.output, /Logged in to .* as admin/);
    assert.ok(fs.existsSync(path.join(configDir, 'config.json')));
  });

  it('switches between contexts', async () => {
    const own = cliEnv(path.join(work, 'contexts'));
    await ok(own, ['login', '--token', g.token, '--name', 'one', g.url]);
    // A second login adds a context but does not silently redirect the next command to it.
    const second = await gureum(own, ['login', '--token', g.token, '--name', 'two', g.url]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /current context is still one; switch with: gureum context use two/);
    assert.equal(await ok(own, ['context', 'ls', '-q']), 'one\ntwo\n');
    assert.match(await ok(own, ['context']), /^\*\s+one\s/m);
    await ok(own, ['login', '--token', g.token, '--name', 'two', '--use', g.url]);
    assert.match(await ok(own, ['context']), /^\*\s+two\s/m);
    await ok(own, ['context', 'use', 'one']);
    assert.match(await ok(own, ['context', 'ls']), /^\*\s+one\s/m);
    assert.match(await ok(own, ['--context', 'two', 'whoami']), /context two/);
    const bad = await gureum(own, ['context', 'use', 'three']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no context named three/);
    await ok(own, ['context', 'rm', 'two']);
    assert.equal(await ok(own, ['context', 'ls', '-q']), 'one\n');
  });

  it('sets, lists and deletes secrets without ever printing a value', async () => {
    const set = JSON.parse(await ok(env, ['secrets', 'set', 'db-password', '-o', 'json'], 's3cr3t-value')) as Secret;
    assert.equal(set.version, 1);
    await ok(env, ['secrets', 'set', 'db-password', '--value', 'other-value']);
    const list = await ok(env, ['secrets', 'ls', '-o', 'json']);
    assert.equal((JSON.parse(list) as Secret[])[0]!.version, 2);
    assert.ok(!list.includes('s3cr3t') && !list.includes('other-value'));
    await ok(env, ['secrets', 'rm', 'db-password']);
    assert.equal(await ok(env, ['secrets', '-q']), '');
  });

  it('manages members and their roles', async () => {
    await g.client.call('createUser', { body: { name: 'alice', password: 'alice-password' } });
    assert.match(await ok(env, ['members', 'set', 'alice', 'viewer']), /alice is viewer/);
    const members = JSON.parse(await ok(env, ['members', '-o', 'json'])) as Member[];
    assert.deepEqual(members.map((m) => [m.user, m.role]).sort(), [['admin', 'owner'], ['alice', 'viewer']]);
    const bad = await gureum(env, ['members', 'set', 'alice', 'boss']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /role must be one of viewer, member, owner/);
    await ok(env, ['members', 'rm', 'alice']);
    assert.equal(await ok(env, ['members', '-q']), 'admin\n');
  });

  it('creates a read-only token for scripts, which the server then holds to read-only', async () => {
    const secret = (await ok(env, ['tokens', 'create', 'ci', '--read-only', '--project', project, '-q'])).trim();
    const ci = cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: secret, GUREUM_PROJECT: project });
    assert.equal(await ok(ci, ['projects', '-q']), `${project}\n`);
    const refused = await gureum(ci, ['volumes', 'create', 'nope']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /READ_ONLY_TOKEN, HTTP 403/);
    const tokens = JSON.parse(await ok(env, ['tokens', '-o', 'json'])) as Token[];
    const id = tokens.find((t) => t.name === 'ci')!.id;
    await ok(env, ['tokens', 'rm', id]);
    const revoked = await gureum(ci, ['projects']);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, /UNAUTHENTICATED/);
  });

  it('creates, shows and deletes volumes, projects and apps', async () => {
    await ok(env, ['volumes', 'create', 'data', '--size', '64M']);
    const volume = JSON.parse(await ok(env, ['volumes', 'show', 'data', '-o', 'json'])) as Volume;
    assert.equal(volume.sizeBytes, 64 * 1024 * 1024);
    assert.match(await ok(env, ['projects', 'show', project]), /volumes:\s+1 of unlimited/);
    const busy = await gureum(env, ['projects', 'rm', project]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /PROJECT_NOT_EMPTY/);
    await ok(env, ['volumes', 'rm', 'data']);
    const appFile = path.join(work, 'app.json');
    const app = uniqueName('res-app');
    fs.writeFileSync(appFile, JSON.stringify(busyboxApp(app)));
    await ok(env, ['apps', 'create', '-f', appFile]);
    const again = await gureum(env, ['apps', 'create', '-f', appFile]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /APP_EXISTS/);
    assert.match(await ok(env, ['apps', 'show', app]), /main\s+gureum-test\/busybox:1\s+1/);
    await ok(env, ['apps', 'rm', app]);
    const broken = path.join(work, 'broken.yaml');
    fs.writeFileSync(broken, 'name: [unclosed');
    const unreadable = await gureum(env, ['apps', 'create', '-f', broken]);
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.stderr, /neither YAML nor JSON/);
  });

  it('lists nodes', async () => {
    const nodes = JSON.parse(await ok(env, ['nodes', '-o', 'json'])) as Node[];
    assert.equal(nodes[0]?.status, 'ready');
    assert.match(await ok(env, ['nodes']), /^NAME\s+STATUS\s+CPUS/);
  });

  it('prints a bash completion script that completes commands when sourced', () => {
    const script = path.join(work, 'gureum.bash');
    fs.writeFileSync(script, execFileSync(process.execPath, [GUREUM_BIN, 'completion', 'bash'], { env }));
    const offered = execFileSync('bash', ['-c', `source '${script}'; COMP_WORDS=(gureum vol); COMP_CWORD=1; _gureum; echo "\${COMPREPLY[@]}"; complete -p gureum`], { encoding: 'utf8' });
    assert.match(offered, /^volumes\ncomplete -o default -F _gureum gureum\n$/);
  });
});
