// Lint, including the layering rules that keep each folder in its lane (see docs in README "Layout").
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Bare built-in names are matched exactly (as `paths`), so a folder that happens to be called `events` is not banned.
const NODE_BUILTIN_NAMES = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'stream/promises', 'url', 'util', 'worker_threads', 'zlib', 'buffer', 'events'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', '.ferry-dev/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Plain JavaScript glue (bin, scripts, configs) is not part of a TypeScript project.
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', __dirname: 'readonly', module: 'writable' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Playwright's fixture API requires an empty destructuring pattern for fixtures without dependencies.
    files: ['tests/e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      // Pure code: nothing of Node, the DOM, React, Electron or the app. Only relative imports and allow-listed
      // packages whose typings do not drag Node globals back in.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\.{1,2}/|zod$)', message: 'shared/ imports only relative files and zod' }] }],
      'no-restricted-globals': ['error', 'process', 'document', 'window', 'Buffer', 'require', '__dirname', 'globalThis', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Advice for the React Compiler, which this project does not use; TanStack Table is fine without it.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'the renderer talks to Electron only through the preload host API' },
            ...NODE_BUILTIN_NAMES.map((name) => ({ name, message: 'the renderer runs in a sandboxed page: no Node modules' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'the renderer runs in a sandboxed page: no Node modules' },
            { regex: '(^|/)electron/', message: 'the renderer never imports electron/ code; use the IPC contract in shared/ipc' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'require', '__dirname', 'Buffer'],
    },
  },
  {
    files: ['electron/backend/**/*.ts', 'electron/cli/**/*.ts', 'electron/webhost/**/*.ts', 'electron/utility/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the engine runs without Electron (CLI, browser mode, tests): pass paths and settings in' }],
          patterns: [{ regex: '(^|/)(renderer|main|preload)/', message: 'the engine does not reach into the UI or the Electron shell' }],
        },
      ],
    },
  },
  {
    // SQL lives in named query modules under electron/backend/db/: nowhere else prepares, runs or configures it.
    files: ['electron/**/*.ts'],
    ignores: ['electron/backend/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(prepare|exec|pragma)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in a query module under electron/backend/db/ (see db/queries/)',
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    ignores: ['electron/main/host-ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'ipcMain only in electron/main/host-ipc.ts, which checks the sender' }] },
      ],
    },
  },
);
