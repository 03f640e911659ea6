/**
 * The paged event view in a real browser: browser mode (the built renderer, the real engine and WebSocket) on a
 * library holding the large event, driven by Debian's Chromium through Playwright. It times click-to-first-rows
 * (from clicking the event in the list to its first attribute rows on screen) and saves screenshots of the view at
 * 100 % and 200 % zoom for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Dispatcher } from '../../electron/backend/dispatch';
import { ensureRendererBuilt } from '../../electron/webhost/renderer-build';
import { startWebHost } from '../../electron/webhost/server';
import { CHROMIUM } from '../../playwright.config';

export interface EventUiResult {
  /** Click-to-first-rows, each try (a fresh page load each time). */
  readonly ms: readonly number[];
  readonly screenshots: readonly string[];
}

export async function timeEventInBrowser(dispatcher: Dispatcher, eventInfo: string, outDir: string, tries = 5): Promise<EventUiResult> {
  const staticDir = await ensureRendererBuilt(() => {});
  const host = await startWebHost({ dispatcher, staticDir, port: 0 });
  const browser = await chromium.launch({ headless: true, ...(CHROMIUM ? { executablePath: CHROMIUM } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const ms: number[] = [];
  const screenshots: string[] = [];
  mkdirSync(outDir, { recursive: true });
  try {
    for (const scale of [1, 2]) {
      // 200 % zoom on the same 1280×800 screen: half the CSS pixels, each drawn twice as large.
      const context = await browser.newContext({ viewport: { width: 1280 / scale, height: 800 / scale }, deviceScaleFactor: scale });
      const page = await context.newPage();
      for (let i = 0; i < (scale === 1 ? tries : 1); i++) {
        await page.goto(host.url);
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Events', exact: true }).click();
        const row = page.getByRole('region', { name: 'Event list' }).getByText(eventInfo, { exact: true });
        await row.waitFor();
        const started = performance.now();
        await row.click();
        await page.getByRole('table', { name: 'Attributes' }).getByTestId('attribute-row').first().waitFor({ timeout: 30_000 });
        if (scale === 1) ms.push(performance.now() - started);
      }
      const file = join(outDir, `event-view-${scale * 100}.png`);
      await page.screenshot({ path: file });
      screenshots.push(file);
      await context.close();
    }
  } finally {
    await browser.close();
    await host.close();
  }
  return { ms, screenshots };
}
