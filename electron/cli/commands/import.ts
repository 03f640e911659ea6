import type { Command } from 'commander';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import { callEngine, type Runner } from '../context';

type Report = ChannelOutput<'feeds.import'>;

export function formatReport(r: Report): string {
  const c = r.counts;
  const head =
    r.mode === 'fetch'
      ? `${r.status}: ${r.feedName} ← ${r.source}\n  ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.filtered} filtered, ` +
        `${c.rejected} rejected, ${c.conflicts} conflicts (${c.attributes} attributes written)\n`
      : `${r.status}: ${r.feedName} cached from ${r.cacheSource ?? '-'}: ${c.cachedValues} values\n`;
  const items = r.items
    .filter((i) => i.outcome !== 'added' || i.issues.length > 0)
    .slice(0, 50)
    .map((i) => `  ${i.outcome.padEnd(9)} ${i.uuid} ${i.info}` + i.issues.slice(0, 3).map((x) => `\n      ${x.severity}: ${x.path}: ${x.message}`).join(''))
    .join('\n');
  const v = r.verification;
  const verified = v ? `  ${v.status === 'verified' ? 'checksums verified' : v.status === 'altered' ? 'ALTERED (imported as asked)' : 'no checksums'}; ${v.signature.message}\n` : '';
  const issues = r.issues.slice(0, 30).map((i) => `  ${i.severity}: ${i.path}: ${i.message}`).join('\n');
  return head + verified + (items ? items + '\n' : '') + (issues ? 'source:\n' + issues + '\n' : '') + `import #${r.importId}\n`;
}

const problems = (r: Report) => r.status !== 'done' || r.counts.rejected > 0 || r.counts.conflicts > 0 || r.issues.some((i) => i.severity === 'error');

export function registerImport(program: Command, run: Runner) {
  program
    .command('import')
    .description('import (fetch) a feed folder or zip into the library, or cache it for correlation')
    .argument('<source>', 'feed folder or zip archive')
    .option('--feed <name>', 'the feed it belongs to (created if new; default: found by path or named after it)')
    .option('--mode <mode>', 'fetch (import events) or cache (index values only)', 'fetch')
    .option('--events <uuids>', 'comma-separated event uuids to import (default: all)')
    .option('--accept-altered', 'import a feed whose checksums or signature do not match (refused otherwise)')
    .action(async (source: string, opts: { feed?: string; mode: string; events?: string; acceptAltered?: boolean }) =>
      run(async (output, options) => {
        if (opts.mode !== 'fetch' && opts.mode !== 'cache') {
          return output.error({ code: 'invalid-input', message: `--mode ${opts.mode}: use fetch or cache` });
        }
        const events = opts.events?.split(',').map((s) => s.trim()).filter((s) => s !== '');
        return callEngine(
          output,
          options,
          'feeds.import',
          { source, mode: opts.mode, acceptAltered: opts.acceptAltered === true, ...(opts.feed ? { feedName: opts.feed } : {}), ...(events ? { events } : {}) },
          formatReport,
          problems,
        );
      }),
    );

  const imports = program.command('imports').description('the import log');
  imports
    .command('list')
    .option('--limit <n>', 'how many', '20')
    .action(async (opts: { limit: string }) =>
      run((output, options) =>
        callEngine(output, options, 'imports.list', { limit: Number(opts.limit) }, (runs) =>
          runs.map((r) => `#${r.id} ${new Date(r.startedAt * 1000).toISOString()} ${r.mode} ${r.status} ${r.feedName ?? '-'} ${r.source}`).join('\n') + '\n',
        ),
      ),
    );
  imports
    .command('show')
    .argument('<id>')
    .action(async (id: string) => run((output, options) => callEngine(output, options, 'imports.get', { id: Number(id) }, formatReport)));
}
