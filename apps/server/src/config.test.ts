import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, describeConfig, listenWarning, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 7070);
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.equal(c.databaseUrl, `sqlite:${path.join(path.resolve('./data'), 'gureum.db')}`);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.runtime, 'docker');
    assert.equal(c.host, '127.0.0.1', 'loopback unless GUREUM_HOST says otherwise');
  });

  it('warns about plain HTTP on an address other hosts reach, and only then', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(listenWarning(loadConfig({ GUREUM_HOST: host })), null, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.5']) assert.match(listenWarning(loadConfig({ GUREUM_HOST: host })) ?? '', /plain HTTP on .*GUREUM_TLS_CERT/, host);
    assert.equal(listenWarning({ host: '0.0.0.0', port: 7070, tls: { certFile: '/c', keyFile: '/k' } }), null, 'not with TLS');
  });

  it('stops on a bad value with a message naming each bad variable', () => {
    assert.throws(
      () => loadConfig({ GUREUM_PORT: 'abc', GUREUM_LOG_LEVEL: 'loud', GUREUM_DATABASE_URL: 'mysql://x' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /GUREUM_PORT="abc"/);
        assert.match(err.message, /GUREUM_LOG_LEVEL="loud"/);
        assert.match(err.message, /GUREUM_DATABASE_URL/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ GUREUM_ADMIN_PASSWORD: 'short' }), /GUREUM_ADMIN_PASSWORD/);
  });

  it('serves TLS only with both a certificate and a key, and takes the session lifetime in hours', () => {
    const c = loadConfig({});
    assert.equal(c.tls, undefined);
    assert.equal(c.sessionHours, 12);
    assert.deepEqual(loadConfig({ GUREUM_TLS_CERT: 'c.pem', GUREUM_TLS_KEY: '/k.pem' }).tls, { certFile: path.resolve('c.pem'), keyFile: '/k.pem' });
    assert.throws(() => loadConfig({ GUREUM_TLS_CERT: 'c.pem' }), /GUREUM_TLS_KEY.*must be set together with GUREUM_TLS_CERT/);
    assert.throws(() => loadConfig({ GUREUM_TLS_KEY: 'k.pem' }), /GUREUM_TLS_CERT.*must be set together with GUREUM_TLS_KEY/);
    assert.equal(loadConfig({ GUREUM_SESSION_HOURS: '0.5' }).sessionHours, 0.5);
    for (const bad of ['0', '-1', 'soon', '1000']) assert.throws(() => loadConfig({ GUREUM_SESSION_HOURS: bad }), /GUREUM_SESSION_HOURS/, bad);
  });

  it('masks the admin password when printing the settings', () => {
    const printed = describeConfig(loadConfig({ GUREUM_ADMIN_PASSWORD: 'a-long-secret' }));
    assert.equal(printed.GUREUM_ADMIN_PASSWORD, '***');
    assert.ok(!JSON.stringify(printed).includes('a-long-secret'));
  });
});
