/** `ferry keys`: own signing keys and trusted producers' public keys. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import { callEngine, type Runner } from '../context';

type Key = ChannelOutput<'keys.list'>[number];

/** A passphrase never goes on the command line (other users see it in the process list): a file, or the environment. */
export function readPassphrase(file: string | undefined): string | { error: string } {
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      return { error: `--passphrase-file ${file}: ${(e as Error).message}` };
    }
  }
  const fromEnv = process.env['FERRY_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return { error: 'give the key\'s passphrase in FERRY_PASSPHRASE or with --passphrase-file FILE' };
}

const line = (k: Key) => `${k.kind.padEnd(7)} ${k.fingerprint}  ${k.userIds.join(', ')}  (${k.algorithm}, made ${new Date(k.createdAt * 1000).toISOString().slice(0, 10)})`;

export function registerKeys(program: Command, run: Runner) {
  const keys = program.command('keys').description('OpenPGP keys: own signing keys, trusted producers\' public keys');
  keys
    .command('list')
    .action(async () => run((output, options) => callEngine(output, options, 'keys.list', {}, (list) => (list.length === 0 ? 'no keys\n' : list.map(line).join('\n') + '\n'))));
  keys
    .command('generate')
    .description('make a signing key (Ed25519); the passphrase comes from FERRY_PASSPHRASE or --passphrase-file')
    .requiredOption('--name <name>', 'who signs: a person, a team, a sensor')
    .option('--email <address>')
    .option('--passphrase-file <file>')
    .action(async (opts: { name: string; email?: string; passphraseFile?: string }) =>
      run(async (output, options) => {
        const passphrase = readPassphrase(opts.passphraseFile);
        if (typeof passphrase !== 'string') return output.error({ code: 'invalid-input', message: passphrase.error });
        return callEngine(output, options, 'keys.generate', { name: opts.name, passphrase, ...(opts.email ? { email: opts.email } : {}) }, (k) => `made ${line(k)}\n`);
      }),
    );
  keys
    .command('import')
    .description('trust the public key(s) in an armoured file from a producer')
    .argument('<file>')
    .action(async (file: string) =>
      run((output, options) => callEngine(output, options, 'keys.import', { source: file }, (list) => list.map((k) => `trusted ${line(k)}`).join('\n') + '\n')),
    );
  keys
    .command('export')
    .description("a key's armoured public part, for the receiving side (gpg --import)")
    .argument('<key>', 'fingerprint, its last 16 hex digits, or part of a user id')
    .option('--out <file>', 'write it to a file instead of standard output')
    .action(async (key: string, opts: { out?: string }) =>
      run((output, options) =>
        callEngine(
          output,
          options,
          'keys.export',
          { key },
          (k) => (opts.out ? `wrote ${k.fingerprint} to ${opts.out}\n` : k.armored),
          () => false,
          opts.out ? async (k) => writeFileSync(opts.out!, k.armored) : undefined,
        ),
      ),
    );
  keys
    .command('remove')
    .argument('<key>', 'fingerprint, its last 16 hex digits, or part of a user id')
    .action(async (key: string) => run((output, options) => callEngine(output, options, 'keys.remove', { key }, (k) => `removed ${k.fingerprint}\n`)));
}
