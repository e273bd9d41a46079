/**
 * The real outside world for a CLI run: process streams, environment, network and clock.
 * Shared by `npm run verify` (verify.ts) and the `yanzhen` bin (yanzhen.ts).
 */
import type { CliIo } from './main.ts';

/**
 * Whether npm has just printed its "> yanzhen@0.1.0 verify" banner onto a stdout that a
 * program reads (issue 11: `npm run verify -- --json | jq` failed to parse). npm prints it
 * unless its log level is silent, and says which in the script's environment; the banner
 * cannot be taken back, so the run says how to avoid it.
 *
 * @example npmBannerInStdout(process.env, process.stdout.isTTY === true)
 */
export function npmBannerInStdout(env: Record<string, string | undefined>, stdoutIsTTY: boolean): boolean {
  return env.npm_lifecycle_event === 'verify' && env.npm_config_loglevel !== 'silent' && !stdoutIsTTY;
}

/**
 * `cwd` is where the user typed the command. npm runs scripts from the package root and
 * puts the user's folder in INIT_CWD, so `npm run verify -- letters/` from another folder
 * checks that folder's letters; INIT_CWD is only trusted when npm is running that very
 * script (a parent `npm test` also sets it). `npx` keeps the user's folder as the cwd.
 *
 * @example process.exitCode = await runCli(process.argv.slice(2), nodeIo())
 */
export function nodeIo(env: NodeJS.ProcessEnv = process.env): CliIo {
  // `yanzhen verify letters/ | head`: once the reader has gone, stop quietly rather than
  // die on an unhandled EPIPE with a stack trace on stderr.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(1);
  });
  // Ctrl-C in the middle of a batch: erase the progress line first, or the shell's prompt
  // would be glued to "正在检查 3/200：…" on the same line.
  process.once('SIGINT', () => {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    process.exit(130);
  });
  const cwd = env.npm_lifecycle_event === 'verify' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    ...(process.stderr.isTTY && process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
    env,
    cwd,
    fetch: globalThis.fetch,
    now: () => new Date(),
  };
}
