/**
 * `ferry generate`: produce a MISP feed with no MISP server (honeypots, sensors). `init` makes the feed folder;
 * `add-attribute`, `add-object` and `add-sighting` add one item and flush; `ingest` reads NDJSON records from
 * standard input (optionally through a mapping) and flushes on an interval and at the end; `flush` and `status`
 * do what they say. The library database is only used to find a signing key (`--sign`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { FeedGenerator, type FlushReport } from '../../backend/generator/feed-generator';
import { parseIngestLine, readMapping, type IngestMapping } from '../../backend/generator/ingest-records';
import { findKey } from '../../backend/db/queries/key-store';
import { unlockSigner, type Signer } from '../../backend/keys/openpgp-keys';
import type { Result } from '../../backend/result';
import { engineFor, type GlobalOptions, type Runner } from '../context';
import { EXIT, type Output } from '../output';
import { readPassphrase } from './keys';

interface SignOptions {
  readonly sign?: string;
  readonly passphraseFile?: string;
}

/** The signer for `--sign KEY`: an own key of the library, unlocked with its passphrase. */
async function signerFor(o: SignOptions, output: Output, options: GlobalOptions): Promise<Signer | null | { exit: number }> {
  if (!o.sign) return null;
  const passphrase = readPassphrase(o.passphraseFile);
  if (typeof passphrase !== 'string') return { exit: output.error({ code: 'invalid-input', message: passphrase.error }) };
  const engine = engineFor(options, output);
  if (!engine) return { exit: EXIT.problems };
  try {
    const key = engine.read((db) => findKey(db, o.sign!, 'own'));
    if (!key.ok) return { exit: output.error(key.error) };
    const unlocked = await unlockSigner(key.value.privateArmored!, passphrase, key.value.fingerprint);
    if (!unlocked.ok) return { exit: output.error(unlocked.error) };
    return unlocked.value;
  } finally {
    engine.close();
  }
}

async function opened(dir: string, o: SignOptions, output: Output, options: GlobalOptions): Promise<FeedGenerator | { exit: number }> {
  const signer = await signerFor(o, output, options);
  if (signer && 'exit' in signer) return signer;
  const g = await FeedGenerator.open(dir, { signer });
  if (!g.ok) return { exit: output.error(g.error) };
  return g.value;
}

function flushed(r: FlushReport | null): string {
  if (!r) return 'nothing to flush\n';
  return r.days.map((d) => `flushed ${d.date} (event ${d.uuid}, ${d.attributes} attributes, timestamp ${d.timestamp}) in ${Math.round(r.ms)} ms\n`).join('');
}

/** Adds one item, then flushes and closes; the item's refusal is the command's (exit 2). */
async function addOne(dir: string, o: SignOptions, output: Output, options: GlobalOptions, add: (g: FeedGenerator) => Result<{ uuid: string; merged: boolean }>): Promise<number> {
  const g = await opened(dir, o, output, options);
  if ('exit' in g) return g.exit;
  const added = add(g);
  const closed = await g.close();
  if (!added.ok) return output.error(added.error);
  if (!closed.ok) return output.error(closed.error);
  output.value({ ...added.value, flush: closed.value }, () => `${added.value.merged ? 'merged into' : 'added'} ${added.value.uuid}\n${flushed(closed.value)}`);
  return EXIT.ok;
}

const ints = (v: string) => Number.parseInt(v, 10);
const collect = (v: string, all: string[] = []) => [...all, v];

/** `key=value` pairs of add-object; a key given twice becomes a list (for `multiple` fields). */
function fieldsOf(pairs: readonly string[]): { ok: true; fields: Record<string, string | string[]> } | { ok: false; error: string } {
  const out: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, error: `${JSON.stringify(pair)} is not key=value` };
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const before = out[key];
    out[key] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return { ok: true, fields: out };
}

