import type { Command } from 'commander';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import { callEngine, type Runner } from '../context';
import { formatTable } from '../table';
import { formatEvent } from './event-format';

function human(preview: ChannelOutput<'feeds.preview'>): string {
  const rows = preview.events.map((e) => [e.date, e.orgName ?? '', e.uuid, e.tags.map((t) => t.name).join(', '), e.info]);
  const head = `${preview.source.kind} ${preview.source.path}: ${preview.events.length} events\n`;
  const issues = preview.issues.map((i) => `${i.severity}: ${i.path}: ${i.message}`).join('\n');
  return head + formatTable(['date', 'org', 'uuid', 'tags', 'info'], rows) + (issues ? issues + '\n' : '');
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
          ? callEngine(output, options, 'feeds.previewEvent', { source, uuid: opts.event }, formatEvent, (e) => e.issues.some((i) => i.severity === 'error'))
          : callEngine(output, options, 'feeds.preview', { source }, human, (p) => p.issues.some((i) => i.severity === 'error')),
      ),
    );
}
