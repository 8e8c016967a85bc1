/**
 * Fuzzing from the OpenAPI document: schemathesis (scripts/ensure-fuzzer.sh) generates valid
 * and invalid requests for every operation from Gureum's own /api/v1/openapi.json, with a fixed
 * seed, and checks that none answers 5xx and every answer fits the documented schema.
 *
 * What is kept out, and why: pulling an image (it would reach registries outside the machine),
 * loading one (a tarball upload; bounded in image-upload-bounds.test.ts), the live event stream
 * and the terminal (they never end by themselves; streams/). The fuzzed Gureum is held so it
 * touches nothing outside itself: every new project's quota is zero (no replica, no volume is
 * ever made on the engine), webhooks may reach no address, and the admin-only operations that
 * would lift those (settings, quotas) or remove engine images are not fuzzed with the admin.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGureum, tempDir, type TestGureum } from '../support/harness.js';
import { createUser, type TestUser } from '../identity/identity-kit.js';

const VERSION = '4.32.5';
const cache = process.env.GUREUM_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'gureum');
const SCHEMATHESIS = path.join(cache, `schemathesis-${VERSION}`, 'bin', 'schemathesis');
const SEED = '20261203';
/** At least 10,000 cases over the two passes (counted from the reports, not assumed). */
const MIN_CASES = 10_000;
const NEVER = ['pullImage', 'loadImage', 'streamEvents', 'instanceExec'];
const NOT_AS_ADMIN = ['updateSettings', 'updateQuota', 'deleteImage'];

interface Report {
  exit_code: number;
  test_cases: { generated: number; with_failures: number; errored: number };
  failures: unknown[];
  errors: unknown[];
}

let g: TestGureum;
let fuzzer: TestUser;
const work = tempDir('gureum-fuzz-');

/** A run that takes longer than this is stopped (and fails: no report). */
const RUN_LIMIT_MS = 300_000;

/** One schemathesis run; answers its JSON report. */
function schemathesis(token: string, args: string[], name: string): Promise<Report> {
  const report = path.join(work, `${name}.json`);
  const log = path.join(work, `${name}.log`);
  const argv = [
    'run',
    `${g.url}/api/v1/openapi.json`,
    '-H',
    `authorization: Bearer ${token}`,
    '--checks',
    'not_a_server_error,response_schema_conformance',
    '--phases',
    'coverage,fuzzing',
    '--seed',
    SEED,
    '--generation-deterministic',
    '--generation-with-security-parameters',
    'false',
    '--request-timeout',
    '10',
    '--workers',
    '2',
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    report,
    ...NEVER.flatMap((id) => ['--exclude-operation-id', id]),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'w');
    const child = spawn(SCHEMATHESIS, argv, { stdio: ['ignore', out, out] });
    const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(limit);
      fs.closeSync(out);
      if (!fs.existsSync(report)) return reject(new Error(`schemathesis wrote no report:\n${fs.readFileSync(log, 'utf8').slice(-4000)}`));
      const parsed = JSON.parse(fs.readFileSync(report, 'utf8')) as Report;
      // Failures are described in the log: keep it where the CI keeps artifacts.
      fs.mkdirSync('.test-artifacts', { recursive: true });
      fs.copyFileSync(log, path.join('.test-artifacts', `fuzz-${name}.log`));
      resolve(parsed);
    });
  });
}

const described = (r: Report) => `${r.test_cases.generated} cases, ${r.failures.length} failures, ${r.errors.length} errors (see .test-artifacts/fuzz-*.log): ${JSON.stringify({ failures: r.failures, errors: r.errors }).slice(0, 3000)}`;

before(async () => {
  assert.ok(fs.existsSync(SCHEMATHESIS), `${SCHEMATHESIS} is missing: run bash scripts/ensure-fuzzer.sh`);
  g = await startGureum({ GUREUM_LOG_LEVEL: 'error' });
  await g.client.call('updateSettings', {
    body: {
      defaultQuota: { instances: 0, replicas: 0, volumes: 0, volumeBytes: 0, cpus: 0, memoryBytes: 0 },
      webhooks: { allow: [], deny: ['0.0.0.0/0', '::/0'] },
    },
  });
  fuzzer = await createUser(g, 'fuzzer');
});

after(async () => {
  await g?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('fuzzing from the OpenAPI document (schemathesis, fixed seed)', () => {
  let cases = 0;

  it('finds no server error and no answer outside the schema, as a user, over every operation', async () => {
    const r = await schemathesis(fuzzer.token, ['--max-examples', '70'], 'user');
    cases += r.test_cases.generated;
    assert.deepEqual([r.failures.length, r.errors.length, r.test_cases.with_failures], [0, 0, 0], described(r));
    assert.equal(r.exit_code, 0, described(r));
  });

  it('finds none as the admin, over the admin operations that keep the machine untouched', async () => {
    const r = await schemathesis(g.token, ['--max-examples', '130', ...['users', 'audit', 'nodes', 'policy', 'settings', 'quotas', 'auth', 'tokens'].flatMap((t) => ['--include-tag', t]), ...NOT_AS_ADMIN.flatMap((id) => ['--exclude-operation-id', id])], 'admin');
    cases += r.test_cases.generated;
    assert.deepEqual([r.failures.length, r.errors.length, r.test_cases.with_failures], [0, 0, 0], described(r));
    assert.equal(r.exit_code, 0, described(r));
  });

  it(`ran at least ${MIN_CASES} cases`, () => {
    assert.ok(cases >= MIN_CASES, `${cases} cases`);
  });
});
