import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GureumClient } from '@gureum/contract';
import type { Browser, Page } from 'playwright-core';
import { callRoute, codeOf, createUser, type TestUser } from '../../../server/test/identity/identity-kit.js';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../../../server/test/support/harness.js';
import { assertDashboardBuilt, launchChromium, screenshot, signIn } from './browser.js';

const SECRET_VALUE = 'hunter2-e2e-never-shown';
const ADMIN_PASSWORD = 'admin-e2e-password';

/**
 * The governance pages in a real Chromium against a real Gureum: an owner stores a secret (its
 * value never comes back), adds a member, creates a token (shown once) and sees the project's
 * usage; a viewer gets no member controls and the API refuses them anyway.
 */
describe('dashboard admin pages (real Gureum, real Chromium)', () => {
  let g: TestGureum;
  let browser: Browser;
  let owner: TestUser;
  let viewer: TestUser;
  let mark: TestUser;
  const project = uniqueName('e2e-adm');

  before(async () => {
    assertDashboardBuilt();
    g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD });
    owner = await createUser(g, uniqueName('olivia'));
    viewer = await createUser(g, uniqueName('victor'));
    mark = await createUser(g, uniqueName('mark'));
    // Whoever creates a project owns it.
    await new GureumClient({ baseUrl: g.url, token: owner.token }).call('createProject', { body: { name: project } });
    await g.client.call('putMember', { params: { project, user: viewer.name }, body: { role: 'viewer' } });
    await g.client.call('updateQuota', { params: { project }, body: { volumes: 2, instances: 5 } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await g?.stop();
    await removeProjects(project);
  });

  /** The page's own content, apart from the top bar (whose New project dialog also has a Name field). */
  const main = (page: Page) => page.locator('main#main');

  async function ownerPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: g.url });
    const page = await context.newPage();
    await signIn(page, g.url, owner.name, owner.password);
    return page;
  }

  it('an owner stores a secret whose value is never shown again', async () => {
    const page = await ownerPage();
    await page.goto(`${g.url}/projects/${project}/secrets`);
    await main(page).getByLabel('Name', { exact: true }).fill('db-password');
    const value = main(page).getByLabel('Value', { exact: true });
    assert.equal(await value.getAttribute('type'), 'password', 'the value is masked while typed');
    await value.fill(SECRET_VALUE);
    await page.getByRole('button', { name: 'Store secret' }).click();
    await page.getByText('Secret db-password stored').waitFor();
    const row = page.getByRole('row', { name: /db-password/ });
    await row.waitFor();
    assert.match(await row.innerText(), /\b1\b/, 'version 1 is listed');
    assert.equal(await value.inputValue(), '', 'the value field is cleared once stored');
    // Replacing starts from an empty value: the old one is never filled in.
    await row.getByRole('button', { name: 'Replace the value of db-password' }).click();
    assert.equal(await main(page).getByLabel('Value', { exact: true }).inputValue(), '');
    assert.ok(!(await page.content()).includes(SECRET_VALUE), 'the value is nowhere in the page');
    const listed = await callRoute(g, 'listSecrets', { params: { project }, token: owner.token });
    assert.ok(!JSON.stringify(listed.body).includes(SECRET_VALUE), 'nor in the API');
    await screenshot(page, 'admin-secrets');

    // A refused name keeps what was typed and says why beside the field.
    await main(page).getByLabel('Name', { exact: true }).fill('Bad Name');
    await main(page).getByLabel('Value', { exact: true }).fill('x');
    await page.getByRole('button', { name: 'Store secret' }).click();
    await page.getByText(/must be a DNS label/).waitFor();
    assert.equal(await main(page).getByLabel('Name', { exact: true }).inputValue(), 'Bad Name');
    assert.equal(await main(page).getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.context().close();
  });

  it('an owner adds a member, and the last owner cannot step down', async () => {
    const page = await ownerPage();
    await page.goto(`${g.url}/projects/${project}/members`);
    await main(page).getByLabel('User name', { exact: true }).fill(mark.name);
    await main(page).getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('row', { name: new RegExp(mark.name) }).waitFor();
    const members = await g.client.call('listMembers', { params: { project } });
    assert.equal(members.find((m) => m.user === mark.name)?.role, 'member');

    // The only owner making itself a viewer: refused, in words, on its row.
    await main(page).getByLabel(`Role of ${owner.name}`).selectOption('viewer');
    await page.getByText(/needs at least one owner/).waitFor();
    assert.equal(await main(page).getByLabel(`Role of ${owner.name}`).inputValue(), 'owner');
    await screenshot(page, 'admin-members');
    await page.context().close();
  });

  it('an owner creates a token and sees it once, with a copy button', async () => {
    const page = await ownerPage();
    await page.goto(`${g.url}/tokens`);
    await main(page).getByLabel('Name', { exact: true }).fill('ci');
    await main(page).getByLabel('Expires').selectOption('7');
    await main(page).getByLabel('Read-only (cannot change anything)').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('shown-once-value');
    await shown.waitFor();
    const token = await shown.inputValue();
    assert.ok(token.length > 20, 'the token is shown');
    await page.getByText(/cannot show it again/).waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText(/Copied to the clipboard|text is selected/).waitFor();
    await screenshot(page, 'admin-token-once');

    // It is a working read-only token that expires within the week.
    const me = await new GureumClient({ baseUrl: g.url, token }).call('whoami', {});
    assert.equal(me.user.name, owner.name);
    assert.equal(me.token?.readOnly, true);
    assert.ok(me.token?.expiresAt && Date.parse(me.token.expiresAt) - Date.now() < 8 * 86_400_000);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('row', { name: /\bci\b/ }).waitFor();
    assert.ok(!(await page.content()).includes(token), 'once dismissed, the token is gone from the page');
    await page.reload();
    await page.getByRole('row', { name: /\bci\b/ }).waitFor();
    assert.ok(!(await page.content()).includes(token), 'and never comes back');
    await page.context().close();
  });

  it('an owner creates a volume and sees the usage against the quota', async () => {
    const page = await ownerPage();
    await page.goto(`${g.url}/projects/${project}/volumes`);
    await main(page).getByLabel('Name', { exact: true }).fill('data');
    await main(page).getByLabel('Size (optional)').fill('1GiB');
    await page.getByRole('button', { name: 'Create volume' }).click();
    const row = page.getByRole('row', { name: /data/ });
    await row.waitFor();
    assert.match(await row.innerText(), /1\.00 GiB/);
    await screenshot(page, 'admin-volumes');

    await page.goto(`${g.url}/projects/${project}/quota`);
    const volumes = page.getByRole('meter', { name: 'Volumes used' });
    await volumes.waitFor();
    assert.equal(await volumes.getAttribute('aria-valuetext'), '1 of 2');
    assert.equal(await volumes.getAttribute('aria-valuenow'), '50');
    assert.match(await page.getByTestId('usage-instances').innerText(), /0 of 5/);
    // Only the admin edits limits.
    assert.equal(await page.getByRole('button', { name: 'Save limits' }).count(), 0);
    await screenshot(page, 'admin-quota');

    // The same page on a phone, in the dark theme.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByRole('meter', { name: 'Volumes used' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await screenshot(page, 'admin-quota-phone-dark');
    await page.context().close();
  });

  it('deleting a mounted volume is refused, and the page says which instance holds it', async () => {
    const page = await ownerPage();
    await page.goto(`${g.url}/projects/${project}/volumes`);
    await main(page).getByRole('row', { name: /data.*nothing/ }).waitFor();
    const app = uniqueName('e2e-vol-app');
    await g.client.call('createApp', { body: busyboxApp(app, { volumes: [{ volume: 'data', mountPath: '/data' }] }) });
    await new GureumClient({ baseUrl: g.url, token: owner.token }).call('createInstance', { params: { project }, body: { name: 'web', app } });
    // The list follows the event stream: the new mount shows without a reload.
    await main(page).getByRole('row', { name: /data.*web/ }).waitFor();
    await main(page).getByRole('button', { name: 'Delete volume data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete volume data?' });
    await dialog.getByRole('button', { name: 'Delete volume' }).click();
    await dialog.getByText('This volume is still mounted by instance web').waitFor();
    await dialog.getByText('VOLUME_IN_USE').waitFor();
    await screenshot(page, 'admin-volume-in-use');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await g.client.call('listVolumes', { params: { project } })).length, 1, 'nothing was deleted');
    await page.context().close();
  });

  it('an owner reads the project audit log, filtered, and the nodes with their capacity', async () => {
    const page = await ownerPage();
    await page.goto(`${g.url}/projects/${project}/audit`);
    await page.getByRole('cell', { name: 'putSecret' }).first().waitFor();
    await main(page).getByLabel('Action contains').fill('Member');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('cell', { name: 'putMember' }).first().waitFor();
    assert.equal(await page.getByRole('cell', { name: 'putSecret' }).count(), 0, 'the filter applies');
    await screenshot(page, 'admin-audit');

    await page.goto(`${g.url}/nodes`);
    await page.getByRole('table', { name: 'Nodes' }).waitFor();
    // Use comes from the node samples, polled: it shows once the first sample is taken.
    const memory = main(page).getByRole('meter', { name: /^Memory of / }).first();
    await memory.waitFor({ timeout: 60_000 });
    // The machine's use may be under or over 1 GiB: the unit follows the figure.
    assert.match((await memory.getAttribute('aria-valuetext')) ?? '', /^[\d.]+ [KMGT]iB of [\d.]+ [MGT]iB$/);
    await screenshot(page, 'admin-nodes');

    await page.context().close();
  });

  it('a member writes an alert rule: form errors in words, the webhook secret once, edit, deliveries', async () => {
    const page = await ownerPage();
    const m = main(page);
    await page.goto(`${g.url}/projects/${project}/alerts`);
    await m.getByText('No alert rules yet.').waitFor();
    await m.getByLabel('Name', { exact: true }).fill('cpu-high');
    await m.getByLabel('Threshold').fill('lots');
    await m.getByLabel('Watch').selectOption('instance');
    await m.getByLabel('Webhook URL (optional)').fill('http://127.0.0.1:9/hook');
    await m.getByRole('button', { name: 'Create rule' }).click();
    await m.getByText('must be a number').waitFor();
    await m.getByText('scope instance needs target = an instance name').waitFor();
    assert.equal(await m.getByLabel('Name', { exact: true }).inputValue(), 'cpu-high', 'a refused form keeps what was typed');

    // A target that does not exist: the API says so, in words, and the form stays.
    await m.getByLabel('Threshold').fill('0.5');
    await m.getByLabel('Target').fill('nope');
    await m.getByRole('button', { name: 'Create rule' }).click();
    await m.getByText('instance nope does not exist').waitFor();
    await m.getByLabel('Target').fill('web');
    await m.getByRole('button', { name: 'Create rule' }).click();

    const secret = await m.getByTestId('shown-once-value').inputValue();
    assert.ok(secret.length >= 16, 'the generated signing secret is shown once');
    await m.getByText(/It is not shown again/).waitFor();
    await screenshot(page, 'admin-alert-secret');
    await m.getByRole('button', { name: 'I have stored it' }).click();
    const row = m.getByRole('row', { name: /cpu-high/ });
    await row.getByText('avg cpu_cores of instance web > 0.5 over 60 s').waitFor();
    assert.ok(!(await page.content()).includes(secret), 'once dismissed, the secret is gone from the page');

    await row.getByRole('button', { name: 'Edit rule cpu-high' }).click();
    assert.equal(await m.getByLabel('Threshold').inputValue(), '0.5', 'the edit form starts from the rule');
    await m.getByLabel('Threshold').fill('0.9');
    await m.getByRole('button', { name: 'Save rule' }).click();
    await row.getByText('avg cpu_cores of instance web > 0.9 over 60 s').waitFor();
    assert.equal(await m.getByTestId('shown-once-value').count(), 0, 'the kept secret is not shown again');
    const rule = await g.client.call('getAlertRule', { params: { project, alert: 'cpu-high' } });
    assert.equal(rule.threshold, 0.9);
    assert.equal(rule.webhook?.url, 'http://127.0.0.1:9/hook');

    await row.getByRole('button', { name: 'Webhook deliveries of cpu-high' }).click();
    await m.getByRole('heading', { name: 'Webhook deliveries of cpu-high' }).waitFor();
    await m.getByText(/No notices sent yet|firing|resolved/).first().waitFor();
    await screenshot(page, 'admin-alerts');
    await page.context().close();
  });

  it('the admin edits the limits, reads the whole audit log and the firing alerts', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await signIn(page, g.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${g.url}/projects/${project}/quota`);
    const memory = main(page).getByLabel('Memory', { exact: true });
    await memory.fill('lots');
    await main(page).getByRole('button', { name: 'Save limits' }).click();
    await main(page).getByText('write a size like 512MiB or 4GiB').waitFor();
    assert.equal(await memory.inputValue(), 'lots', 'a refused form keeps what was typed');
    await memory.fill('8GiB');
    await main(page).getByLabel('Volumes', { exact: true }).fill('3');
    await main(page).getByRole('button', { name: 'Save limits' }).click();
    await main(page).getByRole('meter', { name: 'Volumes used' }).and(page.locator('[aria-valuetext="1 of 3"]')).waitFor();
    const usage = await g.client.call('getUsage', { params: { project } });
    assert.equal(usage.quota.memoryBytes, 8 * 1024 ** 3);
    assert.equal(usage.quota.volumes, 3);
    assert.equal(usage.quota.instances, 5, 'limits left alone stay');
    await screenshot(page, 'admin-quota-edit');

    await page.goto(`${g.url}/admin/audit`);
    await main(page).getByLabel('Who').fill(owner.name);
    await main(page).getByRole('button', { name: 'Apply' }).click();
    await main(page).getByRole('cell', { name: 'createVolume' }).first().waitFor();
    assert.equal(await main(page).getByRole('cell', { name: 'updateQuota' }).count(), 0, 'only the chosen user’s entries');
    await screenshot(page, 'admin-audit-global');

    await page.goto(`${g.url}/admin/alerts`);
    await main(page).getByText(/Nothing is firing|could not do this|went wrong inside Gureum/).first().waitFor();
    await screenshot(page, 'admin-firing-alerts');
    await context.close();
  });

  it('the admin changes the settings; a mistake is named at its field; a user is then offered no New project', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, g.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = main(page).getByRole('form', { name: 'Settings' });
    await form.getByLabel('Denied ranges').waitFor();
    assert.match(await form.getByLabel('Denied ranges').inputValue(), /^127\.0\.0\.0\/8$/m, 'the default deny list is shown');
    await form.getByLabel('Who may create projects').selectOption('admins');
    await form.getByLabel('Memory', { exact: true }).nth(1).fill('256MiB');
    await form.getByLabel('Allowed ranges').fill('10.1.0.0/16\n10.2.0.0/33');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('must be an address range such as 10.0.0.0/8').waitFor();
    assert.equal((await g.client.call('getSettings', {})).projectCreation, 'everyone', 'nothing saved while a field is wrong');
    await form.getByLabel('Allowed ranges').fill('10.1.0.0/16');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const settings = await g.client.call('getSettings', {});
    assert.equal(settings.projectCreation, 'admins');
    assert.equal(settings.defaultResources.memoryBytes, 256 * 1024 * 1024);
    assert.deepEqual(settings.webhooks.allow, ['10.1.0.0/16']);
    assert.equal(settings.webhooks.deny.length, 6, 'the deny list kept');
    await screenshot(page, 'admin-settings');
    assert.equal(await page.getByRole('button', { name: 'New project' }).count(), 1, 'the admin still may');
    await context.close();

    const userContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const userPage = await userContext.newPage();
    await signIn(userPage, g.url, mark.name, mark.password);
    await userPage.getByTestId('whoami').waitFor();
    assert.equal(await userPage.getByRole('button', { name: 'New project' }).count(), 0);
    assert.equal(await userPage.getByRole('link', { name: 'Settings' }).count(), 0, 'no admin pages offered');
    await userContext.close();
    await g.client.call('updateSettings', { body: { projectCreation: 'everyone', defaultResources: { memoryBytes: null }, webhooks: { allow: [] } } });
  });

  it('a viewer sees no member controls, and the API refuses them anyway', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await signIn(page, g.url, viewer.name, viewer.password);
    await page.goto(`${g.url}/projects/${project}/members`);
    await page.getByRole('row', { name: new RegExp(owner.name) }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add member' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Remove/ }).count(), 0);
    assert.equal(await main(page).getByLabel(/^Role of/).count(), 0, 'roles are text, not selects');
    await page.getByText('Only its owners change this').waitFor();
    await screenshot(page, 'admin-members-viewer');
    await context.close();

    const refused = await callRoute(g, 'putMember', { params: { project, user: viewer.name }, body: { role: 'owner' }, token: viewer.token });
    assert.equal(refused.status, 403);
    assert.equal(codeOf(refused), 'FORBIDDEN');
  });
});
