import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REGISTRY, startGureum, tempDir, TEST_IMAGE, uniqueName, type TestGureum } from '../../../server/test/support/harness.js';
import { assertDashboardBuilt, launchChromium, screenshot, signedInPage, signIn } from './browser.js';

const ADMIN_PASSWORD = 'admin-e2e-password';
const suffix = uniqueName('img');
const LOADED_REF = `gureum-dash-load/${suffix}:1`;

function docker(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile('docker', args, (err, stdout, stderr) => (err ? reject(new Error(`docker ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim()))));
}

/** Importing images from the Images page: a registry pull and a tarball upload, both with progress. */
describe('dashboard image import (real Gureum, real engine, local registry, real Chromium)', () => {
  let g: TestGureum;
  let browser: Browser;
  let page: Page;
  const work = tempDir('gureum-dash-img-');

  before(async () => {
    assertDashboardBuilt();
    g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD });
    browser = await launchChromium();
    page = await browser.newPage();
    await signIn(page, `${g.url}/images`, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Images', exact: true }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await g?.stop();
    await docker('rmi', LOADED_REF).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('pulls from a registry with a progress bar, and the image is listed', async () => {
    const ref = `${REGISTRY}/gureum-test/busybox:1`;
    await page.getByLabel('Image reference').fill(ref);
    await page.getByRole('button', { name: 'Pull' }).click();
    const bar = page.getByRole('progressbar', { name: 'Pull', exact: true });
    await bar.waitFor();
    await waitForValue(bar, '1');
    await page.getByRole('cell', { name: ref }).waitFor({ timeout: 30_000 });
  });

  it('says in words why a pull failed, and keeps the reference typed', async () => {
    const ref = `${REGISTRY}/gureum-test/${suffix}-absent:1`;
    await page.getByLabel('Image reference').fill(ref);
    await page.getByRole('button', { name: 'Pull' }).click();
    const alert = page.getByRole('form', { name: 'Pull an image' }).getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    assert.match(await alert.innerText(), /could not be pulled|not there/);
    assert.equal(await page.getByLabel('Image reference').inputValue(), ref);
  });

  it('uploads a docker save tarball with progress, and the image is listed', async () => {
    await docker('tag', TEST_IMAGE, LOADED_REF);
    const tar = path.join(work, 'image.tar');
    await docker('save', '-o', tar, LOADED_REF);
    await docker('rmi', LOADED_REF);
    await page.getByLabel('Archive made by docker save').setInputFiles(tar);
    await page.getByRole('button', { name: 'Upload' }).click();
    await waitForValue(page.getByRole('progressbar', { name: 'Upload', exact: true }), '1');
    await page.getByRole('cell', { name: LOADED_REF }).waitFor({ timeout: 60_000 });
    await waitForValue(page.getByRole('progressbar', { name: 'Load', exact: true }), '1');
    await screenshot(page, 'images');
    assert.ok((await docker('images', '-q', LOADED_REF)) !== '');
  });

  it('offers a user who is not the admin no pull or upload, and says who manages images', async () => {
    const user = { name: `dana-${suffix}`, password: 'dana-e2e-password' };
    await g.client.call('createUser', { body: { name: user.name, password: user.password, admin: false } });
    const theirs = await signedInPage(browser, `${g.url}/images`, user);
    try {
      await theirs.getByRole('heading', { name: 'Images', exact: true }).waitFor();
      await theirs.getByText('Images are managed by the administrator').waitFor();
      assert.equal(await theirs.getByRole('form', { name: 'Pull an image' }).count(), 0);
      assert.equal(await theirs.getByRole('form', { name: 'Upload an image' }).count(), 0);
      await theirs.getByRole('cell', { name: LOADED_REF }).waitFor({ timeout: 30_000 });
    } finally {
      await theirs.close();
    }
  });
});

async function waitForValue(bar: ReturnType<Page['getByRole']>, value: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await bar.getAttribute('value')) === value) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`progress never reached ${value} (at ${await bar.getAttribute('value')})`);
}
