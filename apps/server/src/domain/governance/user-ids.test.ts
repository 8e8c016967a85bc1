import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveUserIds, rootProblem } from './user-ids.js';

const PASSWD = ['root:x:0:0:root:/root:/bin/sh', 'toor:x:0:0::/:/bin/sh', 'app:x:1000:1000::/home/app:/bin/sh', 'wheelie:x:1001:0::/:/bin/sh', 'member:x:1002:1002::/:/bin/sh', '# a comment', ''].join('\n');
const GROUP = ['root:x:0:member', 'app:x:1000:', 'member:x:1002:', 'staff:x:50:app'].join('\n');
const ids = (user: string) => resolveUserIds(user, PASSWD, GROUP);

describe('resolveUserIds', () => {
  it('resolves names, uids and groups as the engine does', () => {
    assert.deepEqual(ids('app'), { user: 'app', uid: 1000, gid: 1000, groups: [50] });
    assert.deepEqual(ids('1000'), { user: '1000', uid: 1000, gid: 1000, groups: [50] }, 'a uid with an entry takes its gid');
    assert.deepEqual(ids('app:staff'), { user: 'app:staff', uid: 1000, gid: 50, groups: [50] });
    assert.deepEqual(ids('4242'), { user: '4242', uid: 4242, gid: 0, groups: [] }, 'a uid without an entry gets gid 0');
    assert.deepEqual(ids('4242:4242'), { user: '4242:4242', uid: 4242, gid: 4242, groups: [] });
    assert.deepEqual(ids(''), { user: '', uid: 0, gid: 0, groups: [] });
    assert.deepEqual(ids('ghost'), { user: 'ghost', unknown: "user ghost is not in the image's /etc/passwd" });
    assert.deepEqual(ids('app:ghosts'), { user: 'app:ghosts', unknown: "group ghosts is not in the image's /etc/group" });
    assert.deepEqual(resolveUserIds('root', '', ''), { user: 'root', uid: 0, gid: 0, groups: [] }, 'root without a passwd file');
  });

  it('calls root every way uid 0 or gid 0 is reached, whatever the names', () => {
    assert.match(rootProblem(ids('toor'))!, /user toor runs as uid 0/);
    assert.match(rootProblem(ids(''))!, /no USER \(root\) runs as uid 0/);
    assert.match(rootProblem(ids('0:1000'))!, /uid 0/);
    assert.match(rootProblem(ids('wheelie'))!, /gid 0/);
    assert.match(rootProblem(ids('app:root'))!, /gid 0/);
    assert.match(rootProblem(ids('1000:0'))!, /gid 0/);
    assert.match(rootProblem(ids('4242'))!, /gid 0 \(uid 4242; a uid without a passwd entry gets group 0\)/);
    assert.match(rootProblem(ids('member'))!, /is in group 0 by the image's \/etc\/group/);
    assert.equal(rootProblem(ids('app')), undefined);
    assert.equal(rootProblem(ids('4242:4242')), undefined);
  });
});
