import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { configDir, loadConfig, saveConfig } from './config.js';
import { Session } from './session.js';

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-cli-unit-'));

describe('config and session', () => {
  it('finds the config in GUREUM_CONFIG, XDG_CONFIG_HOME or ~/.config', () => {
    assert.equal(configDir({ GUREUM_CONFIG: '/c' }), '/c');
    assert.equal(configDir({ XDG_CONFIG_HOME: '/x' }), '/x/gureum');
    assert.equal(configDir({}), path.join(os.homedir(), '.config', 'gureum'));
  });

  it('writes the credentials 0600 in a 0700 directory, also over looser ones', () => {
    const dir = path.join(temp(), 'gureum');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'config.json'), '{}', { mode: 0o644 });
    saveConfig(dir, { current: 'a', contexts: { a: { url: 'http://a', token: 't' } } });
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(dir, 'config.json')).mode & 0o777, 0o600);
    assert.deepEqual(loadConfig(dir).contexts.a, { url: 'http://a', token: 't' });
    assert.deepEqual(loadConfig(path.join(dir, 'none')), { contexts: {} });
  });

  it('takes the server from the environment first, then --context, then the current context', () => {
    const dir = temp();
    saveConfig(dir, { current: 'a', contexts: { a: { url: 'http://a', token: 'ta', project: 'pa' }, b: { url: 'http://b', token: 'tb' } } });
    assert.deepEqual(new Session({ GUREUM_CONFIG: dir }, () => undefined).target(), { url: 'http://a', token: 'ta', context: 'a', project: 'pa' });
    assert.deepEqual(new Session({ GUREUM_CONFIG: dir }, () => 'b').target(), { url: 'http://b', token: 'tb', context: 'b' });
    assert.deepEqual(new Session({ GUREUM_CONFIG: dir, GUREUM_URL: 'http://c', GUREUM_TOKEN: 'tc' }, () => undefined).target(), { url: 'http://c', token: 'tc' });
    // A token is never sent to another server than the one it was made for.
    assert.deepEqual(new Session({ GUREUM_CONFIG: dir, GUREUM_URL: 'http://c' }, () => undefined).target(), { url: 'http://c' });
    assert.throws(() => new Session({ GUREUM_CONFIG: dir }, () => 'zz').target(), /no context named zz/);
    assert.throws(() => new Session({ GUREUM_CONFIG: temp() }, () => undefined).target(), /not logged in/);
  });

  it('takes the project from -p, then GUREUM_PROJECT, then the context', () => {
    const dir = temp();
    saveConfig(dir, { current: 'a', contexts: { a: { url: 'http://a', token: 'ta', project: 'pa' } } });
    assert.equal(new Session({ GUREUM_CONFIG: dir }, () => undefined).project('flag'), 'flag');
    assert.equal(new Session({ GUREUM_CONFIG: dir, GUREUM_PROJECT: 'env' }, () => undefined).project(undefined), 'env');
    assert.equal(new Session({ GUREUM_CONFIG: dir }, () => undefined).project(undefined), 'pa');
    assert.throws(() => new Session({ GUREUM_URL: 'http://x', GUREUM_CONFIG: temp() }, () => undefined).project(undefined), /no project/);
  });
});
