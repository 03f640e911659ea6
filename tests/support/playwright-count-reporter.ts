// Writes Playwright's pass/fail/skip counts for scripts/test.mjs to add into the closing line.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class CountReporter implements Reporter {
  private readonly counts = { passed: 0, failed: 0, skipped: 0 };
  private readonly final = new Map<string, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.final.set(test.id, result.status); // the last retry decides
  }

  onEnd(_result: FullResult): void {
    for (const status of this.final.values()) {
      if (status === 'passed') this.counts.passed++;
      else if (status === 'skipped') this.counts.skipped++;
      else this.counts.failed++;
    }
    mkdirSync('.test-results', { recursive: true });
    writeFileSync('.test-results/playwright.json', JSON.stringify(this.counts));
  }
}
