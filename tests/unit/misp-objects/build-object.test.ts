// Object templates and objects built from them, on small inline templates: each rule has a case that fails
// without it. The real misp-objects set is exercised in tests/backend/object-templates.test.ts.
import { describe, expect, it } from 'vitest';
import { buildNamedObject, buildObject, type BuildObjectOptions, type ObjectFields } from '../../../shared/misp-objects/build-object';
import { parseTemplate, type ObjectTemplate } from '../../../shared/misp-objects/template';

const FILE = 'objects/probe/definition.json';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A template exercising every rule: required and requiredOneOf, multiple, values_list, categories, flags. */
function probeJson(): Record<string, unknown> {
  return {
    name: 'probe',
    uuid: 'AE085D32-6534-4D52-B3EB-063FCCB753E7',
    version: 3,
    description: 'A test object',
    'meta-category': 'network',
    attributes: {
      'src-ip': { 'misp-attribute': 'ip-src', 'ui-priority': 1, description: 'Source address' },
      'dst-port': { 'misp-attribute': 'port', 'ui-priority': 0, description: 'Port', disable_correlation: true },
      password: { 'misp-attribute': 'text', 'ui-priority': 1, description: 'Passwords tried', multiple: true },
      state: { 'misp-attribute': 'text', 'ui-priority': 0, description: 'State', values_list: ['open', 'closed'] },
      origin: { 'misp-attribute': 'text', 'ui-priority': 0, description: 'Origin', sane_default: ['scan', 'leak'] },
      hash: {
        'misp-attribute': 'sha256',
        'ui-priority': 0,
        description: 'A hash',
        categories: ['External analysis', 'Payload delivery'],
        to_ids: false,
      },
      domain: { 'misp-attribute': 'domain', 'ui-priority': 0, description: 'Domain', multiple: true },
      note: { 'misp-attribute': 'text', 'ui-priority': 0, description: 'Note', to_ids: true, recommended: true },
    },
    required: ['src-ip'],
    requiredOneOf: ['password', 'hash'],
  };
}

function parsed(json: unknown): ObjectTemplate {
  const result = parseTemplate(json, FILE);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.template;
}

const probe = parsed(probeJson());

/** Deterministic uuids: 00000000-0000-4000-8000-00000000000N, in the order they are asked for. */
function options(extra: Partial<BuildObjectOptions> = {}): BuildObjectOptions {
  let n = 0;
  return { newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, timestamp: 1_700_000_000, ...extra };
}

function build(fields: ObjectFields, extra: Partial<BuildObjectOptions> = {}, template = probe) {
  return buildObject(template, fields, options(extra));
}

function reasonsOf(fields: ObjectFields, extra: Partial<BuildObjectOptions> = {}, template = probe): string[] {
  const result = build(fields, extra, template);
  if (result.ok) throw new Error('expected the object to be refused');
  return result.reasons;
}

function attributesOf(fields: ObjectFields, extra: Partial<BuildObjectOptions> = {}) {
  const result = build(fields, extra);
  if (!result.ok) throw new Error(result.reasons.join('\n'));
  return result.object.attributes;
}

const minimal = { 'src-ip': '192.0.2.1', password: 'hunter2' } as const;

