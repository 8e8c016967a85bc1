import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUser, type TestUser } from '../../../server/test/identity/identity-kit.js';
import { removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../../../server/test/support/harness.js';
import { assertDashboardBuilt, launchChromium, screenshot, signIn } from './browser.js';

const ADMIN_PASSWORD = 'admin-e2e-password';
const GREETING = 'hello-from-the-dashboard';

/**
 * The main path of the dashboard in a real Chromium against a real Gureum on the real engine:
 * sign in, make a project, register an app (after a refused submit that keeps the form), launch
 * it, watch it reach running without a reload, read its logs, type in its terminal, scale it,
 * delete it; and a viewer sees no exec or delete control, which the API refuses anyway.
 */
describe('dashboard deploy flow (real Gureum, real engine, real Chromium)', () => {
  let g: TestGureum;
  let browser: Browser;
  let page: Page;
  let viewer: TestUser;
  const project = uniqueName('e2e-dash');
  const app = uniqueName('hello');
  const instance = 'web';
  const instanceUrl = () => `${g.url}/projects/${project}/instances/${instance}`;

  before(async () => {
    assertDashboardBuilt();
    // Samples every second, so that the charts have data within the test.
    g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD, GUREUM_METRICS_INTERVAL_SECONDS: '1' });
    viewer = await createUser(g, uniqueName('vera'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  });

  after(async () => {
    await browser?.close();
    await g?.stop();
    await removeProjects(project);
  });

  it('signs in and creates a project', async () => {
    await signIn(page, g.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('Name', { exact: true }).fill(project);
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Project' }).inputValue(), project);
    await g.client.call('putMember', { params: { project, user: viewer.name }, body: { role: 'viewer' } });
  });

  it('registers an app; a refused field says why and the form keeps what was typed', async () => {
    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('link', { name: 'Register an app' }).click();
    await page.getByLabel('App name').fill('Not A Name');
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page.getByLabel('Command').fill('sh\n-c\necho {{greeting}}; exec sleep 3600');
    await page.getByRole('button', { name: 'Add a parameter' }).click();
    await page.getByLabel('Parameter name').fill('greeting');
    await page.getByLabel('Default').fill('hello');
    await page.getByLabel('Memory limit (MiB)').fill('32');
    await page.getByRole('button', { name: 'Register the app' }).click();
    const nameError = page.locator('.field', { has: page.getByLabel('App name') }).locator('.field-error');
    assert.match(await nameError.innerText(), /DNS label/);
    assert.equal(await page.getByLabel('App name').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Image').inputValue(), TEST_IMAGE, 'the form kept its values');
    await screenshot(page, 'catalog-form-error');
    await page.getByLabel('App name').fill(app);
    await page.getByRole('button', { name: 'Register the app' }).click();
    await page.getByRole('heading', { name: app }).waitFor();
    await screenshot(page, 'catalog');
  });

  it('edits an app and saves it with every field it does not show kept: host port, volume, secret, health check', async () => {
    const rich = uniqueName('rich');
    const definition = {
      name: rich,
      components: [
        {
          name: 'main',
          image: TEST_IMAGE,
          replicas: 1,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'tcp' as const, hostPort: 18080 }],
          volumes: [{ volume: 'data', mountPath: '/data' }],
          secrets: [{ secret: 'token', env: 'TOKEN' }],
          healthCheck: { command: ['true'], intervalSeconds: 5, timeoutSeconds: 2, retries: 1, startPeriodSeconds: 0 },
        },
      ],
    };
    await g.client.call('createApp', { body: definition });
    await page.goto(`${g.url}/catalog/${rich}`);
    assert.equal(await page.getByLabel('Fixed host port').inputValue(), '18080', 'the host port is shown');
    await page.getByText('volume data at /data').waitFor();
    await page.getByText('secret token as $TOKEN').waitFor();
    await page.getByLabel('Title').fill('Rich, edited');
    await page.getByRole('button', { name: 'Save the app' }).click();
    await page.waitForURL(`${g.url}/catalog`);
    const saved = await g.client.call('getApp', { params: { app: rich } });
    assert.equal(saved.title, 'Rich, edited');
    assert.deepEqual(saved.components, definition.components, 'nothing the form does not show was dropped');
    await g.client.call('deleteApp', { params: { app: rich } });
  });

  it('launches it and watches it reach running without a reload', async () => {
    await page.getByRole('link', { name: `Launch ${app}` }).click();
    await page.getByLabel('Instance name').fill(instance);
    // The form is made from the app's parameters, starting from their defaults.
    assert.equal(await page.getByLabel('greeting').inputValue(), 'hello');
    await page.getByLabel('greeting').fill(GREETING);
    await page.getByRole('region', { name: 'Quota' }).getByRole('table').waitFor();
    await screenshot(page, 'launch');
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    await page.waitForURL(instanceUrl());
    await page.locator('main [data-phase="running"]').first().waitFor({ timeout: 90_000 });
    assert.match(await page.locator('main .page-header').innerText(), /1\/1 replicas running/);
    await page.getByRole('link', { name: '← Instances' }).click();
    const row = page.getByRole('row', { name: new RegExp(instance) });
    await row.locator('[data-phase="running"]').waitFor();
    assert.match(await row.innerText(), /1\/1/);
    await screenshot(page, 'instances');
    // Readable on a phone, and in the dark theme.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await screenshot(page, 'instances-phone');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await screenshot(page, 'instances-phone-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('reads its logs', async () => {
    await page.goto(instanceUrl());
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('logs').getByText(GREETING).waitFor({ timeout: 30_000 });
    await page.getByLabel('Search the logs').fill('no-such-line');
    assert.equal(await page.getByTestId('logs').innerText(), '');
    await page.getByLabel('Search the logs').fill('');
    await screenshot(page, 'instance-logs');
  });

  it('types a command in its terminal and reads the answer', async () => {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByText(/Connected to main\/0/).waitFor({ timeout: 30_000 });
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo $((6*7))');
    await page.keyboard.press('Enter');
    await waitFor(async () => /^42\s*$/m.test(await page.locator('.xterm-rows').innerText()), { timeoutMs: 20_000, what: 'the answer in the terminal' });
    await screenshot(page, 'instance-terminal');
  });

  it('shows charts with data, and a time range can be picked', async () => {
    await page.getByRole('tab', { name: 'Charts' }).click();
    const cpu = page.locator('figure[data-chart="CPU"]');
    await cpu.locator('svg[data-has-data] path').first().waitFor({ timeout: 60_000 });
    await page.locator('figure[data-chart="Memory"] svg[data-has-data]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('figure[data-chart="Memory"] figcaption').innerText(), /used now \d/);
    await page.getByRole('radio', { name: '1 h' }).check();
    await cpu.locator('svg[data-has-data]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'instance-charts');
  });

  it('scales it, and the replicas follow live', async () => {
    await page.getByRole('tab', { name: 'Replicas' }).click();
    await page.getByRole('spinbutton', { name: 'Desired replicas' }).fill('2');
    await page.getByRole('button', { name: 'Scale' }).click();
    await page.getByText('2/2 replicas running').waitFor({ timeout: 90_000 });
    assert.equal(await page.getByRole('table', { name: `Replicas of ${instance}` }).locator('tbody tr').count(), 2);
    await screenshot(page, 'instance');
  });

  it('a viewer sees neither the terminal nor delete, and the API refuses both', async () => {
    const context = await browser.newContext();
    const vpage = await context.newPage();
    try {
      await signIn(vpage, instanceUrl(), viewer.name, viewer.password);
      await vpage.locator('main [data-phase]').first().waitFor();
      await vpage.getByRole('tab', { name: 'Replicas' }).waitFor();
      assert.equal(await vpage.getByRole('tab', { name: 'Terminal' }).count(), 0);
      assert.equal(await vpage.getByRole('button', { name: 'Delete' }).count(), 0);
      assert.equal(await vpage.getByRole('button', { name: 'Scale' }).count(), 0);
      // The same session, going around the page: the API says no.
      const refused = await vpage.evaluate(
        async ({ project, instance }) => {
          const csrf = localStorage.getItem('gureum.csrf') ?? '';
          const del = await fetch(`/api/v1/projects/${project}/instances/${instance}`, { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
          const exec = await new Promise<string>((resolve) => {
            const ws = new WebSocket(`ws://${location.host}/api/v1/projects/${project}/instances/${instance}/exec`);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          });
          return { del: del.status, delBody: (await del.json()) as { error: { code: string } }, exec };
        },
        { project, instance },
      );
      assert.equal(refused.del, 403);
      assert.equal(refused.delBody.error.code, 'FORBIDDEN');
      assert.equal(refused.exec, 'refused');
      assert.equal((await g.client.call('getInstance', { params: { project, instance } })).name, instance);
    } finally {
      await context.close();
    }
  });

  it('an instance page whose instance is deleted elsewhere says so and offers no controls', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'brief', app, replicas: 0 } });
    await page.goto(`${g.url}/projects/${project}/instances/brief`);
    await page.getByRole('button', { name: 'Restart' }).waitFor();
    await g.client.call('deleteInstance', { params: { project, instance: 'brief' } });
    await page.getByText('Instance brief no longer exists: it was deleted.').waitFor({ timeout: 60_000 });
    for (const name of ['Restart', 'Stop', 'Scale', 'Delete']) assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name} button`);
    await page.getByRole('link', { name: 'Back to the instances' }).click();
    await page.goto(instanceUrl());
  });

  it('deletes it after confirming', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${instance}?` });
    await dialog.getByRole('button', { name: 'Delete instance' }).click();
    await page.waitForURL(`${g.url}/projects/${project}/instances`);
    await page.getByText('No instances yet').waitFor({ timeout: 90_000 });
    await waitFor(async () => (await g.client.call('listInstances', { params: { project } })).length === 0, { timeoutMs: 60_000, what: 'the instance to go' });
  });
});
