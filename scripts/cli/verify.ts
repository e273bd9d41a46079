// `npm run --silent verify -- [options] <file-or-folder>...` (../shared/spec/cli.md).
// Thin wiring: the run itself is runCli in main.ts, which tests call in-process.
import { runCli } from './main.ts';
import { nodeIo } from './node-io.ts';

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
