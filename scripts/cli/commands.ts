/**
 * The `yanzhen` command's first word (cli.md: `npx yanzhen verify …`). Only `verify`
 * exists; anything else gets the usage on stderr and exit 2, never a guess.
 */
import { escapeUntrusted } from '../../utils/explain/untrusted-text.ts';
import { t } from '../../utils/i18n/i18n.ts';
import { localeFromEnv } from './args.ts';
import { type CliIo, type ExitCode, runCli } from './main.ts';

/**
 * Runs `yanzhen <command> …` with `argv` the words after `yanzhen`.
 *
 * @example process.exitCode = await runYanzhen(['verify', '--demo', 'letters/'], nodeIo())
 */
export async function runYanzhen(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === 'verify') return runCli(rest, io);
  const locale = localeFromEnv(io.env);
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${t(locale, 'cli.command.usage')}\n`);
    return 0;
  }
  if (command !== undefined) io.stderr(`${escapeUntrusted(t(locale, 'cli.command.unknown', { command }))}\n`);
  io.stderr(`${t(locale, 'cli.command.usage')}\n`);
  return 2;
}
