import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import { callEngine, engineFor, type GlobalOptions, type Runner } from '../context';
import { EXIT, type Output } from '../output';
import { formatTable } from '../table';

type Feed = ChannelOutput<'feeds.get'>;

function when(t: number | null): string {
  return t === null ? '-' : new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

function feedLine(f: Feed): string {
  const s = f.settings;
  return `#${f.id} ${s.name} (${s.provider}) ${s.sourceFormat} ${s.inputSource} ${s.enabled ? 'enabled' : 'disabled'}${s.cachingEnabled ? ', caching' : ''}\n  ${s.url}\n`;
}

function feedTable(feeds: ChannelOutput<'feeds.list'>): string {
  return formatTable(
    ['id', 'name', 'provider', 'format', 'enabled', 'events', 'imported', 'cached values', 'cached', 'url'],
    feeds.map((f) => [
      String(f.id), f.settings.name, f.settings.provider, f.settings.sourceFormat, f.settings.enabled ? 'yes' : 'no',
      String(f.status.eventCount), when(f.status.lastImportedAt), String(f.status.cachedValues), when(f.status.lastCachedAt), f.settings.url,
    ]),
  );
}

/** A feed given by id or by name, as people type it. */
async function feedId(ref: string, output: Output, options: GlobalOptions): Promise<number | null> {
  if (/^\d+$/.test(ref)) return Number(ref);
  const engine = engineFor(options, output);
  if (!engine) return null;
  try {
    const list = await engine.dispatcher.call('feeds.list', {}, { signal: new AbortController().signal, progress: () => {} });
    const found = list.ok ? (list.value as ChannelOutput<'feeds.list'>).find((f) => f.settings.name.toLowerCase() === ref.toLowerCase()) : undefined;
    if (!found) output.error({ code: 'not-found', message: `no feed named "${ref}"` });
    return found?.id ?? null;
  } finally {
    engine.close();
  }
}

interface SettingOptions {
  name?: string; provider?: string; url?: string; format?: string; input?: string; distribution?: string; tag?: string;
  enabled?: boolean; caching?: boolean; lookupVisible?: boolean; rules?: string;
}

function withSettingOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>')
    .option('--provider <provider>')
    .option('--url <url-or-path>', 'URL, or a local folder (misp) or file (csv, freetext)')
    .option('--format <format>', 'misp, csv or freetext')
    .option('--input <source>', 'local or network')
    .option('--distribution <0-5>', 'distribution given to imported events (5: keep the events\' own)')
    .option('--tag <name>', 'tag added to every imported event')
    .option('--enabled', 'enable the feed')
    .option('--caching', 'include it in correlation caching')
    .option('--lookup-visible', 'let lookups show its cache hits')
    .option('--rules <json>', 'filter rules, e.g. {"tags":{"OR":["tlp:white"],"NOT":["privint"]}}');
}

function settingsFrom(o: SettingOptions): Partial<FeedSettings> | string {
  const out: Record<string, unknown> = {};
  if (o.name !== undefined) out['name'] = o.name;
  if (o.provider !== undefined) out['provider'] = o.provider;
  if (o.url !== undefined) out['url'] = o.url;
  if (o.format !== undefined) out['sourceFormat'] = o.format;
  if (o.input !== undefined) out['inputSource'] = o.input;
  if (o.distribution !== undefined) out['distribution'] = Number(o.distribution);
  if (o.tag !== undefined) out['defaultTag'] = { name: o.tag, colour: '#ffffff', exportable: true, hideTag: false };
  if (o.enabled) out['enabled'] = true;
  if (o.caching) out['cachingEnabled'] = true;
  if (o.lookupVisible) out['lookupVisible'] = true;
  if (o.rules !== undefined) {
    try {
      const raw = JSON.parse(o.rules) as { tags?: { OR?: string[]; NOT?: string[] }; orgs?: { OR?: string[]; NOT?: string[] } };
      out['rules'] = {
        tags: { or: raw.tags?.OR ?? [], not: raw.tags?.NOT ?? [] },
        orgs: { or: raw.orgs?.OR ?? [], not: raw.orgs?.NOT ?? [] },
        urlParams: {},
      };
    } catch {
      return `--rules: not JSON`;
    }
  }
  return out as Partial<FeedSettings>;
}