export function registerGenerate(program: Command, run: Runner) {
  const generate = program.command('generate').description('produce a MISP feed without a MISP server: daily events for sensors and honeypots');
  const signing = (c: Command) =>
    c
      .option('--sign <key>', 'sign manifest.json and SHA256SUMS at each flush with an own key of the library (passphrase: FERRY_PASSPHRASE or --passphrase-file)')
      .option('--passphrase-file <file>');

  generate
    .command('init')
    .description('make <dir> a generated feed (an empty, valid feed until items come)')
    .argument('<dir>')
    .requiredOption('--org <name>', 'the creator organisation of the events')
    .option('--org-uuid <uuid>', "the organisation's uuid (default: a new one, kept in the settings)")
    .option('--info <pattern>', 'event title; {date} becomes the day', 'Feed of {date}')
    .option('--tag <tag>', 'a tag on every event (repeat for more)', collect)
    .option('--analysis <n>', '0 initial, 1 ongoing, 2 completed', ints)
    .option('--threat-level <n>', '1 high … 4 undefined', ints)
    .option('--distribution <n>', '0-3, written only for consumers that keep it', ints)
    .option('--time-zone <zone>', 'where days begin: UTC or an IANA zone', 'UTC')
    .option('--templates <dir>', 'a misp-objects folder, for add-object and object records')
    .option('--no-dedup', 'add the same type and value again instead of moving its last_seen')
    .option('--journal', 'journal every accepted item, so a kill between flushes loses nothing')
    .option('--replace', 'replace the settings of a feed already initialised')
    .action(async (dir: string, o: { org: string; orgUuid?: string; info: string; tag?: string[]; analysis?: number; threatLevel?: number; distribution?: number; timeZone: string; templates?: string; dedup: boolean; journal?: boolean; replace?: boolean }) =>
      run(async (output) => {
        const made = await FeedGenerator.init(
          dir,
          {
            org: { name: o.org, uuid: o.orgUuid ?? randomUUID() },
            info: o.info,
            tags: o.tag ?? [],
            timeZone: o.timeZone,
            dedup: o.dedup,
            journal: o.journal === true,
            ...(o.analysis !== undefined ? { analysis: o.analysis as 0 } : {}),
            ...(o.threatLevel !== undefined ? { threatLevel: o.threatLevel as 1 } : {}),
            ...(o.distribution !== undefined ? { distribution: o.distribution as 0 } : {}),
            ...(o.templates ? { templates: o.templates } : {}),
          },
          { replace: o.replace === true },
        );
        if (!made.ok) return output.error(made.error);
        output.value(made.value, (s) => `${dir}: a generated feed for ${s.org.name} (${s.org.uuid}), events "${s.info}", days in ${s.timeZone}\n`);
        return EXIT.ok;
      }),
    );

  signing(
    generate
      .command('add-attribute')
      .description("add an attribute to today's event and flush")
      .argument('<dir>')
      .argument('<type>')
      .argument('<value>')
      .option('--category <category>')
      .option('--comment <text>')
      .option('--to-ids <bool>', 'true or false (default: the type\'s)')
      .option('--tag <tag>', 'repeat for more', collect),
  ).action(async (dir: string, type: string, value: string, o: SignOptions & { category?: string; comment?: string; toIds?: string; tag?: string[] }) =>
    run((output, options) => {
      if (o.toIds !== undefined && o.toIds !== 'true' && o.toIds !== 'false') return Promise.resolve(output.error({ code: 'invalid-input', message: '--to-ids is true or false' }));
      return addOne(dir, o, output, options, (g) =>
        g.addAttribute(type, value, {
          ...(o.category ? { category: o.category } : {}),
          ...(o.comment !== undefined ? { comment: o.comment } : {}),
          ...(o.toIds !== undefined ? { toIds: o.toIds === 'true' } : {}),
          ...(o.tag ? { tags: o.tag } : {}),
        }),
      );
    }),
  );

  signing(
    generate
      .command('add-object')
      .description("add an object from a misp-objects template to today's event and flush")
      .argument('<dir>')
      .argument('<template>')
      .argument('<fields...>', 'key=value; repeat a key for a multiple field')
      .option('--comment <text>'),
  ).action(async (dir: string, template: string, pairs: string[], o: SignOptions & { comment?: string }) =>
    run((output, options) => {
      const parsed = fieldsOf(pairs);
      if (!parsed.ok) return Promise.resolve(output.error({ code: 'invalid-input', message: parsed.error }));
      return addOne(dir, o, output, options, (g) => g.addObject(template, parsed.fields, o.comment !== undefined ? { comment: o.comment } : {}));
    }),
  );

  signing(generate.command('add-sighting').description('a sighting of an attribute of today\'s event, by value or uuid (moves its last_seen)').argument('<dir>').argument('<value-or-uuid>')).action(
    async (dir: string, target: string, o: SignOptions) => run((output, options) => addOne(dir, o, output, options, (g) => g.addSighting(target))),
  );

  signing(
    generate
      .command('ingest')
      .description('read NDJSON records from standard input: {"type":…,"value":…}, {"object":…,"fields":{…}}, {"sighting":…}')
      .argument('<dir>')
      .option('--map <file>', 'a mapping that turns each input line (e.g. a cowrie log line) into an object record')
      .option('--flush-every <seconds>', 'flush at this interval while reading', (v) => Number(v), 5),
  ).action(async (dir: string, o: SignOptions & { map?: string; flushEvery: number }) =>
    run(async (output, options) => {
      let mapping: IngestMapping | null = null;
      if (o.map) {
        const read = readMapping(readFileSync(o.map, 'utf8'), o.map);
        if (!read.ok) return output.error(read.error);
        mapping = read.value;
      }
      if (!(o.flushEvery > 0)) return output.error({ code: 'invalid-input', message: '--flush-every is a number of seconds above 0' });
      const g = await opened(dir, o, output, options);
      if ('exit' in g) return g.exit;
      const flushFailed = (e: { message: string }) => process.stderr.write(`flush failed (the feed is as it was; the items stay for the next flush): ${e.message}\n`);
      // The timer flushes while input is idle; while it streams in, the loop itself stops to flush when one is due.
      g.flushEvery(o.flushEvery, flushFailed);
      const everyMs = o.flushEvery * 1000;
      let lastFlush = Date.now();
      let line = 0;
      let accepted = 0;
      let rejected = 0;
      let skipped = 0;
      for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
        line++;
        if (text.trim() === '') continue;
        const record = parseIngestLine(text, mapping);
        if (record.kind === 'skip') {
          skipped++;
          continue;
        }
        const added = record.kind === 'invalid' ? record : addRecord(g, record);
        if (added.kind === 'invalid') {
          rejected++;
          process.stderr.write(`line ${line}: ${added.reason}\n`);
        } else accepted++;
        if (Date.now() - lastFlush >= everyMs) {
          const r = await g.flush();
          if (!r.ok) flushFailed(r.error);
          lastFlush = Date.now();
        }
      }
      const closed = await g.close();
      if (!closed.ok) return output.error(closed.error);
      const summary = { lines: line, accepted, rejected, skipped, flush: closed.value };
      output.value(summary, (s) => `${s.accepted} accepted, ${s.rejected} rejected, ${s.skipped} skipped of ${s.lines} lines\n${flushed(s.flush)}`);
      return rejected > 0 ? EXIT.problems : EXIT.ok;
    }),
  );

  signing(generate.command('flush').description('write what is pending now').argument('<dir>')).action(async (dir: string, o: SignOptions) =>
    run(async (output, options) => {
      const g = await opened(dir, o, output, options);
      if ('exit' in g) return g.exit;
      const closed = await g.close();
      if (!closed.ok) return output.error(closed.error);
      output.value(closed.value, flushed);
      return EXIT.ok;
    }),
  );

  generate
    .command('status')
    .description("the feed's settings and today's event; safe while another process writes the feed")
    .argument('<dir>')
    .action(async (dir: string) =>
      run(async (output) => {
        const peeked = await FeedGenerator.peek(dir);
        if (!peeked.ok) return output.error(peeked.error);
        output.value(peeked.value, (s) =>
          `${s.dir}: ${s.events} events; today ${s.today.date}: ${s.today.uuid ?? 'no event yet'}, ${s.today.attributes} attributes${s.today.pending ? ' (more in the journal, not flushed yet)' : ''}\n` +
          `org ${s.settings.org.name} (${s.settings.org.uuid}); info "${s.settings.info}"; days in ${s.settings.timeZone}; dedup ${s.settings.dedup ? 'on' : 'off'}; journal ${s.settings.journal ? 'on' : 'off'}; templates ${s.settings.templates ?? 'none'}\n` +
          (s.writer ? `being written by process ${s.writer}\n` : ''),
        );
        return EXIT.ok;
      }),
    );
}

type IngestRecord = Exclude<ReturnType<typeof parseIngestLine>, { kind: 'skip' } | { kind: 'invalid' }>;

function addRecord(g: FeedGenerator, r: IngestRecord): { kind: 'ok' } | { kind: 'invalid'; reason: string } {
  const added = (() => {
    switch (r.kind) {
      case 'attribute':
        return g.addAttribute(r.type, r.value, r.data);
      case 'object':
        return g.addObject(r.template, r.fields, r.data);
      case 'sighting':
        return g.addSighting(r.target);
      default: {
        const exhaustive: never = r;
        return exhaustive;
      }
    }
  })();
  return added.ok ? { kind: 'ok' } : { kind: 'invalid', reason: added.error.message };
}
