// `npm run --silent verify -- [options] <file-or-folder>...` (../shared/spec/cli.md).
// Thin wiring: the run itself is runCli in main.ts, which tests call in-process.
import { t } from '../../utils/i18n/i18n.ts';
import { localeFromEnv } from './args.ts';
import { runCli } from './main.ts';
import { nodeIo, npmBannerInStdout } from './node-io.ts';

if (npmBannerInStdout(process.env, process.stdout.isTTY === true)) {
  process.stderr.write(`${t(localeFromEnv(process.env), 'cli.npmBanner')}\n`);
}
process.exitCode = await runCli(process.argv.slice(2), nodeIo());
