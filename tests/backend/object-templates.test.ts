// Object templates read from disk: the real misp-objects set (when ../shared is present) and the layouts and
// failures the loader must tell apart, on small folders made here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadObjectTemplates } from '../../electron/backend/reference/object-templates';
import { buildNamedObject, type BuildObjectOptions } from '../../shared/misp-objects/build-object';
import type { ObjectTemplate } from '../../shared/misp-objects/template';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

function options(): BuildObjectOptions {
  let n = 0;
  return { newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, timestamp: 1_709_287_200 };
}

async function load(dir: string): Promise<{ templates: Map<string, ObjectTemplate>; problems: string[]; warnings: string[] }> {
  const loaded = await loadObjectTemplates(dir);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded;
}

/**
 * Templates of this snapshot that list a category MISP does not allow for the type (ports under External
 * analysis...), list values the type refuses (personification's shoe sizes), or carry both values_list and
 * sane_default. They load with a warning; anything beyond these is news worth a look.
 */
const KNOWN_WARNINGS = new Set([
  'crowdsec-ip-context',
  'cti-transmute-conversion',
  'cytomic-orion-file',
  'cytomic-orion-machine',
  'ddos',
  'domain-ip',
  'google-threat-intelligence-report',
  'ip-port',
  'irc',
  'netflow',
  'network-connection',
  'network-data',
  'network-socket',
  'network-traffic',
  'personification',
  'shodan-report',
  'trusted-timestamp',
]);

const cowrie = {
  session: 'a1b2c3d4e5f6',
  username: 'root',
  password: ['1234', 'admin'],
  src_ip: '198.51.100.7',
  src_port: 50122,
  dst_ip: '192.0.2.10',
  dst_port: 22,
  protocol: 'ssh',
  timestamp: '2024-03-01T10:00:00Z',
};

describe.skipIf(!hasShared)('the misp-objects reference set' + needsShared, () => {
  const checkout = sharedPath('reference-data', 'misp-objects');

  it('loads every template, with no problems and only the known warnings', async () => {
    const { templates, problems, warnings } = await load(checkout);
    expect(templates.size).toBeGreaterThanOrEqual(300);
    expect(templates.size).toBeLessThan(1000);
    expect(problems).toEqual([]);
    const warned = new Set(warnings.map((w) => /^objects\/([^/]+)\/definition\.json: /.exec(w)?.[1] ?? w));
    expect([...warned].filter((name) => !KNOWN_WARNINGS.has(name))).toEqual([]);
    for (const name of ['cowrie', 'file', 'domain-ip', 'url']) expect(templates.has(name)).toBe(true);
  });

  it('reads a folder of <name>/definition.json (the objects/ folder itself) the same way', async () => {
    const fromCheckout = await load(checkout);
    const fromObjects = await load(join(checkout, 'objects'));
    expect([...fromObjects.templates.keys()]).toEqual([...fromCheckout.templates.keys()]);
    // Messages are relative to the folder given.
    expect(fromObjects.warnings[0]).toMatch(/^crowdsec-ip-context\/definition\.json: /);
  });

  it('builds a cowrie object MISP would take', async () => {
    const { templates } = await load(checkout);
    const result = buildNamedObject(templates, 'cowrie', cowrie, options());
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    expect(result.warnings).toEqual([]);
    const { object } = result;
    expect(object).toMatchObject({
      name: 'cowrie',
      metaCategory: 'network',
      templateUuid: 'ae085d32-6534-4d52-b3eb-063fccb753e7',
      templateVersion: 3,
      references: [],
    });
    const row = (relation: string) => object.attributes.filter((a) => a.objectRelation === relation);
    expect(row('password').map((a) => a.value)).toEqual(['1234', 'admin']);
    expect(row('src_ip')[0]).toMatchObject({ type: 'ip-src', category: 'Network activity', toIds: true, disableCorrelation: false });
    expect(row('dst_port')[0]).toMatchObject({ type: 'port', value: '22', toIds: false, disableCorrelation: true });
    expect(row('timestamp')[0]).toMatchObject({ type: 'datetime', value: '2024-03-01T10:00:00.000000+0000' });
    expect(object.attributes).toHaveLength(10);
    expect(new Set([object.uuid, ...object.attributes.map((a) => a.uuid)]).size).toBe(11);
  });

  it('refuses a cowrie object without its session, with a bad address, or under an unknown name', async () => {
    const { templates } = await load(checkout);
    const { session: _session, ...noSession } = cowrie;
    expect(buildNamedObject(templates, 'cowrie', noSession, options())).toEqual({
      ok: false,
      reasons: ['session is required by the cowrie template; give a value for it'],
    });
    const badAddress = buildNamedObject(templates, 'cowrie', { ...cowrie, src_ip: '198.51.100.300' }, options());
    expect(badAddress).toMatchObject({ ok: false, reasons: [expect.stringMatching(/^src_ip: ip-src value "198\.51\.100\.300" rejected: /)] });
    expect(buildNamedObject(templates, 'Cowrie', cowrie, options())).toEqual({
      ok: false,
      reasons: ['there is no object template called "Cowrie"; did you mean "cowrie"?'],
    });
    expect(buildNamedObject(templates, 'kippo', cowrie, options())).toMatchObject({ ok: false, reasons: [expect.stringContaining('no object template called "kippo"')] });
  });

  it("takes required and values_list from the real templates (domain-ip, credential's format)", async () => {
    const { templates } = await load(checkout);
    expect(buildNamedObject(templates, 'domain-ip', {}, options())).toMatchObject({
      ok: false,
      reasons: [expect.stringContaining('the domain-ip template needs at least one of')],
    });
    expect(templates.get('credential')?.attributes.get('format')?.valuesList).toEqual(['clear-text', 'hashed', 'encrypted', 'unknown']);
    const refused = buildNamedObject(templates, 'credential', { password: 'x', format: 'base64' }, options());
    expect(refused).toMatchObject({ ok: false, reasons: [expect.stringContaining("format: \"base64\" is not one of the template's values")] });
  });
});

