// `npx yanzhen verify [options] <file-or-folder>...` (cli.md), started by bin.mjs.
// Thin wiring: the first word picks the command, the run itself is runCli in main.ts.
import { runYanzhen } from './commands.ts';
import { nodeIo } from './node-io.ts';

process.exitCode = await runYanzhen(process.argv.slice(2), nodeIo());
