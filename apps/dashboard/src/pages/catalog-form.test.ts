import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppCreate, type App } from '@gureum/contract';
import { fieldErrors } from '../api/errors.js';
import { localErrors } from '../ui/validate.js';
import { emptyApp, fromApp, keptFields, matchesSearch, toBody, type AppFormState } from './catalog-form.js';

function form(edit: (f: AppFormState) => void): AppFormState {
  const f = emptyApp();
  f.name = 'web';
  f.components[0]!.image = 'busybox:stable';
  edit(f);
  return f;
}

describe('catalog form', () => {
  it('turns a filled form into a body the API accepts', () => {
    const f = form((f) => {
      const c = f.components[0]!;
      c.command = 'sh\n-c\necho {{greeting}}';
      c.env = 'A=1\nB=x=y';
      c.memoryMiB = '64';
      c.cpus = '0.5';
      c.ports = [{ name: 'http', containerPort: '8080', protocol: 'tcp', publish: true, hostPort: '' }];
      f.parameters = [{ name: 'greeting', type: 'string', title: '', default: 'hi', min: '', max: '', values: '', required: false }];
    });
    const body = toBody(f);
    assert.deepEqual(localErrors(AppCreate, body), {});
    const c = body.components[0]!;
    assert.deepEqual(c.command, ['sh', '-c', 'echo {{greeting}}']);
    assert.deepEqual(c.env, { A: '1', B: 'x=y' });
    assert.deepEqual(c.resources, { cpus: 0.5, memoryBytes: 64 * 1024 * 1024 });
    assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'tcp', publish: true }]);
  });

  it('gives each bad field the message the API gives, at the same path', () => {
    const f = form((f) => {
      f.name = 'Not A Name';
      f.components[0]!.image = '';
      f.components[0]!.memoryMiB = '1';
      f.components[0]!.ports = [{ name: 'http', containerPort: '99999', protocol: 'tcp', publish: false, hostPort: '' }];
      f.parameters = [{ name: '1bad', type: 'integer', title: '', default: 'x', min: '', max: '', values: '', required: false }];
    });
    const body = toBody(f);
    const local = localErrors(AppCreate, body);
    for (const path of ['name', 'components.0.image', 'components.0.resources.memoryBytes', 'components.0.ports.0.containerPort', 'parameters.0.name', 'parameters.0.default']) {
      assert.ok(local[path], `no message for ${path}: ${JSON.stringify(local)}`);
    }
    // What the server answers for the same body (http/errors.ts shapes zod issues like this).
    const parsed = AppCreate.safeParse(body);
    if (parsed.success) return assert.fail('the body should be refused');
    assert.deepEqual(fieldErrors(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))), local);
  });

  it('keeps what it does not edit when an app goes through the form and back', () => {
    const app: App = {
      name: 'db', project: null, title: 'DB', description: '', version: 3, createdAt: '', updatedAt: '',
      parameters: [{ name: 'workers', type: 'integer', default: 2, min: 1, max: 8 }],
      components: [{
        name: 'main', image: 'postgres:16', replicas: { param: 'workers' },
        volumes: [{ volume: 'data', mountPath: '/var/lib/postgresql' }],
        healthCheck: { command: ['pg_isready'], intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 },
        resources: { memoryBytes: 128 * 1024 * 1024 },
      }],
    };
    const body = toBody(fromApp(app));
    assert.deepEqual(localErrors(AppCreate, body), {});
    const c = body.components[0]!;
    assert.deepEqual(c.replicas, { param: 'workers' });
    assert.deepEqual(c.volumes, app.components[0]!.volumes);
    assert.deepEqual(c.healthCheck, app.components[0]!.healthCheck);
    assert.deepEqual(c.resources, { memoryBytes: 128 * 1024 * 1024 });
    assert.deepEqual(body.parameters, app.parameters);
  });

  it('gives back every field of a rich app unchanged, a fixed host port included (saving it lost the port: data loss)', () => {
    const app: App = {
      name: 'lab', project: 'physics', title: 'Lab app', description: 'everything set', version: 7, createdAt: '', updatedAt: '',
      parameters: [{ name: 'mode', type: 'enum', values: ['a', 'b'], default: 'a', title: 'Mode', required: true }, { name: 'debug', type: 'boolean', default: false }],
      components: [
        {
          name: 'web', image: 'nginx:1.27', replicas: 1, command: ['nginx'], args: ['-g', 'daemon off;'], env: { MODE: '{{mode}}' },
          ports: [{ name: 'http', containerPort: 80, protocol: 'tcp', hostPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'udp', publish: true }],
          resources: { cpus: 0.5, memoryBytes: 256 * 1024 * 1024 },
          volumes: [{ volume: 'site', mountPath: '/usr/share/nginx/html', readOnly: true }, { hostPath: '/data/shared', mountPath: '/shared' }],
          secrets: [{ secret: 'tls', path: '/run/secrets/tls' }, { secret: 'api-key', env: 'API_KEY' }],
          security: { user: '1000:1000', capAdd: ['NET_BIND_SERVICE'] },
          healthCheck: { command: ['wget', '-q', '-O-', 'http://localhost/'], intervalSeconds: 5, timeoutSeconds: 2, retries: 2, startPeriodSeconds: 1 },
        },
      ],
    };
    const { version: _v, createdAt: _c, updatedAt: _u, ...definition } = app;
    assert.deepEqual(toBody(fromApp(app)), definition);
  });

  it('names what it keeps but does not edit', () => {
    const [row] = fromApp({
      name: 'x', project: null, title: 'x', description: '', version: 1, createdAt: '', updatedAt: '', parameters: [],
      components: [{ name: 'main', image: 'busybox:1', replicas: 1, volumes: [{ volume: 'data', mountPath: '/data' }], secrets: [{ secret: 'db', env: 'DB' }], healthCheck: { command: ['true'], intervalSeconds: 5, timeoutSeconds: 2, retries: 1, startPeriodSeconds: 0 } }],
    }).components;
    assert.deepEqual(keptFields(row!.rest), ['volume data at /data', 'secret db as $DB', 'health check: true']);
  });

  it('searches names, titles, descriptions and images', () => {
    const app = { name: 'jupyter', title: 'Notebook', description: 'for the lab', components: [{ image: 'quay/scipy' }] } as App;
    assert.ok(matchesSearch(app, 'NOTE'));
    assert.ok(matchesSearch(app, 'scipy'));
    assert.ok(!matchesSearch(app, 'postgres'));
  });
});
