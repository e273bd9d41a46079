// `npm run lint:firefox`: builds the Firefox store package's folder (MV2: Firefox has no
// offscreen documents, so its background page decodes and verifies) into its own outDir,
// so it never overwrites a build someone else is testing, and runs Mozilla's addons-linter
// on it through web-ext, as addons.mozilla.org would. Fails on any error; warnings are
// printed (pdf.js's feature test for `new Function` is one, in third-party code we bundle).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import webExt, { type LintResult } from 'web-ext';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the Firefox production extension into `outDir`; returns the folder web-ext lints. */
export function buildFirefox(outDir: string): string {
  const run = spawnSync(process.execPath, [`${ROOT}node_modules/wxt/bin/wxt.mjs`, 'build', '-b', 'firefox'], {
    cwd: ROOT,
    env: { ...process.env, YANZHEN_OUT_DIR: outDir },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`wxt build -b firefox failed\n${run.stdout}\n${run.stderr}`);
  return `${outDir}/firefox-mv2`;
}

/** Lints an unpacked Firefox extension folder (no output of its own: the caller prints). */
export async function lintFirefox(sourceDir: string): Promise<LintResult> {
  // addons-linter prints its own report unless `output` is 'none'; the result is returned either way.
  return webExt.cmd.lint({ sourceDir, output: 'none', boring: true }, { shouldExitProgram: false });
}

/** One line per message: `error CODE file:line message`. */
export function formatLint(result: LintResult): string[] {
  const lines: string[] = [];
  for (const [level, list] of [
    ['error', result.errors],
    ['warning', result.warnings],
    ['notice', result.notices],
  ] as const) {
    for (const m of list) {
      const where = m.file ? ` ${m.file}${m.line ? `:${m.line}` : ''}` : '';
      lines.push(`${level} ${m.code}${where} ${m.message}`);
    }
  }
  return lines;
}

async function main() {
  const outDir = `${ROOT}.output/firefox-lint`;
  const started = Date.now();
  const sourceDir = process.argv[2] ?? buildFirefox(outDir);
  const result = await lintFirefox(sourceDir);
  for (const line of formatLint(result)) console.log(line);
  const { errors, warnings, notices } = result.summary;
  console.log(
    `web-ext lint ${sourceDir}: ${errors} errors, ${warnings} warnings, ${notices} notices (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  process.exitCode = errors > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