/** Writes `<name>/definition.json` under `dir` with the given content (an object is written as JSON). */
function definition(dir: string, name: string, content: unknown): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'definition.json'), typeof content === 'string' ? content : JSON.stringify(content));
}

function small(name: string, uuid = '9d7a2b44-7fa5-4a5b-8a7b-3f0e4c1d2e3f'): Record<string, unknown> {
  return {
    name,
    uuid,
    version: 1,
    description: `${name} object`,
    'meta-category': 'misc',
    attributes: { text: { 'misp-attribute': 'text', 'ui-priority': 1, description: 'Some text' } },
    requiredOneOf: ['text'],
  };
}

describe('loading templates from a folder', () => {
  it('names the path when it does not exist', async () => {
    const missing = join(tempDir(), 'nowhere');
    expect(await loadObjectTemplates(missing)).toEqual({ ok: false, code: 'not-found', message: `${missing}: no such folder` });
  });

  it('refuses a file, an empty folder and a single template folder, saying what to give instead', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'definition.json'), JSON.stringify(small('one')));
    expect(await loadObjectTemplates(join(dir, 'definition.json'))).toMatchObject({ ok: false, code: 'bad-source', message: expect.stringContaining('is a file') });
    expect(await loadObjectTemplates(dir)).toMatchObject({
      ok: false,
      code: 'bad-source',
      message: `${dir} holds no object templates: it is a single template's folder; give the folder that holds it`,
    });
    const empty = tempDir();
    mkdirSync(join(empty, 'docs'));
    expect(await loadObjectTemplates(empty)).toEqual({
      ok: false,
      code: 'bad-source',
      message: `${empty} holds no object templates: give a misp-objects checkout (with objects/) or a folder of <name>/definition.json`,
    });
  });

  it('loads the good definitions and reports each bad one by its file', async () => {
    const dir = tempDir();
    const objects = join(dir, 'objects');
    definition(objects, 'good', small('good'));
    definition(objects, 'broken', '{ "name": ');
    definition(objects, 'nameless', { ...small('x'), name: undefined });
    definition(objects, 'renamed', small('other-name', '1f0a8a4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f'));
    definition(objects, 'twin', small('good', '2f0a8a4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f'));
    definition(objects, 'bom', `\uFEFF${JSON.stringify(small('bom', '3f0a8a4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f'))}`);
    mkdirSync(join(objects, 'notes'));
    mkdirSync(join(objects, '.git'));
    const loaded = await load(dir);
    expect([...loaded.templates.keys()].sort()).toEqual(['bom', 'good', 'other-name']);
    expect(loaded.problems).toHaveLength(3);
    expect(loaded.problems[0]).toMatch(/^objects\/broken\/definition\.json: is not valid JSON \(.*\); skipped$/);
    expect(loaded.problems[1]).toBe('objects/nameless/definition.json: name: is missing; the template needs it as non-empty text');
    expect(loaded.problems[2]).toBe(
      'objects/twin/definition.json: name: "good" is also the name of objects/good/definition.json; this one skipped, rename one of them',
    );
    expect(loaded.warnings).toEqual([
      'objects/renamed/definition.json: name: is "other-name" but the folder is "renamed"; the template is known by its name',
    ]);
  });

  it('reads many templates in parallel and keeps a stable order', async () => {
    const dir = tempDir();
    const names = Array.from({ length: 60 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    for (const [i, name] of names.entries()) definition(dir, name, small(name, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
    const loaded = await load(dir);
    expect([...loaded.templates.keys()]).toEqual(names);
    expect(loaded.problems).toEqual([]);
  });
});