export function registerFeeds(program: Command, run: Runner) {
  const feeds = program.command('feeds').description('manage feeds (list, add, edit, enable, disable, remove, metadata)');
  feeds.command('list').action(async () => run((output, options) => callEngine(output, options, 'feeds.list', {}, feedTable)));

  withSettingOptions(feeds.command('add').description('define a feed')).action(async (o: SettingOptions) =>
    run(async (output, options) => {
      const s = settingsFrom(o);
      if (typeof s === 'string') return output.error({ code: 'invalid-input', message: s });
      if (!o.name || !o.url) return output.error({ code: 'invalid-input', message: 'feeds add needs --name and --url' });
      return callEngine(output, options, 'feeds.add', { ...s, name: o.name, url: o.url, provider: o.provider ?? 'local', inputSource: s.inputSource ?? 'local' }, feedLine);
    }),
  );

  withSettingOptions(feeds.command('edit').description('change settings of a feed').argument('<feed>', 'id or name')).action(
    async (ref: string, o: SettingOptions) =>
      run(async (output, options) => {
        const s = settingsFrom(o);
        if (typeof s === 'string') return output.error({ code: 'invalid-input', message: s });
        const id = await feedId(ref, output, options);
        return id === null ? EXIT.usage : callEngine(output, options, 'feeds.edit', { id, changes: s }, feedLine);
      }),
  );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    feeds
      .command(name)
      .argument('<feed>', 'id or name')
      .option('--caching', `${name} correlation caching instead`)
      .action(async (ref: string, o: { caching?: boolean }) =>
        run(async (output, options) => {
          const id = await feedId(ref, output, options);
          if (id === null) return EXIT.usage;
          return callEngine(output, options, 'feeds.setEnabled', o.caching ? { id, cachingEnabled: enabled } : { id, enabled }, feedLine);
        }),
      );
  }

  feeds
    .command('remove')
    .argument('<feed>', 'id or name')
    .option('--delete-events', 'also delete the events imported from it (default: keep them as local events)')
    .action(async (ref: string, o: { deleteEvents?: boolean }) =>
      run(async (output, options) => {
        const id = await feedId(ref, output, options);
        if (id === null) return EXIT.usage;
        return callEngine(output, options, 'feeds.remove', { id, deleteEvents: o.deleteEvents === true }, (r) =>
          `removed; ${r.removedEvents} events and ${r.removedCacheValues} cached values deleted\n`,
        );
      }),
    );

  feeds
    .command('export-metadata')
    .description("write MISP feed metadata JSON for the given feeds (default all)")
    .argument('[feeds...]', 'ids or names')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (refs: string[], o: { out?: string }) =>
      run(async (output, options) => {
        const ids: number[] = [];
        for (const ref of refs) {
          const id = await feedId(ref, output, options);
          if (id === null) return EXIT.usage;
          ids.push(id);
        }
        const input = ids.length > 0 ? { ids } : {};
        const out = o.out;
        if (!out) return callEngine(output, options, 'feeds.exportMetadata', input, (r) => r.json + '\n');
        return callEngine(output, options, 'feeds.exportMetadata', input, (r) => `${r.count} feeds written to ${out}\n`, undefined, (r) =>
          writeFile(out, r.json + '\n'),
        );
      }),
    );

  feeds
    .command('import-metadata')
    .description("add feeds from MISP feed metadata JSON (MISP's default feed list is one: app/files/feed-metadata/defaults.json)")
    .argument('<file>')
    .option('--default', 'mark them as default feeds')
    .action(async (file: string, o: { default?: boolean }) =>
      run((output, options) =>
        callEngine(
          output,
          options,
          'feeds.importMetadata',
          { source: file, markDefault: o.default === true },
          (r) =>
            `${r.added.length} feeds added, ${r.skipped.length} skipped\n` +
            r.skipped.map((s) => `  skipped ${s.name}: ${s.reason}`).join('\n') +
            (r.skipped.length ? '\n' : '') +
            r.issues.filter((i) => i.severity !== 'info').map((i) => `  ${i.severity}: ${i.path}: ${i.message}`).join('\n'),
          (r) => r.issues.some((i) => i.severity === 'error'),
        ),
      ),
    );
}
