// `npm run --silent verify -- [options] <file-or-folder>...` (../shared/spec/cli.md).
// Thin wiring: the run itself is runCli in main.ts, which tests call in-process.
import { runCli } from './main.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  fetch: globalThis.fetch,
  now: () => new Date(),
});
