import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event, Member } from '@gureum/contract';
import { isLastOwner, memberErrors, sortMembers, touchesMembers } from './members.logic.js';

const m = (user: string, role: Member['role']): Member => ({ user, role, addedAt: '2030-01-01T00:00:00Z' });

describe('members', () => {
  it('lists owners first, then members, then viewers, by name', () => {
    assert.deepEqual(sortMembers([m('zed', 'viewer'), m('bob', 'owner'), m('amy', 'member'), m('al', 'owner')]).map((x) => x.user), ['al', 'bob', 'amy', 'zed']);
  });

  it('knows the only owner of a project', () => {
    assert.equal(isLastOwner([m('al', 'owner'), m('amy', 'member')], 'al'), true);
    assert.equal(isLastOwner([m('al', 'owner'), m('bob', 'owner')], 'al'), false);
    assert.equal(isLastOwner([m('al', 'owner'), m('amy', 'member')], 'amy'), false);
  });

  it('checks the user name with the contract’s rule', () => {
    assert.match(memberErrors({ user: 'Not A Name', role: 'member' }).user ?? '', /DNS label/);
    assert.deepEqual(memberErrors({ user: 'alice', role: 'viewer' }), {});
  });
});

describe('members, live', () => {
  const event = (type: Event['type'], project: string | null): Event => ({ id: 1, time: '2030-01-01T00:00:00Z', type, project, instance: null, message: '', data: { user: 'amy', role: 'member' } });

  it("reloads on a member joining, changing role or leaving this project, not on other projects' or other events", () => {
    const live = touchesMembers('lab');
    for (const type of ['member.added', 'member.updated', 'member.removed'] as const) assert.equal(live(event(type, 'lab')), true, type);
    assert.equal(live(event('member.added', 'other')), false);
    assert.equal(live(event('secret.updated', 'lab')), false);
  });
});
