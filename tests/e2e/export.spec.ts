/**
 * Export end to end in Chromium against the real engine: a feed fetched through the wizard, a signing key made on
 * the Exports screen, a signed export written, and that export opened again in the wizard, which finds its
 * checksums and signature good.
 */
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { expect, test } from './browser-mode';

const crowdsec = sharedPath('fixtures', 'feeds', 'crowdsec-alerts');

async function go(page: Page, screen: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen, exact: true }).click();
}

async function keepScreenshot(page: Page, info: TestInfo, name: string) {
  const shot = info.outputPath(`${name}.png`);
  await page.screenshot({ path: shot });
  await info.attach(name, { path: shot, contentType: 'image/png' });
}

test.describe('exports in browser mode', () => {
  test(`a signed export of crowdsec-alerts, opened again: checksums verified and signed${needsShared}`, async ({ page, browser, browserMode }, info) => {
    test.skip(!hasShared, '../shared is absent on this clone');
    await page.goto(browserMode.host.url);
    await go(page, 'Open feed');
    await page.getByLabel('Feed folder or zip').fill(crowdsec);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('button', { name: 'Next: choose events' }).click();
    await page.getByRole('button', { name: 'Next: fetch or cache' }).click();
    await page.getByRole('button', { name: 'Start fetch' }).click();
    await expect(page.getByRole('article', { name: 'Import report' }).getByRole('heading', { name: 'Fetch done' })).toBeVisible({ timeout: 30_000 });

    await go(page, 'Exports');
    await page.getByRole('button', { name: 'Keys', exact: true }).click();
    const make = page.getByRole('form', { name: 'Make a signing key' });
    await make.getByLabel('Name').fill('CERT Example');
    await make.getByLabel('Passphrase').fill('correct horse battery');
    await make.getByRole('button', { name: 'Make key' }).click();
    await expect(page.getByRole('list', { name: 'Keys' })).toContainText('CERT Example');
    await keepScreenshot(page, info, 'keys');

    await page.getByRole('button', { name: 'New export' }).click();
    const form = page.getByRole('form', { name: 'New export' });
    await expect(form.getByRole('status')).toContainText('3 events');
    await form.getByLabel('Target').fill(join(browserMode.dataDir, 'usb-feed'));
    await form.getByLabel('Sign with').selectOption({ index: 1 });
    await form.getByLabel('Passphrase').fill('correct horse battery');
    await form.getByLabel('Save as profile').fill('USB weekly');
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const result = form.getByRole('region', { name: 'Export result' });
    await expect(result).toContainText('Written to folder', { timeout: 30_000 });
    await expect(result).toContainText('Signed by CERT Example');
    // The run is window work: the top bar says how it ended too.
    await expect(page.getByRole('status', { name: 'Background work' })).toContainText('3 events');
    await expect(page.getByRole('status', { name: 'Background work' })).toContainText('written');
    await keepScreenshot(page, info, 'export-result');
    await expect(page.getByRole('region', { name: 'Export profiles' })).toContainText('USB weekly');
    await expect(page.getByRole('region', { name: 'Export history' }).getByTestId('row')).toHaveCount(1);
    await keepScreenshot(page, info, 'exports-screen');

    await go(page, 'Open feed');
    await page.getByRole('button', { name: 'Open another feed' }).click();
    await page.getByLabel('Feed folder or zip').fill(join(browserMode.dataDir, 'usb-feed'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const verification = page.getByRole('status', { name: 'Verification' });
    await expect(verification).toContainText('Checksums verified');
    await expect(verification).toContainText('Signed by CERT Example');
    await keepScreenshot(page, info, 'wizard-verified');

    // 200 % zoom on the same 1280×800 screen: half the CSS pixels, each drawn twice as large.
    const zoomed = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    const big = await zoomed.newPage();
    await big.goto(browserMode.host.url);
    await go(big, 'Exports');
    await big.getByRole('button', { name: 'USB weekly' }).click();
    const profile = big.getByRole('form', { name: 'Profile USB weekly' });
    await expect(profile.getByRole('status')).toContainText('3 events');
    await expect(profile.getByLabel('Target')).toHaveValue(join(browserMode.dataDir, 'usb-feed'));
    await keepScreenshot(big, info, 'export-profile-200');
    // A dry run from the profile, its outcome in the top bar and its result reopened from there, at 200 %.
    await profile.getByLabel('Passphrase').fill('correct horse battery');
    await profile.getByRole('button', { name: 'Dry run' }).click();
    const topBar = big.getByRole('status', { name: 'Background work' });
    await expect(topBar).toContainText('would be written', { timeout: 30_000 });
    await profile.getByRole('button', { name: 'Close export' }).click();
    await topBar.getByRole('button', { name: 'Result' }).click();
    await expect(big.getByRole('region', { name: 'Export result' })).toContainText('Dry run: nothing was written');
    await keepScreenshot(big, info, 'export-job-200');
    await big.getByRole('button', { name: 'Keys', exact: true }).click();
    await expect(big.getByRole('list', { name: 'Keys' })).toContainText('CERT Example');
    await keepScreenshot(big, info, 'keys-200');
    await zoomed.close();
  });
});