describe('parseTemplate', () => {
  it('reads a definition into the camelCase template', () => {
    expect(probe).toMatchObject({
      name: 'probe',
      uuid: 'ae085d32-6534-4d52-b3eb-063fccb753e7',
      version: 3,
      description: 'A test object',
      metaCategory: 'network',
      required: ['src-ip'],
      requiredOneOf: ['password', 'hash'],
    });
    expect([...probe.attributes.keys()]).toEqual(['src-ip', 'dst-port', 'password', 'state', 'origin', 'hash', 'domain', 'note']);
    expect(probe.attributes.get('hash')).toEqual({
      type: 'sha256',
      description: 'A hash',
      multiple: false,
      categories: ['External analysis', 'Payload delivery'],
      disableCorrelation: false,
      toIds: false,
      uiPriority: 0,
      recommended: false,
    });
    expect(probe.attributes.get('state')?.valuesList).toEqual(['open', 'closed']);
    expect(probe.attributes.get('origin')?.saneDefault).toEqual(['scan', 'leak']);
    expect(probe.attributes.get('dst-port')).toMatchObject({ disableCorrelation: true, multiple: false });
    expect(probe.attributes.get('password')?.multiple).toBe(true);
    expect(probe.attributes.get('note')).toMatchObject({ toIds: true, recommended: true });
    expect(parseTemplate(probeJson(), FILE)).toMatchObject({ ok: true, warnings: [] });
  });

  it('drops a relation of an unknown type with a warning naming file and field, and keeps the template', () => {
    const json = probeJson();
    (json['attributes'] as Record<string, unknown>)['dst_ip'] = { 'misp-attribute': 'ip-dest', 'ui-priority': 1, description: 'x' };
    const result = parseTemplate(json, FILE);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings).toEqual([
      'objects/probe/definition.json: attributes.dst_ip: "misp-attribute" is "ip-dest", not a MISP attribute type; the relation is left out',
    ]);
    expect(result.template.attributes.has('dst_ip')).toBe(false);
    const refused = buildObject(result.template, { ...minimal, dst_ip: '192.0.2.9' }, options());
    expect(refused).toMatchObject({ ok: false, reasons: [expect.stringContaining('"dst_ip" is not a field of the probe template')] });
  });

  it('refuses a template whose required relation cannot be built', () => {
    const json = probeJson();
    (json['attributes'] as Record<string, unknown>)['src-ip'] = { 'misp-attribute': 'ip-source', 'ui-priority': 1, description: 'x' };
    const result = parseTemplate(json, FILE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'objects/probe/definition.json: required: "src-ip" was left out (see its warning), so no object could meet the template',
    ]);
  });

  it('requiredOneOf keeps the relations it can use, and fails only when none is left', () => {
    const some = { ...probeJson(), requiredOneOf: ['password', 'nothing'] };
    const kept = parseTemplate(some, FILE);
    expect(kept).toMatchObject({ ok: true, warnings: [expect.stringContaining('requiredOneOf: "nothing" is not among the attributes')] });
    if (kept.ok) expect(kept.template.requiredOneOf).toEqual(['password']);
    const none = parseTemplate({ ...probeJson(), requiredOneOf: ['nothing'] }, FILE);
    expect(none).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.stringContaining('requiredOneOf: none of its relations')]) });
  });

  it('names the file and the field of every missing or malformed top-level field', () => {
    const json = { ...probeJson(), name: '', uuid: 'not-a-uuid', version: 'three', attributes: [] } as Record<string, unknown>;
    delete json['meta-category'];
    const result = parseTemplate(json, FILE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      `${FILE}: name: is ""; the template needs it as non-empty text`,
      `${FILE}: uuid: is "not-a-uuid", not a uuid`,
      `${FILE}: version: is "three"; the template needs a whole number`,
      `${FILE}: meta-category: is missing; the template needs it as non-empty text`,
      `${FILE}: attributes: is a list; the template needs an object of relations`,
    ]);
    expect(parseTemplate(null, FILE)).toEqual({ ok: false, problems: [`${FILE}: the template is null, not a JSON object`] });
    expect(parseTemplate('{}', FILE)).toMatchObject({ ok: false });
  });

  it('accepts a version written as digits (the format RFC calls it text)', () => {
    expect(parsed({ ...probeJson(), version: '7' }).version).toBe(7);
  });

  it('keeps only the categories MISP allows for the type', () => {
    const json = probeJson();
    const attributes = json['attributes'] as Record<string, Record<string, unknown>>;
    attributes['dst-port'] = { ...attributes['dst-port'], categories: ['External analysis', 'Network activity'] };
    attributes['hash'] = { ...attributes['hash'], categories: ['Other', 'Nonsense'] };
    const result = parseTemplate(json, FILE);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.template.attributes.get('dst-port')?.categories).toEqual(['Network activity']);
    expect(result.template.attributes.get('hash')?.categories).toBeUndefined();
    expect(result.warnings).toEqual([
      `${FILE}: attributes.dst-port.categories: MISP does not allow "External analysis" for port attributes; ignored`,
      `${FILE}: attributes.hash.categories: MISP does not allow "Other" for sha256 attributes; ignored`,
      `${FILE}: attributes.hash.categories: "Nonsense" is not a MISP category; ignored`,
    ]);
    // With no usable template category the type's default applies, as PyMISP falls back to it.
    const built = buildObject(result.template, { ...minimal, hash: SHA256, 'dst-port': 22 }, options());
    if (!built.ok) throw new Error(built.reasons.join('\n'));
    expect(built.object.attributes.map((a) => `${a.objectRelation} ${a.category}`)).toEqual([
      'src-ip Network activity',
      'password Other',
      'hash Payload delivery',
      'dst-port Network activity',
    ]);
  });

  it('leaves out values_list entries the type refuses, and ignores a list with none left', () => {
    const json = probeJson();
    const attributes = json['attributes'] as Record<string, unknown>;
    attributes['size'] = { 'misp-attribute': 'float', 'ui-priority': 0, description: 'x', values_list: ['US', 'EU'] };
    attributes['level'] = { 'misp-attribute': 'integer', 'ui-priority': 0, description: 'x', values_list: ['1', '2', 'high'] };
    const result = parseTemplate(json, FILE);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.template.attributes.get('size')?.valuesList).toBeUndefined();
    expect(result.template.attributes.get('level')?.valuesList).toEqual(['1', '2']);
    expect(result.warnings).toEqual([
      `${FILE}: attributes.size.values_list: "US", "EU" are not valid float values; the list is ignored, so any valid float value is accepted`,
      `${FILE}: attributes.level.values_list: "high" is not a valid integer value; they are left out`,
    ]);
  });

  it('warns about fields it does not know and flags of the wrong kind, and uses the defaults', () => {
    const json: Record<string, unknown> = { ...probeJson(), colour: 'red' };
    const attributes = json['attributes'] as Record<string, unknown>;
    attributes['odd'] = { 'misp-attribute': 'text', description: 'x', mutliple: true, multiple: 'yes' };
    const result = parseTemplate(json, FILE);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings).toEqual([
      `${FILE}: colour: is not a template field; ignored`,
      `${FILE}: attributes.odd.mutliple: is not a template field; ignored`,
      `${FILE}: attributes.odd.ui-priority: is missing, not a number; 0 used`,
      `${FILE}: attributes.odd.multiple: is "yes", not true or false; ignored`,
    ]);
    expect(result.template.attributes.get('odd')).toMatchObject({ multiple: false, uiPriority: 0 });
  });

  it('treats relation names such as "constructor" as plain keys', () => {
    const json = probeJson();
    (json['attributes'] as Record<string, unknown>)['constructor'] = { 'misp-attribute': 'text', 'ui-priority': 0, description: 'x' };
    const template = parsed(json);
    expect(template.attributes.get('constructor')?.type).toBe('text');
    expect(buildObject(probe, { ...minimal, toString: 'x' }, options())).toMatchObject({ ok: false });
  });
});

