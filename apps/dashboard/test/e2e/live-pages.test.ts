import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GureumClient } from '@gureum/contract';
import type { Browser, Page } from 'playwright-core';
import { createToken, createUser, type TestUser } from '../../../server/test/identity/identity-kit.js';
import { removeProjects, startGureum, uniqueName, type TestGureum } from '../../../server/test/support/harness.js';
import { assertDashboardBuilt, launchChromium, mainOf as main, screenshot, signedInPage } from './browser.js';

/**
 * Pages that follow membership and token events in a real Chromium against a real Gureum: what
 * one browser changes shows in another without a reload, and the audit log reads newest first.
 */
describe('dashboard live members and tokens (real Gureum, real Chromium)', () => {
  let g: TestGureum;
  let browser: Browser;
  let owner: TestUser;
  let viewer: TestUser;
  let newcomer: TestUser;
  const project = uniqueName('e2e-live');

  before(async () => {
    assertDashboardBuilt();
    g = await startGureum();
    [owner, viewer, newcomer] = await Promise.all([createUser(g, uniqueName('olga')), createUser(g, uniqueName('vlad')), createUser(g, uniqueName('nina'))]);
    await new GureumClient({ baseUrl: g.url, token: owner.token }).call('createProject', { body: { name: project } });
    await g.client.call('putMember', { params: { project, user: viewer.name }, body: { role: 'viewer' } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await g?.stop();
    await removeProjects(project);
  });

  /** A page of its own browser context (its own session), signed in, at `path`, with the event stream live. */
  async function openAs(user: TestUser, path: string): Promise<Page> {
    const page = await signedInPage(browser, g.url, user);
    await page.goto(`${g.url}${path}`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    // Gone if the page reloads: what shows later came live.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    return page;
  }

  const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  it("shows a member the owner adds in another browser, then the new role and the removal, without a reload", async () => {
    const watching = await openAs(viewer, `/projects/${project}/members`);
    await main(watching).getByRole('row', { name: new RegExp(owner.name) }).waitFor();
    const owning = await openAs(owner, `/projects/${project}/members`);

    await main(owning).getByLabel('User name', { exact: true }).fill(newcomer.name);
    await main(owning).getByLabel('Role', { exact: true }).selectOption('member');
    await owning.getByRole('button', { name: 'Add member' }).click();
    const row = main(watching).getByRole('row', { name: new RegExp(newcomer.name) });
    await row.getByRole('cell', { name: 'member', exact: true }).waitFor();

    await main(owning).getByLabel(`Role of ${newcomer.name}`).selectOption('viewer');
    await row.getByRole('cell', { name: 'viewer', exact: true }).waitFor();
    await screenshot(watching, 'live-members');
    await main(owning).getByRole('button', { name: `Remove ${newcomer.name}` }).click();
    await owning.getByRole('button', { name: 'Remove member' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal(await notReloaded(watching), true, 'the page was not reloaded');

    // The owner's audit log of the project: the removal is the newest entry, on top.
    await owning.goto(`${g.url}/projects/${project}/audit`);
    const firstRow = main(owning).getByRole('table', { name: `Audit log of ${project}` }).getByRole('row').nth(1);
    await firstRow.getByRole('cell', { name: 'deleteMember' }).waitFor();
    assert.equal(await owning.getByRole('button', { name: 'Older →' }).isDisabled(), true, 'one page: nothing older');
    await owning.context().close();
    await watching.context().close();
  });

  it('lists a token made elsewhere (the CLI, another browser) without a reload', async () => {
    const page = await openAs(owner, '/tokens');
    await main(page).getByRole('table', { name: 'Your API tokens' }).waitFor();
    await createToken(g, { token: owner.token }, { name: 'from-elsewhere' });
    await main(page).getByRole('row', { name: /from-elsewhere/ }).waitFor();
    assert.equal(await notReloaded(page), true);
    await page.context().close();
  });
});
