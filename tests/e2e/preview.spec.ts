import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { expect, test } from './browser-mode';

const tweetfeed = sharedPath('fixtures', 'feeds', 'tweetfeed');

async function openWizard(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Open feed' }).click();
}

test.describe('feed preview in browser mode', () => {
  test('the page refuses to work without the token', async ({ page, browserMode }) => {
    const response = await page.goto(browserMode.host.url.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
  });

  test('a missing path is explained, not crashed on', async ({ page, browserMode }) => {
    await openWizard(page, browserMode.host.url);
    await page.getByLabel('Feed folder or zip').fill('/nonexistent/feed');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('no such file or folder');
  });

  test(`opening the TweetFeed folder lists its 365 events${needsShared}`, async ({ page, browserMode }, info) => {
    test.skip(!hasShared, '../shared is absent on this clone');
    await openWizard(page, browserMode.host.url);
    // The token is moved out of the address bar once the page has it.
    expect(page.url()).not.toContain('token=');
    await page.getByLabel('Feed folder or zip').fill(tweetfeed);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('event-count')).toHaveText('365');
    await page.getByRole('button', { name: 'Next: choose events' }).click();
    await expect(page.getByRole('region', { name: 'Feed events' }).getByTestId('row').first()).toContainText('TweetFeed IOCs');
    await page.getByRole('searchbox', { name: 'Search feed events' }).fill('2026-08-22');
    await expect(page.getByTestId('shown-count')).toHaveText('1 of 365 shown');
    await page.getByRole('searchbox', { name: 'Search feed events' }).fill('');
    await expect(page.getByTestId('shown-count')).toHaveText('365 shown');
    const shot = info.outputPath('preview-tweetfeed.png');
    await page.screenshot({ path: shot, fullPage: true });
    await info.attach('preview', { path: shot, contentType: 'image/png' });
  });

  test(`dropping a zip of the feed previews it too${needsShared}`, async ({ page, browserMode }) => {
    test.skip(!hasShared, '../shared is absent on this clone');
    const dir = mkdtempSync(join(tmpdir(), 'ferry-zip-'));
    const zipPath = join(dir, 'crowdsec.zip');
    execFileSync('python3', ['-c', `import shutil; shutil.make_archive(${JSON.stringify(zipPath.slice(0, -4))}, 'zip', ${JSON.stringify(sharedPath('fixtures', 'feeds', 'crowdsec-alerts'))})`]);
    expect(existsSync(zipPath)).toBe(true);
    await openWizard(page, browserMode.host.url);
    const bytes = readFileSync(zipPath);
    const dataTransfer = await page.evaluateHandle((b64) => {
      const bin = atob(b64);
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([arr], 'crowdsec.zip', { type: 'application/zip' }));
      return dt;
    }, bytes.toString('base64'));
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
    await expect(page.getByTestId('event-count')).toHaveText('3');
    await expect(page.getByTestId('source-summary')).toContainText('zip');
  });
});
