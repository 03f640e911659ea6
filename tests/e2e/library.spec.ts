/**
 * The library end to end against the real engine: import a feed through the wizard, find its events, open one; cache
 * a feed whose hashes.csv has its columns swapped and see the warning in the report; load MISP's default feed list.
 */
import type { Page, TestInfo } from '@playwright/test';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { expect, test } from './browser-mode';

const tweetfeed = sharedPath('fixtures', 'feeds', 'tweetfeed');
const crowdsec = sharedPath('fixtures', 'feeds', 'crowdsec-alerts');
const mispDefaults = sharedPath('reference-data', 'MISP', 'app', 'files', 'feed-metadata', 'defaults.json');

async function go(page: Page, screen: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen, exact: true }).click();
}

async function openInWizard(page: Page, path: string, events: number) {
  await go(page, 'Open feed');
  await page.getByLabel('Feed folder or zip').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('event-count')).toHaveText(String(events));
  await page.getByRole('button', { name: 'Next: choose events' }).click();
  await expect(page.getByTestId('selected-count')).toHaveText(String(events));
  await page.getByRole('button', { name: 'Next: fetch or cache' }).click();
}

async function keepScreenshot(page: Page, info: TestInfo, name: string) {
  const shot = info.outputPath(`${name}.png`);
  await page.screenshot({ path: shot });
  await info.attach(name, { path: shot, contentType: 'image/png' });
}

test.describe('the library in browser mode', () => {
  test(`TweetFeed fetched through the wizard: 365 events listed, one opened with its attributes${needsShared}`, async ({ page, browserMode }, info) => {
    test.skip(!hasShared, '../shared is absent on this clone');
    await page.goto(browserMode.host.url);
    await openInWizard(page, tweetfeed, 365);
    await expect(page.getByText('Fetch all 365 events into tweetfeed.')).toBeVisible();
    await page.getByRole('button', { name: 'Start fetch' }).click();

    // A few seconds of work, with a progress bar; the report replaces it when the engine answers.
    const report = page.getByRole('article', { name: 'Import report' });
    await expect(page.getByRole('progressbar', { name: 'Import progress' }).or(report)).toBeVisible();
    await keepScreenshot(page, info, 'tweetfeed-progress');
    await expect(report.getByRole('heading', { name: 'Fetch done' })).toBeVisible({ timeout: 45_000 });
    await expect(report.getByTestId('count-selected')).toHaveText('365');
    await expect(report.getByTestId('count-rejected')).toHaveText('0');
    const added = Number(await report.getByTestId('count-added').textContent());
    const unchanged = Number(await report.getByTestId('count-unchanged').textContent());
    expect(added + unchanged).toBe(365);
    await expect(page.getByRole('status', { name: 'Background work' })).toContainText('Fetch tweetfeed');
    await keepScreenshot(page, info, 'tweetfeed-report');

    await report.page().getByRole('button', { name: 'Show the events' }).click();
    await expect(page.getByRole('heading', { name: 'Events' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Feed' })).toHaveValue(/\d+/);
    await expect(page.getByTestId('events-total')).toContainText('365 events');
    const list = page.getByRole('region', { name: 'Event list' });
    await expect(list.getByTestId('row').first()).toContainText('TweetFeed IOCs 2026-08-22');

    await list.getByText('TweetFeed IOCs 2026-08-22').click();
    const view = page.getByRole('article', { name: 'Event TweetFeed IOCs 2026-08-22' });
    await expect(view.getByRole('term').filter({ hasText: 'Origin feed' })).toBeVisible();
    await expect(view.getByText('tweetfeed', { exact: true })).toBeVisible();
    const attributes = view.getByRole('table', { name: 'Attributes' });
    await expect(attributes.getByTestId('attribute-row').first()).toBeVisible();
    await expect(view.getByRole('heading', { name: /Attributes 59/ })).toBeVisible();
    await expect(attributes).toContainText('Network activity');
    await keepScreenshot(page, info, 'tweetfeed-event');

    // The feed now shows what was imported from it.
    await go(page, 'Feeds');
    const feedRow = page.getByRole('region', { name: 'Feed list' }).getByTestId('row').filter({ hasText: 'tweetfeed' });
    await expect(feedRow).toContainText('365');
    await keepScreenshot(page, info, 'feeds');
  });

  test(`crowdsec-alerts cached: the report warns that hashes.csv has its columns swapped${needsShared}`, async ({ page, browserMode }, info) => {
    test.skip(!hasShared, '../shared is absent on this clone');
    await page.goto(browserMode.host.url);
    await openInWizard(page, crowdsec, 3);
    await page.getByRole('radio', { name: /Cache/ }).check();
    await page.getByRole('button', { name: 'Start cache' }).click();

    const report = page.getByRole('article', { name: 'Import report' });
    await expect(report.getByRole('heading', { name: 'Cache done' })).toBeVisible({ timeout: 30_000 });
    await expect(report.getByTestId('count-cached-values')).toHaveText('864');
    await expect(report).toContainText('cached from hashes.csv');
    const problems = report.getByRole('table', { name: 'Source problems' });
    await expect(problems.getByRole('row').filter({ hasText: 'have their columns swapped' })).toContainText('hashes.csv');
    await expect(problems.getByRole('row').filter({ hasText: 'have their columns swapped' })).toContainText('line 1');
    await expect(problems.getByRole('row').filter({ hasText: 'have their columns swapped' })).toContainText('warning');
    await keepScreenshot(page, info, 'crowdsec-cache-report');

    // The run is in the import history, and its report reopens from there.
    await go(page, 'Imports');
    const runs = page.getByRole('region', { name: 'Import list' });
    await runs.getByTestId('row').filter({ hasText: '864 values cached' }).first().click();
    await expect(page.getByRole('article', { name: 'Import report' }).getByRole('table', { name: 'Source problems' })).toContainText('columns swapped');
  });

  test(`MISP's default feed list loads as default feeds${needsShared}`, async ({ page, browserMode }, info) => {
    test.skip(!hasShared, '../shared is absent on this clone');
    await page.goto(browserMode.host.url);
    await go(page, 'Feeds');
    await page.getByRole('button', { name: 'Load default feed list…' }).click();
    await page.getByLabel('Metadata file').fill(mispDefaults);
    await page.getByRole('button', { name: 'Load feeds' }).click();
    await expect(page.getByRole('status')).toContainText(/\d+ feeds added/);
    const list = page.getByRole('region', { name: 'Feed list' });
    await expect(list.getByTestId('row').filter({ hasText: 'CIRCL OSINT Feed' })).toContainText(/default feed/i);
    await keepScreenshot(page, info, 'default-feeds');
  });
});
