import type { Command } from 'commander';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import { cliContext, engineFor, type GlobalOptions } from '../context';
import { EXIT, settle, type Output } from '../output';
import { formatTable } from '../table';

function human(preview: ChannelOutput<'feeds.preview'>): string {
  const rows = preview.events.map((e) => [e.date, e.orgName ?? '', e.uuid, e.tags.map((t) => t.name).join(', '), e.info]);
  const head = `${preview.source.kind} ${preview.source.path}: ${preview.events.length} events\n`;
  const issues = preview.issues.map((i) => `${i.severity}: ${i.path}: ${i.message}`).join('\n');
  return head + formatTable(['date', 'org', 'uuid', 'tags', 'info'], rows) + (issues ? issues + '\n' : '');
}

export function registerPreview(program: Command, run: (fn: (output: Output, options: GlobalOptions) => Promise<number>) => Promise<void>) {
  program
    .command('preview')
    .description('list the events a feed folder or zip announces, storing nothing')
    .argument('<source>', 'feed folder or zip archive')
    .action(async (source: string) =>
      run(async (output, options) => {
        const engine = engineFor(options, output);
        if (!engine) return EXIT.problems;
        try {
          const settled = settle(await engine.dispatcher.call('feeds.preview', { source }, cliContext(output)), output);
          if ('exit' in settled) return settled.exit;
          const preview = settled.value as ChannelOutput<'feeds.preview'>;
          output.value(preview, human);
          return preview.issues.some((i) => i.severity === 'error') ? EXIT.problems : EXIT.ok;
        } finally {
          engine.close();
        }
      }),
    );
}
