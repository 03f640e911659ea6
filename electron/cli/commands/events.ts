import type { Command } from 'commander';
import { callEngine, type Runner } from '../context';
import { formatTable } from '../table';
import { formatEvent } from './event-format';

export function registerEvents(program: Command, run: Runner) {
  const events = program.command('events').description('events in the library');
  events
    .command('list')
    .option('--feed <id>', 'only events of this feed (id)')
    .option('--search <text>', 'uuid, or text in info, org or a tag')
    .option('--limit <n>', 'page size', '100')
    .option('--offset <n>', 'first row', '0')
    .option('--sort <key>', 'date, timestamp, info, org or attributes', 'date')
    .option('--asc', 'ascending order')
    .action(async (o: { feed?: string; search?: string; limit: string; offset: string; sort: string; asc?: boolean }) =>
      run((output, options) =>
        callEngine(
          output,
          options,
          'events.list',
          {
            limit: Number(o.limit),
            offset: Number(o.offset),
            sort: o.sort as 'date',
            direction: o.asc ? 'asc' : 'desc',
            ...(o.feed ? { feedId: Number(o.feed) } : {}),
            ...(o.search ? { search: o.search } : {}),
          },
          (page) =>
            `${page.total} events\n` +
            formatTable(
              ['date', 'org', 'attrs', 'feed', 'uuid', 'info'],
              page.rows.map((r) => [r.date, r.orgName ?? '', String(r.attributeCount), r.feedName ?? 'local', r.uuid, r.info]),
            ),
        ),
      ),
    );

  program
    .command('event')
    .description('one event')
    .command('show')
    .argument('<uuid>')
    .action(async (uuid: string) => run((output, options) => callEngine(output, options, 'events.get', { uuid }, formatEvent)));

  program
    .command('search')
    .description('where a value occurs: stored attributes and cached feeds')
    .argument('<value>')
    .action(async (value: string) =>
      run((output, options) =>
        callEngine(output, options, 'search.value', { value }, (r) =>
          `${r.attributes.length} attributes, ${r.cacheHits.length} cached feed hits for ${r.value}\n` +
          r.attributes.map((a) => `  event ${a.eventUuid} ${a.eventInfo}: ${a.type} ${a.value}${a.feedName ? ` (${a.feedName})` : ''}`).join('\n') +
          (r.attributes.length ? '\n' : '') +
          r.cacheHits.map((h) => `  feed ${h.feedName}${h.eventUuid ? ` event ${h.eventUuid}` : ''}`).join('\n') +
          (r.cacheHits.length ? '\n' : ''),
        ),
      ),
    );
}
