import type { Command } from 'commander';
import { quietContext } from '../../backend/dispatch';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { callEngine, engineFor, type Runner } from '../context';
import { EXIT } from '../output';
import { formatTable } from '../table';
import { streamEvent } from './event-format';

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
    .description('the event with all its attributes and objects, streamed page by page (see event-format.ts)')
    .action(async (uuid: string) =>
      run(async (output, options) => {
        const engine = engineFor(options, output);
        if (!engine) return EXIT.problems;
        try {
          // Through the dispatcher like every command: inputs and answers are checked against the contract.
          const call = <T,>(channel: 'events.get' | 'events.attributes', input: unknown) =>
            engine.dispatcher.call(channel, input, quietContext) as Promise<Envelope<T>>;
          return await streamEvent(
            output,
            {
              first: () => call<ChannelOutput<'events.get'>>('events.get', { uuid }),
              after: (after, limit) => call<ChannelOutput<'events.attributes'>>('events.attributes', { uuid, after, limit }),
            },
            process.stdout,
          );
        } finally {
          engine.close();
        }
      }),
    );

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
