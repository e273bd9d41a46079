/**
 * `npm run issuer -- <command> [options]`: the issuer tools (keys, registries, letters,
 * status lists). Each command is one file in commands/; this table is the only wiring.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { t } from '../../utils/i18n/i18n.ts';
import { type IssuerCommand, type IssuerIo, processIo, UsageError } from './commands/command.ts';
import { keyGenerate } from './commands/key-generate.ts';
import { keyJwks } from './commands/key-jwks.ts';
import { letterIssue } from './commands/letter-issue.ts';
import { registrySign } from './commands/registry-sign.ts';
import { statusMake } from './commands/status-make.ts';
import { statusUpdate } from './commands/status-update.ts';
import { letterPrint } from './print-letter.ts';

/** Command words -> command. Add a command with one line here and one file in commands/. */
export const COMMANDS: Record<string, IssuerCommand> = {
  'key generate': keyGenerate,
  'key jwks': keyJwks,
  'registry sign': registrySign,
  'letter issue': letterIssue,
  'letter print': letterPrint,
  'status make': statusMake,
  'status update': statusUpdate,
};

function usage(io: IssuerIo): string {
  const lines = Object.entries(COMMANDS).map(
    ([words, command]) => `  ${words.padEnd(16)} ${command.summary(io.locale)}`,
  );
  return `${t(io.locale, 'core.issuer.usage')}\n${lines.join('\n')}`;
}

/**
 * Runs one issuer command; returns the exit status (0 done, 1 failed, 2 usage).
 *
 * @example await runIssuer(['key', 'generate', '--alg', 'EdDSA', '--out', 'keys/root'], processIo())
 */
export async function runIssuer(argv: string[], io: IssuerIo): Promise<number> {
  const words = `${argv[0] ?? ''} ${argv[1] ?? ''}`;
  const command = COMMANDS[words];
  if (!command) {
    io.err(usage(io));
    return argv.length === 0 || argv[0] === '--help' ? 0 : 2;
  }
  if (argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    io.err(`${words}: ${command.summary(io.locale)}`);
    return 0;
  }
  try {
    return await command.run(argv.slice(2), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    io.err(t(io.locale, 'core.issuer.failed', { message: error instanceof Error ? error.message : String(error) }));
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  // npm runs scripts from the package root; INIT_CWD is the folder the user typed the command in,
  // so `--out keys/root` lands there. Only trusted when npm is running this very script.
  if (process.env.npm_lifecycle_event === 'issuer' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  runIssuer(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
