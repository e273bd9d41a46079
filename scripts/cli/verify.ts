// `npm run --silent verify -- [options] <file-or-folder>...` (../shared/spec/cli.md).
// Thin wiring: the run itself is runCli in main.ts, which tests call in-process.
import { runCli } from './main.ts';

// npm runs scripts from the package root; INIT_CWD is where the user typed the command, so
// `npm run verify -- letters/` from another folder checks that folder's letters. Only
// trusted when npm is running this very script (a parent `npm test` also sets INIT_CWD).
const cwd = process.env.npm_lifecycle_event === 'verify' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  cwd,
  fetch: globalThis.fetch,
  now: () => new Date(),
});
