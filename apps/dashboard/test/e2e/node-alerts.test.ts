import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../../server/test/identity/identity-kit.js';
import { startGureum, type TestGureum } from '../../../server/test/support/harness.js';
import { assertDashboardBuilt, launchChromium, screenshot, signIn } from './browser.js';

const ADMIN_PASSWORD = 'admin-e2e-password';

/**
 * Node alert rules on the nodes page, in a real Chromium against a real Gureum reading the real
 * node: the admin adds a disk rule (form errors in words, the secret once), sees it fire on the
 * node and in the firing alerts, and deletes it; a non-admin sees no node rules.
 */
describe('dashboard node alert rules (real Gureum, real Chromium)', () => {
  let g: TestGureum;
  let browser: Browser;

  before(async () => {
    assertDashboardBuilt();
    g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD, GUREUM_METRICS_INTERVAL_SECONDS: '1', GUREUM_ALERT_INTERVAL_SECONDS: '1' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await g?.stop();
  });

  async function pageOf(user: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await signIn(page, g.url, user, password);
    return page;
  }

  it('the admin adds a disk rule that fires on the node, sees it among the firing alerts, and deletes it', async () => {
    const page = await pageOf('admin', ADMIN_PASSWORD);
    const m = page.locator('main#main');
    await page.goto(`${g.url}/nodes`);
    await m.getByText('No node alert rules yet.').waitFor();
    await m.getByLabel('Name', { exact: true }).fill('disk');
    await m.getByLabel('Threshold').fill('lots');
    await m.getByLabel('Averaged over (seconds)').fill('-5');
    await m.getByRole('button', { name: 'Create rule' }).click();
    await m.getByText('must be a number').waitFor();
    assert.equal(await m.getByLabel('Name', { exact: true }).inputValue(), 'disk', 'a refused form keeps what was typed');

    await m.getByLabel('Threshold').fill('0');
    await m.getByLabel('Averaged over (seconds)').fill('10');
    await m.getByLabel('Webhook URL (optional)').fill('http://127.0.0.1:9/hook');
    await m.getByRole('button', { name: 'Create rule' }).click();
    const secret = await m.getByTestId('shown-once-value').inputValue();
    assert.ok(secret.length >= 16, 'the generated signing secret is shown once');
    await m.getByRole('button', { name: 'I have stored it' }).click();

    const row = m.getByRole('row', { name: /disk/ });
    await row.getByText('node_disk_used_percent > 0 over 10 s').waitFor();
    await row.getByText('firing').waitFor({ timeout: 60_000 });
    const [node] = (await g.client.call('getNodeAlertRule', { params: { alert: 'disk' } })).series;
    assert.ok(node, 'one series for the node');
    await row.getByText(new RegExp(`^${node.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `)).waitFor();
    await screenshot(page, 'node-alerts');

    await page.goto(`${g.url}/admin/alerts`);
    await m.getByRole('row', { name: /disk.*node_disk_used_percent/ }).getByRole('link', { name: node.key }).waitFor();

    await page.goto(`${g.url}/nodes`);
    await m.getByRole('button', { name: 'Delete node rule disk' }).click();
    await page.getByRole('button', { name: 'Delete rule' }).click();
    await m.getByText('No node alert rules yet.').waitFor();
    assert.deepEqual(await g.client.call('listNodeAlertRules', {}), []);
    await page.context().close();
  });

  it('a non-admin sees the nodes but no node alert rules', async () => {
    const user = await createUser(g, 'nora');
    const page = await pageOf(user.name, user.password);
    await page.goto(`${g.url}/nodes`);
    await page.getByRole('table', { name: 'Nodes' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Node alert rules' }).count(), 0);
    await page.context().close();
  });
});
