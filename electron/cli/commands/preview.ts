import type { Command } from 'commander';
import { quietContext } from '../../backend/dispatch';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { callEngine, engineFor, type Runner } from '../context';
import { EXIT, type Output } from '../output';
import type { GlobalOptions } from '../context';
import { formatTable } from '../table';
import { streamEvent } from './event-format';

function human(preview: ChannelOutput<'feeds.preview'>): string {
  const rows = preview.events.map((e) => [e.date, e.orgName ?? '', e.uuid, e.tags.map((t) => t.name).join(', '), e.info]);
  const head = `${preview.source.kind} ${preview.source.path}: ${preview.events.length} events\n`;
  const issues = preview.issues.map((i) => `${i.severity}: ${i.path}: ${i.message}`).join('\n');
  return head + formatTable(['date', 'org', 'uuid', 'tags', 'info'], rows) + (issues ? issues + '\n' : '');
}

/** One event of the feed, streamed like `ferry event show`; exit 1 when the reader found errors in it. */
async function previewEvent(output: Output, options: GlobalOptions, source: string, uuid: string): Promise<number> {
  const engine = engineFor(options, output);
  if (!engine) return EXIT.problems;
  try {
    const call = <T,>(channel: 'feeds.previewEvent' | 'feeds.previewAttributes', input: unknown) =>
      engine.dispatcher.call(channel, input, quietContext) as Promise<Envelope<T>>;
    return await streamEvent(
      output,
      {
        first: () => call<ChannelOutput<'feeds.previewEvent'>>('feeds.previewEvent', { source, uuid }),
        after: (after, limit) => call<ChannelOutput<'feeds.previewAttributes'>>('feeds.previewAttributes', { source, uuid, after, limit }),
      },
      process.stdout,
      (e) => e.issues.some((i) => i.severity === 'error'),
    );
  } finally {
    engine.close();
  }
}

export function registerPreview(program: Command, run: Runner) {
  program
    .command('preview')
    .description('list the events a feed folder or zip announces, or show one of them; stores nothing')
    .argument('<source>', 'feed folder or zip archive')
    .option('--event <uuid>', 'show this event with its attributes and objects')
    .action(async (source: string, opts: { event?: string }) =>
      run((output, options) =>
        opts.event
          ? previewEvent(output, options, source, opts.event)
          : callEngine(output, options, 'feeds.preview', { source }, human, (p) => p.issues.some((i) => i.severity === 'error')),
      ),
    );
}
