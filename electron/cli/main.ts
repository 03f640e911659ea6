/** The `ferry` command line: the engine in-process, one JSON document with --json, exit codes 0/1/2. */
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../backend/version';
import { registerEvents } from './commands/events';
import { registerExport } from './commands/export';
import { registerKeys } from './commands/keys';
import { registerFeeds } from './commands/feeds';
import { registerImport } from './commands/import';
import { registerPreview } from './commands/preview';
import { registerServe } from './commands/serve';
import { registerGenerate } from './commands/generate';
import type { GlobalOptions } from './context';
import { createOutput, EXIT, type Output } from './output';

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('ferry')
    .description('Ferry: MISP feeds on air-gapped workstations')
    .version(ENGINE_VERSION, '-V, --version')
    .option('--db <file>', 'library file (default: $FERRY_DB, else the user data folder)')
    .option('--json', 'one JSON document on stdout; messages on stderr')
    .showHelpAfterError()
    .exitOverride();

  // Global options may stand before or after the command; commander merges both into optsWithGlobals().
  const run = async (fn: (output: Output, options: GlobalOptions) => Promise<number>) => {
    const options = program.opts<GlobalOptions>();
    exitCode = await fn(createOutput(options.json === true), options);
  };
  registerPreview(program, run);
  registerImport(program, run);
  registerFeeds(program, run);
  registerEvents(program, run);
  registerExport(program, run);
  registerKeys(program, run);
  registerServe(program, run);
  registerGenerate(program, run);
  // Every (sub)command reports usage errors through the same path, so they all exit 2.
  const override = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  program.commands.forEach(override);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`ferry: ${(e as Error).message}\n`);
    return EXIT.problems;
  }
  return exitCode;
}
