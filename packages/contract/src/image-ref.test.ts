import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImageRef } from './schemas/app.schema.js';

const valid = (ref: string) => ImageRef.safeParse(ref).success;

describe('ImageRef: the distribution reference grammar', () => {
  it('takes what registries and the engine take', () => {
    for (const ref of [
      'busybox',
      'busybox:1.36',
      'library/busybox:latest',
      'gureum-test/busybox:1',
      '127.0.0.1:5055/gureum-test/busybox:1',
      'Registry.Lab:5000/team/app_v2:1.0-rc.1',
      '[::1]:5000/a/b:c',
      'my.registry/a__b/c.d/e-f---g:TAG_1',
      `busybox@sha256:${'a'.repeat(64)}`,
      `registry.lab/app:1@sha256:${'0'.repeat(64)}`,
    ]) {
      assert.ok(valid(ref), ref);
    }
  });

  it('refuses an upper-case name, credentials, empty parts and over-long names or tags', () => {
    for (const ref of [
      'Busybox',
      'team/MyApp:1',
      'user:secret@registry.lab/app:1',
      'https://registry.lab/app:1',
      'app:',
      'app:-tag',
      '/app',
      'app//x',
      'a b',
      `app:${'t'.repeat(129)}`,
      `${'a/'.repeat(128)}b`,
      'app@sha256:short',
    ]) {
      assert.ok(!valid(ref), ref);
    }
    assert.match(ImageRef.safeParse('user:pw@registry/app').error?.issues[0]?.message ?? '', /no user or password/);
  });

  it('answers at once on the worst input it can be given (no runaway backtracking)', () => {
    const started = performance.now();
    for (const ref of ['a.'.repeat(255) + '!', 'a-'.repeat(255) + '/', `${'a.b'.repeat(170)}:`]) valid(ref.slice(0, 512));
    assert.ok(performance.now() - started < 1000);
  });
});
