/**
 * Membership and token changes as live events: a project's members see who joins, changes role
 * and leaves; a token's events reach its own user and the admins, never another user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '@gureum/contract';
import { removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { callRoute, createToken, createUser, followEvents, type EventFeed, type TestUser } from './identity-kit.js';

let g: TestGureum;
let owner: TestUser;
let viewer: TestUser;
let joiner: TestUser;
let outsider: TestUser;
const project = uniqueName('live');
const feeds: EventFeed[] = [];

/** Follows the event stream as `token` (closed after the tests). */
async function follow(token: string, query: Record<string, string> = {}): Promise<EventFeed> {
  const feed = await followEvents(g, { token }, query);
  feeds.push(feed);
  return feed;
}

const memberEvents = (feed: EventFeed, user: string) => (feed.events as Event[]).filter((e) => e.type.startsWith('member.') && e.data.user === user);

before(async () => {
  g = await startGureum();
  [owner, viewer, joiner, outsider] = await Promise.all([createUser(g, 'owen'), createUser(g, 'vic'), createUser(g, 'jo'), createUser(g, 'out')]);
  assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: project } })).status, 201);
  assert.equal((await callRoute(g, 'putMember', { token: owner.token, params: { project, user: viewer.name }, body: { role: 'viewer' } })).status, 200);
});

after(async () => {
  for (const feed of feeds) feed.close();
  await g?.stop();
  await removeProjects(project);
});

describe('membership events', () => {
  it('an owner adds, changes and removes a member: a viewer of the project sees the three events live, outsiders none', async () => {
    const watching = await follow(viewer.token, { project });
    const outside = await follow(outsider.token);
    const put = (role: string) => callRoute(g, 'putMember', { token: owner.token, params: { project, user: joiner.name }, body: { role } });
    assert.equal((await put('member')).status, 200);
    assert.equal((await put('member')).status, 200, 'the same role again changes nothing');
    assert.equal((await put('owner')).status, 200);
    assert.equal((await callRoute(g, 'deleteMember', { token: owner.token, params: { project, user: joiner.name } })).status, 200);

    const seen = await waitFor(() => memberEvents(watching, joiner.name).length >= 3 && memberEvents(watching, joiner.name), { what: 'the three member events on the viewer stream' });
    assert.deepEqual(
      seen.map((e) => [e.type, e.project, e.data.role]),
      [
        ['member.added', project, 'member'],
        ['member.updated', project, 'owner'],
        ['member.removed', project, 'owner'],
      ],
    );
    assert.equal(seen[1]!.data.previousRole, 'member');
    assert.match(seen[0]!.message, new RegExp(`${joiner.name}.*${project}.*member`));
    // The stored events are the ones that came live.
    const stored = (await callRoute(g, 'listEvents', { token: viewer.token, query: { project, type: 'member.updated' } })).body as Event[];
    assert.deepEqual(stored.map((e) => e.id), [seen[1]!.id]);

    // The outsider's own token event bounds the wait: anything of the project would have come before it.
    await createToken(g, { token: outsider.token }, { name: 'marker' });
    await waitFor(() => outside.events.some((e) => e.type === 'token.created'), { what: "the outsider's own token event" });
    assert.deepEqual(outside.events.filter((e) => e.project === project), []);
  });

  it('a stream follows its own user into a project and out of it: nothing of the project after the removal', async () => {
    const mine = await follow(joiner.token);
    assert.equal((await callRoute(g, 'putMember', { token: owner.token, params: { project, user: joiner.name }, body: { role: 'viewer' } })).status, 200);
    assert.equal((await callRoute(g, 'putSecret', { token: owner.token, params: { project, secret: 'while-in' }, body: { value: 'x' } })).status, 200);
    await waitFor(() => mine.events.some((e) => e.type === 'secret.updated'), { what: 'a project event after joining, on a stream opened before' });
    assert.equal((await callRoute(g, 'deleteMember', { token: owner.token, params: { project, user: joiner.name } })).status, 200);
    assert.equal((await callRoute(g, 'putSecret', { token: owner.token, params: { project, secret: 'after-out' }, body: { value: 'y' } })).status, 200);
    await createToken(g, { token: joiner.token }, { name: 'marker' });
    await waitFor(() => mine.events.some((e) => e.type === 'token.created'), { what: "the joiner's own token event" });
    assert.deepEqual(
      mine.events.filter((e) => e.project === project).map((e) => e.type),
      ['member.added', 'secret.updated', 'member.removed'],
      'its removal is the last it sees of the project',
    );
  });
});

describe('token events', () => {
  it("a token's creation and revocation reach its user and the admin, never another user, and never carry the token", async () => {
    const mine = await follow(owner.token);
    const admin = await follow(g.token);
    const other = await follow(outsider.token);
    const created = await createToken(g, { token: owner.token }, { name: 'ci' });
    const ofCi = (feed: EventFeed) => (feed.events as Event[]).filter((e) => e.type.startsWith('token.') && e.data.id === created.id);
    const event = await waitFor(() => ofCi(mine)[0], { what: 'token.created on its user’s stream' });
    assert.equal(event.type, 'token.created');
    assert.deepEqual(event.data, { id: created.id, name: 'ci', user: owner.name });
    assert.equal(event.project, null);
    await waitFor(() => ofCi(admin)[0], { what: "token.created on the admin's stream" });
    assert.equal((await callRoute(g, 'deleteToken', { token: owner.token, params: { id: created.id } })).status, 200);
    await waitFor(() => ofCi(mine).length === 2, { what: 'token.revoked on its user’s stream' });
    assert.deepEqual(ofCi(mine).map((e) => e.type), ['token.created', 'token.revoked']);
    await waitFor(() => ofCi(admin).length === 2, { what: "token.revoked on the admin's stream" });

    // The other user's own token event comes after: had the owner's leaked, they would be there already.
    const marker = await createToken(g, { token: outsider.token }, { name: 'marker-2' });
    await waitFor(() => other.events.some((e) => e.type === 'token.created' && (e as Event).data.id === marker.id), { what: "the other user's own token event" });
    assert.deepEqual(ofCi(other), []);
    assert.deepEqual(
      other.events.filter((e) => e.type.startsWith('token.') && (e as Event).data.user !== outsider.name),
      [],
      'no token event of another user on the stream',
    );

    // Stored alike: listed for the user and the admin, not for another user, nor through a project-limited token.
    const listed = async (token: string) => ((await callRoute(g, 'listEvents', { token, query: { type: 'token.created', limit: '1000' } })).body as Event[]).filter((e) => e.data.id === created.id);
    assert.equal((await listed(owner.token)).length, 1);
    assert.equal((await listed(g.token)).length, 1);
    assert.deepEqual(await listed(outsider.token), []);
    const limited = await createToken(g, { token: owner.token }, { name: 'limited', projects: [project] });
    assert.deepEqual(await listed(limited.token), [], 'a project-limited token does not list its user’s token events');

    const everything = JSON.stringify([...mine.events, ...admin.events]);
    assert.ok(!everything.includes(created.token), 'the token itself is in no event');
  });
});
