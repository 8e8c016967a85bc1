/**
 * Images are admin-managed (docs/security.md, "Images"): no user but an admin can load or pull
 * an image, so nobody outside a project can replace the image behind a tag that project runs.
 * The attack this guards against: a viewer (or a token limited to another project) loads a
 * tarball, or pulls from a registry, an image tagged like the victim's; the victim's next
 * replica would run the attacker's code with the victim's secrets.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, labelledImage, REGISTRY, removeProjects, startGureum, tempDir, uniqueName, type TestGureum } from '../support/harness.js';
import { waitRunning } from '../streams/support.js';
import { addMember, callRoute, codeOf, createToken, createUser, login, type Credentials, type TestUser } from './identity-kit.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

let g: TestGureum;
let eve: TestUser;
const suffix = uniqueName('own');
const victim = uniqueName('victim');
const attacker = uniqueName('attacker');
/** The victim's tags: one loaded locally, one pulled from the registry. */
const LOCAL_REF = `gureum-sec/${suffix}:1`;
const PULLED_REF = `${REGISTRY}/gureum-sec/${suffix}:1`;
const work = tempDir('gureum-image-own-');
const evilTar = path.join(work, 'evil.tar');
const ids: Record<string, string> = {};
const evilIds: string[] = [];

/** An image of its own, with an origin label that makes its id unique. */
const labelled = (ref: string, origin: string) => labelledImage(ref, { 'io.gureum-test.origin': origin });

const imageOf = (ref: string) => docker('image', 'inspect', '--format', '{{.Id}}', ref);

before(async () => {
  g = await startGureum();
  eve = await createUser(g, `eve-${suffix}`);
  // The victim's images, running in the victim's project.
  ids[LOCAL_REF] = await labelled(LOCAL_REF, `victim-${suffix}`);
  // The registry holds the attacker's content under the victim's pulled name; locally the tag is the victim's.
  evilIds.push(await labelled(PULLED_REF, `evil-pull-${suffix}`));
  await docker('push', PULLED_REF);
  ids[PULLED_REF] = await labelled(PULLED_REF, `victim-pull-${suffix}`);
  // The attacker's tarball carries the victim's local tag.
  const evil = `gureum-sec-evil/${suffix}:1`;
  evilIds.push(await labelled(evil, `evil-load-${suffix}`));
  await docker('tag', evil, LOCAL_REF);
  await docker('save', '-o', evilTar, LOCAL_REF);
  await docker('tag', ids[LOCAL_REF], LOCAL_REF);
  await docker('rmi', evil);

  await g.client.call('createProject', { body: { name: victim } });
  for (const ref of [LOCAL_REF, PULLED_REF]) {
    const app = uniqueName('victim-app');
    await g.client.call('createApp', { body: { ...busyboxApp(app, { image: ref }), project: victim } });
    await g.client.call('createInstance', { params: { project: victim }, body: { name: app, app } });
  }
  for (const i of await g.client.call('listInstances', { params: { project: victim } })) await waitRunning(g, victim, i.name);
  assert.equal((await callRoute(g, 'createProject', { token: eve.token, body: { name: attacker } })).status, 201);
});

after(async () => {
  await g?.stop();
  await removeProjects(victim, attacker);
  await run('docker', ['rmi', '-f', LOCAL_REF, PULLED_REF, ...evilIds]).catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every way a non-admin can call: her session, her token, a token limited to her own project, and as a viewer or member of the victim. */
async function nonAdminCallers(): Promise<Array<[string, Credentials]>> {
  const s = await login(g, eve.name, eve.password);
  const limited = await createToken(g, { token: eve.token }, { name: `limited-${uniqueName('t')}`, projects: [attacker] });
  return [
    ['a session', { session: s.session, csrf: s.csrf }],
    ['a full token', { token: eve.token }],
    ['a token limited to her own project', { token: limited.token }],
  ];
}

async function assertVictimUntouched(): Promise<void> {
  for (const ref of [LOCAL_REF, PULLED_REF]) assert.equal(await imageOf(ref), ids[ref], `${ref} still names the victim's image`);
}

describe('images are admin-managed', () => {
  for (const role of ['viewer', 'member', 'owner'] as const) {
    it(`refuses a ${role} of the victim's project to load an image over the victim's tag`, async () => {
      await addMember(g, victim, eve.name, role);
      for (const [how, creds] of await nonAdminCallers()) {
        const r = await callRoute(g, 'loadImage', { ...creds, raw: { contentType: 'application/x-tar', data: fs.readFileSync(evilTar) } });
        assert.equal(r.status, 403, `${how}: ${JSON.stringify(r.body)}`);
        assert.equal(codeOf(r), 'FORBIDDEN', how);
      }
      await assertVictimUntouched();
    });

    it(`refuses a ${role} of the victim's project to pull over the victim's tag`, async () => {
      await addMember(g, victim, eve.name, role);
      for (const [how, creds] of await nonAdminCallers()) {
        const r = await callRoute(g, 'pullImage', { ...creds, body: { ref: PULLED_REF } });
        assert.equal(r.status, 403, `${how}: ${JSON.stringify(r.body)}`);
        assert.equal(codeOf(r), 'FORBIDDEN', how);
      }
      await assertVictimUntouched();
    });
  }

  it('refuses a user who is not in the victim project at all, and lets the admin load', async () => {
    await g.client.call('deleteMember', { params: { project: victim, user: eve.name } });
    for (const [how, creds] of await nonAdminCallers()) {
      const r = await callRoute(g, 'loadImage', { ...creds, raw: { contentType: 'application/x-tar', data: fs.readFileSync(evilTar) } });
      assert.equal(r.status, 403, how);
    }
    await assertVictimUntouched();
    // The admin still manages images (and this is what made the tests above meaningful: the tarball loads).
    const r = await callRoute(g, 'loadImage', { token: g.token, raw: { contentType: 'application/x-tar', data: fs.readFileSync(evilTar) } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await imageOf(LOCAL_REF), evilIds[1], 'the admin replaced the tag');
    await docker('tag', ids[LOCAL_REF]!, LOCAL_REF);
  });

  it('lists every image with what uses it, each caller seeing the uses in the projects they can see', async () => {
    type Listed = { id: string; tags: string[]; usedBy?: { project: string; instance: string }[] };
    const list = async (token: string) => (await callRoute(g, 'listImages', { token })).body as Listed[];
    const usesOf = (images: Listed[], ref: string) => images.find((i) => i.tags.includes(ref))?.usedBy?.map((u) => u.project) ?? null;
    // The admin: the victim's instance, by its pinned id.
    assert.deepEqual(usesOf(await list(g.token), LOCAL_REF), [victim]);
    // Eve, in no project of the victim's: the image is listed (she may use it), its uses are not.
    assert.deepEqual(usesOf(await list(eve.token), LOCAL_REF), []);
    await addMember(g, victim, eve.name, 'viewer');
    assert.deepEqual(usesOf(await list(eve.token), LOCAL_REF), [victim]);
  });
});
