/**
 * The layering rules are enforced, not reviewed: these tests lint real files of each layer with one forbidden line
 * added, and expect the lint configuration to refuse it. (tsc refuses the same lines through each layer's lib/types.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli';

const eslint = new ESLint({ cwd: PROJECT_ROOT });

async function ruleIdsWith(file: string, extra: string): Promise<string[]> {
  const path = join(PROJECT_ROOT, file);
  const text = `${extra}\n${readFileSync(path, 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath: path });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe('layering is enforced by lint', () => {
  it('accepts the files as they are', async () => {
    expect(await ruleIdsWith('renderer/src/transport/client.ts', '')).toEqual([]);
    expect(await ruleIdsWith('shared/feed/manifest.ts', '')).toEqual([]);
    expect(await ruleIdsWith('electron/backend/engine.ts', '')).toEqual([]);
  });

  it("refuses import 'node:fs' in renderer/", async () => {
    expect(await ruleIdsWith('renderer/src/transport/client.ts', "import 'node:fs';")).toContain('no-restricted-imports');
  });

  it('refuses renderer/ importing electron/ code', async () => {
    expect(await ruleIdsWith('renderer/src/transport/client.ts', "import '../../../electron/backend/engine';")).toContain('no-restricted-imports');
  });

  it('refuses document and process in shared/', async () => {
    expect(await ruleIdsWith('shared/feed/manifest.ts', 'export const t = document.title;')).toContain('no-restricted-globals');
    expect(await ruleIdsWith('shared/feed/manifest.ts', 'export const e = process.env;')).toContain('no-restricted-globals');
  });

  it('refuses any package but zod, and any Node module, in shared/', async () => {
    expect(await ruleIdsWith('shared/feed/manifest.ts', "import 'react';")).toContain('no-restricted-imports');
    expect(await ruleIdsWith('shared/feed/manifest.ts', "import 'node:path';")).toContain('no-restricted-imports');
  });

  it("refuses import {app} from 'electron' in electron/backend/", async () => {
    expect(await ruleIdsWith('electron/backend/engine.ts', "import { app } from 'electron';")).toContain('no-restricted-imports');
  });

  it('refuses ipcMain outside the one helper that checks the sender', async () => {
    expect(await ruleIdsWith('electron/main/window.ts', "import { ipcMain } from 'electron';")).toContain('no-restricted-imports');
    expect(await ruleIdsWith('electron/main/host-ipc.ts', '')).toEqual([]);
  });
});
