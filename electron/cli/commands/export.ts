/** `ferry export` (the library out as a MISP feed) and `ferry verify` (a feed's checksums, before import). */
import type { Command } from 'commander';
import type { ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import { callEngine, type Runner } from '../context';
import { readPassphrase } from './keys';

type Report = ChannelOutput<'export.run'>;
type Verify = ChannelOutput<'feeds.verify'>;

export function formatExport(r: Report): string {
  const verb = r.dryRun ? 'would write' : 'wrote';
  const head =
    `${verb} ${r.events} of ${r.selected} selected events (${r.attributes} attributes, ${r.hashes} hashes.csv lines) ` +
    `${r.dryRun ? 'to' : 'into'} ${r.format} ${r.target}\n` +
    (r.skipped > 0 ? `  ${r.skipped} left out by the distribution rule\n` : '') +
    (r.incremental
      ? `  against the earlier export: ${r.changes.added} added, ${r.changes.changed} changed, ${r.changes.unchanged} unchanged, ` +
        `${r.changes.deleted} deleted (tombstones), ${r.changes.dropped} no longer selected\n`
      : '') +
    (r.digests ? `  manifest.json sha256 ${r.digests.manifest}\n  SHA256SUMS    sha256 ${r.digests.checksums}\n` : '') +
    (r.signedBy ? `  signed by ${r.signedBy.userIds[0] ?? ''} (${r.signedBy.fingerprint}): manifest.json.asc, SHA256SUMS.asc\n` : '');
  const invalid = r.invalid
    .slice(0, 50)
    .map((e) => `  not written ${e.uuid} ${e.info}` + e.issues.filter((i) => i.severity === 'error').slice(0, 3).map((i) => `\n      ${i.path}: ${i.message}`).join(''))
    .join('\n');
  const issues = r.issues.slice(0, 20).map((i) => `  ${i.severity}: ${i.path}: ${i.message}`).join('\n');
  const changes = r.incremental ? r.changeList.slice(0, r.dryRun ? 1000 : 50).map((c) => `  ${c.change.padEnd(8)} ${c.uuid} ${c.info}`).join('\n') : '';
  return head + (changes ? changes + '\n' : '') + (invalid ? invalid + '\n' : '') + (issues ? issues + '\n' : '');
}

export function formatVerify(r: Verify): string {
  const head = `${r.status}: ${r.source} (${r.kind}, ${r.checked} files checked; ${r.signature.message})\n`;
  const files = r.files.map((f) => `  ${f.problem.padEnd(17)} ${f.name}: ${f.message}`).join('\n');
  const issues = r.issues.map((i) => `  ${i.severity}: ${i.path}: ${i.message}`).join('\n');
  return head + (files ? files + '\n' : '') + (issues ? issues + '\n' : '');
}

interface ExportOptions {
  tags?: string;
  orgs?: string;
  distribution?: string;
  published?: boolean;
  since?: string;
  until?: string;
  changedSince?: string;
  excludeTypes?: string;
  keepLocalTags?: boolean;
  events?: string;
  local?: boolean;
  dryRun?: boolean;
  sign?: string;
  passphraseFile?: string;
  incremental?: boolean;
  hashes?: string;
}

const list = (text: string | undefined) => text?.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The command's flags as the channel's input; a bad distribution level is refused here, by name. */
export function exportInput(target: string, o: ExportOptions): ChannelInput<'export.run'> | string {
  if (o.hashes !== undefined && o.hashes !== 'pymisp' && o.hashes !== 'correlating') return `--hashes ${o.hashes}: use pymisp or correlating`;
  const levels = list(o.distribution)?.map(Number);
  if (levels?.some((l) => !Number.isInteger(l) || l < 0 || l > 5)) return `--distribution ${o.distribution}: levels are 0 to 5, comma-separated`;
  const events = list(o.events);
  const excludeTypes = list(o.excludeTypes);
  let sign: { key: string; passphrase: string } | undefined;
  if (o.sign) {
    const passphrase = readPassphrase(o.passphraseFile);
    if (typeof passphrase !== 'string') return passphrase.error;
    sign = { key: o.sign, passphrase };
  }
  return {
    target,
    dryRun: o.dryRun === true,
    incremental: o.incremental === true,
    ...(sign ? { sign } : {}),
    filter: {
      ...(o.tags ? { tags: o.tags } : {}),
      ...(o.orgs ? { orgs: o.orgs } : {}),
      ...(o.published ? { published: true } : {}),
      ...(o.since ? { dateFrom: o.since } : {}),
      ...(o.until ? { dateUntil: o.until } : {}),
      ...(o.changedSince ? { changedFrom: o.changedSince } : {}),
      ...(o.local ? { localOnly: true } : {}),
      ...(events ? { events } : {}),
    },
    options: {
      keepLocalTags: o.keepLocalTags === true,
      ...(o.hashes === 'pymisp' || o.hashes === 'correlating' ? { hashes: o.hashes } : {}),
      ...(levels ? { distributions: levels } : {}),
      ...(excludeTypes ? { excludeTypes } : {}),
    },
  };
}

export function registerExport(program: Command, run: Runner) {
  program
    .command('export')
    .description('write library events as a MISP feed folder, or a zip when the target ends in .zip')
    .argument('[target]', 'feed folder (new, empty, or an earlier export) or file.zip (not with --profile)')
    .option('--tags <expr>', 'event tags: any of the terms, none of the !terms, e.g. "tlp:white|feed-export|!privint"')
    .option('--orgs <expr>', 'creator orgs (name or uuid), same form')
    .option('--distribution <levels>', 'distribution levels that leave, e.g. 0,1,5 (5 = inherit; default all)')
    .option('--published', 'published events only')
    .option('--since <date>', 'events dated on or after (YYYY-MM-DD, or a span such as 30d)')
    .option('--until <date>', 'events dated on or before')
    .option('--changed-since <when>', 'events changed on or after (date, Unix seconds, or 30d)')
    .option('--exclude-types <types>', 'attribute types left out, comma-separated')
    .option('--keep-local-tags', 'keep tags attached locally (stripped by default)')
    .option('--hashes <mode>', 'hashes.csv lines: pymisp (what PyMISP writes, default) or correlating (what MISP correlates on)')
    .option('--local', 'only events made or edited here')
    .option('--events <uuids>', 'only these events, comma-separated uuids')
    .option('--incremental', 'into an earlier export: keep unchanged events\' files, carry deletions as tombstones')
    .option('--dry-run', 'count and check, write nothing (with --incremental: list what would be added, changed, deleted)')
    .option('--sign <key>', 'sign manifest.json and SHA256SUMS with an own key (passphrase: FERRY_PASSPHRASE or --passphrase-file)')
    .option('--passphrase-file <file>', 'file holding the signing key\'s passphrase')
    .option('--profile <name>', 'run a saved export profile (its target and settings) instead')
    .option('--save-profile <name>', 'save these settings as a profile, then export')
    .action(async (target: string | undefined, opts: ExportOptions & { profile?: string; saveProfile?: string }) =>
      run(async (output, options) => {
        if (opts.profile) {
          if (target !== undefined) return output.error({ code: 'invalid-input', message: '--profile brings its own target; give no target with it' });
          const passphrase = opts.passphraseFile !== undefined || process.env['FERRY_PASSPHRASE'] ? readPassphrase(opts.passphraseFile) : undefined;
          if (typeof passphrase === 'object') return output.error({ code: 'invalid-input', message: passphrase.error });
          return callEngine(
            output,
            options,
            'export.runProfile',
            { name: opts.profile, dryRun: opts.dryRun === true, ...(passphrase !== undefined ? { passphrase } : {}) },
            formatExport,
            (r) => r.invalid.length > 0,
          );
        }
        if (target === undefined) return output.error({ code: 'invalid-input', message: 'give a target folder or file.zip, or --profile NAME' });
        const input = exportInput(target, opts);
        if (typeof input === 'string') return output.error({ code: 'invalid-input', message: input });
        return callEngine(output, options, 'export.run', { ...input, ...(opts.saveProfile ? { saveProfile: opts.saveProfile } : {}) }, formatExport, (r) => r.invalid.length > 0);
      }),
    );

  const profiles = program.command('profiles').description('saved export profiles');
  profiles
    .command('list')
    .action(async () =>
      run((output, options) =>
        callEngine(output, options, 'export.profiles', {}, (list) =>
          list.length === 0
            ? 'no export profiles\n'
            : list.map((p) => `${p.name}: ${p.settings.target}${p.settings.incremental ? ' (incremental)' : ''}${p.settings.filter.tags ? ` tags ${p.settings.filter.tags}` : ''}${p.settings.signKey ? ` signed by ${p.settings.signKey}` : ''}`).join('\n') + '\n',
        ),
      ),
    );
  profiles
    .command('remove')
    .argument('<name>')
    .action(async (name: string) => run((output, options) => callEngine(output, options, 'export.removeProfile', { name }, (r) => `removed export profile "${r.name}"\n`)));

  program
    .command('exports')
    .description('the export history: each export written, with its counts, digests and signer')
    .option('--limit <n>', 'how many', '20')
    .action(async (opts: { limit: string }) =>
      run((output, options) =>
        callEngine(output, options, 'export.history', { limit: Number(opts.limit) }, (runs) =>
          runs.length === 0
            ? 'no exports yet\n'
            : runs
                .map((r) => `#${r.id} ${new Date(r.finishedAt * 1000).toISOString()} ${r.format} ${r.target}: ${r.events} events, ${r.attributes} attributes` +
                  `${r.digests ? ` · SHA256SUMS ${r.digests.checksums.slice(0, 16)}…` : ''}${r.signedBy ? ` · signed ${r.signedBy.fingerprint.slice(-16)}` : ''}`)
                .join('\n') + '\n',
        ),
      ),
    );

  program
    .command('verify')
    .description("check a feed folder or zip against its SHA256SUMS and manifest integrity fields (exit 1 when altered)")
    .argument('<source>', 'feed folder or zip archive')
    .action(async (source: string) =>
      run((output, options) => callEngine(output, options, 'feeds.verify', { source }, formatVerify, (r) => r.status !== 'verified')),
    );
}
