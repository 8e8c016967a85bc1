import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { FAST_AUTOSCALING } from '../../../server/test/alerts/support.js';
import { removeProjects, startGureum, TEST_IMAGE, uniqueName, type TestGureum } from '../../../server/test/support/harness.js';
import { assertDashboardBuilt, launchChromium, screenshot, signedInPage } from './browser.js';

const ADMIN_PASSWORD = 'admin-e2e-password';

/**
 * The instance page's Autoscaling tab in a real Chromium against a real Gureum on the real
 * engine: a member autoscales a component on memory (after the form asked for a target), sees
 * the memory figure the autoscaler reads, and a component without a memory limit is refused
 * in words with the form kept.
 */
describe('dashboard autoscaling (real Gureum, real engine, real Chromium)', () => {
  let g: TestGureum;
  let browser: Browser;
  const project = uniqueName('e2e-as');
  const app = uniqueName('as-app');
  const instance = 'web';

  before(async () => {
    assertDashboardBuilt();
    // So that a memory figure comes within the test.
    g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD, ...FAST_AUTOSCALING });
    await g.client.call('createProject', { body: { name: project } });
    await g.client.call('createApp', {
      body: {
        name: app,
        components: [
          { name: 'main', image: TEST_IMAGE, command: ['sleep', '3600'], resources: { memoryBytes: 64 * 1024 * 1024 } },
          { name: 'side', image: TEST_IMAGE, command: ['sleep', '3600'] },
        ],
      },
    });
    await g.client.call('createInstance', { params: { project }, body: { name: instance, app } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await g?.stop();
    await removeProjects(project);
  });

  it('autoscales a component on memory and shows the figure; a component without a memory limit is refused in words', async () => {
    const page = await signedInPage(browser, g.url, { name: 'admin', password: ADMIN_PASSWORD });
    await page.goto(`${g.url}/projects/${project}/instances/${instance}`);
    await page.getByRole('tab', { name: 'Autoscaling' }).click();
    const main = page.getByRole('region', { name: 'Component main' });
    await main.getByText('Not autoscaled').waitFor();

    await main.getByRole('button', { name: 'Autoscale' }).click();
    await main.getByRole('button', { name: 'Save autoscaling' }).click();
    await main.getByRole('alert').getByText('give targetCpuPercent, targetMemoryPercent or both').waitFor();
    await main.getByLabel('Memory target (%)').fill('70');
    await main.getByLabel('Most replicas').fill('2');
    await main.getByRole('button', { name: 'Save autoscaling' }).click();
    await main.getByText('1 (between 1 and 2)').waitFor();
    const cpu = main.locator('dt', { hasText: 'CPU' }).locator('xpath=following-sibling::dd[1]');
    assert.equal(await cpu.innerText(), 'not a target');
    // The autoscaler's first reading of the working set, a small share of 64 MiB.
    await main.getByText(/^\d+\.\d% of the limit \(target 70%\)$/).waitFor({ timeout: 60_000 });
    const policy = await g.client.call('getAutoscale', { params: { project, instance, component: 'main' } });
    assert.deepEqual([policy.targetCpuPercent, policy.targetMemoryPercent, policy.max], [null, 70, 2]);
    assert.ok(policy.lastMemoryPercent !== null && policy.lastMemoryPercent < 70);

    const side = page.getByRole('region', { name: 'Component side' });
    await side.getByRole('button', { name: 'Autoscale' }).click();
    await side.getByLabel('Memory target (%)').fill('50');
    await side.getByRole('button', { name: 'Save autoscaling' }).click();
    await side.getByText('component side has no memory limit (resources.memoryBytes)', { exact: false }).waitFor();
    assert.equal(await side.getByLabel('Memory target (%)').inputValue(), '50', 'a refused form keeps what was typed');
    await screenshot(page, 'instance-autoscaling');

    await main.getByRole('button', { name: 'Stop autoscaling' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop autoscaling' }).click();
    await main.getByText('Not autoscaled').waitFor();
    await page.context().close();
  });
});
