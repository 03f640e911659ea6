import type { Command } from 'commander';
import { startWebHost } from '../../webhost/server';
import { ensureRendererBuilt } from '../../webhost/renderer-build';
import { engineFor, type GlobalOptions } from '../context';
import { EXIT, type Output } from '../output';

export function registerServe(program: Command, run: (fn: (output: Output, options: GlobalOptions) => Promise<number>) => Promise<void>) {
  program
    .command('serve')
    .description('run the UI in a browser: serves on 127.0.0.1 only, behind a random token')
    .option('--port <n>', 'port to listen on (0 = any free port)', '0')
    .action(async (opts: { port: string }) =>
      run(async (output, options) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          return output.error({ code: 'invalid-input', message: `--port ${opts.port}: not a port number` });
        }
        const engine = engineFor(options, output);
        if (!engine) return EXIT.problems;
        const staticDir = await ensureRendererBuilt((m) => output.note(m));
        const host = await startWebHost({ dispatcher: engine.dispatcher, staticDir, port });
        if (output.json) process.stdout.write(JSON.stringify({ url: host.url, port: host.port, db: engine.dbPath }) + '\n');
        else process.stdout.write(`Ferry is serving ${engine.dbPath}\nOpen ${host.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await host.close();
        engine.close();
        return EXIT.ok;
      }),
    );
}
