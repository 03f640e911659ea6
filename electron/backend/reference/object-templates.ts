/**
 * MISP object templates from disk: a misp-objects checkout (templates under `objects/`) or any folder of
 * `<name>/definition.json`, as PyMISP's misp_objects_path_custom takes.
 */
import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ErrorCode } from '../../../shared/ipc/envelope';
import { parseTemplate, type ObjectTemplate } from '../../../shared/misp-objects/template';

export type ObjectTemplatesLoad =
  | {
      readonly ok: true;
      /** Keyed by template name (the `name` in each definition). */
      readonly templates: Map<string, ObjectTemplate>;
      /** Definitions that could not be used at all; each names its file. */
      readonly problems: string[];
      /** Templates kept with something left out or defaulted (a relation of an unknown type...). */
      readonly warnings: string[];
    }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Real definitions are a few kB (the largest about 60 kB); anything far bigger is not one. */
const MAX_DEFINITION_BYTES = 4 * 1024 * 1024;
/** Enough to hide the file system's latency without opening hundreds of files at once. */
const READ_CONCURRENCY = 16;

type Loaded = { template?: ObjectTemplate; shown: string; problems: string[]; warnings: string[] };

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function loadOne(root: string, folder: string, file: string): Promise<Loaded> {
  // Messages name the file relative to what the user gave, with `/` on every platform, as misp-objects spells it.
  const shown = relative(root, file).split(sep).join('/');
  const failed = (message: string): Loaded => ({ shown, problems: [`${shown}: ${message}`], warnings: [] });
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      if (size > MAX_DEFINITION_BYTES) return failed(`${size} bytes is far too large for a template definition; skipped`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    // A sub-folder without a definition is simply not a template: a folder of templates may hold other things.
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return { shown, problems: [], warnings: [] };
    return failed(`cannot be read (${(e as Error).message}); skipped`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return failed(`is not valid JSON (${(e as Error).message}); skipped`);
  }
  const parsed = parseTemplate(json, shown);
  if (!parsed.ok) return { shown, problems: parsed.problems, warnings: [] };
  const warnings = [...parsed.warnings];
  if (parsed.template.name !== folder) {
    warnings.push(`${shown}: name: is "${parsed.template.name}" but the folder is "${folder}"; the template is known by its name`);
  }
  return { template: parsed.template, shown, problems: [], warnings };
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Every template under `dir`. A definition that cannot be used is reported in `problems` and left out; the
 * rest still load. Fails only when `dir` is missing or holds no templates at all.
 */
export async function loadObjectTemplates(dir: string): Promise<ObjectTemplatesLoad> {
  let info: Stats;
  try {
    info = await stat(dir);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, code: 'not-found', message: `${dir}: no such folder` };
    return { ok: false, code: 'unavailable', message: `${dir} cannot be read: ${(e as Error).message}` };
  }
  if (!info.isDirectory()) {
    return { ok: false, code: 'bad-source', message: `${dir} is a file; give a misp-objects folder (the one holding objects/)` };
  }
  const objects = join(dir, 'objects');
  const base = (await isDirectory(objects)) ? objects : dir;

  let folders: string[];
  try {
    const entries = await readdir(base, { withFileTypes: true });
    // Symbolic links are followed (a linked template folder is still a template); dot-folders are never templates.
    folders = entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => e.name);
  } catch (e) {
    return { ok: false, code: 'bad-source', message: `${base} cannot be listed: ${(e as Error).message}` };
  }
  folders.sort();
  const loaded = await mapLimited(folders, READ_CONCURRENCY, (folder) => loadOne(dir, folder, join(base, folder, 'definition.json')));

  const found = loaded.filter((l) => l.template !== undefined || l.problems.length > 0);
  if (found.length === 0) {
    const hint = (await stat(join(dir, 'definition.json')).then(() => true, () => false))
      ? 'it is a single template\'s folder; give the folder that holds it'
      : 'give a misp-objects checkout (with objects/) or a folder of <name>/definition.json';
    return { ok: false, code: 'bad-source', message: `${dir} holds no object templates: ${hint}` };
  }

  const templates = new Map<string, ObjectTemplate>();
  const firstFile = new Map<string, string>();
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const item of loaded) {
    problems.push(...item.problems);
    const template = item.template;
    if (template === undefined) continue;
    const earlier = firstFile.get(template.name);
    if (earlier !== undefined) {
      problems.push(`${item.shown}: name: "${template.name}" is also the name of ${earlier}; this one skipped, rename one of them`);
      continue;
    }
    templates.set(template.name, template);
    firstFile.set(template.name, item.shown);
    warnings.push(...item.warnings);
  }
  return { ok: true, templates, problems, warnings };
}
