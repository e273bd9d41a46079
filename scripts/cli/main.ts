/**
 * `npm run verify`: the whole run, with the outside world (output streams, environment,
 * working folder, network, clock) passed in, so tests call it in-process with a fetch spy
 * and a temporary cache. Exit status per cli.md: 0 all valid, 1 anything else, 2 could not run.
 */

import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { type Locale, type MessageKey, type MessageParams, t } from '../../utils/i18n/i18n.ts';
import { createFetcher } from '../../utils/net/fetcher.ts';
import { createFileStore, defaultCacheDir } from '../../utils/node/file-store.ts';
import { verifyLetter } from '../../utils/verify/verify-letter.ts';
import { parseArgs } from './args.ts';
import { checkDocument, MAX_INPUT_BYTES } from './check-document.ts';
import { configFilePath, configuredDefaults, pathOrUrl } from './defaults.ts';
import { loadTrust } from './load-trust.ts';
import { loadRegionTable } from './region-table.ts';
import { buildJsonReport } from './report-json.ts';
import { renderTable, type TableDocument } from './report-table.ts';
import { walkInputs } from './walk-inputs.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress lines go to stderr only when a person is watching it. */
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Used only when not `--offline`; wrapped by the section 4 fetcher. */
  fetch: typeof fetch;
  now: () => Date;
}

export type ExitCode = 0 | 1 | 2;

/**
 * Runs the CLI on `argv` (the arguments after `--`).
 *
 * @example process.exitCode = await runCli(process.argv.slice(2), nodeIo())
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseArgs(argv, io.env);
  const locale: Locale = parsed.ok ? parsed.options.locale : parsed.locale;
  const say = (key: MessageKey, params?: MessageParams) => io.stderr(`${t(locale, key, params)}\n`);
  try {
    if (!parsed.ok) {
      say(parsed.error.key, parsed.error.params);
      return 2;
    }
    const options = parsed.options;
    const cacheDir = defaultCacheDir(io.env);
    if (options.help) {
      io.stdout(`${t(locale, 'cli.help', { config: configFilePath(cacheDir), cache: cacheDir })}\n`);
      return 0;
    }

    const defaults = await configuredDefaults(io.env, io.cwd, cacheDir);
    if (!defaults.ok) {
      say(defaults.error.key, defaults.error.params);
      return 2;
    }
    const registry = options.registry === null ? defaults.defaults.registry : pathOrUrl(options.registry, io.cwd);
    const rootKeys = options.rootKeys === null ? defaults.defaults.rootKeys : pathOrUrl(options.rootKeys, io.cwd);
    if (registry === null) {
      say('cli.config.noRegistry', { config: configFilePath(cacheDir) });
      return 2;
    }
    if (rootKeys === null) {
      say('cli.config.noRootKeys', { config: configFilePath(cacheDir) });
      return 2;
    }

    // The cache holds the rollback guard (highest registry version seen): a run that cannot
    // record it must not pretend it did, so an unwritable cache stops the run up front.
    if (!(await isWritableFolder(cacheDir))) {
      say('cli.cacheUnwritable', { dir: cacheDir });
      return 2;
    }
    const currentDate = options.at ?? io.now();
    const store = createFileStore(cacheDir);
    // --offline: no fetcher at all, so nothing anywhere in the core can reach the network.
    const fetcher = options.offline ? null : createFetcher(io.fetch);
    const trust = await loadTrust({
      registry,
      rootKeys,
      registryLabel: options.registry ?? registry,
      rootKeysLabel: options.rootKeys ?? rootKeys,
      store,
      fetcher,
      currentDate,
      locale,
    });
    if (!trust.ok) {
      say(trust.error.key, trust.error.params);
      return 2;
    }
    for (const note of trust.notes) say(note.key, note.params);

    const walked = await walkInputs(options.inputs, io.cwd);
    if (walked.files.length === 0) {
      say('cli.arg.nothingFound', { skipped: walked.skipped.length });
      return 2;
    }

    const verify = (al1Text: string) =>
      verifyLetter(al1Text, { currentDate, registry: trust.registry, store, fetcher, localRegion: options.region });
    const documents: TableDocument[] = [];
    for (const [index, file] of walked.files.entries()) {
      const progress = (page?: { page: number; pages: number }) => {
        const line = t(locale, 'cli.progress', { current: index + 1, total: walked.files.length, file: file.display });
        const pages = page && page.pages > 1 ? ` ${t(locale, 'reader.progress.page', { ...page })}` : '';
        io.stderr(`\r\x1b[K${line}${pages}`);
      };
      if (io.stderrIsTTY) progress();
      const checked = await checkDocument(file, verify, MAX_INPUT_BYTES, io.stderrIsTTY ? progress : undefined);
      documents.push({ file: file.display, ...checked });
    }
    if (io.stderrIsTTY) io.stderr('\r\x1b[K');

    if (options.json) {
      const report = buildJsonReport({ registry: trust.registry, currentDate, locale, documents });
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout(
        renderTable({
          registry: trust.registry,
          currentDate,
          at: options.at,
          locale,
          documents,
          skipped: walked.skipped.length,
          regionTable: loadRegionTable(),
        }),
      );
    }
    return documents.every(({ check }) => check.verdict === 'valid') ? 0 : 1;
  } catch (error) {
    // A bug: say so plainly, and never let it pass for a result.
    say('cli.internal', { detail: error instanceof Error ? error.message : String(error) });
    return 2;
  }
}

async function isWritableFolder(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