describe('buildObject', () => {
  it('builds the object and its attributes from the template', () => {
    const result = build(minimal, { comment: 'seen on sensor 3' });
    expect(result).toEqual({
      ok: true,
      warnings: [],
      object: {
        uuid: '00000000-0000-4000-8000-000000000001',
        name: 'probe',
        metaCategory: 'network',
        description: 'A test object',
        templateUuid: 'ae085d32-6534-4d52-b3eb-063fccb753e7',
        templateVersion: 3,
        comment: 'seen on sensor 3',
        timestamp: 1_700_000_000,
        references: [],
        attributes: [
          {
            uuid: '00000000-0000-4000-8000-000000000002',
            type: 'ip-src',
            category: 'Network activity',
            value: '192.0.2.1',
            toIds: true,
            comment: '',
            timestamp: 1_700_000_000,
            disableCorrelation: false,
            objectRelation: 'src-ip',
            tags: [],
          },
          {
            uuid: '00000000-0000-4000-8000-000000000003',
            type: 'text',
            category: 'Other',
            value: 'hunter2',
            toIds: false,
            comment: '',
            timestamp: 1_700_000_000,
            disableCorrelation: false,
            objectRelation: 'password',
            tags: [],
          },
        ],
      },
    });
  });

  it('refuses a relation the template does not have, suggesting a near spelling', () => {
    expect(reasonsOf({ ...minimal, src_ip: '192.0.2.2' })).toEqual(['"src_ip" is not a field of the probe template; did you mean "src-ip"?']);
    expect(reasonsOf({ ...minimal, colour: 'red' })).toEqual([
      '"colour" is not a field of the probe template; remove it or pick one of the template\'s fields',
    ]);
  });

  it('takes a list only for multiple relations, one attribute per value, duplicates once', () => {
    expect(reasonsOf({ ...minimal, 'dst-port': [22, 23] })).toEqual(['dst-port takes a single value but was given a list of 2; pass one value']);
    const result = build({ 'src-ip': '192.0.2.1', password: ['1234', 'admin', '1234'] });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    expect(result.object.attributes.filter((a) => a.objectRelation === 'password').map((a) => a.value)).toEqual(['1234', 'admin']);
    expect(result.warnings).toEqual(['password: "1234" is listed more than once; kept once']);
    // The dropped duplicate uses up no uuid.
    expect(result.object.attributes.map((a) => a.uuid.slice(-2))).toEqual(['02', '03', '04']);
  });

  it('validates every value, naming relation and value, and stores the normalised form', () => {
    expect(reasonsOf({ ...minimal, 'src-ip': '999.1.1.1' })).toEqual([
      'src-ip: ip-src value "999.1.1.1" rejected: not a valid IPv4 or IPv6 address; correct it or leave src-ip out',
    ]);
    expect(reasonsOf({ ...minimal, domain: ['example.com', 'not a domain'] })[0]).toMatch(/^domain: domain value "not a domain" rejected: .*; correct it or leave domain out$/);
    const attributes = attributesOf({ 'src-ip': ' 192.0.2.1 ', hash: SHA256.toUpperCase(), domain: 'Example[.]COM', 'dst-port': 22 });
    expect(attributes.map((a) => a.value)).toEqual(['192.0.2.1', SHA256, 'example.com', '22']);
  });

  it('enforces values_list, but not sane_default', () => {
    expect(reasonsOf({ ...minimal, state: 'half-open' })).toEqual([
      'state: "half-open" is not one of the template\'s values; use one of "open", "closed"',
    ]);
    expect(reasonsOf({ ...minimal, state: 'Open' })).toEqual(['state: "Open" is not one of the template\'s values; did you mean "open"?']);
    expect(attributesOf({ ...minimal, state: 'closed', origin: 'honeypot' }).map((a) => a.value)).toEqual(['192.0.2.1', 'hunter2', 'closed', 'honeypot']);
  });

  it('requires every relation in required', () => {
    expect(reasonsOf({ password: 'x' })).toEqual(['src-ip is required by the probe template; give a value for it']);
    expect(reasonsOf({ password: 'x', 'src-ip': null })).toEqual(['src-ip is required by the probe template; give a value for it']);
  });

  it('requires at least one relation of requiredOneOf', () => {
    expect(reasonsOf({ 'src-ip': '192.0.2.1' })).toEqual(['the probe template needs at least one of password, hash; give a value for one of them']);
    expect(reasonsOf({ 'src-ip': '192.0.2.1', password: [] })).toHaveLength(1);
    expect(build({ 'src-ip': '192.0.2.1', hash: SHA256 }).ok).toBe(true);
    const single = parsed({ ...probeJson(), requiredOneOf: ['hash'] });
    expect(reasonsOf({ 'src-ip': '192.0.2.1' }, {}, single)).toEqual(['hash is required by the probe template; give a value for it']);
  });

  it("files each attribute under the template's first category, else the type's default", () => {
    const [ip, hash] = attributesOf({ 'src-ip': '192.0.2.1', hash: SHA256 });
    expect(ip?.category).toBe('Network activity');
    // sha256 defaults to Payload delivery; the template's first category wins.
    expect(hash?.category).toBe('External analysis');
  });

  it('takes a category given with a value when MISP allows it for the type, and refuses others', () => {
    const [, hash] = attributesOf({ 'src-ip': '192.0.2.1', hash: { value: SHA256, category: 'Artifacts dropped' } });
    expect(hash?.category).toBe('Artifacts dropped');
    expect(reasonsOf({ ...minimal, hash: { value: SHA256, category: 'Financial fraud' } })).toEqual([
      'hash: MISP does not file sha256 attributes under "Financial fraud"; use one of Payload delivery, Artifacts dropped, Payload installation, External analysis, or leave the category out',
    ]);
  });

  it("sets to_ids from the template when it says, else from the type's default, unless the value says", () => {
    const attributes = attributesOf({ 'src-ip': '192.0.2.1', hash: SHA256, note: 'x', origin: 'scan' });
    expect(attributes.map((a) => `${a.objectRelation} ${a.toIds}`)).toEqual(['src-ip true', 'hash false', 'note true', 'origin false']);
    const [ip] = attributesOf({ 'src-ip': { value: '192.0.2.1', toIds: false, comment: 'scanner' }, hash: SHA256 });
    expect(ip).toMatchObject({ toIds: false, comment: 'scanner' });
  });

  it('sets disable_correlation from the template', () => {
    const attributes = attributesOf({ ...minimal, 'dst-port': 22 });
    expect(attributes.map((a) => `${a.objectRelation} ${a.disableCorrelation}`)).toEqual(['src-ip false', 'password false', 'dst-port true']);
  });

  it('passes the optional object settings through, and leaves them out when not given', () => {
    const result = build(minimal, { distribution: 5, firstSeen: '2024-03-01T10:00:00Z', lastSeen: '2024-03-02T10:00:00+01:00' });
    expect(result).toMatchObject({ ok: true, object: { distribution: 5, firstSeen: '2024-03-01T10:00:00Z', lastSeen: '2024-03-02T10:00:00+01:00' } });
    const plain = build(minimal);
    if (!plain.ok) throw new Error(plain.reasons.join('\n'));
    expect(Object.keys(plain.object)).not.toContain('distribution');
    expect(Object.keys(plain.object)).not.toContain('firstSeen');
    expect(plain.object.comment).toBe('');
    expect(build(minimal, { distribution: 4 })).toMatchObject({
      ok: true,
      object: { distribution: 4 },
      warnings: [expect.stringMatching(/^distribution 4 needs a sharing group, which buildObject does not set; /)],
    });
  });

  it('refuses bad options with a reason each', () => {
    expect(reasonsOf(minimal, { timestamp: -1 })).toEqual(['timestamp -1 is not Unix seconds; give a whole number of seconds']);
    expect(reasonsOf(minimal, { distribution: 9 as never })).toEqual(['distribution 9 is not one of 0-5']);
    expect(reasonsOf(minimal, { firstSeen: 'yesterday' })).toEqual([
      'firstSeen "yesterday" is not an ISO 8601 date-time; write it like 2024-03-01T10:00:00Z',
    ]);
    // Offsets count: 23:00 at -02:00 is an hour after midnight UTC.
    expect(build(minimal, { firstSeen: '2024-03-02T00:00:00Z', lastSeen: '2024-03-01T23:00:00-02:00' }).ok).toBe(true);
    expect(reasonsOf(minimal, { firstSeen: '2024-03-02', lastSeen: '2024-03-01' })).toEqual(['lastSeen is before firstSeen; swap them or correct one']);
    let n = 0;
    expect(reasonsOf(minimal, { newUuid: () => (n++ === 0 ? 'nope' : '00000000-0000-4000-8000-000000000009') })).toEqual([
      'newUuid gave "nope" for the object, which is not a uuid; pass a function that returns uuids',
    ]);
  });

  it('reports every broken rule at once', () => {
    const reasons = reasonsOf({ colour: 'red', 'dst-port': 'seventy', state: 'ajar' });
    expect(reasons).toHaveLength(5);
    expect(reasons.map((r) => r.split(/[ :]/)[0])).toEqual(['"colour"', 'dst-port', 'state', 'src-ip', 'the']);
  });

  it('never throws on input of the wrong shape', () => {
    expect(reasonsOf({ ...minimal, 'dst-port': Number.NaN })).toEqual(['dst-port: NaN is not a finite number']);
    expect(reasonsOf({ ...minimal, note: { comment: 'no value' } as never })).toEqual(['note: the object given has no "value"; write { value: ... }']);
    expect(reasonsOf({ ...minimal, note: { value: { nested: 1 } } as never })).toEqual(['note: an object is not a value; give text or a number']);
    expect(reasonsOf({ ...minimal, password: [['a']] as never })).toEqual(['password: a list is not a value; give text or a number']);
    expect(reasonsOf({ ...minimal, note: { value: 'x', toIds: 'yes' } as never })).toEqual(['note: toIds is "yes"; give true or false']);
    expect(reasonsOf(null as never)).toEqual(['fields is null; give an object of relation: value']);
  });

  it('turns numbers and booleans into MISP text', () => {
    const template = parsed({
      ...probeJson(),
      attributes: { ...(probeJson()['attributes'] as object), flag: { 'misp-attribute': 'boolean', 'ui-priority': 0, description: 'x' } },
    });
    const result = buildObject(template, { ...minimal, 'dst-port': 8080, flag: true }, options());
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    expect(result.object.attributes.map((a) => a.value)).toEqual(['192.0.2.1', 'hunter2', '8080', '1']);
  });

  it("passes the type checker's warnings on, prefixed with the relation", () => {
    const template = parsed({
      ...probeJson(),
      attributes: { ...(probeJson()['attributes'] as object), flag: { 'misp-attribute': 'boolean', 'ui-priority': 0, description: 'x' } },
    });
    const result = buildObject(template, { ...minimal, flag: 'maybe' }, options());
    expect(result).toMatchObject({ ok: true, warnings: [expect.stringMatching(/^flag: MISP reads "maybe" as true/)] });
  });
});

describe('buildNamedObject', () => {
  const templates = new Map([['probe', probe]]);

  it('builds from the template of that name', () => {
    expect(buildNamedObject(templates, 'probe', minimal, options())).toMatchObject({ ok: true, object: { name: 'probe' } });
  });

  it('refuses a name with no template, suggesting a near one', () => {
    expect(buildNamedObject(templates, 'Probe', minimal, options())).toEqual({
      ok: false,
      reasons: ['there is no object template called "Probe"; did you mean "probe"?'],
    });
    expect(buildNamedObject(templates, 'cowrie', minimal, options())).toEqual({
      ok: false,
      reasons: ['there is no object template called "cowrie"; check the name against the misp-objects folder'],
    });
  });
});
