import { defineConfig } from 'vitest/config';

// Two environments: pure/backend code under Node, React components under happy-dom.
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/count-reporter.mts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/backend/**/*.test.ts', 'tests/contract/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['tests/renderer/**/*.test.tsx', 'tests/renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
